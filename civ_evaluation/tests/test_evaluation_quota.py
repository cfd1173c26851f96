import re

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import add_quotas, level_of, make_employees
from .cycle_common import CivCycleCase

POINTS_A = {"1.1": 10, "1.2": 10, "2.1": 33, "2.2": 32, "3.1": 5}  # 90
POINTS_B = {"1.1": 10, "1.2": 10, "2.1": 30, "2.2": 30}  # 80


@tagged("post_install", "-at_install", "civ_evaluation", "civ_cycle")
class TestEvaluationQuota(CivCycleCase):
    """Quotas at decision time: above a quota the deciding reviewer must give a reason."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Hà Nội's rule: A for at most 30% of those evaluated in a department
        cls.level_a = level_of(cls.framework, "A")
        add_quotas(
            cls.framework,
            [{"level_id": "A", "basis": "evaluated", "max_percent": 30.0, "scope": "department"}],
        )
        # six more people in the section: ten sheets in the department
        cls.extra = make_employees(
            cls.env,
            cls.company,
            [f"Chuyên viên {index + 1}" for index in range(6)],
            department=cls.section,
            manager=cls.deputy,
        )
        cls.period = cls._open_period()

    def _at_decision(self, employee, points, period=None):
        """Submit the sheet with these self points and take it through the chain up to its decision step."""
        sheet = self._sheet(period or self.period, employee)
        lines = sheet.line_ids
        sheet.sudo().write(
            {
                "line_ids": [
                    Command.update(
                        lines.filtered(lambda line, c=code: line.criterion_id.code == c).id,
                        {"self_points": value},
                    )
                    for code, value in points.items()
                ]
            }
        )
        sheet.sudo().action_submit()
        while not sheet.current_step_id.is_decision:
            sheet.with_user(sheet.current_reviewer_user_id).action_approve()
        return sheet

    def _decided(self, employee, points, period=None):
        sheet = self._at_decision(employee, points, period)
        sheet.with_user(sheet.current_reviewer_user_id).action_approve()
        self.assertEqual(sheet.state, "done")
        return sheet

    def test_quota_reason_required(self):
        section_sheets = self.period.evaluation_ids.filtered(lambda s: s.department_id == self.section)
        self.assertEqual(len(section_sheets), 10)
        for employee in self.extra[:3]:
            sheet = self._decided(employee, POINTS_A)
            self.assertEqual(sheet.level_id, self.level_a)
            self.assertFalse(sheet.quota_exceeded)
        # the fourth A of ten: 40% > 30%
        fourth = self._at_decision(self.extra[3], POINTS_A)
        head_sheet = fourth.with_user(self.user_head)
        with self.assertRaises(UserError) as caught:
            head_sheet.action_approve()
        message = str(caught.exception)
        self.assertIn("Phòng Nội vụ", message)
        self.assertIn("4 A of 10 evaluated = 40% > 30% (at most 3 allowed)", message)
        self.assertEqual(fourth.state, "review")
        with self.assertRaises(UserError):
            head_sheet.action_approve(quota_reason="   ")
        self.assertEqual(fourth.current_step_id.state, "pending")

        # the button opens the wizard with the figures; the reason is required, then stored
        action = head_sheet.action_approve_check()
        self.assertEqual(action["res_model"], "civ.quota.override.wizard")
        wizard_form = Form(
            self.env["civ.quota.override.wizard"].with_user(self.user_head).with_context(**action["context"])
        )
        self.assertIn("40% > 30%", wizard_form.figures)
        wizard_form.reason = "Phòng hoàn thành xuất sắc đợt cao điểm"
        wizard_form.save().action_confirm()
        self.assertEqual(fourth.state, "done")
        self.assertEqual(fourth.level_id, self.level_a)
        self.assertTrue(fourth.quota_exceeded)
        self.assertEqual(fourth.quota_reason, "Phòng hoàn thành xuất sắc đợt cao điểm")
        self.assertIn("40%", fourth.quota_figures)
        self.assertTrue(fourth.message_ids.filtered(lambda m: "Decided above the quota" in (m.body or "")))
        self.env.cr.precommit.run()  # tracking values are written at commit
        tracked = fourth.message_ids.tracking_value_ids.filtered(lambda t: t.field_id.name == "quota_reason")
        self.assertTrue(tracked)

        # HR officers see every breach of the period, with the live figures
        period = self.period.with_user(self.user_officer)
        self.assertEqual(period.quota_breach_count, 1)
        action = period.action_view_quota_breaches()
        self.assertEqual(self.Evaluation.with_user(self.user_officer).search(action["domain"]), fourth)
        self.assertIn("table-danger", period.quota_check_html)
        self.assertIn("4 A of 10 evaluated", period.quota_check_html)

        # over RPC the reason goes as a keyword
        fifth = self._at_decision(self.extra[4], POINTS_A)
        fifth.with_user(self.user_head).action_approve(quota_reason="Sáng kiến cấp thành phố")
        self.assertEqual(fifth.quota_reason, "Sáng kiến cấp thành phố")
        self.assertEqual(self.period.quota_breach_count, 2)
        # a level without quota, or below it, is never held
        sixth = self._at_decision(self.extra[5], POINTS_B)
        self.assertIs(sixth.with_user(self.user_head).action_approve_check(), True)  # no wizard
        self.assertEqual(sixth.state, "done")
        self.assertEqual(sixth.level_id.code, "B")
        self.assertFalse(sixth.quota_exceeded)

    def test_not_evaluated_left_out(self):
        # two sheets closed as not evaluated: 8 evaluated, 2 A allowed
        (self._sheet(self.period, self.extra[4]) | self._sheet(self.period, self.extra[5])).sudo().write(
            {"not_evaluated": True}
        )
        self._decided(self.extra[0], POINTS_A)
        self._decided(self.extra[1], POINTS_A)
        third = self._at_decision(self.extra[2], POINTS_A)
        with self.assertRaisesRegex(UserError, re.escape("3 A of 8 evaluated")):
            third.with_user(self.user_head).action_approve()

    def test_non_decision_steps_are_not_held(self):
        for employee in self.extra[:3]:
            self._decided(employee, POINTS_A)
        # the direct leader approves a fourth A: only the decision is checked
        sheet = self._sheet(self.period, self.extra[3])
        full = [Command.update(line.id, {"self_points": line.max_points}) for line in sheet.line_ids]
        sheet.sudo().write({"line_ids": full})
        sheet.sudo().action_submit()
        sheet.with_user(self.user_deputy).action_approve()
        self.assertTrue(sheet.current_step_id.is_decision)
        self.assertEqual(sheet.current_reviewer_user_id, self.user_head)

    def test_batch_approve_counts_the_batch(self):
        sheets = self.Evaluation
        for employee in self.extra[:4]:
            sheets |= self._at_decision(employee, POINTS_A)
        batch = sheets.with_user(self.user_head)
        # four A of ten at once: refused as a whole, nothing decided
        with self.assertRaisesRegex(UserError, re.escape("4 A of 10 evaluated")):
            batch.action_approve()
        self.assertEqual(set(sheets.mapped("state")), {"review"})
        # the list's button opens the wizard for the selection
        action = batch.action_approve_check()
        self.assertEqual(action["res_model"], "civ.quota.override.wizard")
        self.assertEqual(action["context"]["default_evaluation_ids"], sheets.ids)
        # three of them fit
        batch[:3].action_approve()
        self.assertEqual(set(sheets[:3].mapped("state")), {"done"})
        self.assertFalse(any(sheets[:3].mapped("quota_exceeded")))
        # the last one, with a reason
        batch[3].action_approve(quota_reason="Lý do đặc biệt")
        self.assertTrue(sheets[3].quota_exceeded)

    def test_batch_with_reason_flags_each_sheet_above_quota(self):
        sheets = self.Evaluation
        for employee in self.extra[:4]:
            sheets |= self._at_decision(employee, POINTS_A)
        other = self._at_decision(self.extra[4], POINTS_B)
        (sheets | other).with_user(self.user_head).action_approve(quota_reason="Cả phòng xuất sắc")
        self.assertEqual(set((sheets | other).mapped("state")), {"done"})
        self.assertEqual(set(sheets.mapped("quota_exceeded")), {True})
        self.assertFalse(other.quota_exceeded)
        self.assertFalse(other.quota_reason)

    def test_company_scope(self):
        # a version of the framework whose quota is on the whole agency: A ≤ 10% of everyone
        framework = self.framework.copy({"name": "Khung theo cơ quan"})
        framework.quota_ids.write({"scope": "company", "max_percent": 10.0})
        framework.action_validate()
        period = self.Period.create(
            {"company_id": self.company.id, "date_start": "2026-06-01", "framework_id": framework.id}
        )
        period.with_user(self.user_officer).action_open()
        self.assertEqual(len(period.evaluation_ids), 12)  # 1 A allowed
        self._decided(self.extra[0], POINTS_A, period)
        # the second A, in another department, is counted with the first
        vice_sheet = self._at_decision(self.vice, POINTS_A, period)
        self.assertNotEqual(vice_sheet.department_id, self.section)
        with self.assertRaisesRegex(UserError, re.escape("2 A of 12 evaluated")):
            vice_sheet.with_user(self.user_chairman).action_approve()
        self.assertIn(self.company.name, period.quota_check_html)

    def test_only_the_reviewer_decides_through_the_wizard(self):
        sheet = self._at_decision(self.extra[0], POINTS_A)
        # the direct leader reviewed the sheet (they can read it) but does not decide it: they cannot
        # even open the wizard, which would show them the figures and who reaches which level
        with self.assertRaises(AccessError):
            self.env["civ.quota.override.wizard"].with_user(self.user_deputy).create(
                {"evaluation_ids": [Command.set(sheet.ids)], "reason": "Tôi muốn"}
            )
        self.assertEqual(sheet.state, "review")
