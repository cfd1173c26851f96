from unittest.mock import patch

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import FrameworkCase, hanoi_3814, make_company, make_user


@tagged("post_install", "-at_install", "civ_evaluation", "civ_framework")
class TestFrameworkValidation(FrameworkCase):
    def assertProblem(self, framework, fragment):
        problems = framework._get_problems()[framework.id]
        self.assertTrue(
            any(fragment in problem for problem in problems),
            f"no problem containing {fragment!r} in {problems}",
        )
        self.assertFalse(framework.is_valid)
        with self.assertRaises(UserError):
            framework.action_validate()

    def test_valid_framework_validates_and_is_usable(self):
        framework = self.framework
        self.assertEqual(framework._get_problems()[framework.id], [])
        self.assertTrue(framework.is_valid)
        self.assertFalse(framework.validation_message)
        self.assertEqual(framework.state, "draft")
        with self.assertRaisesText(UserError, "not validated"):
            framework._check_usable()
        framework.action_validate()
        self.assertEqual(framework.state, "validated")
        self.assertTrue(framework._check_usable())
        self.assertIn(framework, self.Framework.search(self.Framework._usable_domain()))
        self.assertEqual(framework.max_total, 100.0)

    def test_archived_framework_is_not_usable(self):
        self.framework.action_validate()
        self.framework.active = False
        with self.assertRaisesText(UserError, "archived"):
            self.framework._check_usable()
        self.assertNotIn(self.framework, self.Framework.search(self.Framework._usable_domain()))

    def test_standard_groups_must_sum_to_max_score(self):
        self._group(self.framework, "G1").max_points = 25.0
        self.assertProblem(self.framework, "add up to 95 points, not to the maximum score 90")
        # a validated framework that became invalid can no longer be used
        self._group(self.framework, "G1").max_points = 20.0
        self.framework.action_validate()
        self.framework.max_score = 100.0
        self.assertFalse(self.framework.is_valid)
        with self.assertRaisesText(UserError, "not valid"):
            self.framework._check_usable()
        self.assertNotIn(self.framework, self.Framework.search(self.Framework._usable_domain()))

    def test_needs_a_standard_group(self):
        framework = self.Framework.create({"name": "Rỗng", "code": "EMPTY", "max_score": 100})
        self.assertProblem(framework, "at least one standard criteria group")
        self.assertProblem(framework, "at least one level")

    def test_ceiling_defaults_to_max_score_and_not_below_it(self):
        framework = self.Framework.create({"name": "Trần", "code": "CEIL", "max_score": 80})
        self.assertEqual(framework.score_ceiling, 80.0)
        self.framework.score_ceiling = 85.0
        self.assertProblem(self.framework, "ceiling 85 is below the maximum score 90")

    def test_bonus_groups_come_on_top_of_max_score(self):
        # 20 + 70 standard = 90 = max_score: the bonus group does not count in that sum
        self.assertTrue(self.framework.is_valid)
        self._group(self.framework, "G3").max_points = 0.0
        self.assertProblem(self.framework, "needs a positive maximum")

    def test_deduction_group_minimum_not_positive(self):
        with self.assertRaisesText(ValidationError, "minimum of 0 or less"):
            self._group(self.framework, "G4").min_points = 5.0
        self._group(self.framework, "G4").max_points = 3.0
        self.assertProblem(self.framework, "must have a maximum of 0")

    def test_negative_standard_group_refused(self):
        with self.assertRaisesText(ValidationError, "negative maximum"):
            self._group(self.framework, "G1").max_points = -5.0

    def test_criteria_must_fit_their_group(self):
        self._criterion(self.framework, "C1").max_points = 15.0
        self.assertProblem(self.framework, "add up to 25 points, more than the group's maximum 20")

    def test_criteria_below_the_group_maximum_are_allowed(self):
        self._criterion(self.framework, "C6").max_points = 2.0  # bonus criteria 6 + 2 <= 10
        self.assertTrue(self.framework.is_valid)

    def test_group_without_criteria(self):
        self._group(self.framework, "G3").criterion_ids.unlink()
        self.assertProblem(self.framework, "has no criteria")

    def test_criterion_sign_and_bounds(self):
        with self.assertRaisesText(ValidationError, "minimum .* above its maximum"):
            self._criterion(self.framework, "C1").min_points = 12.0
        self._criterion(self.framework, "C1").min_points = -2.0
        self.assertProblem(self.framework, "cannot go below 0")
        self._criterion(self.framework, "C1").min_points = 0.0
        self._criterion(self.framework, "C7").max_points = 2.0
        self.assertProblem(self.framework, "can only deduct points")

    def test_levels_strictly_decreasing(self):
        self._level(self.framework, "B").min_score = 90.0
        self.assertProblem(self.framework, "Level B (from 90) must start below level A (from 90)")
        self._level(self.framework, "B").min_score = 95.0
        self.assertProblem(self.framework, "Level B (from 95) must start below level A")
        self._level(self.framework, "B").min_score = 70.0
        self.assertTrue(self.framework.is_valid)
        self._level(self.framework, "C").sequence = 2
        self.assertProblem(self.framework, "have the same rank")

    def test_lowest_level_must_cover_zero(self):
        self._level(self.framework, "D").min_score = 10.0
        self.assertProblem(self.framework, "a total of 0 would get no level")
        self._level(self.framework, "D").min_score = 0.0
        self.framework.allow_negative_total = True
        self.assertProblem(self.framework, "a total of -10 would get no level")
        self._level(self.framework, "D").min_score = -10.0
        self.assertTrue(self.framework.is_valid)

    def test_level_above_ceiling(self):
        self._level(self.framework, "A").min_score = 101.0
        self.assertProblem(self.framework, "above the score ceiling 100")

    def test_quota_percentages(self):
        quota = self.framework.quota_ids
        with self.assertRaisesText(ValidationError, "between 0 and 100"):
            quota.max_percent = 120.0
        with self.assertRaisesText(ValidationError, "between 0 and 100"):
            quota.exceptional_max_percent = -1.0
        with self.assertRaisesText(ValidationError, "between 0 and 100"):
            quota.exceptional_max_percent = 100.5
        quota.write({"max_percent": 0.0, "exceptional_max_percent": 100.0})
        self.assertTrue(self.framework.is_valid)
        quota.write({"max_percent": 30.0, "exceptional_max_percent": 20.0})
        self.assertProblem(self.framework, "exceptional maximum is below the normal maximum")

    def test_quota_exceptional_defaults_to_max(self):
        quota = self.env["civ.quota"].create(
            {
                "framework_id": self.framework.id,
                "level_id": self._level(self.framework, "B").id,
                "max_percent": 60.0,
            }
        )
        self.assertEqual(quota.exceptional_max_percent, 0.0)
        self.assertEqual(quota._max_percent(exceptional=True), 60.0)
        self.assertTrue(self.framework.is_valid)

    def test_quota_levels_belong_to_framework(self):
        other = self._make_framework(code="OTHER")
        with self.assertRaisesText(ValidationError, "must belong to the quota's framework"):
            self.framework.quota_ids.level_id = self._level(other, "A")
        with self.assertRaisesText(ValidationError, "choose that level"):
            self.framework.quota_ids.basis = "level_or_above"
        self.framework.quota_ids.write(
            {"basis": "level_or_above", "basis_level_id": self._level(self.framework, "B").id}
        )
        self.assertTrue(self.framework.is_valid)
        self.framework.quota_ids.write(
            {
                "level_id": self._level(self.framework, "C").id,
                "basis_level_id": self._level(self.framework, "B").id,
            }
        )
        self.assertProblem(self.framework, "the level C is below the basis level B")

    def test_codes_unique_within_framework(self):
        with self.assertRaisesText(ValidationError, "Several criteria groups .* code G1"):
            self._group(self.framework, "G2").code = "G1"
        with self.assertRaisesText(ValidationError, "Several criteria of .* code c1"):
            # in another group of the same framework
            self._criterion(self.framework, "C3").code = "c1"
        with self.assertRaisesText(ValidationError, "Several levels .* code A"):
            self._level(self.framework, "B").code = "A"
        # the same codes in another framework are fine
        other = self._make_framework(code="OTHER")
        self.assertTrue(other.is_valid)
        self.assertEqual(set(other.level_ids.mapped("code")), set(self.framework.level_ids.mapped("code")))

    def test_validation_message_lists_problems(self):
        self._criterion(self.framework, "C1").max_points = 15.0
        self._level(self.framework, "D").min_score = 10.0
        message = self.framework.validation_message
        self.assertIn("more than the group's maximum", message)
        self.assertIn("would get no level", message)
        with self.assertRaises(UserError) as caught:
            self.framework.action_validate()
        self.assertIn("more than the group's maximum", str(caught.exception))
        self.assertIn("would get no level", str(caught.exception))
        self.assertEqual(self.framework.state, "draft")

    def test_level_rank_helpers(self):
        level_a, level_b, level_d = (self._level(self.framework, code) for code in "ABD")
        self.assertTrue(level_a.is_best)
        self.assertFalse(level_b.is_best)
        self.assertTrue(level_d.is_lowest)
        self.assertTrue(level_a.is_at_least(level_b))
        self.assertFalse(level_d.is_at_least(level_b))


