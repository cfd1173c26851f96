from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import hanoi_3814
from .cycle_common import CivCycleCase


@tagged("post_install", "-at_install", "civ_evaluation", "civ_cycle")
class TestEvaluationCycle(CivCycleCase):
    """The month's workflow: self-assessment → review chain → decision → lock."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.period = cls._open_period()

    def _activities(self, sheet, user):
        return sheet.activity_ids.filtered(lambda activity: activity.user_id == user)

    def test_full_cycle(self):
        sheet = self._sheet(self.period, self.staff)
        self.assertEqual(sheet.state, "draft")
        self.assertEqual(len(sheet.line_ids), 6)
        self.assertEqual(sheet.step_ids.mapped("reviewer_user_id"), self.user_deputy | self.user_head)

        # self-assessment by the employee, through the form's one2many
        self._set_points(sheet, self.user_staff, "self_points", self.SELF_90)
        self.assertEqual(sheet.self_score, 90.0)
        log = sheet.message_ids.filtered(lambda m: "Points changed" in (m.body or ""))[:1]
        self.assertIn("2.1", log.body)
        self.assertIn("0 → 33", log.body)

        sheet.with_user(self.user_staff).action_submit()
        self.assertEqual(sheet.state, "review")
        first, second = sheet.step_ids.sorted("sequence")
        self.assertEqual(sheet.current_step_id, first)
        self.assertEqual(first.state, "pending")
        self.assertEqual(second.state, "waiting")
        self.assertEqual(sheet.current_reviewer_user_id, self.user_deputy)
        # the reviewer starts from the self points
        self.assertEqual(sheet.line_ids.mapped("reviewer_points"), sheet.line_ids.mapped("self_points"))
        activity = self._activities(sheet, self.user_deputy)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.date_deadline, self.period.review_deadline)
        self.assertEqual(activity.activity_type_id, self.env.ref("mail.mail_activity_data_todo"))

        # "to review by me" finds it through the stored current reviewer
        to_review = self.Evaluation.with_user(self.user_deputy).search(
            [("current_reviewer_user_id", "=", self.user_deputy.id)]
        )
        self.assertEqual(to_review, sheet)

        # the direct leader re-scores and approves
        self._set_points(sheet, self.user_deputy, "reviewer_points", {"2.2": 27})
        self.assertEqual(sheet.reviewer_score, 85.0)
        self.assertEqual(first.score, 85.0)
        sheet.with_user(self.user_deputy).action_approve()
        self.assertEqual(first.state, "approved")
        self.assertEqual(first.score, 85.0)
        self.assertTrue(first.date_done)
        self.assertFalse(self._activities(sheet, self.user_deputy))
        self.assertEqual(sheet.current_step_id, second)
        self.assertEqual(sheet.current_reviewer_user_id, self.user_head)
        self.assertEqual(self._activities(sheet, self.user_head).date_deadline, self.period.decision_deadline)
        # the next level is pre-filled with the previous level's points
        line = sheet.line_ids.filtered(lambda line: line.criterion_id.code == "2.2")
        self.assertEqual(line.reviewer_points, 27)
        self.assertEqual(line.self_points, 32)

        # the head decides: final points, score and level from the framework's scoring
        self._set_points(sheet, self.user_head, "reviewer_points", {"4.1": -2})
        sheet.with_user(self.user_head).action_approve()
        self.assertEqual(sheet.state, "done")
        self.assertEqual(sheet.final_score, 83.0)
        self.assertEqual(sheet.level_id.code, "B")
        self.assertEqual(second.state, "approved")
        self.assertFalse(sheet.current_step_id)
        self.assertFalse(sheet.current_reviewer_user_id)
        self.assertEqual(sheet.line_ids.mapped("final_points"), sheet.line_ids.mapped("reviewer_points"))
        self.assertEqual(line.final_points, 27)
        expected = self.framework.compute_score(
            {line.criterion_id.id: line.final_points for line in sheet.line_ids}
        )
        self.assertEqual(sheet.final_score, expected["total"])
        self.assertEqual(sheet.level_id, expected["level"])
        self.assertFalse(sheet.activity_ids)
        # the employee is told of the decision
        decision = sheet.message_ids.filtered(lambda m: self.user_staff.partner_id in m.partner_ids)
        self.assertTrue(decision)
        self.assertIn("83", decision[0].body)

        # lock: the month is frozen
        self.period.with_user(self.user_officer).action_lock()
        self.assertEqual(self.period.state, "locked")
        self.assertEqual(sheet.state, "locked")
        self.assertEqual(sheet.level_id.code, "B")
        with self.assertRaises(UserError):
            sheet.line_ids[0].sudo().write({"final_points": 1})

    def test_hanoi_levels_from_scoring(self):
        """85 points + 5 bonus = 90 → A (Hà Nội: 20 + 70 points, bonus 10, ceiling 100)."""
        sheet = self._sheet(self.period, self.deputy)
        self.assertEqual(len(sheet.step_ids), 1)
        self.assertTrue(sheet.step_ids.is_decision)
        self._set_points(sheet, self.user_deputy, "self_points", self.SELF_90)
        sheet.with_user(self.user_deputy).action_submit()
        self.assertEqual(sheet.current_reviewer_user_id, self.user_head)
        sheet.with_user(self.user_head).action_approve()
        self.assertEqual(sheet.state, "done")
        self.assertEqual(sheet.final_score, 90.0)
        self.assertEqual(sheet.level_id.code, "A")

        sheet2 = self._sheet(self.period, self.staff2)
        self._set_points(
            sheet2, self.user_staff2, "self_points", {"1.1": 10, "1.2": 10, "2.1": 35, "2.2": 35, "3.1": 10}
        )
        self.assertEqual(sheet2.self_score, 100.0)  # 90 + the full bonus

    def test_return_and_resubmit(self):
        sheet = self._sheet(self.period, self.staff)
        self._set_points(sheet, self.user_staff, "self_points", self.SELF_90)
        sheet.with_user(self.user_staff).action_submit()
        with self.assertRaises(UserError):
            sheet.with_user(self.user_deputy).action_return("")
        wizard = Form(
            self.env["civ.evaluation.return.wizard"]
            .with_user(self.user_deputy)
            .with_context(default_evaluation_ids=sheet.ids)
        )
        wizard.reason = "Thiếu minh chứng cho tiêu chí 2.1"
        wizard.save().action_confirm()
        self.assertEqual(sheet.state, "draft")
        self.assertEqual(sheet.return_reason, "Thiếu minh chứng cho tiêu chí 2.1")
        self.assertFalse(sheet.current_reviewer_user_id)
        step = sheet.step_ids.sorted("sequence")[0]
        self.assertEqual(step.state, "returned")
        self.assertEqual(step.comment, "Thiếu minh chứng cho tiêu chí 2.1")
        self.assertFalse(self._activities(sheet, self.user_deputy))
        # the employee is told and gets a to-do
        told = sheet.message_ids.filtered(lambda m: self.user_staff.partner_id in m.partner_ids)
        self.assertIn("Thiếu minh chứng", told[0].body)
        self.assertEqual(len(self._activities(sheet, self.user_staff)), 1)

        # the employee can edit again, then resubmits: the chain starts over
        self._set_points(sheet, self.user_staff, "self_points", {"2.1": 30})
        self.assertEqual(sheet.self_score, 87.0)
        sheet.with_user(self.user_staff).action_submit()
        self.assertEqual(sheet.state, "review")
        self.assertEqual(step.state, "pending")
        self.assertEqual(sheet.current_reviewer_user_id, self.user_deputy)
        self.assertFalse(self._activities(sheet, self.user_staff))
        line = sheet.line_ids.filtered(lambda line: line.criterion_id.code == "2.1")
        self.assertEqual(line.reviewer_points, 30)

    def test_bulk_approve_from_list(self):
        sheets = self._sheet(self.period, self.staff) | self._sheet(self.period, self.staff2)
        for sheet, user in zip(sheets, (self.user_staff, self.user_staff2), strict=True):
            self._set_points(sheet, user, "self_points", self.SELF_90)
            sheet.with_user(user).action_submit()
        to_review = self.Evaluation.with_user(self.user_deputy).search(
            [("current_reviewer_user_id", "=", self.user_deputy.id)]
        )
        self.assertEqual(to_review, sheets)
        to_review.action_approve()
        self.assertEqual(set(sheets.mapped("current_reviewer_user_id")), {self.user_head})
        self.assertEqual(set(sheets.mapped("state")), {"review"})

    def test_chain_problem_stays_in_draft(self):
        """The chairman has no superior configured: no reviewer at all."""
        sheet = self._sheet(self.period, self.chairman)
        self.assertTrue(sheet.chain_problem)
        self.assertFalse(sheet.step_ids)
        with self.assertRaises(UserError):
            sheet.with_user(self.user_chairman).action_submit()
        self.assertEqual(sheet.state, "draft")
        self.assertEqual(self.period.count_chain_problem, 1)
        # HR gives the chairman a superior, then refreshes the chain
        user_secretary, secretary = self._person("bithu_t", "Bí thư", self.leadership, "Bí thư")
        self.chairman.parent_id = secretary
        with self.assertRaises(AccessError):
            sheet.with_user(self.user_staff).action_refresh_chain()
        self.period.with_user(self.user_officer).action_refresh_chains()
        self.assertFalse(sheet.chain_problem)
        self.assertEqual(sheet.step_ids.reviewer_user_id, user_secretary)
        sheet.with_user(self.user_chairman).action_submit()
        self.assertEqual(sheet.current_reviewer_user_id, user_secretary)

    def test_officer_reassigns_pending_reviewer(self):
        sheet = self._sheet(self.period, self.staff)
        sheet.with_user(self.user_staff).action_submit()
        step = sheet.current_step_id
        with self.assertRaises(AccessError):
            sheet.with_user(self.user_staff).write(
                {"step_ids": [(1, step.id, {"reviewer_employee_id": self.staff.id})]}
            )
        sheet.with_user(self.user_officer).write(
            {"step_ids": [(1, step.id, {"reviewer_employee_id": self.head.id})]}
        )
        self.assertEqual(step.reviewer_user_id, self.user_head)
        self.assertEqual(sheet.current_reviewer_user_id, self.user_head)
        self.assertFalse(self._activities(sheet, self.user_deputy))
        self.assertTrue(self._activities(sheet, self.user_head))
        with self.assertRaises(AccessError):
            sheet.with_user(self.user_deputy).action_approve()
        sheet.with_user(self.user_head).action_approve()
        self.assertEqual(sheet.current_step_id.name, sheet.step_ids.sorted("sequence")[1].name)

    def test_reviewer_comment_on_pending_step(self):
        sheet = self._sheet(self.period, self.staff)
        sheet.with_user(self.user_staff).action_submit()
        step = sheet.current_step_id
        sheet.with_user(self.user_deputy).write({"step_ids": [(1, step.id, {"comment": "Đạt yêu cầu"})]})
        self.assertEqual(step.comment, "Đạt yêu cầu")
        with self.assertRaises(AccessError):
            step.with_user(self.user_staff).write({"comment": "Tự nhận xét"})
        with self.assertRaises(AccessError):
            step.with_user(self.user_deputy).write({"score": 100})

    def test_employee_fills_the_form(self):
        """The sheet form as the employee: self points editable, then read-only once submitted."""
        sheet = self._sheet(self.period, self.staff)
        with Form(sheet.with_user(self.user_staff)) as form:
            self.assertTrue(form.can_edit_self)
            self.assertFalse(form.can_rescore)
            with form.line_ids.edit(2) as line:
                line.self_points = 30
                line.note = "Hoàn thành 10/10 nhiệm vụ được giao"
        self.assertEqual(sheet.self_score, 30.0)
        self.assertEqual(sheet.line_ids[2].note, "Hoàn thành 10/10 nhiệm vụ được giao")
        sheet.with_user(self.user_staff).action_submit()
        form = Form(sheet.with_user(self.user_staff))
        self.assertFalse(form.can_edit_self)
        with self.assertRaises(AssertionError), form.line_ids.edit(2) as line:
            line.self_points = 35  # read-only in the view
        # the reviewer re-scores in the same form
        with Form(sheet.with_user(self.user_deputy)) as form:
            self.assertTrue(form.can_rescore)
            with form.line_ids.edit(2) as line:
                line.reviewer_points = 25
        self.assertEqual(sheet.reviewer_score, 25.0)

    def test_state_changes_are_tracked(self):
        sheet = self._sheet(self.period, self.staff)
        sheet.with_user(self.user_staff).action_submit()
        self.env.flush_all()
        self.env.cr.precommit.run()  # tracking values are written at commit time
        tracked = sheet.message_ids.tracking_value_ids.filtered(lambda v: v.field_id.name == "state")
        self.assertEqual(tracked.new_value_char, "In Review")
        reviewer = sheet.message_ids.tracking_value_ids.filtered(
            lambda v: v.field_id.name == "current_reviewer_user_id"
        )
        self.assertEqual(reviewer.new_value_char, self.user_deputy.name)

    def test_refreshing_a_chain_keeps_the_return_comments(self):
        sheet = self._sheet(self.period, self.staff)
        sheet.with_user(self.user_staff).action_submit()
        sheet.with_user(self.user_deputy).action_return("Thiếu minh chứng tiêu chí 2.1")
        sheet.with_user(self.user_officer).action_refresh_chain()
        self.assertTrue(all(step.state == "waiting" for step in sheet.step_ids))
        history = sheet.message_ids.filtered(lambda message: "Review chain refreshed" in (message.body or ""))
        self.assertIn("Thiếu minh chứng tiêu chí 2.1", history.body)
        self.assertEqual(sheet.return_reason, "Thiếu minh chứng tiêu chí 2.1")


@tagged("post_install", "-at_install", "civ_evaluation", "civ_cycle", "civ_framework")
class TestShippedHanoiFramework(CivCycleCase):
    """The shipped Hà Nội framework (3814-QĐ/TU) through the whole cycle."""

    def test_85_points_plus_bonus(self):
        hanoi = hanoi_3814(self.env)
        self.company.civ_framework_id = hanoi
        # since 2026 Hà Nội 3814 grades public employees (Decree 335 governs civil servants)
        self.env["hr.employee"].search([("company_id", "=", self.company.id)]).civ_category = "vien_chuc"
        period = self._open_period()
        self.assertEqual(period.framework_id, hanoi)
        sheet = self._sheet(period, self.deputy)
        self.assertEqual(sheet.line_ids.criterion_id, hanoi.criterion_ids)
        # group 1: 20/20, group 2: 65/70 → 85 points; bonus 5 → 90 = A
        points = {"HN1.1": 5, "HN1.2": 5, "HN1.3": 5, "HN1.4": 5, "HN2.1": 30, "HN2.2": 20, "HN2.3": 15}
        self._set_points(sheet, self.user_deputy, "self_points", points)
        self.assertEqual(sheet.self_score, 85.0)
        self._set_points(sheet, self.user_deputy, "self_points", {"HN3.1": 5})
        self.assertEqual(sheet.self_score, 90.0)
        sheet.with_user(self.user_deputy).action_submit()
        sheet.with_user(self.user_head).action_approve()
        self.assertEqual(sheet.final_score, 90.0)
        self.assertEqual(sheet.level_id, self.env.ref("civ_evaluation.hn3814_level_a"))
        # the head takes 1 point off the results: 89 → B
        sheet2 = self._sheet(period, self.staff)
        self._set_points(sheet2, self.user_staff, "self_points", dict(points, **{"HN3.1": 5}))
        sheet2.with_user(self.user_staff).action_submit()
        sheet2.with_user(self.user_deputy).action_approve()
        self._set_points(sheet2, self.user_head, "reviewer_points", {"HN2.3": 14})
        sheet2.with_user(self.user_head).action_approve()
        self.assertEqual(sheet2.final_score, 89.0)
        self.assertEqual(sheet2.level_id, self.env.ref("civ_evaluation.hn3814_level_b"))
        steps = sheet2.step_ids.sorted("sequence")
        self.assertEqual(steps.mapped("score"), [90.0, 89.0])
