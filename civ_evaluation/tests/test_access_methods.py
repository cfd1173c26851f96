"""The holes found by trying the addon from outside as its users would (issue "Trust"): each test calls
the method the way an attacker with an XML-RPC client would, as a real user of the demo-like district."""

import base64
from datetime import date, datetime

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import OFFICER, level_of, make_company, make_department, make_user
from .cycle_common import CivCycleCase


@tagged("post_install", "-at_install", "civ_evaluation")
class TestTrust(CivCycleCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.period = cls._open_period()
        cls.other_company = make_company(cls.env, "UBND huyện Khác")
        cls.other_officer = make_user(
            cls.env, "canbo_khac_t", cls.other_company, OFFICER, name="Cán bộ huyện khác"
        )

    def _decide(self, sheet):
        owner = sheet.user_id
        self._set_points(sheet, owner, "self_points", self.SELF_90)
        sheet.with_user(owner).action_submit()
        while sheet.state == "review":
            sheet.with_user(sheet.current_reviewer_user_id).action_approve()
        self.assertEqual(sheet.state, "done")

    # 1. cron entry points
    def test_cron_entry_points_are_private_and_for_the_scheduler(self):
        Period = self.env["civ.period"]
        for name in ("civ_cron_open_periods", "civ_cron_lock_periods", "civ_cron_send_reminders"):
            self.assertFalse(hasattr(Period, name), name)
        for name in ("_cron_open_periods", "_cron_lock_periods", "_cron_send_reminders"):
            with self.assertRaises(AccessError):
                getattr(Period.with_user(self.user_staff), name)()
        with self.assertRaises(AccessError):
            self.env["civ.annual.result"].with_user(self.user_officer)._cron_prepare_year_end()
        # what `nhanvien` did with today='2099-01-01' is no longer possible: the month stays open
        self.assertEqual(self.period.state, "open")

    # 2. every public action checks access first
    def test_officer_cannot_lock_sheets_of_a_company_they_cannot_read(self):
        sheet = self._sheet(self.period, self.staff)
        with self.assertRaises(AccessError):
            sheet.with_user(self.other_officer).action_lock()
        with self.assertRaises(AccessError):
            self.period.with_user(self.other_officer).action_lock()
        with self.assertRaises(AccessError):
            self.period.with_user(self.user_staff).action_lock()
        self.assertEqual(sheet.state, "draft")
        self.assertEqual(self.period.state, "open")

    # 3. appeals cannot be forged through default_* context keys
    def test_appeal_defaults_from_the_context_are_ignored(self):
        sheet = self._sheet(self.period, self.staff)
        self._decide(sheet)
        forged = (
            self.env["civ.appeal"]
            .with_user(self.user_staff)
            .with_context(
                default_state="accepted",
                default_decided_by=self.user_staff.id,
                default_decision_note="Tự duyệt",
                default_closed_at_lock=True,
                default_reviewer_user_id=self.user_staff.id,
            )
            .create({"evaluation_id": sheet.id, "reason": "Xin xem lại"})
        )
        self.assertEqual(forged.state, "open")
        self.assertFalse(forged.decided_by)
        self.assertFalse(forged.decision_note)
        self.assertFalse(forged.closed_at_lock)
        self.assertEqual(forged.reviewer_user_id, self.user_head)
        # and the employee cannot decide it themself
        with self.assertRaises(AccessError):
            forged.with_user(self.user_staff).action_accept("ok")
        with self.assertRaises(AccessError):
            forged.with_user(self.user_staff).write({"state": "accepted"})

    def test_annual_appeal_defaults_from_the_context_are_ignored(self):
        level_b = level_of(self.framework, "B")
        result = (
            self.env["civ.annual.result"]
            .sudo()
            .create(
                {
                    "employee_id": self.staff.id,
                    "company_id": self.company.id,
                    "year": 2025,
                    "framework_id": self.framework.id,
                    "level_id": level_b.id,
                    "proposed_level_id": level_b.id,
                    "state": "done",
                }
            )
        )
        appeal = (
            self.env["civ.annual.appeal"]
            .with_user(self.user_staff)
            .with_context(
                default_state="accepted",
                default_decided_by_id=self.user_staff.id,
                default_decision_note="Tự duyệt",
            )
            .create({"result_id": result.id, "reason": "Xin xem lại cả năm"})
        )
        self.assertEqual(appeal.state, "open")
        self.assertFalse(appeal.decided_by_id)
        self.assertFalse(appeal.decision_note)
        self.assertEqual(result.state, "done")
        with self.assertRaises(AccessError):
            self.env["civ.annual.appeal"].with_user(self.user_staff).create(
                {"result_id": result.id, "reason": "x", "state": "accepted"}
            )
        with self.assertRaises(AccessError):
            appeal.with_user(self.user_staff).action_accept("tự chấp nhận")

    def test_a_period_is_created_as_a_draft_whatever_the_context(self):
        period = (
            self.env["civ.period"]
            .with_user(self.user_officer)
            .with_context(
                default_state="locked",
                default_date_locked="2026-06-30 00:00:00",
            )
            .create({"company_id": self.company.id, "date_start": date(2026, 6, 1)})
        )
        self.assertEqual(period.state, "draft")
        self.assertFalse(period.date_locked)

    # 4. evidence after the decision
    def _attach(self, sheet, user, name="minh_chung.txt"):
        return (
            self.env["ir.attachment"]
            .with_user(user)
            .create(
                {
                    "name": name,
                    "datas": base64.b64encode(b"bang chung"),
                    "res_model": "civ.evaluation",
                    "res_id": sheet.id,
                }
            )
        )

    def test_evidence_is_frozen_after_submission(self):
        sheet = self._sheet(self.period, self.staff)
        evidence = self._attach(sheet, self.user_staff)
        sheet.with_user(self.user_staff).message_post(body="Minh chứng đính kèm")
        self._decide(sheet)
        # the employee can no longer replace, delete or add evidence, nor write in the chatter
        with self.assertRaises(AccessError):
            evidence.with_user(self.user_staff).write({"datas": base64.b64encode(b"khac")})
        with self.assertRaises(AccessError):
            evidence.with_user(self.user_staff).unlink()
        with self.assertRaises(AccessError):
            self._attach(sheet, self.user_staff, "moi.txt")
        with self.assertRaises(AccessError):
            sheet.with_user(self.user_staff).message_post(body="Sửa lại minh chứng")
        # past reviewers neither
        for reviewer in (self.user_deputy, self.user_head):
            with self.assertRaises(AccessError):
                evidence.with_user(reviewer).unlink()
            with self.assertRaises(AccessError):
                sheet.with_user(reviewer).message_post(body="Xoá minh chứng")
        self.assertTrue(evidence.exists())
        self.assertEqual(base64.b64decode(evidence.datas), b"bang chung")

    def test_write_follows_the_pending_step(self):
        sheet = self._sheet(self.period, self.staff)
        sheet.with_user(self.user_staff).action_submit()
        # the pending reviewer may attach and comment; the employee and the next reviewer may not
        self._attach(sheet, self.user_deputy, "nhan_xet.txt")
        with self.assertRaises(AccessError):
            self._attach(sheet, self.user_staff)
        with self.assertRaises(AccessError):
            self._attach(sheet, self.user_head)
        sheet.with_user(self.user_deputy).action_approve()
        with self.assertRaises(AccessError):
            self._attach(sheet, self.user_deputy, "sau.txt")
        self._attach(sheet, self.user_head, "quyet_dinh.txt")

    def test_employee_cannot_close_the_reviewers_activity(self):
        sheet = self._sheet(self.period, self.staff)
        sheet.with_user(self.user_staff).action_submit()
        activity = sheet.activity_ids.filtered(lambda act: act.user_id == self.user_deputy)
        self.assertTrue(activity)
        with self.assertRaises(AccessError):
            activity.with_user(self.user_staff).action_feedback(feedback="xong")
        with self.assertRaises(AccessError):
            activity.with_user(self.user_staff).unlink()
        self.assertTrue(activity.exists())

    # 5. leaks through sudo computes and helpers
    def test_quota_figures_are_for_officers(self):
        for fname in ("quota_check_html", "quota_breach_count"):
            with self.assertRaises(AccessError):
                self.period.with_user(self.user_staff).read([fname])
            self.period.with_user(self.user_officer).read([fname])
        self.assertFalse(hasattr(self.env["civ.annual.result"], "quota_status"))

    def test_org_check_only_for_the_officers_companies(self):
        Wizard = self.env["civ.org.check.wizard"]
        with self.assertRaises(AccessError):
            Wizard.with_user(self.other_officer).create({"company_id": self.company.id})
        with self.assertRaises(AccessError):
            Wizard.with_user(self.user_staff).create({"company_id": self.company.id})
        wizard = Wizard.with_user(self.user_officer).create({"company_id": self.company.id})
        self.assertTrue(wizard.line_ids)

    # 6. typed input
    def test_points_of_the_wrong_type_get_a_clear_error(self):
        sheet = self._sheet(self.period, self.staff)
        line = sheet.line_ids.filtered(lambda line: line.criterion_id.code == "2.1")
        for value in ("nhiều", [1], {"a": 1}, True):
            with self.assertRaisesRegex(ValidationError, "must be a number"):
                line.with_user(self.user_staff).write({"self_points": value})
        line.with_user(self.user_staff).write({"self_points": "5"})
        self.assertEqual(line.self_points, 5.0)
        line.with_user(self.user_staff).write({"self_points": "4,5"})
        self.assertEqual(line.self_points, 4.5)
        # bounds are checked on the converted value (the refused write is rolled back, as an RPC
        # call's transaction would be)
        with self.assertRaisesRegex(ValidationError, "between"), self.env.cr.savepoint():
            line.with_user(self.user_staff).write({"self_points": "99"})
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            sheet.with_user(self.user_staff).write(
                {"line_ids": [Command.update(line.id, {"self_points": "36"})]}
            )
        self.env.invalidate_all()
        self.assertEqual(line.self_points, 4.5)
        # a stored value out of bounds is refused whoever writes it
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            line.sudo().write({"final_points": 40})

    # 7. history is not rewritten by deleting master data
    def test_master_data_of_a_locked_month_cannot_be_deleted(self):
        section = make_department(self.env, self.company, "Phòng tạm")
        temp_user, temp = self._person("tam_t", "Nhân viên tạm", section, "Chuyên viên")
        temp.parent_id = self.deputy
        period = self._open_period(date(2026, 7, 1))
        sheet = self._sheet(period, temp)
        period.with_user(self.user_officer).action_lock()
        self.assertEqual(sheet.department_id, section)
        with self.assertRaises(UserError):
            section.unlink()
        # below the application, the database refuses too
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self.env.cr.execute("DELETE FROM hr_department WHERE id = %s", [section.id])
        self.assertEqual(sheet.department_id, section)
        self.assertEqual(sheet.user_id, temp_user)
        fields = self.env["civ.evaluation"]._fields
        for fname in ("department_id", "user_id", "level_id", "framework_id", "employee_id", "period_id"):
            self.assertEqual(fields[fname].ondelete, "restrict", fname)
        step_fields = self.env["civ.review.step"]._fields
        for fname in ("reviewer_user_id", "reviewer_employee_id"):
            self.assertEqual(step_fields[fname].ondelete, "restrict", fname)

    # 8. officers are not HR officers of Odoo
    def test_officers_get_absences_not_private_hr_data(self):
        self.assertFalse(self.user_officer.has_group("hr.group_hr_user"))
        absence = (
            self.env["civ.absence"]
            .with_user(self.user_officer)
            .create(
                {
                    "employee_id": self.staff.id,
                    "date_from": date(2026, 5, 4),
                    "date_to": date(2026, 5, 8),
                    "kind": "sick",
                }
            )
        )
        self.assertEqual(absence.company_id, self.company)
        with self.assertRaises(AccessError):
            self.env["civ.absence"].with_user(self.other_officer).browse(absence.id).read(["kind"])
        with self.assertRaises(AccessError):
            self.env["civ.absence"].with_user(self.user_staff).browse(absence.id).read(["kind"])
        with self.assertRaises(AccessError):
            self.staff.with_user(self.user_officer).read(["private_street"])

    # 9. small ones
    def test_year_end_cron_uses_vietnam_time(self):
        cron = self.env.ref("civ_evaluation.ir_cron_civ_annual_prepare")
        self.assertEqual(cron.user_id, self.env.ref("base.user_root"))
        self.assertTrue(cron.nextcall)
        self.company.civ_annual_prepare_day = 1
        Result = self.env["civ.annual.result"]
        # 30 November 18:00 UTC is already 1 December in Vietnam: the preparation starts
        with freeze_time(datetime(2026, 11, 30, 18, 0)):
            Result._cron_prepare_year_end(batch=50)
        self.assertEqual(self.company.civ_annual_prepared_year, 2026)

    def test_refreshing_a_chain_keeps_the_return_comments(self):
        sheet = self._sheet(self.period, self.staff)
        sheet.with_user(self.user_staff).action_submit()
        sheet.with_user(self.user_deputy).action_return("Thiếu minh chứng tiêu chí 2.1")
        sheet.with_user(self.user_officer).action_refresh_chain()
        self.assertTrue(all(step.state == "waiting" for step in sheet.step_ids))
        history = sheet.message_ids.filtered(lambda message: "Review chain refreshed" in (message.body or ""))
        self.assertIn("Thiếu minh chứng tiêu chí 2.1", history.body)
        self.assertEqual(sheet.return_reason, "Thiếu minh chứng tiêu chí 2.1")

    def test_indexes(self):
        self.env.cr.execute("""
            SELECT tablename || '.' || indexdef FROM pg_indexes
             WHERE tablename IN ('civ_evaluation', 'civ_evaluation_line', 'civ_review_step')
        """)
        indexes = " ".join(row[0] for row in self.env.cr.fetchall())
        for table, column in [
            ("civ_evaluation", "framework_id"),
            ("civ_evaluation", "current_step_id"),
            ("civ_evaluation_line", "criterion_id"),
            ("civ_review_step", "policy_step_id"),
        ]:
            self.assertRegex(
                indexes, rf"{table}\.CREATE INDEX \S+ ON public\.{table} USING btree \({column}\)"
            )