@tagged("post_install", "-at_install", "civ_evaluation", "civ_framework")
class TestFrameworkUseGuard(FrameworkCase):
    def _used(self, frameworks=None):
        """Patch _is_used: the given frameworks (default: the test framework) are in use."""
        used_ids = set((frameworks or self.framework).ids)
        return patch.object(
            type(self.Framework), "_is_used", lambda records: {fid: fid in used_ids for fid in records.ids}
        )

    def test_is_used_without_evaluations(self):
        self.assertEqual(self.framework._is_used(), {self.framework.id: False})
        self.assertFalse(self.framework.is_used)

    def test_unused_framework_can_be_deleted(self):
        groups = self.framework.group_ids
        self.framework.unlink()
        self.assertFalse(groups.exists())

    def test_used_framework_cannot_be_deleted(self):
        with self._used(), self.assertRaisesText(UserError, "already used by evaluations"):
            self.framework.unlink()
        self.assertTrue(self.framework.exists())

    def test_used_framework_structure_frozen(self):
        framework = self.framework
        group = self._group(framework, "G1")
        criterion = self._criterion(framework, "C1")
        level = self._level(framework, "A")
        quota = framework.quota_ids
        refused = [
            lambda: framework.write({"max_score": 100.0}),
            lambda: framework.write({"score_ceiling": 110.0}),
            lambda: framework.write({"allow_negative_total": True}),
            lambda: framework.write({"period_kind": "quarter"}),
            lambda: group.write({"max_points": 25.0}),
            lambda: group.write({"kind": "bonus"}),
            lambda: group.write({"code": "X1"}),
            lambda: group.unlink(),
            lambda: self.env["civ.criteria.group"].create(
                {"framework_id": framework.id, "code": "G9", "name": "Mới", "max_points": 5}
            ),
            lambda: criterion.write({"max_points": 5.0}),
            lambda: criterion.write({"min_points": 1.0}),
            lambda: criterion.write({"group_id": self._group(framework, "G2").id}),
            lambda: criterion.unlink(),
            lambda: self.env["civ.criterion"].create({"group_id": group.id, "code": "C9", "name": "Mới"}),
            lambda: level.write({"min_score": 85.0}),
            lambda: level.write({"code": "A+"}),
            lambda: level.write({"sequence": 9}),
            lambda: level.unlink(),
            lambda: self.env["civ.level"].create(
                {"framework_id": framework.id, "code": "E", "name": "Mới", "min_score": 0}
            ),
            lambda: quota.write({"max_percent": 50.0}),
            lambda: quota.write({"scope": "company"}),
            lambda: quota.unlink(),
            lambda: framework.write({"group_ids": [Command.delete(group.id)]}),
            lambda: framework.write({"level_ids": [Command.create({"code": "E", "name": "E"})]}),
        ]
        with self._used():
            self.assertTrue(framework.is_used)
            for index, change in enumerate(refused):
                with self.subTest(index=index), self.assertRaisesText(UserError, "already used"):
                    change()
            # renaming, guidance, descriptions, archiving stay allowed; rewriting a same value too
            framework.write({"name": "Khung đổi tên", "legal_basis": "Quy định mới", "max_score": 90.0})
            group.write({"name": "Nhóm đổi tên", "description": "Mô tả"})
            criterion.write({"name": "Tiêu chí đổi tên", "guidance": "Hướng dẫn mới", "max_points": 10.0})
            level.write({"name": "Loại A"})
            quota.write({"note": "Ghi chú"})
            framework.action_archive()
        self.assertFalse(framework.active)
        self.assertEqual(framework.max_score, 90.0)
        self.assertEqual(group.max_points, 20.0)
        self.assertEqual(criterion.guidance, "Hướng dẫn mới")

    def test_used_framework_form(self):
        with self._used():
            with Form(self.framework) as form:
                self.assertTrue(form.is_used)
                with self.assertRaises(AssertionError):
                    form.max_score = 100.0
                form.name = "Khung đang dùng"
                with form.group_ids.edit(0) as group:
                    with self.assertRaises(AssertionError):
                        group.max_points = 30.0
                    group.name = "Nhóm 1 đổi tên"
                    with group.criterion_ids.edit(0) as criterion:
                        with self.assertRaises(AssertionError):
                            criterion.max_points = 5.0
                        criterion.guidance = "Hướng dẫn chấm mới"
                with form.level_ids.edit(0) as level:
                    with self.assertRaises(AssertionError):
                        level.min_score = 80.0
                    level.name = "Xuất sắc (đổi tên)"
        group = self._group(self.framework, "G1")
        self.assertEqual(group.name, "Nhóm 1 đổi tên")
        self.assertEqual(group.criterion_ids.sorted("sequence")[0].guidance, "Hướng dẫn chấm mới")
        self.assertEqual(self._level(self.framework, "A").name, "Xuất sắc (đổi tên)")
        self.assertEqual(group.max_points, 20.0)

    def test_guard_only_for_the_used_framework(self):
        other = self._make_framework(code="OTHER")
        with self._used():
            self._group(other, "G1").write({"code": "X1"})
            other.write({"max_score": 100.0})
        self.assertEqual(other.max_score, 100.0)


