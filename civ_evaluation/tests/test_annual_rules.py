from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .annual_common import YEAR, A, B, C, CivAnnualCase, D
from .common import (
    OFFICER,
    district_framework,
    make_company,
    make_employee,
    make_employees,
    make_person,
    make_user,
    make_year_periods,
)


@tagged("post_install", "-at_install", "civ_evaluation", "civ_year")
class TestAnnualRules(CivAnnualCase):
    """The proposal of the year-end level from the locked monthly sheets, rule by rule."""

    def test_average_over_locked_evaluated_months(self):
        # 10 locked months, one closed as not evaluated, one decided but not locked yet
        self._year(
            self.staff, [A, A, B, B, B, B, B, B, B, B, 0.0, 100.0], not_evaluated=(11,), unlocked=(12,)
        )
        result = self._prepare()[self.staff]
        self.assertEqual(result.state, "draft")
        self.assertEqual(result.months_evaluated, 10)
        self.assertEqual(result.months_not_evaluated, 1)
        self.assertEqual(result.months_pending, 1)
        # (2 × 92 + 8 × 80) / 10: the not-evaluated 0 and the unlocked 100 are left out
        self.assertAlmostEqual(result.average_score, 82.4)
        self.assertEqual(result.proposed_level_id, self.levels["B"])
        self.assertEqual(result.level_id, self.levels["B"])
        self.assertEqual(result.framework_id, self.framework)
        self.assertFalse(result.not_classified)
        self.assertIn("82.40", result.explanation)

    def test_average_on_band_boundary(self):
        # 89.5 and 90.5 average exactly 90.00: inclusive minimum of A
        self._year(self.staff, [89.5, 90.5] * 6)
        self.assertEqual(self._prepare()[self.staff].proposed_level_id, self.levels["A"])

    def test_six_months_classified_five_not(self):
        self._year(self.staff, A, months=range(1, 7))
        self._year(self.staff2, A, months=range(1, 6))
        results = self._prepare()
        self.assertFalse(results[self.staff].not_classified)
        self.assertEqual(results[self.staff].months_evaluated, 6)
        self.assertEqual(results[self.staff].proposed_level_id, self.levels["A"])
        five = results[self.staff2]
        self.assertTrue(five.not_classified)
        self.assertFalse(five.proposed_level_id)
        self.assertFalse(five.level_id)
        self.assertIn("5 months evaluated", five.not_classified_reason)
        # nobody without a sheet is classified
        self.assertTrue(results[self.chairman].not_classified)
        self.assertEqual(results[self.chairman].months_evaluated, 0)

    def test_six_months_are_months_actually_worked(self):
        # ND 90 art. 2(3): 7 months evaluated, 2 of them on sick leave: 5 months worked, not classified
        self._year(self.staff, A, months=range(1, 8))
        self._absence(self.staff, date(YEAR, 3, 1), date(YEAR, 4, 30))
        # 5 months evaluated and 2 months closed as not evaluated (worked, not submitted): 7 worked
        self._year(self.staff2, A, months=range(1, 8), not_evaluated=(6, 7))
        results = self._prepare()
        sick = results[self.staff]
        self.assertEqual((sick.months_evaluated, sick.months_worked), (7, 5.0))
        self.assertTrue(sick.not_classified)
        self.assertIn("5 months worked (7 months evaluated)", sick.not_classified_reason)
        worked = results[self.staff2]
        self.assertEqual((worked.months_evaluated, worked.months_worked), (5, 7.0))
        self.assertFalse(worked.not_classified)
        self.assertEqual(worked.proposed_level_id, self.levels["A"])

    def test_minimum_months_is_a_setting(self):
        self._year(self.staff2, B, months=range(1, 6))
        self.assertFalse(self._prepare(civ_annual_min_months=5)[self.staff2].not_classified)
        self.assertTrue(self._prepare(civ_annual_min_months=6)[self.staff2].not_classified)

    def test_maternity_exception(self):
        # 5 months worked, then maternity leave from June to November: classified on the time worked
        self._year(self.staff, A, months=range(1, 6))
        self._absence(self.staff, date(YEAR, 6, 1), date(YEAR, 11, 30), kind="maternity")
        # the same months of sick leave do not make an exception
        self._year(self.staff2, A, months=range(1, 6))
        self._absence(self.staff2, date(YEAR, 6, 1), date(YEAR, 11, 30), kind="sick")
        results = self._prepare()
        mother = results[self.staff]
        self.assertFalse(mother.not_classified)
        self.assertEqual(mother.maternity_months, 6.0)
        self.assertEqual(mother.absence_months, 0.0)
        # maternity leave does not cap the level either
        self.assertEqual(mother.proposed_level_id, self.levels["A"])
        self.assertIn("maternity", mother.explanation)
        self.assertTrue(results[self.staff2].not_classified)
        # the exception can be switched off
        self.assertTrue(self._prepare(civ_annual_maternity_exception=False)[self.staff].not_classified)

    def test_maternity_must_cover_the_missing_months(self):
        # 3 months worked + 2 months of maternity leave = 5 < 6: not classified
        self._year(self.staff, A, months=range(1, 4))
        self._absence(self.staff, date(YEAR, 4, 1), date(YEAR, 5, 31), kind="maternity")
        self.assertTrue(self._prepare()[self.staff].not_classified)

    def test_absence_cap(self):
        # 9 months at A; 3 months of sick leave → at most C; 2 months → not capped
        self._year(self.staff, A, months=range(4, 13))
        self._absence(self.staff, date(YEAR, 1, 1), date(YEAR, 3, 31))
        self._year(self.staff2, A, months=range(3, 13))
        self._absence(self.staff2, date(YEAR, 1, 1), date(YEAR, 2, 28))
        results = self._prepare()
        capped = results[self.staff]
        self.assertEqual(capped.absence_months, 3.0)
        self.assertEqual(capped.proposed_level_id, self.levels["C"])
        self.assertIn("at most", capped.explanation)
        self.assertEqual(results[self.staff2].absence_months, 2.0)
        self.assertEqual(results[self.staff2].proposed_level_id, self.levels["A"])

    def test_absence_cap_counts_partial_months_and_overlaps(self):
        self._year(self.staff, A, months=range(1, 13))
        # 15 March - 14 June (3 months) written as two overlapping records
        self._absence(self.staff, date(YEAR, 3, 15), date(YEAR, 5, 10))
        self._absence(self.staff, date(YEAR, 5, 1), date(YEAR, 6, 14), kind="study")
        result = self._prepare()[self.staff]
        self.assertAlmostEqual(result.absence_months, 17 / 31 + 2 + 14 / 30, places=2)
        self.assertEqual(result.proposed_level_id, self.levels["C"])

    def test_absence_cap_settings(self):
        self._year(self.staff, A)
        self._absence(self.staff, date(YEAR, 1, 1), date(YEAR, 3, 31))
        self.assertEqual(
            self._prepare(civ_annual_absence_cap_code="B")[self.staff].proposed_level_id, self.levels["B"]
        )
        self.assertEqual(
            self._prepare(civ_annual_absence_cap_months=0)[self.staff].proposed_level_id, self.levels["A"]
        )
        self.assertEqual(
            self._prepare(civ_annual_absence_cap_months=4)[self.staff].proposed_level_id, self.levels["A"]
        )
        # a level below the cap is not raised to it
        self._year(self.staff2, D)
        self._absence(self.staff2, date(YEAR, 1, 1), date(YEAR, 3, 31))
        self.assertEqual(
            self._prepare(civ_annual_absence_cap_months=3)[self.staff2].proposed_level_id, self.levels["D"]
        )

    def test_absences_and_discipline_entered_on_employee_form(self):
        # written as the employee form's lists send them (on this form the test Form helper gives
        # many2many proxies for these one2many fields), by an HR officer of the Employees app;
        # evaluation officers are not HR officers: they record them in the evaluation's own lists
        user_hr = make_user(self.env, "nhansu_t", self.company, "base.group_user,hr.group_hr_user")
        with self.assertRaises(AccessError):
            self.staff.with_user(self.user_officer).write(
                {
                    "civ_absence_ids": [
                        Command.create(
                            {"kind": "sick", "date_from": date(YEAR, 2, 1), "date_to": date(YEAR, 2, 3)}
                        )
                    ]
                }
            )
        self.staff.with_user(user_hr).write(
            {
                "civ_absence_ids": [
                    Command.create(
                        {"kind": "maternity", "date_from": date(YEAR, 6, 1), "date_to": date(YEAR, 11, 30)}
                    )
                ],
                "civ_discipline_ids": [
                    Command.create(
                        {"date": date(YEAR, 3, 2), "kind": "warning", "decision_number": "05/QĐ-KL"}
                    )
                ],
            }
        )
        self.assertEqual(self.staff.civ_absence_ids.kind, "maternity")
        self.assertEqual(self.staff.civ_absence_ids.company_id, self.company)
        self.assertEqual(self.staff.civ_discipline_ids.decision_number, "05/QĐ-KL")
        with self.assertRaises(ValidationError):
            self._absence(self.staff, date(YEAR, 5, 1), date(YEAR, 4, 1))
        # employees do not read them
        with self.assertRaises(AccessError):
            self.staff.civ_absence_ids.with_user(self.user_staff).read(["kind"])

    def test_discipline_gives_lowest_level(self):
        self._year(self.staff, A)
        self.env["civ.discipline"].create(
            {
                "employee_id": self.staff.id,
                "date": date(YEAR, 1, 15),
                "kind": "reprimand",
                "decision_number": "12/QĐ-UBND",
            }
        )
        # a discipline of the previous year does not count
        self._year(self.staff2, A)
        self.env["civ.discipline"].create(
            {"employee_id": self.staff2.id, "date": date(YEAR - 1, 12, 31), "kind": "warning"}
        )
        results = self._prepare()
        self.assertEqual(results[self.staff].average_score, A)
        self.assertEqual(results[self.staff].proposed_level_id, self.levels["D"])
        self.assertTrue(results[self.staff].has_discipline)
        self.assertIn("12/QĐ-UBND", results[self.staff].explanation)
        self.assertEqual(results[self.staff2].proposed_level_id, self.levels["A"])
        self.assertFalse(results[self.staff2].has_discipline)
        # the rule can be switched off
        self.assertEqual(
            self._prepare(civ_annual_discipline_lowest=False)[self.staff].proposed_level_id, self.levels["A"]
        )

    def test_level_count_rule(self):
        self.levels["A"].annual_min_months = 8
        self.levels["B"].annual_min_months = 6
        self.levels["C"].annual_min_months = 6
        self._year(self.staff, [A] * 8 + [C] * 4)
        self._year(self.staff2, [A] * 7 + [B] * 2 + [C] * 3)
        self._year(self.deputy, [C] * 5 + [D] * 7)
        results = self._prepare(civ_annual_rule="level_count")
        self.assertEqual(results[self.staff].proposed_level_id, self.levels["A"])
        # 7 at A or better < 8, 9 at B or better ≥ 6
        self.assertEqual(results[self.staff2].proposed_level_id, self.levels["B"])
        # 5 at C or better < 6: the lowest level
        self.assertEqual(results[self.deputy].proposed_level_id, self.levels["D"])
        # the same months averaged: 8 × 92 + 4 × 60 = 81.33 → B
        self.assertEqual(
            self._prepare(civ_annual_rule="average")[self.staff].proposed_level_id, self.levels["B"]
        )

    def test_level_count_rule_needs_configuration(self):
        self._year(self.staff, A)
        with self.assertRaises(UserError):
            self._prepare(civ_annual_rule="level_count")

    def test_year_end_framework_setting(self):
        other = district_framework(self.env, self.company)
        other.write({"code": "TEST-HN-YEAR"})
        self._year(self.staff, B)
        result = self._prepare(civ_annual_framework_id=other.id)[self.staff]
        self.assertEqual(result.framework_id, other)
        self.assertEqual(result.proposed_level_id.framework_id, other)
        self.assertEqual(result.proposed_level_id.code, "B")

    def test_reprepare_updates_drafts_only(self):
        self._year(self.staff, B, months=range(1, 11))
        self._year(self.staff2, B, months=range(1, 11))
        self._year(self.deputy, B, months=range(1, 11))
        results = self._prepare()
        staff, staff2, deputy = results[self.staff], results[self.staff2], results[self.deputy]
        # HR changes one level (with a note) and decides another result
        staff2.with_user(self.user_officer).write({"level_id": self.levels["C"].id, "note": "Chậm tiến độ"})
        self._decide(deputy.with_user(self.user_officer))
        self.assertEqual(deputy.state, "done")
        # November and December are locked later, at A
        self._year(self.staff, A, months=(11, 12))
        self._year(self.staff2, A, months=(11, 12))
        self._year(self.deputy, A, months=(11, 12))
        again = self._prepare()
        self.assertEqual(again[self.staff], staff, "the same record is refreshed")
        self.assertEqual(staff.months_evaluated, 12)
        self.assertAlmostEqual(staff.average_score, (10 * B + 2 * A) / 12, places=2)
        self.assertEqual(staff2.months_evaluated, 12)
        self.assertEqual(staff2.level_id, self.levels["C"], "a level chosen by HR is kept")
        self.assertEqual(staff2.note, "Chậm tiến độ")
        self.assertNotIn(self.deputy, again, "decided results are not touched")
        self.assertEqual(deputy.months_evaluated, 10)
        self.assertEqual(
            self.Result.search_count([("company_id", "=", self.company.id), ("year", "=", YEAR)]), 6
        )

    def test_settings(self):
        form = Form(self.env["res.config.settings"].with_company(self.company))
        form.civ_annual_rule = "level_count"
        form.civ_annual_min_months = 5
        form.civ_annual_absence_cap_code = "B"
        form.civ_annual_quota_percent = 25.0
        form.civ_annual_identity = "employee"
        form.save().execute()
        self.assertEqual(
            (
                self.company.civ_annual_rule,
                self.company.civ_annual_min_months,
                self.company.civ_annual_absence_cap_code,
                self.company.civ_annual_quota_percent,
                self.company.civ_annual_identity,
            ),
            ("level_count", 5, "B", 25.0, "employee"),
        )
        for vals in (
            {"civ_annual_min_months": 13},
            {"civ_annual_quota_percent": 120},
            {"civ_annual_absence_cap_months": -1},
            {"civ_annual_prepare_day": 32},
        ):
            with self.assertRaises(ValidationError):
                self.company.write(vals)

    def test_prepare_rights(self):
        with self.assertRaises(AccessError):
            self._prepare(user=self.user_staff)
        stranger = make_company(self.env, "UBND phường Khác")
        with self.assertRaises(AccessError):
            self.Result.with_user(self.user_officer).prepare_results(YEAR, stranger)

    def test_prepare_wizard(self):
        self._year(self.staff, B)
        wizard = (
            self.env["civ.annual.prepare.wizard"]
            .with_user(self.user_officer)
            .with_company(self.company)
            .create({"year": YEAR})
        )
        self.assertEqual(wizard.company_ids, self.company)
        action = wizard.action_prepare()
        results = self.Result.with_user(self.user_officer).search(action["domain"])
        self.assertEqual(len(results), 6)
        self.assertEqual(
            results.filtered(lambda r: r.employee_id == self.staff).proposed_level_id, self.levels["B"]
        )

    def test_batched_preparation(self):
        """The queries of a preparation do not grow with the number of people."""

        def add_people(count):
            people = make_employees(self.env, self.company, [f"Người {index}" for index in range(count)])
            for person in people:
                self._year(person, B)

        add_people(3)
        self._prepare()  # first preparation creates the drafts; the next ones refresh them
        small = self._count_queries(self._prepare)
        add_people(12)
        self._prepare()
        large = self._count_queries(self._prepare)
        # the reading and the refresh of the drafts do not depend on the number of people
        self.assertLessEqual(large, small + 3, f"{small} queries for 9 people, {large} for 21")

    def _count_queries(self, function):
        self.env.flush_all()
        start = self.cr.sql_log_count
        function()
        self.env.flush_all()
        return self.cr.sql_log_count - start


