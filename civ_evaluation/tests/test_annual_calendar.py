from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .annual_common import YEAR, B, CivAnnualCase

REMINDER = "civ_evaluation.mail_activity_type_civ_annual_reminder"


@tagged("post_install", "-at_install", "civ_evaluation", "civ_year")
class TestAnnualCalendar(CivAnnualCase):
    """Issue 12, item 7: the year's classification is due by 15 December (default) or by 15 January
    for agencies whose year closes later (company setting); the preparation and the reminders
    follow that calendar, in Vietnam time."""

    def _run_cron(self):
        self.Result._cron_prepare_year_end(batch=1000)

    def _ours(self):
        return self.Result.search([("company_id", "=", self.company.id), ("year", "=", YEAR)])

    def _reminders(self, user=None):
        domain = [
            ("res_model", "=", "civ.annual.result"),
            ("activity_type_id", "=", self.env.ref(REMINDER).id),
            ("res_id", "in", self._ours().ids),
        ]
        if user:
            domain.append(("user_id", "=", user.id))
        return self.env["mail.activity"].search(domain)

    def test_deadline_setting(self):
        self.assertEqual(self.company.civ_annual_deadline, "12-15")
        self.assertEqual(self.company._civ_annual_deadline_date(YEAR), date(YEAR, 12, 15))
        self.company.civ_annual_deadline = "01-15"
        self.assertEqual(self.company._civ_annual_deadline_date(YEAR), date(YEAR + 1, 1, 15))
        with self.assertRaises(ValidationError):
            self.company.civ_annual_reminder_days = 40
        settings = self.env["res.config.settings"].with_user(self.user_admin).create({})
        self.assertIn(settings.civ_annual_deadline, ("12-15", "01-15"))

    def test_january_deadline_prepares_in_january_for_the_year_before(self):
        self.company.civ_annual_deadline = "01-15"
        self._year(self.staff, B)
        with freeze_time(f"{YEAR}-12-20 10:00:00"):
            self._run_cron()
        self.assertFalse(self._ours(), "not in December for the 15 January deadline")
        # 31 December 17:30 UTC is already 1 January in Vietnam: the year just ended is prepared
        with freeze_time(f"{YEAR}-12-31 17:30:00"):
            self._run_cron()
        self.assertEqual(len(self._ours()), 6)
        self.assertEqual(self.company.civ_annual_prepared_year, YEAR)
        staff = self._ours().filtered(lambda r: r.employee_id == self.staff)
        self.assertEqual(staff.months_evaluated, 12)

    def test_december_deadline_does_not_prepare_in_january(self):
        self._year(self.staff, B)
        with freeze_time(f"{YEAR + 1}-01-05 10:00:00"):
            self._run_cron()
        self.assertFalse(self._ours())

    def test_reminders_before_the_december_deadline(self):
        self.company.civ_annual_reminder_days = 5
        self._year(self.staff, B)
        self._year(self.staff2, B)
        with freeze_time(f"{YEAR}-12-01 10:00:00"):
            self._run_cron()
        self.assertTrue(self._ours())
        self.assertFalse(self._reminders(), "no reminder before 10 December")
        with freeze_time(f"{YEAR}-12-09 16:00:00"):  # 9 December 23:00 in Vietnam
            self._run_cron()
        self.assertFalse(self._reminders())
        with freeze_time(f"{YEAR}-12-10 10:00:00"):
            self._run_cron()
        officer = self._reminders(self.user_officer)
        self.assertEqual(len(officer), 1, "one reminder per person, company and year")
        self.assertEqual(officer.date_deadline, date(YEAR, 12, 15))
        self.assertIn("15/12/2025", officer.summary)
        self.assertIn("submit", officer.summary)
        # the next day: no second reminder
        with freeze_time(f"{YEAR}-12-11 10:00:00"):
            self._run_cron()
        self.assertEqual(len(self._reminders(self.user_officer)), 1)
        # submitted: the head of the agency is reminded to decide
        staff = self._ours().filtered(lambda r: r.employee_id in (self.staff | self.staff2))
        staff.with_user(self.user_officer).action_submit()
        with freeze_time(f"{YEAR}-12-12 10:00:00"):
            self._run_cron()
        head = self._reminders(self.user_chairman)
        self.assertEqual(len(head), 1)
        self.assertIn("2 result(s)", head.summary)
        self.assertIn("decide", head.summary)
        # after the deadline, nothing more
        self._reminders().unlink()
        with freeze_time(f"{YEAR}-12-16 10:00:00"):
            self._run_cron()
        self.assertFalse(self._reminders())

    def test_reminders_follow_the_january_deadline(self):
        self.company.write({"civ_annual_deadline": "01-15", "civ_annual_reminder_days": 3})
        self._year(self.staff, B)
        self._prepare()
        with freeze_time(f"{YEAR}-12-12 10:00:00"):
            self._run_cron()
        self.assertFalse(self._reminders(), "15 December is not this agency's deadline")
        with freeze_time(f"{YEAR + 1}-01-12 10:00:00"):
            self._run_cron()
        reminder = self._reminders(self.user_officer)
        self.assertEqual(reminder.date_deadline, date(YEAR + 1, 1, 15))
        # no reminders when the company sets 0 days
        self._reminders().unlink()
        self.company.civ_annual_reminder_days = 0
        with freeze_time(f"{YEAR + 1}-01-13 10:00:00"):
            self._run_cron()
        self.assertFalse(self._reminders())

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