@tagged("post_install", "-at_install", "civ_evaluation", "civ_framework")
class TestFrameworkCopy(FrameworkCase):
    def test_copy_version_is_deep(self):
        original = self.framework
        original.quota_ids.write({"basis": "level_or_above", "basis_level_id": self._level(original, "B").id})
        original.action_validate()
        action = original.action_copy_version()
        copy = self.Framework.browse(action["res_id"])
        self.assertEqual(action["res_model"], "civ.framework")
        self.assertNotEqual(copy, original)
        self.assertEqual(copy.name, original.name)
        self.assertEqual(copy.code, original.code)
        self.assertEqual(copy.version, 2)
        self.assertEqual(copy.origin_id, original)
        self.assertEqual(copy.state, "draft")
        self.assertEqual(copy.display_name, f"{original.name} (v2)")
        self.assertEqual((copy.max_score, copy.score_ceiling), (original.max_score, original.score_ceiling))
        # groups, criteria, levels, quotas: same content, new records
        for field in ("group_ids", "criterion_ids", "level_ids", "quota_ids"):
            self.assertEqual(len(copy[field]), len(original[field]), field)
            self.assertFalse(copy[field] & original[field], field)
        self.assertEqual(
            [(g.code, g.kind, g.max_points, g.min_points) for g in copy.group_ids],
            [(g.code, g.kind, g.max_points, g.min_points) for g in original.group_ids],
        )
        self.assertEqual(
            sorted((c.group_id.code, c.code, c.max_points, c.min_points) for c in copy.criterion_ids),
            sorted((c.group_id.code, c.code, c.max_points, c.min_points) for c in original.criterion_ids),
        )
        self.assertEqual(copy.criterion_ids.group_id, copy.group_ids)
        self.assertEqual(
            [(lv.code, lv.sequence, lv.min_score) for lv in copy.level_ids],
            [(lv.code, lv.sequence, lv.min_score) for lv in original.level_ids],
        )
        quota = copy.quota_ids
        self.assertEqual(quota.level_id, self._level(copy, "A"))
        self.assertEqual(quota.basis_level_id, self._level(copy, "B"))
        self.assertEqual((quota.max_percent, quota.exceptional_max_percent), (30.0, 40.0))
        self.assertTrue(copy.is_valid)
        # a third version numbers after the highest one
        third = self.Framework.browse(original.action_copy_version()["res_id"])
        self.assertEqual(third.version, 3)

    def test_copy_of_used_framework_is_editable(self):
        original = self.framework
        used = patch.object(
            type(self.Framework), "_is_used", lambda records: {fid: fid == original.id for fid in records.ids}
        )
        with used:
            copy = self.Framework.browse(original.action_copy_version()["res_id"])
            self._group(copy, "G1").max_points = 25.0
            self._criterion(copy, "C1").max_points = 15.0
            copy.max_score = 95.0
            self.assertTrue(copy.is_valid)
            with self.assertRaises(UserError):
                self._group(original, "G1").max_points = 25.0
        self.assertEqual(self._group(original, "G1").max_points, 20.0)

    def test_duplicate_is_deep_too(self):
        copy = self.framework.copy()
        self.assertEqual(copy.name, f"{self.framework.name} (copy)")
        self.assertEqual(len(copy.criterion_ids), 8)
        self.assertEqual(copy.quota_ids.level_id.framework_id, copy)