@tagged("post_install", "-at_install", "civ_evaluation", "civ_year")
class TestAnnualTransfer(CivAnnualCase):
    """Months evaluated in another company of the database count for a transferred person."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_y = make_company(cls.env, "UBND quận Mới")
        cls.framework_y = district_framework(cls.env, cls.company_y)
        cls.periods_y = make_year_periods(cls.env, cls.company_y, cls.framework_y, YEAR)
        # one person, one user, an employee in each agency
        cls.user_moved, cls.moved_x = make_person(
            cls.env, cls.company, "Bùi Văn Chuyển", "chuyencongtac_t", companies=cls.company | cls.company_y
        )
        cls.moved_y = make_employee(cls.env, cls.company_y, "Bùi Văn Chuyển", user=cls.user_moved)
        cls.officer_y = make_user(cls.env, "canbotccb_y", cls.company_y, OFFICER, name="Officer Y")

    def test_transfer_mid_year(self):
        # January - June in X at C, July - December in Y at A
        self._year(self.moved_x, C, months=range(1, 7))
        self._year(self.moved_y, A, months=range(7, 13), periods=self.periods_y)
        result = self._prepare(self.company_y, user=self.officer_y)[self.moved_y]
        self.assertEqual(result.months_evaluated, 12)
        self.assertEqual(result.months_other_company, 6)
        self.assertAlmostEqual(result.average_score, (C + A) / 2)
        self.assertEqual(result.proposed_level_id.code, "B")
        self.assertEqual(result.proposed_level_id.framework_id, self.framework_y)
        self.assertEqual(result.framework_id, self.framework_y, "the framework of the latest month")
        # the officer of Y reads the result, not the sheets of X
        self.assertIn(result, self.Result.with_user(self.officer_y).search([]))
        self.assertEqual(self.Result.with_user(self.officer_y).search([]).company_id, self.company_y)
        self.assertFalse(
            self.env["civ.evaluation"]
            .with_user(self.officer_y)
            .search([("employee_id", "=", self.moved_x.id)])
        )
        # the old agency does not classify the year of someone who left
        old = self._prepare()[self.moved_x]
        self.assertTrue(old.not_classified)
        self.assertIn(self.company_y.name, old.not_classified_reason)
        # nothing crosses companies: the officer of X does not see Y's result
        self.assertNotIn(result, self.Result.with_user(self.user_officer).search([]))

    def test_transfer_identity_setting(self):
        self._year(self.moved_x, C, months=range(1, 7))
        self._year(self.moved_y, A, months=range(7, 13), periods=self.periods_y)
        result = self._prepare(self.company_y, user=self.officer_y, civ_annual_identity="employee")[
            self.moved_y
        ]
        # only the months of Y: 6 at A
        self.assertEqual(result.months_evaluated, 6)
        self.assertEqual(result.months_other_company, 0)
        self.assertEqual(result.proposed_level_id.code, "A")

    def test_same_employee_record_moved(self):
        # an employee without user whose record was moved to Y in July
        person = make_employee(self.env, self.company, "Lý Thị Dời")
        self._year(person, B, months=range(1, 7))
        person.company_id = self.company_y
        self._year(person, B, months=range(7, 13), periods=self.periods_y)
        result = self._prepare(self.company_y, user=self.officer_y)[person]
        self.assertEqual(result.months_evaluated, 12)
        self.assertEqual(result.months_other_company, 6)

    def test_discipline_in_the_old_agency_travels(self):
        self._year(self.moved_x, A, months=range(1, 7))
        self._year(self.moved_y, A, months=range(7, 13), periods=self.periods_y)
        self.env["civ.discipline"].create(
            {"employee_id": self.moved_x.id, "date": date(YEAR, 2, 1), "kind": "warning"}
        )
        result = self._prepare(self.company_y, user=self.officer_y)[self.moved_y]
        self.assertEqual(result.proposed_level_id.code, "D")


@tagged("post_install", "-at_install", "civ_evaluation", "civ_year")
class TestAnnualCron(CivAnnualCase):
    """The scheduled preparation in December."""

    def _run_cron(self):
        self.Result._cron_prepare_year_end(batch=1000)

    def _ours(self):
        return self.Result.search([("company_id", "=", self.company.id), ("year", "=", YEAR)])

    def test_cron_prepares_in_december_once_then_after_each_lock(self):
        self._year(self.staff, B, months=range(1, 11))
        with freeze_time(f"{YEAR}-11-30 10:00:00"):
            self._run_cron()
        self.assertFalse(self._ours(), "nothing before December")
        with freeze_time(f"{YEAR}-12-01 10:00:00"):
            self._run_cron()
        results = self._ours()
        self.assertEqual(len(results), 6)
        self.assertEqual(self.company.civ_annual_prepared_year, YEAR)
        staff = results.filtered(lambda r: r.employee_id == self.staff)
        self.assertEqual(staff.months_evaluated, 10)
        # nothing new: the next run leaves the drafts alone
        prepared_on = staff.date_prepared
        with freeze_time(f"{YEAR}-12-02 10:00:00"):
            self._run_cron()
        self.assertEqual(staff.date_prepared, prepared_on)
        # November is locked on 10 December: the following run refreshes the drafts
        self._sheets(self.staff, {11: A}, locked_on=datetime(YEAR, 12, 10, 8, 0))
        with freeze_time(f"{YEAR}-12-11 10:00:00"):
            self._run_cron()
        self.assertEqual(staff.months_evaluated, 11)
        self.assertGreater(staff.date_prepared, prepared_on)

    def test_cron_preparation_day(self):
        self._year(self.staff, B, months=range(1, 11))
        self.company.civ_annual_prepare_day = 5
        with freeze_time(f"{YEAR}-12-04 10:00:00"):
            self._run_cron()
        self.assertFalse(self._ours())
        with freeze_time(f"{YEAR}-12-05 10:00:00"):
            self._run_cron()
        self.assertTrue(self._ours())

    def test_cron_reports_progress_by_company(self):
        self.env["res.company"].search([]).write({"civ_annual_prepared_year": YEAR})
        self.company.civ_annual_prepared_year = 0
        second = make_company(self.env, "UBND phường Hai")
        cron = self.env.ref("civ_evaluation.ir_cron_civ_annual_prepare")
        progress = self.env["ir.cron.progress"].create({"cron_id": cron.id, "remaining": 0, "done": 0})
        with freeze_time(f"{YEAR}-12-01 10:00:00"):
            self.Result.with_context(ir_cron_progress_id=progress.id)._cron_prepare_year_end()
        self.assertEqual((progress.done, progress.remaining), (1, 1))
        self.assertEqual(self.company.civ_annual_prepared_year, YEAR)
        self.assertFalse(second.civ_annual_prepared_year)
