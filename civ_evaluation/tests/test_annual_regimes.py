from datetime import date

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .annual_common import YEAR, A, B, CivAnnualCase
from .common import make_employees


@tagged("post_install", "-at_install", "civ_evaluation", "civ_annual")
class TestAnnualRegimes(CivAnnualCase):
    """The regime of a person's months decides the year-end rules: Decree 335/2025 classifies on the
    time actually worked and counts only a discipline in official duty; Decree 90/2020 and 48/2023
    keep the minimum months, the absence cap and count any discipline."""

    def _sick_year(self, employee, regime):
        # 8 months averaging 92, then 4 months of sick leave (no sheet)
        self._year(employee, A, months=range(1, 9), extra={"regime": regime})
        self._absence(employee, date(YEAR, 9, 1), date(YEAR, 12, 31))

    def test_time_worked_under_nd335_and_the_cap_under_nd90(self):
        self._sick_year(self.staff, "nd335")
        self._sick_year(self.staff2, "nd90")
        results = self._prepare()
        civil, public = results[self.staff], results[self.staff2]
        self.assertEqual((civil.regime, public.regime), ("nd335", "nd90"))
        self.assertEqual((civil.average_score, public.average_score), (92.0, 92.0))
        self.assertEqual(civil.absence_months, 4.0)
        # Decree 335, art. 21.3: on the points of the time actually worked, no 6-month or 3-month rule
        self.assertEqual(civil.proposed_level_id.code, "A")
        self.assertIn("months actually worked", civil.explanation)
        self.assertIn("335/2025", civil.explanation)
        # Decree 90, art. 2(3): absent 3 to under 6 months, not above "Hoàn thành nhiệm vụ"
        self.assertEqual(public.proposed_level_id.code, "C")
        self.assertIn("at most", public.explanation)

    def test_under_six_months_not_classified_under_nd90_only(self):
        self._year(self.staff, A, months=range(1, 5), extra={"regime": "nd335"})
        self._year(self.staff2, A, months=range(1, 5), extra={"regime": "nd90"})
        results = self._prepare()
        self.assertEqual(results[self.staff].proposed_level_id.code, "A")
        self.assertFalse(results[self.staff].not_classified)
        self.assertTrue(results[self.staff2].not_classified)
        self.assertIn("90/2020", results[self.staff2].not_classified_reason)

    def test_the_rule_set_of_the_category_can_change_the_regime_defaults(self):
        rule = self.env["civ.category.rule"].create(
            {
                "company_id": self.company.id,
                "category": "vien_chuc",
                "framework_id": self.framework.id,
                "regime": "luat_vien_chuc_2025",
                "year_end_basis": "time_worked",
            }
        )
        self._sick_year(self.staff2, "luat_vien_chuc_2025")
        # the sheets of the year carry the rule set (written as the opening writes it)
        self.env.cr.execute(
            "UPDATE civ_evaluation SET category_rule_id = %s WHERE employee_id = %s",
            (rule.id, self.staff2.id),
        )
        self.env["civ.evaluation"].invalidate_model(["category_rule_id"])
        result = self._prepare()[self.staff2]
        self.assertEqual((result.regime, result.category_rule_id), ("luat_vien_chuc_2025", rule))
        self.assertEqual(result.proposed_level_id.code, "A")

    def test_discipline_per_regime(self):
        self._year(self.staff, B, extra={"regime": "nd335"})
        self._year(self.staff2, B, extra={"regime": "nd90"})
        Fact = self.env["civ.discipline"]
        # a reprimand for a violation outside official duty: Decree 335 does not count it, Decree 48 does
        facts = Fact.create(
            [
                {
                    "employee_id": employee.id,
                    "date": date(YEAR, 6, 3),
                    "kind": "reprimand",
                    "system": "party",
                    "in_official_duty": False,
                    "decision_number": "QĐ 12-QĐ/ĐU",
                }
                for employee in (self.staff, self.staff2)
            ]
        )
        self.assertEqual(facts.mapped("counted"), [False, False])
        self.assertEqual(facts.mapped("counted_any"), [True, True])
        results = self._prepare()
        self.assertEqual(results[self.staff].proposed_level_id.code, "B")
        self.assertFalse(results[self.staff].has_discipline)
        self.assertEqual(results[self.staff2].proposed_level_id.code, "D")
        self.assertIn("QĐ 12-QĐ/ĐU", results[self.staff2].explanation)
        # ND 48's exceptions hold under both: already used before, or the same act
        facts[1].already_used = True
        self.assertFalse(facts[1].counted_any)
        self.assertEqual(self._prepare()[self.staff2].proposed_level_id.code, "B")

    def test_the_grounds_of_leaders_and_of_degradation(self):
        Fact = self.env["civ.discipline"]
        with self.assertRaisesRegex(ValidationError, "leaders only"), self.env.cr.savepoint():
            Fact.create({"employee_id": self.staff.id, "ground": "unit_corruption", "date": date(YEAR, 5, 2)})
        fact = Fact.create(
            {"employee_id": self.head.id, "ground": "unit_corruption", "date": date(YEAR, 5, 2)}
        )
        self.assertTrue(fact.counted)
        degradation = Fact.create(
            {
                "employee_id": self.staff.id,
                "ground": "degradation",
                "degradation_case": "example_duty",
                "date": date(YEAR, 5, 2),
                "decision_number": "KL 03-KL/UBKT",
            }
        )
        self.assertIn("Breach of the Duty to Set an Example", degradation.display_name)
        with self.assertRaisesRegex(ValidationError, "conclusion of degradation"), self.env.cr.savepoint():
            degradation.degradation_case = False

    def test_december_not_locked_at_the_classification(self):
        # January to November locked, December decided but not locked on 15 December
        self._year(self.staff, B, months=range(1, 12), extra={"regime": "nd335"})
        self._year(self.staff, B, months=[12], unlocked=[12], extra={"regime": "nd335"})
        result = self._prepare()[self.staff]
        self.assertEqual(result.months_evaluated, 11)
        self.assertIn(f"12/{YEAR}", result.pending_rule_note)
        self.assertIn("left out", result.pending_rule_note)
        self.assertFalse(result.waits_for_lock)
        # the company waits for December: the result cannot go to the decider
        result = self._prepare(civ_annual_pending_rule="wait")[self.staff]
        self.assertTrue(result.waits_for_lock)
        self.assertIn("Waiting for the lock", result.pending_rule_note)
        with self.assertRaisesRegex(UserError, "waits for the lock"):
            result.with_user(self.user_officer).action_submit()

    def test_year_end_quotas_per_regime_population(self):
        # public employees: 2 A and 5 B (20% of 5 = 1 A allowed); civil servants: 10 B. Counted together,
        # 2 A of 15 B would pass; each regime is a population of its own, so the public employees' second
        # A is over their quota and the civil servants' B never lend them room.
        people = make_employees(self.env, self.company, [f"Người {index}" for index in range(17)])
        public, civil = people[:7], people[7:]
        public.civ_category = "vien_chuc"
        for person, score in zip(public, [A, A] + [B] * 5, strict=True):
            self._year(person, score, extra={"regime": "nd90"})
        for person in civil:
            self._year(person, B, extra={"regime": "nd335"})
        results = self._prepare()
        drafts = self.Result.browse([results[person].id for person in people])
        self.assertEqual(set(drafts.filtered(lambda r: r.employee_id in public).mapped("regime")), {"nd90"})
        checks = self.env["civ.quota.service"]._annual_status(drafts)
        by_regime = {check["regime"]: check for check in checks if check["scope"] == "company"}
        self.assertEqual(
            (by_regime["nd90"]["count"], by_regime["nd90"]["basis"], by_regime["nd90"]["allowed"]), (2, 5, 1)
        )
        self.assertTrue(by_regime["nd90"]["exceeded"])
        self.assertEqual((by_regime["nd335"]["count"], by_regime["nd335"]["basis"]), (0, 10))
        self.assertFalse(by_regime["nd335"]["exceeded"])