@tagged("post_install", "-at_install", "civ_evaluation", "civ_framework")
class TestFrameworkAccessAndViews(FrameworkCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.internal_user = make_user(cls.env, "civ_fw_internal")
        cls.admin_user = make_user(
            cls.env, "civ_fw_admin", groups="base.group_user,civ_evaluation.group_civ_admin"
        )

    def test_internal_user_reads_but_cannot_edit(self):
        framework = self.framework.with_user(self.internal_user)
        self.assertEqual(framework.name, "Khung thử nghiệm")
        self.assertTrue(framework.group_ids.criterion_ids)
        result = framework.compute_score({})
        self.assertEqual(result["total"], 0.0)
        with self.assertRaises(AccessError):
            framework.write({"name": "Không được"})
        with self.assertRaises(AccessError):
            framework.group_ids[0].write({"name": "Không được"})
        with self.assertRaises(AccessError):
            self.env["civ.level"].with_user(self.internal_user).create(
                {"framework_id": framework.id, "code": "E", "name": "E"}
            )

    def test_admin_edits(self):
        framework = self.framework.with_user(self.admin_user)
        framework.write({"name": "Đổi tên"})
        framework.action_validate()
        self.assertEqual(framework.state, "validated")

    def test_other_company_frameworks_hidden(self):
        other_company = make_company(self.env, "Sở khác")
        own = self._make_framework(code="OWN", company_id=self.env.company.id)
        foreign = self._make_framework(code="FOREIGN", company_id=other_company.id)
        visible = self.Framework.with_user(self.internal_user).search(
            [("code", "in", ["OWN", "FOREIGN", "TEST"])]
        )
        self.assertEqual(set(visible.mapped("code")), {"OWN", "TEST"})
        self.assertIn(own, visible.sudo())
        levels = (
            self.env["civ.level"].with_user(self.internal_user).search([("framework_id", "=", foreign.id)])
        )
        self.assertFalse(levels)

    def test_menu_visible_to_internal_users(self):
        menu = self.env.ref("civ_evaluation.menu_civ_framework")
        self.assertIn(menu.id, self.env["ir.ui.menu"].with_user(self.internal_user)._visible_menu_ids())
        config_menu = self.env.ref("civ_evaluation.menu_civ_framework_config")
        self.assertNotIn(
            config_menu.id, self.env["ir.ui.menu"].with_user(self.internal_user)._visible_menu_ids()
        )
        self.assertIn(config_menu.id, self.env["ir.ui.menu"].with_user(self.admin_user)._visible_menu_ids())

    def test_framework_form(self):
        Framework = self.Framework.with_user(self.admin_user)
        with Form(Framework) as form:
            form.name = "Khung mới"
            form.code = "NEW"
            form.max_score = 100.0
            self.assertEqual(form.score_ceiling, 100.0)
            with form.level_ids.new() as level:
                level.sequence = 1
                level.code = "A"
                level.name = "Đạt"
                level.min_score = 0.0
            with form.group_ids.new() as group:
                group.code = "G1"
                group.name = "Nhóm 1"
                group.max_points = 100.0
                with group.criterion_ids.new() as criterion:
                    criterion.code = "C1"
                    criterion.name = "Tiêu chí 1"
                    criterion.max_points = 100.0
            self.assertTrue(form.is_valid)
        framework = form.record
        self.assertEqual(framework.criterion_ids.code, "C1")
        self.assertEqual(framework.level_ids.code, "A")
        framework.action_validate()
        # the shipped framework opens and saves unchanged
        with Form(hanoi_3814(self.env).with_user(self.admin_user)) as form:
            self.assertTrue(form.is_valid)

    def test_form_shows_problems(self):
        with Form(self.framework.with_user(self.admin_user)) as form:
            form.max_score = 80.0
            self.assertFalse(form.is_valid)
            self.assertIn("not to the maximum score 80", form.validation_message)
            form.max_score = 90.0
            self.assertTrue(form.is_valid)

    def test_group_form(self):
        with Form(self.env["civ.criteria.group"].with_user(self.admin_user)) as form:
            form.framework_id = self.framework
            form.code = "G5"
            form.name = "Trừ thêm"
            form.kind = "deduction"
            form.min_points = -5.0
            with form.criterion_ids.new() as criterion:
                criterion.code = "C9"
                criterion.name = "Vi phạm khác"
                criterion.min_points = -5.0
        self.assertEqual(form.record.criterion_ids.framework_id, self.framework)
        self.assertTrue(self.framework.is_valid)

    def test_criterion_form(self):
        with Form(self.env["civ.criterion"].with_user(self.admin_user)) as form:
            form.group_id = self._group(self.framework, "G3")
            form.code = "C10"
            form.name = "Thưởng khác"
            form.guidance = "Tối đa 0 điểm"
        self.assertEqual(form.record.framework_id, self.framework)

    def test_level_form(self):
        with Form(self.env["civ.level"].with_user(self.admin_user)) as form:
            form.framework_id = self.framework
            form.sequence = 5
            form.code = "E"
            form.name = "Kém"
            form.min_score = -10.0
        self.assertEqual(self.framework._sorted_levels()[-1], form.record)

    def test_quota_form(self):
        with Form(self.env["civ.quota"].with_user(self.admin_user)) as form:
            form.framework_id = self.framework
            form.level_id = self._level(self.framework, "A")
            form.basis = "level_or_above"
            form.basis_level_id = self._level(self.framework, "B")
            form.max_percent = 20.0
            form.scope = "company"
        self.assertEqual(form.record._max_percent(exceptional=True), 20.0)
        self.assertEqual(form.record.display_name, "A ≤ 20% of B or above")
