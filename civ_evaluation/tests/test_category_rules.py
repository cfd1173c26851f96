from datetime import date

from psycopg2 import IntegrityError

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import DISTRICT_FRAMEWORK, MAY, RULES_FRAMEWORK, hanoi_3814, make_framework
from .cycle_common import CivCycleCase

JULY = date(2026, 7, 1)


@tagged("post_install", "-at_install", "civ_evaluation", "civ_cycle")
class TestCategoryRules(CivCycleCase):
    """Rule sets of staff categories: one company, several texts. Civil servants under Decree 335,
    public employees under Decree 90 then the Law on Public Employees 2025, cadres quarterly under
    Regulation 366, each with its own framework, regime and quota population."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Rule = cls.env["civ.category.rule"]
        cls.fw_civil = make_framework(cls.env, RULES_FRAMEWORK, company=cls.company, validate=True, code="CC")
        cls.fw_public = make_framework(
            cls.env, RULES_FRAMEWORK, company=cls.company, validate=True, code="VC"
        )
        cls.fw_leaders = make_framework(
            cls.env, DISTRICT_FRAMEWORK, company=cls.company, validate=True, code="Q", period_kind="quarter"
        )
        # the staff: a civil servant and a public employee; the chairman and vice-chairman: cadres
        cls.staff.civ_category = "cong_chuc"
        cls.staff2.civ_category = "vien_chuc"
        (cls.chairman | cls.vice).civ_category = "can_bo"
        cls.rule_civil = Rule.create(
            {
                "company_id": cls.company.id,
                "category": "cong_chuc",
                "framework_id": cls.fw_civil.id,
                "regime": "nd335",
            }
        )
        cls.rule_public = Rule.create(
            {
                "company_id": cls.company.id,
                "category": "vien_chuc",
                "framework_id": cls.fw_public.id,
                "regime": "nd90",
                "date_to": date(2026, 6, 30),
            }
        )
        cls.rule_public_2025 = Rule.create(
            {
                "company_id": cls.company.id,
                "category": "vien_chuc",
                "framework_id": cls.fw_public.id,
                "regime": "luat_vien_chuc_2025",
                "date_from": JULY,
            }
        )
        cls.rule_cadres = Rule.create(
            {
                "company_id": cls.company.id,
                "category": "can_bo",
                "framework_id": cls.fw_leaders.id,
                "regime": "party366",
            }
        )
        # the head and deputy are civil servants of a job position graded with the company's framework
        cls.rule_head = Rule.create(
            {
                "company_id": cls.company.id,
                "category": "cong_chuc",
                "job_id": cls.env["hr.job"].create({"name": "Trưởng phòng", "company_id": cls.company.id}).id,
                "framework_id": cls.framework.id,
                "regime": "nd335",
            }
        )
        (cls.head | cls.deputy).write({"civ_category": "cong_chuc", "job_id": cls.rule_head.job_id.id})

    def _by_employee(self, period):
        return {sheet.employee_id: sheet for sheet in period.evaluation_ids}

    def test_a_month_opens_each_sheet_with_its_rule_set(self):
        period = self._open_period(MAY)
        sheets = self._by_employee(period)
        # the cadres are evaluated quarterly: no sheet in the month
        self.assertEqual(set(sheets), {self.head, self.deputy, self.staff, self.staff2})
        self.assertEqual(
            {
                employee: (sheet.framework_id, sheet.regime, sheet.category_rule_id)
                for employee, sheet in sheets.items()
            },
            {
                self.staff: (self.fw_civil, "nd335", self.rule_civil),
                self.staff2: (self.fw_public, "nd90", self.rule_public),
                # a rule with the job position wins over the category's
                self.head: (self.framework, "nd335", self.rule_head),
                self.deputy: (self.framework, "nd335", self.rule_head),
            },
        )
        # each sheet has the criteria of its own framework
        self.assertEqual(sheets[self.staff2].line_ids.criterion_id, self.fw_public.criterion_ids)
        self.assertEqual(sheets[self.head].line_ids.criterion_id, self.framework.criterion_ids)
        self.assertEqual(period.framework_ids, self.framework | self.fw_civil | self.fw_public)

        # the quarter, beside the months: only the cadres, with the quarterly framework and Regulation 366
        quarter = self.Period.create(
            {
                "company_id": self.company.id,
                "framework_id": self.fw_leaders.id,
                "date_start": date(2026, 4, 1),
            }
        )
        quarter.with_user(self.user_officer).action_open()
        self.assertEqual(
            {(sheet.employee_id, sheet.framework_id, sheet.regime) for sheet in quarter.evaluation_ids},
            {(self.chairman, self.fw_leaders, "party366"), (self.vice, self.fw_leaders, "party366")},
        )
        # run again, nothing more (idempotent), and a second quarter over the same days is refused
        quarter.with_user(self.user_officer).action_open()
        self.assertEqual(len(quarter.evaluation_ids), 2)
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.env.cr.savepoint():
            self.Period.create(
                {
                    "company_id": self.company.id,
                    "framework_id": self.fw_leaders.id,
                    "date_start": date(2026, 4, 1),
                }
            )

    def test_the_public_employees_regime_changes_on_1_july_2026(self):
        june = self._open_period(date(2026, 6, 1))
        july = self._open_period(JULY)
        self.assertEqual(self._by_employee(june)[self.staff2].regime, "nd90")
        self.assertEqual(self._by_employee(july)[self.staff2].regime, "luat_vien_chuc_2025")
        self.assertEqual(self._by_employee(july)[self.staff2].category_rule_id, self.rule_public_2025)
        # the regime gives the defaults of the year-end rules, which HR may change on the rule set
        self.assertEqual(
            (self.rule_public.year_end_basis, self.rule_public.discipline_rule),
            ("nd90_months", "any"),
        )
        self.assertEqual(
            (self.rule_civil.year_end_basis, self.rule_civil.discipline_rule),
            ("time_worked", "official_duty"),
        )
        self.assertIn("335/2025", self.rule_civil.legal_text)
        self.assertIn("Luật Viên chức", self.rule_public_2025.legal_text)

    def test_hanoi_3814_is_refused_for_civil_servants_from_2026(self):
        hanoi = hanoi_3814(self.env)
        self.assertEqual(hanoi.civil_servants_until, date(2026, 1, 1))
        Rule = self.env["civ.category.rule"]
        with self.assertRaisesRegex(ValidationError, "Decree 335/2025"), self.env.cr.savepoint():
            Rule.create(
                {
                    "company_id": self.company.id,
                    "category": "cong_chuc",
                    "framework_id": hanoi.id,
                    "regime": "agency",
                }
            )
        # a rule set that ended in 2025 may use it; public employees and contract staff keep it
        Rule.create(
            {
                "company_id": self.company.id,
                "category": "cong_chuc",
                "framework_id": hanoi.id,
                "regime": "agency",
                "date_to": date(2025, 12, 31),
            }
        )
        Rule.create(
            {
                "company_id": self.company.id,
                "category": "hop_dong",
                "framework_id": hanoi.id,
                "regime": "agency",
            }
        )
        # a period of 2026 graded with 3814: its civil servants without a rule set are refused, named
        (self.rule_head | self.rule_civil).active = False
        period = self.Period.create(
            {"company_id": self.company.id, "framework_id": hanoi.id, "date_start": MAY}
        )
        with self.assertRaisesRegex(UserError, r"Decree 335/2025.*(Trưởng|Phó|Nguyễn|Trần|Lê|Phạm)"):
            period.with_user(self.user_officer).action_open()
        self.assertFalse(period.evaluation_ids)
        # in 2025 the same people could be graded with it
        period_2025 = self.Period.create(
            {"company_id": self.company.id, "framework_id": hanoi.id, "date_start": date(2025, 5, 1)}
        )
        period_2025.with_user(self.user_officer).action_open()
        self.assertIn(self.head, period_2025.evaluation_ids.employee_id)

    def test_quotas_count_each_framework_population(self):
        period = self._open_period(MAY)
        sheets = self._by_employee(period)
        level_a = {
            framework: framework.level_ids.filtered(lambda level: level.code == "A")
            for framework in (self.fw_civil, self.fw_public)
        }
        checks = self.env["civ.quota.service"]._period_check(
            period,
            {
                sheets[self.staff].id: level_a[self.fw_civil],
                sheets[self.staff2].id: level_a[self.fw_public],
            },
        )
        company_checks = {result["quota"].framework_id: result for _key, result in checks}
        # one person in each population: an A of a public employee is counted with the public employees
        # only (1 of 1 evaluated), never in the civil servants' headcount
        self.assertEqual(set(company_checks), {self.fw_civil, self.fw_public})
        self.assertEqual(
            {framework: (result["count"], result["basis"]) for framework, result in company_checks.items()},
            {self.fw_civil: (1, 1), self.fw_public: (1, 1)},
        )
