"""Browser tours (Chromium headless): the employee's month, the reviewer's month, the HR officer opening a
month, and the organisation check opened from the menu, already run. Odoo's HttpCase skips them with
"Chrome executable not found" where no Chromium is installed."""

from odoo.tests import HttpCase, tagged

from .common import MAY
from .cycle_common import CivCycleCase


@tagged("post_install", "-at_install", "civ_evaluation", "civ_ui")
class TestUiTours(HttpCase, CivCycleCase):
    def _staff_sheet(self):
        period = self._open_period(MAY)
        return period, self._sheet(period, self.staff)

    def test_employee_self_assessment_tour(self):
        _period, sheet = self._staff_sheet()
        self.start_tour("/web", "civ_employee_self_assessment", login="nhanvien_t")
        self.assertEqual(sheet.state, "review")
        self.assertEqual(sheet.self_score, 18.0)
        points = {line.criterion_id.code: line.self_points for line in sheet.line_ids}
        self.assertEqual((points["1.1"], points["1.2"]), (10.0, 8.0))
        self.assertEqual(sheet.current_reviewer_user_id, self.user_deputy)

    def test_employee_out_of_range_tour(self):
        _period, sheet = self._staff_sheet()
        self.start_tour("/web", "civ_employee_out_of_range", login="nhanvien_t")
        line = sheet.line_ids.filtered(lambda line: line.criterion_id.code == "1.1")
        self.assertEqual(line.self_points, 9.0)
        self.assertEqual(sheet.self_score, 9.0)

    def test_reviewer_rescore_approve_tour(self):
        _period, sheet = self._staff_sheet()
        self._set_points(sheet, self.user_staff, "self_points", self.SELF_90)
        sheet.with_user(self.user_staff).action_submit()
        self.assertEqual(sheet.current_reviewer_user_id, self.user_deputy)
        self.start_tour("/web", "civ_reviewer_rescore_approve", login="photruongphong_t")
        first_step = sheet.step_ids.sorted("sequence")[0]
        self.assertEqual(first_step.state, "approved")
        self.assertEqual(first_step.score, 85.0)
        self.assertEqual(sheet.current_reviewer_user_id, self.user_head)
        line = sheet.line_ids.filtered(lambda line: line.criterion_id.code == "1.1")
        self.assertEqual((line.self_points, line.previous_points, line.reviewer_points), (10.0, 5.0, 5.0))

    def test_officer_open_month_tour(self):
        self.start_tour("/web", "civ_officer_open_month", login="canbotccb_t")
        period = self.Period.search([("company_id", "=", self.company.id)])
        self.assertEqual(period.state, "open")
        self.assertEqual(period.date_start.month, 6)
        self.assertEqual(len(period.evaluation_ids), 6)
        # the Excel file built through the export wizard, downloaded by the browser
        wizard = self.env["civ.export.wizard"].search([("period_ids", "in", period.ids)])
        self.assertEqual(len(wizard), 1)
        self.assertEqual(wizard.create_uid, self.user_officer)
        self.assertTrue(wizard.attachment_id.name.endswith(".xlsx"))
        self.assertEqual(wizard.row_count, 6)
        self.assertEqual(wizard.attachment_id.raw[:2], b"PK")

    def test_levels_side_by_side_tour(self):
        _period, sheet = self._staff_sheet()
        self._set_points(sheet, self.user_staff, "self_points", self.SELF_90)
        sheet.with_user(self.user_staff).action_submit()
        self._set_points(sheet, self.user_deputy, "reviewer_points", {"2.1": 25})
        self._set_points(sheet, self.user_deputy, "reviewer_note", {"2.1": "Còn 2 việc chưa hoàn thành"})
        sheet.with_user(self.user_deputy).action_approve()
        self.start_tour("/web", "civ_levels_side_by_side", login="truongphong_t")
        self.assertEqual(sheet.state, "done")
        self.assertEqual(sheet.final_score, 87.0)
        deputy_step, head_step = sheet.step_ids.sorted("sequence")
        points = {
            step: {point.line_id.criterion_id.code: point.points for point in step.point_ids}
            for step in (deputy_step, head_step)
        }
        self.assertEqual((points[deputy_step]["2.1"], points[head_step]["2.1"]), (25.0, 30.0))

    def test_bulk_approve_tour(self):
        period, sheet = self._staff_sheet()
        sheet2 = self._sheet(period, self.staff2)
        for each, user in ((sheet, self.user_staff), (sheet2, self.user_staff2)):
            self._set_points(each, user, "self_points", self.SELF_90)
            each.with_user(user).action_submit()
        self.start_tour("/web", "civ_bulk_approve", login="photruongphong_t")
        self.assertEqual((sheet | sheet2).current_reviewer_user_id, self.user_head)
        Wizard = self.env["civ.evaluation.bulk.approve.wizard"]
        wizard = Wizard.search([("create_uid", "=", self.user_deputy.id)])
        self.assertEqual((wizard.state, wizard.approved_count, wizard.refused_count), ("done", 2, 0))


@tagged("post_install", "-at_install", "civ_evaluation", "civ_ui", "civ_org")
class TestUiOrgCheck(HttpCase, CivCycleCase):
    def test_org_check_menu_tour(self):
        # the test district's only problem: nobody is set to decide the chairman's grade
        self.start_tour("/web", "civ_officer_org_check", login="canbotccb_t")
        wizard = self.env["civ.org.check.wizard"].search([("create_uid", "=", self.user_officer.id)])
        self.assertEqual(len(wizard), 1)
        self.assertEqual(wizard.company_id, self.company)
        self.assertEqual(wizard.problem_count, 1)
        self.assertEqual(
            wizard.line_ids.filtered(lambda line: line.kind != "out_of_scope").employee_id, self.chairman
        )
