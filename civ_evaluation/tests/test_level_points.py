from odoo.exceptions import AccessError
from odoo.tests import tagged

from .cycle_common import CivCycleCase

DEPUTY_NOTE = "Còn 2 việc chưa hoàn thành"


@tagged("post_install", "-at_install", "civ_evaluation", "civ_cycle")
class TestLevelPoints(CivCycleCase):
    """Each reviewing level's points and remarks per criterion are kept when the next level
    re-scores (civ.review.step.point), and shown side by side on the sheet."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.period = cls._open_period()

    def _two_levels(self):
        """The employee scores 90; the deputy (direct leader) gives 25 on 2.1 with a remark (82); the
        head (decision) gives 30 on 2.1 (87) and decides."""
        sheet = self._sheet(self.period, self.staff)
        self._set_points(sheet, self.user_staff, "self_points", self.SELF_90)
        sheet.with_user(self.user_staff).action_submit()
        self._set_points(sheet, self.user_deputy, "reviewer_points", {"2.1": 25})
        self._set_points(sheet, self.user_deputy, "reviewer_note", {"2.1": DEPUTY_NOTE})
        sheet.current_step_id.with_user(self.user_deputy).write({"comment": "Cần cố gắng hơn"})
        deputy_step = sheet.current_step_id
        sheet.with_user(self.user_deputy).action_approve()
        head_step = sheet.current_step_id
        self.assertEqual(head_step.reviewer_user_id, self.user_head)
        return sheet, deputy_step, head_step

    def _points(self, step):
        return {
            point.line_id.criterion_id.code: (point.points, point.comment or False)
            for point in step.point_ids
        }

    def test_two_reviewers_score_differently_both_kept(self):
        sheet, deputy_step, head_step = self._two_levels()
        self.assertEqual(
            self._points(deputy_step),
            {
                "1.1": (10, False),
                "1.2": (10, False),
                "2.1": (25, DEPUTY_NOTE),
                "2.2": (32, False),
                "3.1": (5, False),
                "4.1": (0, False),
            },
        )
        self.assertEqual(deputy_step.score, 82)
        # the head starts from the deputy's points with a blank remark, and re-scores
        line = sheet.line_ids.filtered(lambda line: line.criterion_id.code == "2.1")
        self.assertEqual((line.reviewer_points, line.previous_points, line.reviewer_note), (25, 25, False))
        self._set_points(sheet, self.user_head, "reviewer_points", {"2.1": 30})
        self._set_points(sheet, self.user_head, "reviewer_note", {"1.2": "Tốt"})
        sheet.with_user(self.user_head).action_approve()
        self.assertEqual(sheet.state, "done")
        self.assertEqual(sheet.final_score, 87)
        self.assertEqual(self._points(head_step)["2.1"], (30, False))
        self.assertEqual(self._points(head_step)["1.2"], (10, "Tốt"))
        self.assertEqual(head_step.score, 87)
        # the deputy's record is untouched by the head's re-scoring
        self.assertEqual(self._points(deputy_step)["2.1"], (25, DEPUTY_NOTE))
        self.assertEqual(deputy_step.comment, "Cần cố gắng hơn")

    def test_sheet_shows_every_level_side_by_side(self):
        sheet, deputy_step, head_step = self._two_levels()
        self._set_points(sheet, self.user_head, "reviewer_points", {"2.1": 30})
        # while the head scores, their column shows the points being entered
        html = str(sheet.with_user(self.user_head).level_points_html)
        self.assertIn(DEPUTY_NOTE, html)
        self.assertIn("scoring", html)
        sheet.with_user(self.user_head).action_approve()
        sheet.invalidate_recordset()
        html = str(sheet.with_user(self.user_staff).level_points_html)
        self.assertIn(deputy_step.name, html)
        self.assertIn(self.deputy.name, html)
        self.assertIn(self.head.name, html)
        self.assertIn(DEPUTY_NOTE, html)
        self.assertIn("Cần cố gắng hơn", html)
        row = next(row for row in html.split("<tr>") if "2.1" in row)
        cells = [cell.split("<")[0] for cell in row.split('<td class="text-end')[1:]]
        # self, deputy, head, final
        self.assertEqual([cell.split(">", 1)[1] for cell in cells], ["33", "25", "30", "30"])
        total = html.split('o_civ_level_total">')[1].split("</tr>")[0]
        totals = [cell.split("<")[0] for cell in total.split('<td class="text-end">')[1:]]
        self.assertEqual(totals, ["90", "82", "87", "87"])

    def test_approving_again_after_return_replaces_the_level_points(self):
        sheet, deputy_step, _head_step = self._two_levels()
        sheet.with_user(self.user_head).action_return("Bổ sung minh chứng")
        sheet.with_user(self.user_staff).action_submit()
        self._set_points(sheet, self.user_deputy, "reviewer_points", {"2.1": 28})
        sheet.with_user(self.user_deputy).action_approve()
        self.assertEqual(self._points(deputy_step)["2.1"][0], 28)
        self.assertEqual(len(deputy_step.point_ids), 6)

    def test_level_points_are_read_like_the_sheet_and_written_by_the_workflow_only(self):
        sheet, deputy_step, _head_step = self._two_levels()
        Point = self.env["civ.review.step.point"]
        for user in (self.user_staff, self.user_deputy, self.user_head, self.user_officer):
            self.assertEqual(len(Point.with_user(user).search([("evaluation_id", "=", sheet.id)])), 6)
        self.assertFalse(Point.with_user(self.user_staff2).search([("evaluation_id", "=", sheet.id)]))
        point = deputy_step.point_ids[:1]
        for user in (self.user_staff, self.user_deputy, self.user_head, self.user_officer):
            with self.assertRaises(AccessError):
                point.with_user(user).write({"points": 1})
            with self.assertRaises(AccessError):
                Point.with_user(user).create(
                    {"step_id": deputy_step.id, "line_id": point.line_id.id, "evaluation_id": sheet.id}
                )
            with self.assertRaises(AccessError):
                point.with_user(user).unlink()
