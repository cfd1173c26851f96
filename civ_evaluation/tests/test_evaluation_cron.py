from datetime import date

from odoo.tests import tagged

from .common import MAY, make_company, make_employee
from .cycle_common import CivCycleCase

# the test company keeps the default calendar: opening day 20, deadlines on the 3rd (self-assessment),
# 5th (review), 7th (decision) of the next month, locked after the 10th; reminders 1 day before
OPENING_DAY = date(2026, 5, 20)


@tagged("post_install", "-at_install", "civ_evaluation", "civ_cycle")
class TestEvaluationCron(CivCycleCase):
    """The scheduled actions of the month, each called directly with a fixed day."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reminder_type = cls.env.ref("civ_evaluation.mail_activity_type_civ_reminder")
        cls.people = cls.chairman | cls.vice | cls.head | cls.deputy | cls.staff | cls.staff2

    def _month_period(self, month=MAY, company=None):
        return self.Period.search(
            [("company_id", "=", (company or self.company).id), ("date_start", "=", month)]
        )

    def _cron_open(self, today, **kwargs):
        return self.Period._civ_open_periods(today=today, companies=self.company, **kwargs)

    def _reminders(self, sheets):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "civ.evaluation"),
                ("res_id", "in", sheets.ids),
                ("activity_type_id", "=", self.reminder_type.id),
            ]
        )

    def _mails_to(self, users, subject="Nhắc việc"):
        return self.env["mail.mail"].search(
            [("recipient_ids", "in", users.partner_id.ids), ("subject", "like", subject)]
        )

    def _progress(self):
        cron = self.env.ref("civ_evaluation.ir_cron_civ_open_periods")
        return self.env["ir.cron.progress"].create({"cron_id": cron.id, "done": 0, "remaining": 0})

    # ------------------------------------------------------------------ open periods
    def test_open_waits_for_the_opening_day(self):
        self.assertEqual(self._cron_open(date(2026, 5, 19)), 0)
        self.assertFalse(self._month_period())

    def test_open_on_the_opening_day_creates_and_opens(self):
        self._cron_open(OPENING_DAY)
        period = self._month_period()
        self.assertEqual(len(period), 1)
        self.assertEqual(period.state, "open")
        self.assertEqual(period.framework_id, self.framework)
        dates = self.company._civ_period_dates(OPENING_DAY)
        for fname, value in dates.items():
            self.assertEqual(period[fname], value, fname)
        self.assertEqual(period.evaluation_ids.employee_id, self.people)
        self.assertEqual(len(self._sheet(period, self.staff).line_ids), 6)

        # run again (same day or later in the month): nothing new ...
        self.assertEqual(self._cron_open(OPENING_DAY), 0)
        self.assertEqual(self._cron_open(date(2026, 5, 28)), 0)
        self.assertEqual(self._month_period(), period)
        self.assertEqual(len(period.evaluation_ids), 6)
        # ... except the new hires
        _user, newcomer = self._person("moi_cron_t", "Ngô Văn Mới", self.section, "Chuyên viên")
        newcomer.parent_id = self.deputy
        self._cron_open(date(2026, 5, 28))
        self.assertEqual(len(period.evaluation_ids), 7)
        self.assertEqual(self._sheet(period, newcomer).step_ids.reviewer_employee_id, self.deputy | self.head)

    def test_open_in_batches_reports_progress(self):
        progress = self._progress()
        Period = self.Period.with_context(ir_cron_progress_id=progress.id)
        left = Period._civ_open_periods(today=OPENING_DAY, batch_size=4, companies=self.company)
        period = self._month_period()
        self.assertEqual(left, 2)
        self.assertEqual((progress.done, progress.remaining), (4, 2))
        self.assertEqual(period.state, "open")
        self.assertEqual(len(period.evaluation_ids), 4)
        # the cron calls again while work is left
        left = Period._civ_open_periods(today=OPENING_DAY, batch_size=4, companies=self.company)
        self.assertEqual(left, 0)
        self.assertEqual((progress.done, progress.remaining), (2, 0))
        self.assertEqual(period.evaluation_ids.employee_id, self.people)

    def test_open_keeps_a_draft_period_and_its_dates(self):
        # an officer prepared the month with other deadlines: the cron opens that period
        period = self.Period.create({"company_id": self.company.id, "date_start": MAY})
        period.self_deadline = date(2026, 6, 2)
        self._cron_open(OPENING_DAY)
        self.assertEqual(self._month_period(), period)
        self.assertEqual(period.state, "open")
        self.assertEqual(period.self_deadline, date(2026, 6, 2))
        self.assertEqual(len(period.evaluation_ids), 6)

    def test_open_framework_fallback(self):
        # no default framework: the company's own usable one
        self.company.civ_framework_id = False
        self._cron_open(OPENING_DAY)
        self.assertEqual(self._month_period().framework_id, self.framework)
        # a company without any framework of its own: the newest usable shared monthly framework
        other = make_company(self.env, "UBND phường Thử")
        make_employee(self.env, other, "Bùi Văn Phường")
        self.Period._civ_open_periods(today=OPENING_DAY, companies=other)
        period = self._month_period(company=other)
        Framework = self.env["civ.framework"]
        shared = Framework.search(
            Framework._usable_domain() + [("company_id", "=", False), ("period_kind", "=", "month")],
            order="id desc",
            limit=1,
        )
        self.assertTrue(shared)
        self.assertEqual(period.framework_id, shared)
        self.assertEqual(len(period.evaluation_ids), 1)
        # a company with nobody to evaluate gets no period
        empty = make_company(self.env, "Công ty trống")
        self.Period._civ_open_periods(today=OPENING_DAY, companies=empty)
        self.assertFalse(self._month_period(company=empty))

    def test_open_every_company(self):
        # the cron as scheduled: every company whose opening day has come
        self.Period._civ_open_periods(today=OPENING_DAY)
        self.assertEqual(self._month_period().evaluation_ids.employee_id, self.people)

    # ------------------------------------------------------------------ reminders
    def test_reminders(self):
        period = self._open_period()
        Period = self.Period.with_context(tz="Asia/Ho_Chi_Minh")
        sheets = period.evaluation_ids
        late = sheets.filtered(lambda sheet: not sheet.chain_problem)
        self.assertGreaterEqual(len(late), 5)

        # not yet: the self-assessment deadline is 3 June, reminders start 1 day before
        self.assertEqual(Period._civ_send_reminders(today=date(2026, 6, 1), companies=self.company), 0)
        self.assertFalse(self._reminders(sheets))

        created = Period._civ_send_reminders(today=date(2026, 6, 2), companies=self.company)
        self.assertEqual(created, len(late))
        reminders = self._reminders(sheets)
        self.assertEqual(len(reminders), len(late))
        for sheet in late:
            activity = reminders.filtered(lambda a, sheet=sheet: a.res_id == sheet.id)
            self.assertEqual(activity.user_id, sheet.user_id)
            self.assertEqual(activity.date_deadline, date(2026, 6, 3))
        # one e-mail per late person, in Vietnamese, linking to their sheet without a hard-coded route
        staff_sheet = self._sheet(period, self.staff)
        mail = self._mails_to(self.user_staff)
        self.assertEqual(len(mail), 1)
        self.assertIn("chưa được gửi", mail.body_html)
        self.assertIn("03/06/2026", mail.body_html)
        self.assertIn("/mail/view?", mail.body_html)
        self.assertIn(f"res_id={staff_sheet.id}", mail.body_html)
        self.assertNotIn("/odoo/", mail.body_html)
        self.assertEqual(mail.recipient_ids, self.user_staff.partner_id)

        # the next day: no second reminder, no second e-mail
        mails_before = self.env["mail.mail"].search_count([("subject", "like", "Nhắc việc")])
        self.assertEqual(Period._civ_send_reminders(today=date(2026, 6, 3), companies=self.company), 0)
        self.assertEqual(len(self._reminders(sheets)), len(late))
        self.assertEqual(self.env["mail.mail"].search_count([("subject", "like", "Nhắc việc")]), mails_before)

        # acting removes one's reminder
        self._set_points(staff_sheet, self.user_staff, "self_points", self.SELF_90)
        staff_sheet.with_user(self.user_staff).action_submit()
        staff2_sheet = self._sheet(period, self.staff2)
        staff2_sheet.with_user(self.user_staff2).action_submit()
        self.assertFalse(self._reminders(staff_sheet | staff2_sheet))

        # before the review deadline (5 June): the direct leader, one e-mail for both sheets
        self.assertEqual(Period._civ_send_reminders(today=date(2026, 6, 4), companies=self.company), 2)
        deputy_reminders = self._reminders(staff_sheet | staff2_sheet)
        self.assertEqual(deputy_reminders.user_id, self.user_deputy)
        self.assertEqual(set(deputy_reminders.mapped("date_deadline")), {date(2026, 6, 5)})
        # (the deputy also got a reminder for their own self-assessment on 2 June)
        self.assertEqual(len(self._mails_to(self.user_deputy, "tự đánh giá")), 1)
        mail = self._mails_to(self.user_deputy, "nhận xét")
        self.assertEqual(len(mail), 1)
        self.assertIn("chờ nhận xét, chấm điểm", mail.body_html)
        self.assertIn(f"res_id={staff_sheet.id}", mail.body_html)
        self.assertIn(f"res_id={staff2_sheet.id}", mail.body_html)
        self.assertIn("Hoàng Văn Viên", mail.body_html)

        # before the decision deadline (7 June): the head, for the sheets at the decision step
        staff_sheet.with_user(self.user_deputy).action_approve()
        self.assertFalse(self._reminders(staff_sheet))
        self.assertEqual(Period._civ_send_reminders(today=date(2026, 6, 6), companies=self.company), 1)
        self.assertEqual(self._reminders(staff_sheet).user_id, self.user_head)
        mail = self._mails_to(self.user_head, "quyết định")
        self.assertEqual(len(mail), 1)
        self.assertIn("chờ quyết định xếp loại", mail.body_html)
        self.assertIn("07/06/2026", mail.body_html)
        # still one deputy reminder for the sheet they have not reviewed, not two
        self.assertEqual(len(self._reminders(staff2_sheet)), 1)
        # HR hands that review to someone else: the deputy's reminder goes with it
        pending = staff2_sheet.current_step_id.with_user(self.user_officer)
        pending.write({"reviewer_employee_id": self.vice.id})
        self.assertEqual(staff2_sheet.current_reviewer_user_id, self.user_vice)
        self.assertFalse(self._reminders(staff2_sheet))

    # ------------------------------------------------------------------ lock periods
    def _prepare_month(self):
        """deputy: decided; staff: waiting for the head's decision; staff2: never submitted."""
        period = self._open_period()
        deputy_sheet = self._sheet(period, self.deputy)
        self._set_points(deputy_sheet, self.user_deputy, "self_points", {"2.1": 30, "1.1": 10})
        deputy_sheet.with_user(self.user_deputy).action_submit()
        deputy_sheet.with_user(self.user_head).action_approve()
        staff_sheet = self._sheet(period, self.staff)
        self._set_points(staff_sheet, self.user_staff, "self_points", self.SELF_90)
        staff_sheet.with_user(self.user_staff).action_submit()
        self._set_points(staff_sheet, self.user_deputy, "reviewer_points", {"2.2": 22})
        staff_sheet.with_user(self.user_deputy).action_approve()
        return period, deputy_sheet, staff_sheet, self._sheet(period, self.staff2)

    def test_lock_after_the_lock_date(self):
        period, deputy_sheet, staff_sheet, staff2_sheet = self._prepare_month()
        self.assertEqual(period.lock_date, date(2026, 6, 10))
        self.Period._civ_lock_periods(today=date(2026, 6, 10), companies=self.company)
        self.assertEqual(period.state, "open")
        self.assertEqual(staff_sheet.state, "review")

        self.Period._civ_lock_periods(today=date(2026, 6, 11), companies=self.company)
        self.assertEqual(period.state, "locked")
        self.assertEqual(set(period.evaluation_ids.mapped("state")), {"locked"})
        # decided before: unchanged
        self.assertEqual(deputy_sheet.pre_lock_state, "done")
        self.assertFalse(deputy_sheet.decided_at_deadline)
        # never submitted: not evaluated, with the reason, no level
        self.assertTrue(staff2_sheet.not_evaluated)
        self.assertTrue(staff2_sheet.not_evaluated_reason)
        self.assertFalse(staff2_sheet.level_id)
        # still in review: decided on the last reviewer's points (company rule), flagged
        self.assertEqual(self.company.civ_undecided_at_lock, "last_reviewer")
        self.assertTrue(staff_sheet.decided_at_deadline)
        self.assertFalse(staff_sheet.not_evaluated)
        self.assertEqual(staff_sheet.final_score, 80.0)
        self.assertEqual(staff_sheet.level_id.code, "B")
        self.assertFalse(staff_sheet.activity_ids)
        # nothing left to do
        left = self.Period._civ_lock_periods(today=date(2026, 6, 12), companies=self.company)
        self.assertEqual(left, 0)

    def test_lock_rules_of_the_company(self):
        self.company.write({"civ_lock_draft_not_evaluated": False, "civ_undecided_at_lock": "not_evaluated"})
        period, _deputy_sheet, staff_sheet, staff2_sheet = self._prepare_month()
        self.Period._civ_lock_periods(today=date(2026, 6, 11), companies=self.company)
        self.assertEqual(period.state, "locked")
        # a draft is decided on its self points (0 here): level D, evaluated
        self.assertFalse(staff2_sheet.not_evaluated)
        self.assertTrue(staff2_sheet.decided_at_deadline)
        self.assertEqual(staff2_sheet.level_id.code, "D")
        # a sheet in review is closed as not evaluated
        self.assertTrue(staff_sheet.not_evaluated)
        self.assertTrue(staff_sheet.not_evaluated_reason)
        self.assertTrue(staff_sheet.decided_at_deadline)

    def test_lock_in_batches(self):
        period, *_sheets = self._prepare_month()
        cron = self.env.ref("civ_evaluation.ir_cron_civ_lock_periods")
        progress = self.env["ir.cron.progress"].create({"cron_id": cron.id})
        Period = self.Period.with_context(ir_cron_progress_id=progress.id)
        left = Period._civ_lock_periods(today=date(2026, 6, 11), batch_size=4, companies=self.company)
        self.assertEqual(left, 3)  # 2 sheets and the period itself
        self.assertEqual((progress.done, progress.remaining), (4, 3))
        self.assertEqual(period.state, "open")
        self.assertEqual(len(period.evaluation_ids.filtered(lambda s: s.state == "locked")), 4)
        self.assertEqual(
            Period._civ_lock_periods(today=date(2026, 6, 11), batch_size=4, companies=self.company), 0
        )
        self.assertEqual(period.state, "locked")
        self.assertEqual(set(period.evaluation_ids.mapped("state")), {"locked"})
        self.assertTrue(self._sheet(period, self.staff2).not_evaluated)

    def test_crons_are_scheduled(self):
        for xmlid, method in [
            ("ir_cron_civ_open_periods", "_cron_open_periods"),
            ("ir_cron_civ_reminders", "_cron_send_reminders"),
            ("ir_cron_civ_lock_periods", "_cron_lock_periods"),
        ]:
            cron = self.env.ref(f"civ_evaluation.{xmlid}")
            self.assertTrue(cron.active)
            self.assertEqual(cron.model_id.model, "civ.period")
            self.assertIn(f"model.{method}()", cron.code)
            self.assertEqual((cron.interval_number, cron.interval_type), (1, "days"))
            self.assertEqual(cron.user_id, self.env.ref("base.user_root"))
        # the scheduled calls work without arguments (today's date)
        self.assertIsInstance(self.Period._cron_send_reminders(), int)
