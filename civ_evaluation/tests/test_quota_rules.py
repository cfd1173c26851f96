"""Quotas as the decrees write them (issue 12): ND 335 counts "Hoàn thành xuất sắc" over those graded
"Hoàn thành tốt" only, in the agency and in each group of similar duties; Hà Nội 3814 counts over the
agency with a higher share for an outstanding unit; decisions taken at the lock pass the same quota
service; every screen and file shows the same figures."""

import html
import re

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import MAY, add_quotas, make_employees, read_workbook
from .cycle_common import CivCycleCase

POINTS_A = {"1.1": 10, "1.2": 10, "2.1": 33, "2.2": 32, "3.1": 5}  # 90
POINTS_A95 = {"1.1": 10, "1.2": 10, "2.1": 35, "2.2": 35, "3.1": 5}  # 95
POINTS_B = {"1.1": 10, "1.2": 10, "2.1": 30, "2.2": 30}  # 80


@tagged("post_install", "-at_install", "civ_evaluation", "civ_cycle")
class TestQuotaRules(CivCycleCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.level = {level.code: level for level in cls.framework.level_ids}
        # 16 more people in the section: 22 sheets in the period
        cls.extra = make_employees(
            cls.env,
            cls.company,
            [f"Chuyên viên {index + 1:02d}" for index in range(16)],
            department=cls.section,
            manager=cls.deputy,
        )

    # ------------------------------------------------------------------ helpers
    def _framework(self, *quotas, name="Khung thử"):
        """A validated copy of the test framework with these quotas only."""
        framework = self.framework.copy({"name": name})
        framework.quota_ids.unlink()
        add_quotas(framework, quotas)
        framework.action_validate()
        return framework

    def _period(self, framework, month=MAY):
        period = self.Period.create(
            {"company_id": self.company.id, "date_start": month, "framework_id": framework.id}
        )
        period.with_user(self.user_officer).action_open()
        return period

    def _set_levels(self, period, employees, code):
        """Sheets decided at a level without going through the chain (set-up only)."""
        level = period.framework_id.level_ids.filtered(lambda lv: lv.code == code)
        sheets = self.Evaluation.search([("period_id", "=", period.id), ("employee_id", "in", employees.ids)])
        sheets.sudo().write(
            {
                "state": "done",
                "level_id": level.id,
                "final_score": level.min_score,
                "date_decided": fields.Datetime.now(),
            }
        )
        return sheets

    @staticmethod
    def _table(period):
        """The period form's quota table, as text."""
        return html.unescape(str(period.quota_check_html))

    def _at_decision(self, period, employee, points):
        sheet = self._sheet(period, employee)
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

    def _decide(self, period, employee, points, reason=None):
        sheet = self._at_decision(period, employee, points)
        sheet.with_user(sheet.current_reviewer_user_id).action_approve(quota_reason=reason)
        self.assertEqual(sheet.state, "done")
        return sheet

    ND335 = {"level_id": "A", "basis": "level_exact", "basis_level_id": "B", "max_percent": 20.0}

    # ------------------------------------------------------------------ ND 335
    def test_nd335_ten_b_three_a(self):
        period = self._period(self._framework(dict(self.ND335, scope="company")))
        self._set_levels(period, self.extra[:10], "B")
        first = self._decide(period, self.extra[10], POINTS_A)
        second = self._decide(period, self.extra[11], POINTS_A)
        self.assertFalse(first.quota_exceeded or second.quota_exceeded)
        # the third A: 3 of the 10 graded B = 30% > 20% (2 allowed), not 3 of the 13 graded B or above
        third = self._at_decision(period, self.extra[12], POINTS_A)
        with self.assertRaisesRegex(
            UserError, re.escape("3 A of 10 graded B = 30% > 20% (at most 2 allowed)")
        ):
            third.with_user(self.user_head).action_approve()
        self.assertEqual(third.state, "review")
        third.with_user(self.user_head).action_approve(quota_reason="Sáng kiến được thành phố công nhận")
        self.assertTrue(third.quota_exceeded)
        self.assertIn("UBND quận Thử Nghiệm: 3 A of 10 graded B", third.quota_figures)
        # a B decided afterwards raises the basis: 3 A of 11 B, still 2 allowed
        self._decide(period, self.extra[13], POINTS_B)
        self.assertIn("3 A of 11 graded B = 27.3% > 20% (at most 2 allowed)", self._table(period))

    def test_caps_refuse_the_third_a_of_ten_b(self):
        # Decree 335: "không vượt quá", the company default: no reason lifts the cap
        self.company.civ_quota_mode = "block"
        self.assertEqual(self.env["res.company"].create({"name": "UBND phường Mới"}).civ_quota_mode, "block")
        period = self._period(self._framework(dict(self.ND335, scope="company")))
        self._set_levels(period, self.extra[:10], "B")
        self._decide(period, self.extra[10], POINTS_A)
        self._decide(period, self.extra[11], POINTS_A)
        third = self._at_decision(period, self.extra[12], POINTS_A)
        for reason in (None, "Sáng kiến được thành phố công nhận"):
            with self.assertRaisesRegex(UserError, r"caps(.|\n)*3 A of 10 graded B = 30% > 20% \(at most 2"):
                third.with_user(self.user_head).action_approve(quota_reason=reason)
        # the button refuses too, without asking for a reason
        with self.assertRaisesRegex(UserError, "caps"):
            third.with_user(self.user_head).action_approve_check()
        self.assertEqual(third.state, "review")
        self.assertFalse(third.quota_exceeded)
        # a lower level passes
        points_b = {"1.1": 10, "1.2": 10, "2.1": 30, "2.2": 30}
        third.sudo().write(
            {
                "line_ids": [
                    Command.update(line.id, {"reviewer_points": points_b.get(line.criterion_id.code, 0.0)})
                    for line in third.line_ids
                ]
            }
        )
        third.with_user(self.user_head).action_approve()
        self.assertEqual((third.state, third.level_id.code), ("done", "B"))

    def test_outstanding_unit_lifts_the_cap_to_its_percentage(self):
        self.company.civ_quota_mode = "block"
        period = self._period(
            self._framework(dict(self.ND335, scope="company", exceptional_max_percent=25.0))
        )
        period.with_user(self.user_officer).write(
            {"exceptional_unit": True, "exceptional_reason": "UBND thành phố công nhận đơn vị xuất sắc"}
        )
        # 12 B: 25% of 12 = 3 A pass, the fourth is refused
        self._set_levels(period, self.extra[:12], "B")
        for employee in self.extra[12:15]:
            self._decide(period, employee, POINTS_A)
        fourth = self._at_decision(period, self.extra[15], POINTS_A)
        with self.assertRaisesRegex(
            UserError, re.escape("4 A of 12 graded B = 33.3% > 25% (at most 3 allowed)")
        ):
            fourth.with_user(self.user_head).action_approve(quota_reason="Thành tích đột xuất")
        self.assertEqual(fourth.state, "review")

    def test_the_lock_never_exceeds_a_cap(self):
        # "record" keeps a level above a quota only where quotas may be exceeded with a reason
        self.company.write({"civ_quota_mode": "block", "civ_quota_at_lock": "record"})
        period, high, low = self._lock_setup()
        period.with_user(self.user_officer).action_lock()
        self.assertEqual(len(period.evaluation_ids.filtered(lambda s: s.level_id.code == "A")), 6)
        for sheet in low:
            self.assertEqual(sheet.level_id.code, "B")
            self.assertIn("Capped at the lock from A to B", sheet.level_reason)
            self.assertFalse(sheet.quota_exceeded)
        self.assertEqual(period.quota_breach_count, 0)

    def test_duty_groups_counted_separately(self):
        Group = self.env["civ.duty.group"]
        legal = Group.create({"name": "Pháp chế", "company_id": self.company.id})
        finance = Group.create({"name": "Tài chính - Kế toán", "company_id": self.company.id})
        # the group of a job position, and one set on an employee
        job = self.env["hr.job"].create(
            {"name": "Chuyên viên pháp chế", "company_id": self.company.id, "civ_duty_group_id": legal.id}
        )
        self.extra[:7].write({"job_id": job.id})
        self.extra[7:13].write({"civ_duty_group_override_id": finance.id})
        self.assertEqual(self.extra[0].civ_duty_group_id, legal)
        self.assertEqual(self.extra[7].civ_duty_group_id, finance)
        framework = self._framework(dict(self.ND335, scope="company"), dict(self.ND335, scope="duty_group"))
        period = self._period(framework)
        self.assertEqual(self._sheet(period, self.extra[0]).duty_group_id, legal)
        self.assertEqual(self._sheet(period, self.extra[7]).duty_group_id, finance)
        self.assertFalse(self._sheet(period, self.extra[13]).duty_group_id)
        # 5 B in each group, 9 B without a group: 19 B in the agency (3 A allowed), 1 A per group
        others = self.chairman | self.vice | self.head | self.deputy | self.staff | self.staff2
        self._set_levels(period, self.extra[:5] | self.extra[7:12] | self.extra[13:] | others, "B")
        self._decide(period, self.extra[5], POINTS_A)  # legal: 1 A of 5 B
        self._decide(period, self.extra[12], POINTS_A)  # finance: 1 A of 5 B
        # a second A in the legal group: 2 A of 5 B there (1 allowed), although the agency has
        # 3 A of 19 B (3 allowed)
        sheet = self._at_decision(period, self.extra[6], POINTS_A)
        with self.assertRaises(UserError) as caught:
            sheet.with_user(self.user_head).action_approve()
        message = str(caught.exception)
        self.assertIn("Group Pháp chế: 2 A of 5 graded B = 40% > 20% (at most 1 allowed)", message)
        self.assertNotIn("Tài chính", message)
        self.assertNotIn("UBND quận Thử Nghiệm:", message)
        level_a = framework.level_ids.filtered(lambda lv: lv.code == "A")
        results = dict(self.env["civ.quota.service"]._period_check(period, {sheet.id: level_a}))
        figures = {key: (r["count"], r["basis"], r["allowed"], r["exceeded"]) for key, r in results.items()}
        self.assertEqual(
            figures,
            {
                ("company", None): (3, 19, 3, False),
                ("duty_group", legal.id): (2, 5, 1, True),
                ("duty_group", finance.id): (1, 5, 1, False),
            },
        )
        # the period form lists each group on its own row
        table = self._table(period)
        self.assertIn("Group Pháp chế", table)
        self.assertIn("Group Tài chính - Kế toán", table)

    # ------------------------------------------------------------------ Hà Nội 3814
    def test_3814_agency_and_outstanding_unit(self):
        framework = self._framework(
            {
                "level_id": "A",
                "basis": "evaluated",
                "max_percent": 30.0,
                "exceptional_max_percent": 40.0,
                "scope": "company",
            }
        )
        period = self._period(framework)
        self.assertEqual(len(period.evaluation_ids), 22)  # 30%: 6 A allowed; 40%: 8
        # the A are spread over two departments: the agency counts them together
        self._set_levels(period, self.extra[:5], "A")
        self._set_levels(period, self.extra[5:14], "B")
        vice = self._decide(period, self.vice, POINTS_A)  # leadership unit: 6 A of 22
        self.assertNotEqual(vice.department_id, self.section)
        self.assertFalse(vice.quota_exceeded)
        seventh = self._at_decision(period, self.extra[14], POINTS_A)
        with self.assertRaisesRegex(
            UserError, re.escape("7 A of 22 evaluated = 31.8% > 30% (at most 6 allowed)")
        ):
            seventh.with_user(self.user_head).action_approve()

        # only officers flag the unit, and only with a reason
        with self.assertRaises(UserError):  # AccessError is a UserError
            period.with_user(self.user_head).write(
                {"exceptional_unit": True, "exceptional_reason": "Tự nhận"}
            )
        with self.assertRaises(UserError):
            period.with_user(self.user_officer).write({"exceptional_unit": True})
        period.with_user(self.user_officer).write(
            {
                "exceptional_unit": True,
                "exceptional_reason": "UBND thành phố công nhận hoàn thành xuất sắc nhiệm vụ tháng 5",
            }
        )
        self.assertIn("Outstanding unit", self._table(period))
        seventh.with_user(self.user_head).action_approve()  # 7 of 22 <= 40% (8 allowed)
        self.assertFalse(seventh.quota_exceeded)
        self._decide(period, self.extra[15], POINTS_A)  # the 8th
        ninth = self._at_decision(period, self.staff, POINTS_A)
        with self.assertRaisesRegex(
            UserError, re.escape("9 A of 22 evaluated = 40.9% > 40% (at most 8 allowed)")
        ):
            ninth.with_user(self.user_head).action_approve()
        self.env.cr.precommit.run()
        tracked = period.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name in ("exceptional_unit", "exceptional_reason")
        )
        self.assertEqual(len(tracked), 2)

    # ------------------------------------------------------------------ at the lock
    def _lock_setup(self):
        framework = self._framework(
            {"level_id": "A", "basis": "evaluated", "max_percent": 30.0, "scope": "company"}
        )
        period = self._period(framework)
        # 22 evaluated: 6 A allowed; 4 A decided by reviewers, 4 A waiting at the decision step
        self._set_levels(period, self.extra[:4], "A")
        self._set_levels(period, self.extra[4:12], "B")
        high = [self._at_decision(period, employee, POINTS_A95) for employee in self.extra[12:14]]
        low = [self._at_decision(period, employee, POINTS_A) for employee in self.extra[14:16]]
        # the others submitted B points and wait too
        others = self.chairman | self.vice | self.head | self.deputy | self.staff | self.staff2
        self._set_levels(period, others, "B")
        return period, high, low

    def test_lock_caps_decisions_above_quota(self):
        self.assertEqual(self.company.civ_quota_at_lock, "cap")
        period, high, low = self._lock_setup()
        period.with_user(self.user_officer).action_lock()
        sheets = period.evaluation_ids
        self.assertEqual(len(sheets.filtered(lambda s: s.level_id.code == "A")), 6)
        for sheet in high:
            self.assertEqual((sheet.level_id.code, sheet.final_score), ("A", 95.0))
            self.assertFalse(sheet.level_reason)
        # the lowest scores are capped to B, with the reason on the sheet
        for sheet in low:
            self.assertEqual((sheet.level_id.code, sheet.final_score), ("B", 90.0))
            self.assertTrue(sheet.decided_at_deadline)
            self.assertIn("Capped at the lock from A to B", sheet.level_reason)
            self.assertIn("8 A of 22 evaluated", sheet.level_reason)
            self.assertFalse(sheet.quota_exceeded)
        # the period's figures agree: within the quota
        self.assertIn("6 A of 22 evaluated = 27.3% ≤ 30%", self._table(period))

    def test_lock_records_breach_when_configured(self):
        self.company.civ_quota_at_lock = "record"
        period, high, low = self._lock_setup()
        period.with_user(self.user_officer).action_lock()
        for sheet in high + low:
            self.assertEqual(sheet.level_id.code, "A")
            self.assertTrue(sheet.quota_exceeded)
            self.assertIn("Decided at the lock date", sheet.quota_reason)
            self.assertIn("8 A of 22 evaluated = 36.4% > 30%", sheet.quota_figures)
        self.assertEqual(period.quota_breach_count, 4)

    # ------------------------------------------------------------------ one service
    def test_same_figures_everywhere(self):
        framework = self._framework(
            {"level_id": "A", "basis": "evaluated", "max_percent": 30.0, "scope": "department"},
            dict(self.ND335, scope="company"),
        )
        period = self._period(framework)
        # the section: 2 A and 3 B decided, the rest still to decide (counted as evaluated)
        self._set_levels(period, self.extra[:2], "A")
        self._set_levels(period, self.extra[2:5], "B")
        sheet = self._at_decision(period, self.extra[5], POINTS_A)
        # the decision: what the reviewer is told
        level_a = framework.level_ids.filtered(lambda lv: lv.code == "A")
        breaches = self.env["civ.quota.service"]._sheet_breaches(sheet, {sheet.id: level_a})[sheet.id]
        self.assertEqual(
            breaches, ["UBND quận Thử Nghiệm: 3 A of 3 graded B = 100% > 20% (at most 0 allowed)"]
        )
        wizard = Form(
            self.env["civ.quota.override.wizard"]
            .with_user(self.user_head)
            .with_context(default_evaluation_ids=sheet.ids)
        )
        self.assertEqual(wizard.figures, f"- {breaches[0]} ({self.extra[5].name})")
        wizard.reason = "Đột xuất"
        wizard.save().action_confirm()
        # the period form: the same figures, per scope
        checks = self.env["civ.quota.service"]._period_check(period)
        messages = {
            self.env["civ.quota.service"]._scope_name(period.company_id, key): result["message"]
            for key, result in checks
        }
        self.assertEqual(
            messages,
            {
                "UBND quận Thử Nghiệm": "3 A of 3 graded B = 100% > 20% (at most 0 allowed)",
                "Phòng Nội vụ": "3 A of 20 evaluated = 15% ≤ 30% (at most 6 allowed)",
                "Thường trực UBND": "0 A of 2 evaluated = 0% ≤ 30% (at most 0 allowed)",
            },
        )
        table = self._table(period)
        for message in messages.values():
            self.assertIn(message, table)
        self.assertIn(breaches[0].split(": ", 1)[1], table)
        # the aggregate Excel: the same figures on the agency row and the department rows
        wizard = (
            self.env["civ.export.wizard"]
            .with_user(self.user_officer)
            .create({"report_kind": "aggregate", "period_ids": [Command.set(period.ids)]})
        )
        wizard.action_export()
        ws = read_workbook(wizard.attachment_id).active
        rows = {row[1]: row for row in ws.iter_rows(values_only=True) if row[1]}
        self.assertEqual(rows["UBND QUẬN THỬ NGHIỆM"][14], "Vượt tỷ lệ: " + messages["UBND quận Thử Nghiệm"])
        self.assertEqual(rows["Phòng Nội vụ"][14], "Đạt: " + messages["Phòng Nội vụ"])
        self.assertEqual(rows["Thường trực UBND"][14], "Đạt: " + messages["Thường trực UBND"])
