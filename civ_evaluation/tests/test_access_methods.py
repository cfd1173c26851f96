"""Who may call which method: each test calls the public methods the way a user with an XML-RPC
client would (the scheduled actions, the actions of another company, forged defaults of the context,
the reviewer's activity, the officers' figures, points of the wrong type, private HR data), as a real
user of the demo-like district. The same over the real JSON-RPC endpoint: test_access_rpc.py."""

from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import OFFICER, level_of, make_company, make_user
from .cycle_common import CivCycleCase


@tagged("post_install", "-at_install", "civ_evaluation", "civ_access")
class TestAccessMethods(CivCycleCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.period = cls._open_period()
        cls.other_company = make_company(cls.env, "UBND huyện Khác")
        cls.other_officer = make_user(
            cls.env, "canbo_khac_t", cls.other_company, OFFICER, name="Cán bộ huyện khác"
        )

    # cron entry points
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

    # every public action checks access first
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

    # appeals cannot be forged through default_* context keys
    def test_appeal_defaults_from_the_context_are_ignored(self):
        sheet = self._sheet(self.period, self.staff)
        self._decide_sheet(sheet)
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

    # leaks through sudo computes and helpers
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

    # typed input
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

    # officers are not HR officers of Odoo
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
