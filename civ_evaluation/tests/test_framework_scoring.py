from odoo.tests import tagged

from .common import FrameworkCase, hanoi_3814, hcm_20_2024, nd335


@tagged("post_install", "-at_install", "civ_evaluation", "civ_framework")
class TestFrameworkScoring(FrameworkCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.hanoi = hanoi_3814(cls.env)
        cls.nd335 = nd335(cls.env)
        cls.hcm = hcm_20_2024(cls.env)

    def _bands(self, framework, cases):
        for score, code in cases:
            with self.subTest(framework=framework.code, score=score):
                self.assertEqual(framework.level_for_score(score).code, code)

    def test_hanoi_bands(self):
        self._bands(
            self.hanoi,
            [(100, "A"), (90, "A"), (89.99, "B"), (70, "B"), (69.5, "C"), (50, "C"), (49.9, "D"), (0, "D")],
        )
        self.assertEqual(
            self.hanoi._sorted_levels().mapped("name"),
            [
                "Hoàn thành xuất sắc nhiệm vụ",
                "Hoàn thành tốt nhiệm vụ",
                "Hoàn thành nhiệm vụ",
                "Không hoàn thành nhiệm vụ",
            ],
        )

    def test_nd335_bands(self):
        self._bands(
            self.nd335,
            [(100, "A"), (90, "A"), (89.99, "B"), (70, "B"), (69.99, "C"), (50, "C"), (49.99, "D"), (0, "D")],
        )

    def test_hcm_bands(self):
        self._bands(
            self.hcm,
            [(90, "A"), (89.99, "B"), (75, "B"), (74.99, "C"), (70, "C"), (50, "C"), (49.99, "D")],
        )
        self.assertEqual(self.hcm.period_kind, "quarter")

    def test_shipped_frameworks(self):
        for framework in self.hanoi | self.nd335 | self.hcm:
            with self.subTest(framework=framework.code):
                self.assertEqual(framework._get_problems()[framework.id], [])
                self.assertEqual(framework.state, "validated")
                self.assertTrue(framework._check_usable())
                self.assertFalse(framework.company_id)
                self.assertTrue(framework.legal_basis)
                for group in framework.group_ids:
                    total = sum(group.criterion_ids.mapped("max_points"))
                    self.assertAlmostEqual(total, group.max_points, places=2, msg=group.code)
                    self.assertTrue(all(group.criterion_ids.mapped("guidance")), group.code)
        self.assertEqual(
            [(g.kind, g.max_points) for g in self.hanoi.group_ids],
            [("standard", 20.0), ("standard", 70.0), ("bonus", 10.0)],
        )
        self.assertEqual(self.hanoi.max_total, 100.0)
        self.assertIn("3814-QĐ/TU", self.hanoi.legal_basis)
        self.assertIn("có thể điều chỉnh", self.hanoi.description)
        self.assertEqual([g.max_points for g in self.nd335.group_ids], [30.0, 70.0])
        self.assertEqual(len(self.nd335.group_ids[0].criterion_ids), 5)
        # the task results are computed from products, on one criterion worth the group
        self.assertEqual(len(self.nd335.group_ids[1].criterion_ids), 1)
        self.assertEqual(self.nd335.group_ids.mapped("scoring_mode"), ["criteria", "products"])
        quota = self.hanoi.quota_ids
        self.assertEqual(
            (quota.level_id.code, quota.basis, quota.max_percent, quota.exceptional_max_percent, quota.scope),
            ("A", "evaluated", 30.0, 40.0, "company"),
        )
        # ND 335: A <= 20% of those graded B (that level only), in the agency and in each duty group
        self.assertEqual(
            [
                (q.level_id.code, q.basis, q.basis_level_id.code, q.max_percent, q.scope)
                for q in self.nd335.quota_ids
            ],
            [("A", "level_exact", "B", 20.0, "company"), ("A", "level_exact", "B", 20.0, "duty_group")],
        )

    def test_compute_score_sums_and_clamps(self):
        fw = self.framework
        result = fw.compute_score(self._points(fw, C1=8, C2=9.5, C3=35, C4=25.25))
        g1, g2, g3, g4 = (self._group(fw, code).id for code in ("G1", "G2", "G3", "G4"))
        self.assertEqual(result["group_scores"], {g1: 17.5, g2: 60.25, g3: 0.0, g4: 0.0})
        self.assertEqual(result["total"], 77.75)
        self.assertEqual(result["level"], self._level(fw, "B"))
        # each criterion is clamped to its own limits: 15 -> 10, -3 -> 0
        result = fw.compute_score(self._points(fw, C1=15, C2=-3))
        self.assertEqual(result["group_scores"][g1], 10.0)
        self.assertEqual(result["total"], 10.0)
        self.assertEqual(result["level"], self._level(fw, "D"))
        # criteria of other frameworks are ignored, missing criteria count 0
        other = self._make_framework(code="OTHER")
        self.assertEqual(fw.compute_score(self._points(other, C1=10))["total"], 0.0)
        # records as keys work too; the total is rounded to 2 decimals
        result = fw.compute_score({self._criterion(fw, "C3"): 33.333, self._criterion(fw, "C4"): 33.333})
        self.assertEqual(result["total"], 63.33)

    def test_bonus_lifts_but_never_past_ceiling(self):
        fw = self.framework
        result = fw.compute_score(self._points(fw, C1=10, C2=5, C3=40, C4=30, C5=6, C6=4))
        self.assertEqual(result["total"], 95.0)  # 85 + 10
        self.assertEqual(result["level"].code, "A")
        full = self._points(fw, C1=10, C2=10, C3=40, C4=30, C5=6, C6=4)
        self.assertEqual(fw.compute_score(full)["total"], 100.0)
        fw.score_ceiling = 95.0
        result = fw.compute_score(full)
        self.assertEqual(result["total"], 95.0)
        self.assertEqual(result["group_scores"][self._group(fw, "G3").id], 10.0)

    def test_group_subtotal_clamped(self):
        fw = self.framework
        # criteria of the deduction group may add up to -16, the group stops at -10
        result = fw.compute_score(self._points(fw, C3=40, C4=30, C7=-8, C8=-8))
        self.assertEqual(result["group_scores"][self._group(fw, "G4").id], -10.0)
        self.assertEqual(result["total"], 60.0)
        self.assertEqual(result["level"].code, "C")

    def test_deductions_do_not_go_below_zero_unless_allowed(self):
        fw = self.framework
        points = self._points(fw, C1=3, C7=-8)
        self.assertEqual(fw.compute_score(points)["total"], 0.0)
        self.assertEqual(fw.compute_score(points)["level"].code, "D")
        fw.allow_negative_total = True
        self.assertEqual(fw.compute_score(points)["total"], -5.0)
        self.assertFalse(fw.compute_score(points)["level"])  # D starts at 0
        self._level(fw, "D").min_score = -10.0
        self.assertEqual(fw.compute_score(points)["level"].code, "D")

    def test_hanoi_full_score_and_bonus(self):
        hanoi = self.hanoi
        standard = hanoi.criterion_ids.filtered(lambda c: c.group_kind == "standard")
        bonus = hanoi.criterion_ids.filtered(lambda c: c.group_kind == "bonus")
        points = {criterion.id: criterion.max_points for criterion in standard}
        self.assertEqual(hanoi.compute_score(points)["total"], 90.0)
        self.assertEqual(hanoi.compute_score(points)["level"].code, "A")
        points.update({criterion.id: criterion.max_points for criterion in bonus})
        self.assertEqual(hanoi.compute_score(points)["total"], 100.0)
        points = {c.id: p for c, p in zip(standard, [5, 5, 5, 0, 30, 20, 20], strict=True)}
        points.update({bonus[0].id: 5, bonus[1].id: 5})
        self.assertEqual(hanoi.compute_score(points)["total"], 95.0)

    def test_nd335_full_score(self):
        points = {criterion.id: criterion.max_points for criterion in self.nd335.criterion_ids}
        result = self.nd335.compute_score(points)
        self.assertEqual(result["total"], 100.0)
        self.assertEqual(result["level"].code, "A")

    def test_no_level(self):
        self._level(self.framework, "D").unlink()
        self.assertFalse(self.framework.level_for_score(10.0))
        self.assertEqual(self.framework.level_for_score(50.0).code, "C")


@tagged("post_install", "-at_install", "civ_evaluation", "civ_framework")
class TestFrameworkQuota(FrameworkCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.hanoi = hanoi_3814(cls.env)
        cls.nd335 = nd335(cls.env)

    def _levels(self, framework, **counts):
        levels = []
        for code, count in counts.items():
            levels += [self._level(framework, code)] * count
        return levels

    def test_hanoi_three_of_ten_is_fine(self):
        [result] = self.hanoi.check_quotas(self._levels(self.hanoi, A=3, B=5, C=1, D=1))
        self.assertEqual(result["quota"], self.hanoi.quota_ids)
        self.assertEqual(result["level"].code, "A")
        self.assertEqual((result["count"], result["basis"], result["allowed"]), (3, 10, 3))
        self.assertEqual(result["percent"], 30.0)
        self.assertEqual(result["max_percent"], 30.0)
        self.assertFalse(result["exceeded"])
        self.assertEqual(result["excess"], 0)
        self.assertEqual(result["message"], "3 A of 10 evaluated = 30% ≤ 30% (at most 3 allowed)")

    def test_hanoi_four_of_ten_exceeds_by_one(self):
        [result] = self.hanoi.check_quotas(self._levels(self.hanoi, A=4, B=6))
        self.assertTrue(result["exceeded"])
        self.assertEqual(
            (result["count"], result["basis"], result["allowed"], result["excess"]), (4, 10, 3, 1)
        )
        self.assertEqual(result["percent"], 40.0)
        self.assertEqual(result["message"], "4 A of 10 evaluated = 40% > 30% (at most 3 allowed)")

    def test_allowed_is_the_floor(self):
        # 30% of 7 = 2.1 -> 2 allowed
        [result] = self.hanoi.check_quotas(self._levels(self.hanoi, A=2, B=5))
        self.assertEqual(result["allowed"], 2)
        self.assertFalse(result["exceeded"])
        [result] = self.hanoi.check_quotas(self._levels(self.hanoi, A=3, B=4))
        self.assertEqual((result["allowed"], result["excess"]), (2, 1))
        self.assertTrue(result["exceeded"])
        self.assertEqual(result["percent"], 42.86)
        # 30% of 3 = 0.9 -> nobody may be A
        [result] = self.hanoi.check_quotas(self._levels(self.hanoi, A=1, B=2))
        self.assertEqual((result["allowed"], result["excess"]), (0, 1))
        # no float noise: 30% of 20 is exactly 6
        [result] = self.hanoi.check_quotas(self._levels(self.hanoi, A=6, B=14))
        self.assertEqual(result["allowed"], 6)
        self.assertFalse(result["exceeded"])

    def test_exceptional_unit(self):
        levels = self._levels(self.hanoi, A=4, B=6)
        [result] = self.hanoi.check_quotas(levels, exceptional=True)
        self.assertEqual((result["allowed"], result["max_percent"]), (4, 40.0))
        self.assertFalse(result["exceeded"])
        [result] = self.hanoi.check_quotas(levels + self._levels(self.hanoi, A=1), exceptional=True)
        self.assertTrue(result["exceeded"])  # 5 of 11: 40% of 11 = 4.4 -> 4

    def test_ids_and_empty_entries(self):
        level_a = self._level(self.hanoi, "A")
        level_b = self._level(self.hanoi, "B")
        # ids work, duplicates count; an empty entry is someone evaluated without a level
        [result] = self.hanoi.check_quotas([level_a.id, level_a.id, level_b.id, False])
        self.assertEqual((result["count"], result["basis"], result["allowed"]), (2, 4, 1))
        self.assertTrue(result["exceeded"])
        [result] = self.hanoi.check_quotas([])
        self.assertEqual((result["count"], result["basis"], result["allowed"]), (0, 0, 0))
        self.assertFalse(result["exceeded"])
        self.assertEqual(result["percent"], 0.0)

    def test_nd335_basis_is_good_only(self):
        # 10 B and 3 A: 20% of the 10 graded B = 2 A allowed (not 20% of the 13 at B or above)
        results = self.nd335.check_quotas(self._levels(self.nd335, A=3, B=10, C=5, D=1))
        self.assertEqual(len(results), 2)  # the agency and the duty group quotas
        result = results[0]
        self.assertEqual(
            (result["count"], result["basis"], result["allowed"], result["excess"]), (3, 10, 2, 1)
        )
        self.assertTrue(result["exceeded"])
        self.assertEqual(result["message"], "3 A of 10 graded B = 30% > 20% (at most 2 allowed)")
        # 2 A of 10 B: within
        result = self.nd335.check_quotas(self._levels(self.nd335, A=2, B=10, C=5))[0]
        self.assertFalse(result["exceeded"])
        self.assertEqual(result["message"], "2 A of 10 graded B = 20% ≤ 20% (at most 2 allowed)")
        # 8 B allow 1 A: floor(20% x 8) = 1
        result = self.nd335.check_quotas(self._levels(self.nd335, A=1, B=8, C=10))[0]
        self.assertEqual((result["basis"], result["allowed"]), (8, 1))
        self.assertFalse(result["exceeded"])

    def test_level_or_above_basis(self):
        fw = self.nd335.copy()
        fw.quota_ids[1:].unlink()
        fw.quota_ids.basis = "level_or_above"
        # 2 A of 10 graded B or above (5 C and 1 D not counted): 20% of 10 = 2
        [result] = fw.check_quotas(self._levels(fw, A=2, B=8, C=5, D=1))
        self.assertEqual((result["count"], result["basis"], result["allowed"]), (2, 10, 2))
        self.assertEqual(result["message"], "2 A of 10 graded B or above = 20% ≤ 20% (at most 2 allowed)")

    def test_levels_of_another_framework_do_not_count(self):
        levels = self._levels(self.nd335, A=1, B=5) + self._levels(self.hanoi, A=3, B=3)
        result = self.nd335.check_quotas(levels)[0]
        self.assertEqual((result["count"], result["basis"]), (1, 5))

    def test_one_result_per_quota(self):
        fw = self.framework
        self.env["civ.quota"].create(
            {"framework_id": fw.id, "level_id": self._level(fw, "D").id, "max_percent": 10.0}
        )
        results = fw.check_quotas(self._levels(fw, A=1, B=7, D=2))
        self.assertEqual([r["level"].code for r in results], ["A", "D"])
        self.assertEqual([r["exceeded"] for r in results], [False, True])
        self.assertEqual(results[1]["message"], "2 D of 10 evaluated = 20% > 10% (at most 1 allowed)")

    def test_quota_exceeded_after(self):
        level_a = self._level(self.hanoi, "A")
        level_b = self._level(self.hanoi, "B")
        levels = self._levels(self.hanoi, A=3, B=6)
        [result] = self.hanoi.quota_exceeded_after(levels, level_a)
        self.assertEqual(
            (result["count"], result["basis"], result["allowed"], result["excess"]), (4, 10, 3, 1)
        )
        self.assertEqual(self.hanoi.quota_exceeded_after(levels, level_b), [])
        self.assertEqual(self.hanoi.quota_exceeded_after(self._levels(self.hanoi, A=2, B=7), level_a), [])
        self.assertEqual(self.hanoi.quota_exceeded_after(levels, level_a, exceptional=True), [])
