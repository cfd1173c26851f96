from datetime import date, datetime

from lxml import html
from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger
from odoo.tools.safe_eval import safe_eval

from .common import (
    hcm_20_2024,
    make_company,
    make_employee,
    nd335,
    nd335_quarterly,
    read_workbook,
    sheet_texts,
)
from .cycle_common import CivCycleCase

SCHEDULE_LOGGER = "odoo.addons.civ_evaluation.models.civ_period_schedule"
# the test company keeps the default calendar: opening day 20, deadlines on the 3rd (self-assessment),
# 5th (review), 7th (decision) of the month after the period, locked after the 10th
Q2_START, Q2_END = date(2026, 4, 1), date(2026, 6, 30)


@tagged("post_install", "-at_install", "civ_evaluation", "civ_cycle")
class TestQuarterlyPeriods(CivCycleCase):
    """A company whose framework is quarterly: one period per calendar quarter, opened, reminded
    and locked on the quarter's calendar, combined by the year-end like months."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.monthly = cls.framework
        cls.quarterly = cls.monthly.copy(
            {
                "name": "Khung thử nghiệm theo quý",
                "code": "TEST-Q",
                "period_kind": "quarter",
                "company_id": False,
            }
        )
        cls.quarterly.action_validate()
        cls.company.civ_framework_id = cls.quarterly
        cls.people = cls.chairman | cls.vice | cls.head | cls.deputy | cls.staff | cls.staff2
        cls.reminder_type = cls.env.ref("civ_evaluation.mail_activity_type_civ_reminder")

    def _periods(self, company=None):
        return self.Period.search([("company_id", "=", (company or self.company).id)], order="date_start")

    def _cron_open(self, today):
        return self.Period._civ_open_periods(today=today, companies=self.company)

    # ------------------------------------------------------------------ dates
    def test_quarter_dates_from_the_company_days(self):
        self.company.write({"civ_self_day": 2, "civ_review_day": 4, "civ_decision_day": 5, "civ_lock_day": 8})
        dates = self.company._civ_period_dates(date(2026, 5, 14), "quarter")
        self.assertEqual(
            dates,
            {
                "date_start": Q2_START,
                "date_end": Q2_END,
                "self_deadline": date(2026, 7, 2),
                "review_deadline": date(2026, 7, 4),
                "decision_deadline": date(2026, 7, 5),
                "lock_date": date(2026, 7, 8),
            },
        )
        q4 = self.company._civ_period_dates(date(2026, 11, 30), "quarter")
        self.assertEqual((q4["date_start"], q4["date_end"]), (date(2026, 10, 1), date(2026, 12, 31)))
        self.assertEqual(q4["lock_date"], date(2027, 1, 8))
        q1 = self.company._civ_period_dates(date(2026, 2, 28), "quarter")
        self.assertEqual((q1["date_start"], q1["date_end"]), (date(2026, 1, 1), date(2026, 3, 31)))
        # the monthly calendar is unchanged
        self.assertEqual(self.company._civ_period_dates(date(2026, 5, 14))["date_end"], date(2026, 5, 31))

    def test_manual_period_of_a_quarterly_framework(self):
        period = self.Period.create({"company_id": self.company.id, "date_start": Q2_START})
        self.assertEqual(period.framework_id, self.quarterly)
        self.assertEqual(period.date_end, Q2_END)
        self.assertEqual(period.self_deadline, date(2026, 7, 3))
        self.assertEqual(period.lock_date, date(2026, 7, 10))
        self.assertEqual(period.name, "Quarter 2/2026")
        # a quarterly period covers exactly one calendar quarter ...
        with (
            self.assertRaisesRegex(ValidationError, "one calendar quarter, e.g. 01/07/2026 to 30/09/2026"),
            self.env.cr.savepoint(),
        ):
            self.Period.create({"company_id": self.company.id, "date_start": date(2026, 8, 1)})
        with self.assertRaisesRegex(ValidationError, "one calendar quarter"), self.env.cr.savepoint():
            self.Period.create(
                {"company_id": self.company.id, "date_start": date(2026, 7, 1), "date_end": date(2026, 7, 31)}
            )
        # ... and a monthly one exactly one month
        with (
            self.assertRaisesRegex(ValidationError, "one calendar month, e.g. 01/07/2026 to 31/07/2026"),
            self.env.cr.savepoint(),
        ):
            self.Period.create(
                {
                    "company_id": self.company.id,
                    "framework_id": self.monthly.id,
                    "date_start": date(2026, 7, 1),
                    "date_end": date(2026, 9, 30),
                }
            )
        # the form starts the period on the first day of the quarter
        form = Form(self.Period.with_user(self.user_officer).with_company(self.company))
        form.date_start = date(2026, 11, 14)
        q4 = form.save()
        self.assertEqual(
            (q4.framework_id, q4.date_start, q4.date_end),
            (self.quarterly, date(2026, 10, 1), date(2026, 12, 31)),
        )
        self.assertEqual(q4.lock_date, date(2027, 1, 10))
        # a draft period moved to the monthly framework becomes a month
        period.framework_id = self.monthly
        self.assertEqual((period.date_end, period.lock_date), (date(2026, 4, 30), date(2026, 5, 10)))
        self.assertEqual(period.name, "Month 04/2026")

    def test_periods_of_a_company_never_overlap(self):
        may = self.Period.create(
            {"company_id": self.company.id, "framework_id": self.monthly.id, "date_start": date(2026, 5, 1)}
        )
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.env.cr.savepoint():
            self.Period.create(
                {
                    "company_id": self.company.id,
                    "framework_id": self.monthly.id,
                    "date_start": date(2026, 5, 1),
                }
            )
        # a quarter may share May's days (leaders quarterly, their staff monthly), but nobody gets two
        # sheets for a day: the people of May's sheets have none in the quarter
        may.sudo()._open()
        q2 = self.Period.create({"company_id": self.company.id, "date_start": Q2_START})
        self.assertEqual(q2.framework_id, self.quarterly)
        q2.sudo()._open()
        self.assertFalse(q2.evaluation_ids)
        self.assertEqual(may.evaluation_ids.employee_id, self.people)
        q2.unlink()
        # another company's quarter is no concern
        other = make_company(self.env, "UBND phường Khác")
        self.Period.create(
            {"company_id": other.id, "framework_id": self.quarterly.id, "date_start": Q2_START}
        )
        # the next quarter does not touch May
        q3 = self.Period.create({"company_id": self.company.id, "date_start": date(2026, 7, 1)})
        self.assertEqual(q3.date_end, date(2026, 9, 30))

    # ------------------------------------------------------------------ the opening cron
    def test_cron_opens_one_period_per_quarter(self):
        # not before the opening day of the quarter's first month
        self.assertEqual(self._cron_open(date(2026, 4, 19)), 0)
        self.assertFalse(self._periods())
        self._cron_open(date(2026, 4, 20))
        period = self._periods()
        self.assertEqual(len(period), 1)
        self.assertEqual(period.state, "open")
        self.assertEqual(period.framework_id, self.quarterly)
        self.assertEqual((period.date_start, period.date_end), (Q2_START, Q2_END))
        self.assertEqual(
            (period.self_deadline, period.review_deadline, period.decision_deadline, period.lock_date),
            (date(2026, 7, 3), date(2026, 7, 5), date(2026, 7, 7), date(2026, 7, 10)),
        )
        self.assertEqual(period.name, "Quarter 2/2026")
        self.assertEqual(period.evaluation_ids.employee_id, self.people)
        self.assertEqual(len(period.evaluation_ids), len(self.people))
        self.assertEqual(set(period.evaluation_ids.mapped("framework_id")), {self.quarterly})

        # later in the quarter (the monthly opening days of May and June included): nothing new
        for day in (date(2026, 4, 20), date(2026, 5, 20), date(2026, 6, 20), date(2026, 6, 30)):
            self.assertEqual(self._cron_open(day), 0)
        self.assertEqual(self._periods(), period)
        self.assertEqual(len(period.evaluation_ids), len(self.people))
        # a new hire in the quarter gets their sheet in the quarter's period
        _user, newcomer = self._person("moi_quy_t", "Ngô Văn Mới", self.section, "Chuyên viên")
        newcomer.parent_id = self.deputy
        self._cron_open(date(2026, 5, 28))
        self.assertEqual(len(period.evaluation_ids), len(self.people) + 1)
        self.assertEqual(len(period.evaluation_ids.filtered(lambda sheet: sheet.employee_id == newcomer)), 1)

        # the next quarter waits for the opening day of July
        self._cron_open(date(2026, 7, 19))
        self.assertEqual(self._periods(), period)
        self._cron_open(date(2026, 7, 20))
        q3 = self._periods() - period
        self.assertEqual((q3.date_start, q3.date_end), (date(2026, 7, 1), date(2026, 9, 30)))
        self.assertEqual(q3.name, "Quarter 3/2026")

    def test_cron_opens_a_missed_quarter_in_its_second_or_third_month(self):
        # the scheduler did not run on the opening day of April: the first run in May opens Q2
        self._cron_open(date(2026, 5, 2))
        period = self._periods()
        self.assertEqual((period.date_start, period.date_end), (Q2_START, Q2_END))
        self.assertEqual(period.evaluation_ids.employee_id, self.people)
        # and likewise in the third month
        other = make_company(self.env, "UBND phường Chậm", civ_framework_id=self.quarterly.id)
        make_employee(self.env, other, "Lý Văn Chậm")
        self.Period._civ_open_periods(today=date(2026, 9, 1), companies=other)
        late = self._periods(other)
        self.assertEqual((late.date_start, late.date_end), (date(2026, 7, 1), date(2026, 9, 30)))
        self.assertEqual(len(late.evaluation_ids), 1)

    def test_cron_never_opens_a_quarter_over_a_month(self):
        # the company evaluated May monthly and chose the quarterly framework during May
        self.company.civ_framework_id = self.monthly
        self._cron_open(date(2026, 5, 20))
        may = self._periods()
        self.assertEqual((may.date_start, may.date_end), (date(2026, 5, 1), date(2026, 5, 31)))
        self.company.civ_framework_id = self.quarterly
        # later in May the cron keeps to the May period
        self.assertEqual(self._cron_open(date(2026, 5, 28)), 0)
        self.assertEqual(self._periods(), may)
        # in June the second quarter would overlap May: not created, said in the log
        with self.assertLogs(SCHEDULE_LOGGER, "WARNING") as logs:
            self._cron_open(date(2026, 6, 20))
        self.assertIn("would overlap Month 05/2026", logs.output[0])
        self.assertEqual(self._periods(), may)
        # the third quarter opens normally
        self._cron_open(date(2026, 7, 20))
        q3 = self._periods() - may
        self.assertEqual(
            (q3.date_start, q3.date_end, q3.framework_id),
            (date(2026, 7, 1), date(2026, 9, 30), self.quarterly),
        )

    def test_default_choice_of_a_company_without_framework(self):
        # a shared quarterly framework is used only when the company chooses it
        other = make_company(self.env, "UBND phường Mặc Định")
        frameworks = self.Period._civ_default_frameworks(other)
        self.assertEqual(frameworks[other.id].period_kind, "month")
        self.assertFalse(frameworks[other.id].company_id)
        # its own quarterly framework is used when it has no monthly one of its own
        own = self.quarterly.copy({"name": "Khung riêng theo quý", "code": "OWN-Q", "company_id": other.id})
        own.action_validate()
        self.assertEqual(self.Period._civ_default_frameworks(other)[other.id], own)

    # ------------------------------------------------------------------ reminders and lock
    def test_reminders_and_lock_on_the_quarter_calendar(self):
        self._cron_open(date(2026, 4, 20))
        period = self._periods()
        Period = self.Period.with_context(tz="Asia/Ho_Chi_Minh")
        sheets = period.evaluation_ids
        late = sheets.filtered(lambda sheet: not sheet.chain_problem)
        self.assertGreaterEqual(len(late), 5)

        def reminders():
            return self.env["mail.activity"].search(
                [
                    ("res_model", "=", "civ.evaluation"),
                    ("res_id", "in", sheets.ids),
                    ("activity_type_id", "=", self.reminder_type.id),
                ]
            )

        # the monthly deadlines of May and June are no deadlines of the quarter
        for day in (date(2026, 5, 2), date(2026, 6, 2), date(2026, 7, 1)):
            self.assertEqual(Period._civ_send_reminders(today=day, companies=self.company), 0)
        self.assertFalse(reminders())
        # one day before the quarter's self-assessment deadline (3 July)
        self.assertEqual(
            Period._civ_send_reminders(today=date(2026, 7, 2), companies=self.company), len(late)
        )
        self.assertEqual(set(reminders().mapped("date_deadline")), {date(2026, 7, 3)})
        mail = self.env["mail.mail"].search(
            [("recipient_ids", "in", self.user_staff.partner_id.ids), ("subject", "like", "Nhắc việc")]
        )
        self.assertEqual(len(mail), 1)
        self.assertIn("03/07/2026", mail.body_html)

        # the lock: not at the end of the quarter, nor on the lock day, the day after it
        for day in (date(2026, 6, 30), date(2026, 7, 1), date(2026, 7, 10)):
            Period._civ_lock_periods(today=day, companies=self.company)
            self.assertEqual(period.state, "open", day)
        Period._civ_lock_periods(today=date(2026, 7, 11), companies=self.company)
        self.assertEqual(period.state, "locked")
        self.assertEqual(set(sheets.mapped("state")), {"locked"})
        self.assertTrue(period.seal_hash)
        self.assertFalse(period._integrity_failures())

    # ------------------------------------------------------------------ year-end
    def _quarters(self, year, quarters=(1, 2, 3, 4)):
        Period = self.env["civ.period"].sudo()
        periods = Period.create(
            [
                {
                    "company_id": self.company.id,
                    "framework_id": self.quarterly.id,
                    "date_start": date(year, quarter * 3 - 2, 1),
                }
                for quarter in quarters
            ]
        )
        return {(period.date_start.month - 1) // 3 + 1: period for period in periods}

    def _locked_sheets(self, employee, scores, periods, not_evaluated=()):
        """Locked sheets of `employee`: scores = {key of periods: final score}, as the lock leaves them."""
        vals = []
        for key, score in scores.items():
            period = periods[key]
            skipped = key in not_evaluated
            vals.append(
                {
                    "period_id": period.id,
                    "employee_id": employee.id,
                    "company_id": self.company.id,
                    "framework_id": period.framework_id.id,
                    "state": "locked",
                    "final_score": 0.0 if skipped else score,
                    "level_id": False if skipped else period.framework_id.level_for_score(score).id,
                    "not_evaluated": skipped,
                }
            )
        self.env["civ.evaluation"].sudo().create(vals)
        for key in scores:
            period = periods[key]
            if period.state != "locked":
                period.sudo().write({"state": "locked", "date_locked": datetime(period.date_end.year, 12, 1)})

    def _prepare(self, year):
        results = (
            self.env["civ.annual.result"]
            .with_user(self.user_officer)
            .with_company(self.company)
            .prepare_results(year, self.company)
        )
        return {result.employee_id: result for result in results}

    def test_year_end_combines_quarters_like_months(self):
        quarters = self._quarters(2025)
        levels = {level.code: level for level in self.quarterly.level_ids}
        self._locked_sheets(self.deputy, {1: 92, 2: 92, 3: 80, 4: 60}, quarters)
        self._locked_sheets(self.staff, {1: 80, 2: 92}, quarters)
        self._locked_sheets(self.staff2, {1: 92}, quarters)
        self._locked_sheets(self.head, {1: 95, 2: 95, 3: 95, 4: 0}, quarters, not_evaluated=(4,))
        self.env["civ.absence"].create(
            {
                "employee_id": self.head.id,
                "date_from": date(2025, 10, 1),
                "date_to": date(2025, 12, 31),
                "kind": "sick",
            }
        )
        results = self._prepare(2025)

        # four quarters: the average of the four (81), twelve months evaluated
        deputy = results[self.deputy]
        self.assertEqual((deputy.months_evaluated, deputy.months_worked), (12, 12.0))
        self.assertAlmostEqual(deputy.average_score, 81.0)
        self.assertEqual(deputy.proposed_level_id, levels["B"])
        self.assertIn("Average 81.00 over 12 months", deputy.explanation)
        # two quarters = six months: classified on their average (86)
        staff = results[self.staff]
        self.assertEqual((staff.months_evaluated, staff.months_worked), (6, 6.0))
        self.assertAlmostEqual(staff.average_score, 86.0)
        self.assertFalse(staff.not_classified)
        self.assertEqual(staff.proposed_level_id, levels["B"])
        # one quarter = three months: under the six months worked, not classified
        staff2 = results[self.staff2]
        self.assertEqual((staff2.months_evaluated, staff2.months_worked), (3, 3.0))
        self.assertTrue(staff2.not_classified)
        self.assertFalse(staff2.proposed_level_id)
        self.assertIn("3 months worked (3 months evaluated)", staff2.not_classified_reason)
        # three quarters worked, the fourth absent: classified, capped at C by the absence rule
        head = results[self.head]
        self.assertEqual((head.months_evaluated, head.months_not_evaluated), (9, 3))
        self.assertEqual((head.months_worked, head.absence_months), (9.0, 3.0))
        self.assertAlmostEqual(head.average_score, 95.0)
        self.assertFalse(head.not_classified)
        self.assertEqual(head.proposed_level_id, levels["C"])

    def test_year_end_of_a_year_that_changed_to_quarters(self):
        # January-June monthly, then two quarters: each month of the year counts once, a quarter's
        # points for each of its three months (the average over the time worked)
        months = (
            self.env["civ.period"]
            .sudo()
            .create(
                [
                    {
                        "company_id": self.company.id,
                        "framework_id": self.monthly.id,
                        "date_start": date(2024, month, 1),
                    }
                    for month in range(1, 7)
                ]
            )
        )
        periods = {period.date_start.month: period for period in months}
        quarters = self._quarters(2024, (3, 4))
        periods.update({"Q3": quarters[3], "Q4": quarters[4]})
        self._locked_sheets(self.staff, dict(dict.fromkeys(range(1, 7), 80), Q3=92, Q4=92), periods)
        staff = self._prepare(2024)[self.staff]
        self.assertEqual((staff.months_evaluated, staff.months_worked), (12, 12.0))
        self.assertAlmostEqual(staff.average_score, 86.0)

    # ------------------------------------------------------------------ reports
    def test_reports_name_the_quarter(self):
        self._cron_open(date(2026, 4, 20))
        period = self._periods()
        sheet = self._sheet(period, self.staff)
        level_b = self.quarterly.level_ids.filtered(lambda level: level.code == "B")
        sheet.sudo().write(
            {
                "state": "done",
                "self_score": 83.0,
                "reviewer_score": 83.0,
                "final_score": 83.0,
                "level_id": level_b.id,
                "date_decided": datetime(2026, 7, 6),
            }
        )
        Wizard = self.env["civ.export.wizard"].with_user(self.user_officer)

        def workbook(vals):
            wizard = Wizard.create(vals)
            wizard.action_export()
            return read_workbook(wizard.attachment_id)

        # the unit list: one worksheet for the quarter, titled with it
        wb = workbook({"report_kind": "unit_list", "period_ids": [Command.set(period.ids)]})
        self.assertEqual(wb.sheetnames, ["Q2-2026"])
        texts = set(sheet_texts(wb.active))
        self.assertIn("Quý 2 năm 2026", texts)
        # the year summary: the quarter's result in each of its three months, as the year-end counts it
        wb = workbook({"report_kind": "annual", "year": 2026})
        row = next(
            [cell.value for cell in row] for row in wb.active.iter_rows() if row[1].value == "Hoàng Văn Viên"
        )
        april, july = 4 + 2 * 3, 4 + 2 * 6
        self.assertEqual(row[april : april + 6], [83, "B", 83, "B", 83, "B"])
        self.assertEqual(row[july : july + 2], [None, None])
        self.assertEqual(row[28:30], [3, 83])
        # the printed sheet: a quarterly sheet, named after the quarter
        report = self.env.ref("civ_evaluation.action_report_civ_evaluation_sheet")
        content, _kind = self.env["ir.actions.report"]._render_qweb_html(report.id, sheet.ids)
        text = " ".join(html.fromstring(content).text_content().split())
        self.assertIn("VIÊN CHỨC HẰNG QUÝ", text)
        self.assertNotIn("HẰNG THÁNG", text)
        self.assertIn("Quý 2 năm 2026", text)
        self.assertEqual(
            safe_eval(report.print_report_name, {"object": sheet}),
            "Phiếu đánh giá - Hoàng Văn Viên - Quý 2-2026",
        )

    # ------------------------------------------------------------------ shipped frameworks
    def test_nd335_quarterly_variant(self):
        source = nd335(self.env)
        variant = nd335_quarterly(self.env)
        self.assertEqual(
            (variant.code, variant.period_kind, variant.state), ("ND-335-Q", "quarter", "validated")
        )
        self.assertTrue(variant.is_valid)
        self.assertTrue(variant.active)
        self.assertFalse(variant.company_id)
        self.assertEqual(source.period_kind, "month")
        self.assertIn("theo quý", variant.name)
        self.assertEqual(variant.max_score, source.max_score)

        # the same structure, every copied field of the groups included (none hard-coded here): values,
        # levels of the framework by code, copied lines (criteria, components ...) field by field
        def copied(record, seen=("framework_id", "group_id")):
            values = {}
            for name, field in record._fields.items():
                if not field.copy or not field.store or field.automatic or name in seen:
                    continue
                value = record[name]
                if field.type == "one2many":
                    values[name] = [copied(line) for line in value.sorted("id")]
                elif field.type == "many2one" and field.comodel_name == "civ.level":
                    values[name] = value.code or False
                elif field.type in ("many2one", "many2many"):
                    values[name] = value.ids
                else:
                    values[name] = value
            return values

        def groups(framework):
            return [copied(group) for group in framework.group_ids.sorted(lambda g: (g.sequence, g.id))]

        self.assertIn("max_points", copied(variant.group_ids[:1]))
        self.assertEqual(groups(variant), groups(source))
        self.assertEqual(
            variant.criterion_ids.mapped(
                lambda c: (c.group_id.code, c.code, c.name, c.min_points, c.max_points)
            ),
            source.criterion_ids.mapped(
                lambda c: (c.group_id.code, c.code, c.name, c.min_points, c.max_points)
            ),
        )
        self.assertEqual(
            variant.level_ids.mapped(lambda level: (level.code, level.name, level.min_score)),
            source.level_ids.mapped(lambda level: (level.code, level.name, level.min_score)),
        )
        self.assertEqual(
            variant.quota_ids.mapped(
                lambda q: (q.level_id.code, q.basis, q.basis_level_id.code, q.max_percent, q.scope)
            ),
            source.quota_ids.mapped(
                lambda q: (q.level_id.code, q.basis, q.basis_level_id.code, q.max_percent, q.scope)
            ),
        )
        self.assertEqual(variant.quota_ids.level_id.framework_id, variant)
        self.assertEqual(variant.quota_ids.basis_level_id.framework_id, variant)
        # kept by module updates (noupdate), and created once
        data = self.env["ir.model.data"].search(
            [("module", "=", "civ_evaluation"), ("name", "=", "framework_nd335_quarterly")]
        )
        self.assertTrue(data.noupdate)
        again = self.env["civ.framework"]._civ_install_quarterly_variant(
            "civ_evaluation.framework_nd335", "civ_evaluation.framework_nd335_quarterly", "ND-335-Q", "x"
        )
        self.assertEqual(again, variant)
        self.assertEqual(
            self.env["civ.framework"]
            .with_context(active_test=False)
            .search_count([("code", "=", "ND-335-Q")]),
            1,
        )

    def test_hcm_framework_end_to_end(self):
        hcm = hcm_20_2024(self.env)
        self.company.civ_framework_id = hcm
        self._cron_open(date(2026, 7, 20))
        period = self._periods()
        self.assertEqual(
            (period.framework_id, period.date_start, period.date_end),
            (hcm, date(2026, 7, 1), date(2026, 9, 30)),
        )
        # TP.HCM: done before the 5th of the first month of the next quarter
        self.assertEqual(
            (period.self_deadline, period.review_deadline), (date(2026, 10, 3), date(2026, 10, 5))
        )
        sheet = self._sheet(period, self.staff)
        self.assertEqual(sheet.line_ids.criterion_id, hcm.criterion_ids)
        self._set_points(
            sheet,
            self.user_staff,
            "self_points",
            {"HCM1.1": 10, "HCM1.2": 10, "HCM1.3": 8, "HCM2.1": 28, "HCM2.2": 16, "HCM2.3": 16},
        )
        sheet.with_user(self.user_staff).action_submit()
        sheet.with_user(self.user_deputy).action_approve()
        sheet.with_user(self.user_head).action_approve()
        self.assertEqual(sheet.state, "done")
        self.assertAlmostEqual(sheet.final_score, 88.0)
        self.assertEqual(sheet.level_id.code, "B")  # TP.HCM: B from 75 to under 90
        self.Period._civ_lock_periods(today=date(2026, 10, 10), companies=self.company)
        self.assertEqual(period.state, "open")
        self.Period._civ_lock_periods(today=date(2026, 10, 11), companies=self.company)
        self.assertEqual(period.state, "locked")
        self.assertEqual(sheet.state, "locked")
        self.assertFalse(period._integrity_failures())


@tagged("post_install", "-at_install", "civ_evaluation", "civ_cycle", "civ_i18n")
class TestQuarterlyPeriodTexts(CivCycleCase):
    """Quarter names and the period length rule in Vietnamese."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("vi_VN")
        cls.env["ir.module.module"]._load_module_terms(["civ_evaluation"], ["vi_VN"])
        cls.company.partner_id.lang = "vi_VN"
        cls.quarterly = cls.framework.copy({"code": "TEST-Q", "period_kind": "quarter"})
        cls.quarterly.action_validate()
        cls.company.civ_framework_id = cls.quarterly

    def test_quarter_named_in_the_company_language(self):
        period = self.Period.with_context(lang="en_US").create(
            {"company_id": self.company.id, "date_start": date(2026, 1, 1)}
        )
        self.assertEqual(period.name, "Quý 1/2026")
        self.company.partner_id.lang = "en_US"
        q2 = self.Period.create({"company_id": self.company.id, "date_start": Q2_START})
        self.assertEqual(q2.name, "Quarter 2/2026")

    def test_period_length_message_in_the_user_language(self):
        with mute_logger("odoo.models"), self.assertRaisesRegex(ValidationError, "một quý"):
            self.Period.with_context(lang="vi_VN").create(
                {"company_id": self.company.id, "date_start": date(2026, 5, 1)}
            )
