"""The sheet form as its users see it: live totals while typing, previous-level points, the period's
organisation check and analysis buttons."""

from odoo.tests import Form, tagged

from .common import MAY
from .cycle_common import CivCycleCase


@tagged("post_install", "-at_install", "civ_evaluation", "civ_cycle")
class TestEvaluationForm(CivCycleCase):
    def test_live_totals_follow_the_lines_being_edited(self):
        period = self._open_period(MAY)
        sheet = self._sheet(period, self.staff).with_user(self.user_staff)
        with Form(sheet) as form:
            self.assertEqual(form.live_self_score, 0.0)
            for index, value in enumerate((10, 10, 33, 32, 5)):
                with form.line_ids.edit(index) as line:
                    line.self_points = value
            # computed from the lines in the form, before anything is saved
            self.assertEqual(form.live_self_score, 90.0)
            self.assertEqual(form.live_level_id.code, "A")
            self.assertIn("20.00", form.live_group_summary)
            with form.line_ids.edit(2) as line:
                line.self_points = 13
            self.assertEqual(form.live_self_score, 70.0)
            self.assertEqual(form.live_level_id.code, "B")
        self.assertEqual(sheet.self_score, 70.0)

    def test_next_reviewer_sees_previous_level_points(self):
        period = self._open_period(MAY)
        sheet = self._sheet(period, self.staff)
        self._set_points(sheet, self.user_staff, "self_points", self.SELF_90)
        sheet.with_user(self.user_staff).action_submit()
        line = sheet.line_ids.filtered(lambda line: line.criterion_id.code == "2.1")
        self.assertEqual(line.previous_points, 33.0)
        self._set_points(sheet, self.user_deputy, "reviewer_points", {"2.1": 30})
        self.assertEqual(sheet.live_reviewer_score, 87.0)
        sheet.with_user(self.user_deputy).action_approve()
        self.assertEqual(sheet.current_reviewer_user_id, self.user_head)
        self.assertEqual((line.self_points, line.previous_points, line.reviewer_points), (33.0, 30.0, 30.0))

    def test_period_buttons_for_officers(self):
        period = self.Period.create({"company_id": self.company.id, "date_start": MAY})
        action = period.with_user(self.user_officer).action_check_organisation()
        wizard = self.env["civ.org.check.wizard"].browse(action["res_id"])
        self.assertEqual(action["res_model"], "civ.org.check.wizard")
        self.assertEqual(wizard.company_id, self.company)
        period.with_user(self.user_officer).action_open()
        action = period.with_user(self.user_officer).action_view_analysis()
        self.assertEqual(action["domain"], [("period_id", "=", period.id)])
        self.assertEqual(action["views"][0][1], "graph")
