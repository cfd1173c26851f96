from datetime import date

from odoo.tests import tagged

from .cycle_common import CivCycleCase


@tagged("post_install", "-at_install", "civ_evaluation", "civ_products")
class TestLevelConditions(CivCycleCase):
    """Quy định 366-QĐ/TW: the levels carry conditions beyond the points, read from the products of the
    period (the shipped quarterly framework QD-366-Q): A needs 100% of the tasks meeting the
    requirements and on time and at least 30% exceeding them; B needs 100% on time."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.framework_366 = cls.env.ref("civ_evaluation.framework_party366_quarterly")
        cls.levels_366 = {level.code: level for level in cls.framework_366.level_ids}
        cls.quarter = cls.Period.create(
            {
                "company_id": cls.company.id,
                "framework_id": cls.framework_366.id,
                "date_start": date(2026, 4, 1),
            }
        )
        cls.quarter.with_user(cls.user_officer).action_open()
        cls.sheet = cls._sheet(cls.quarter, cls.staff)

    def _level_with(self, points, exceeded, on_time=10, quality=10):
        """The level of the sheet at `points` with 10 tasks, `exceeded` of them exceeding the
        requirements: the level of the points, then the conditions (as the decision applies them)."""
        self.sheet.product_ids.sudo().unlink()
        self.env["civ.evaluation.product"].sudo().create(
            {
                "evaluation_id": self.sheet.id,
                "name": "Nhiệm vụ của quý",
                "qty_assigned": 10,
                "qty_done": 10,
                "qty_quality": quality,
                "qty_on_time": on_time,
                "qty_exceeded": exceeded,
            }
        )
        results = {
            self.sheet.id: {"total": points, "level": self.framework_366.level_for_score(points)},
        }
        self.sheet._apply_level_rules(results)
        return results[self.sheet.id]

    def test_the_framework_carries_the_conditions(self):
        self.assertEqual(self.sheet.framework_id, self.framework_366)
        level_a, level_b = self.levels_366["A"], self.levels_366["B"]
        self.assertTrue(level_a.product_conditions and level_b.product_conditions)
        self.assertEqual(
            (level_a.min_quality_percent, level_a.max_late_percent, level_a.min_exceeded_percent),
            (100.0, 0.0, 30.0),
        )
        self.assertEqual((level_b.max_late_percent, level_b.min_exceeded_percent), (0.0, 0.0))

    def test_95_points_with_2_of_10_exceeding_is_b(self):
        result = self._level_with(95.0, exceeded=2)
        self.assertEqual(result["level"], self.levels_366["B"])
        self.assertIn("20% of the tasks exceed the requirements", result["level_reason"])
        self.assertIn("A needs at least 30%", result["level_reason"])

    def test_3_of_10_exceeding_all_on_time_is_a(self):
        result = self._level_with(95.0, exceeded=3)
        self.assertEqual(result["level"], self.levels_366["A"])
        self.assertFalse(result.get("level_reason"))

    def test_one_task_late_is_not_b(self):
        result = self._level_with(95.0, exceeded=3, on_time=9)
        self.assertEqual(result["level"], self.levels_366["C"])
        self.assertIn("10% of the tasks are late", result["level_reason"])
        self.assertIn("not B", result["level_reason"])
