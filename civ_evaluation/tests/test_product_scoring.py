"""Task results computed from products and work (Nghị định 335/2025): the formula's worked examples,
the framework's data, and the products on a sheet through the workflow, the gate, the lock and the
seal (issue: evaluation by products)."""

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException, TransactionCase
from odoo.tools import mute_logger

from .common import RpcMixin, make_company, make_department, nd335
from .cycle_common import CivCycleCase


def item(
    assigned, done, quality, on_time, weight=1.0, errors=0, delays=0, objective=False, objective_delays=False
):
    return {
        "weight": weight,
        "qty_assigned": assigned,
        "qty_done": done,
        "qty_quality": quality,
        "qty_on_time": on_time,
        "error_count": errors,
        "delay_count": delays,
        "objective_cause": objective,
        "objective_cause_delays": objective_delays,
    }


@tagged("post_install", "-at_install", "civ_evaluation", "civ_products")
class TestProductFormula(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.nd335 = nd335(cls.env)
        cls.group = cls.env.ref("civ_evaluation.nd335_group_2")

    def _score(self, items, **kwargs):
        result = self.nd335.compute_product_score(items, **kwargs)
        return result, result["groups"][self.group.id]["points"]

    def test_all_done_on_time_gives_70(self):
        result, points = self._score([item(10, 10, 10, 10)])
        self.assertEqual((result["quantity"], result["quality"], result["progress"]), (100.0, 100.0, 100.0))
        self.assertEqual(points, 70.0)

    def test_worked_example_90_80_90(self):
        result, points = self._score([item(10, 9, 8, 9)])
        self.assertEqual((result["quantity"], result["quality"], result["progress"]), (90.0, 80.0, 90.0))
        self.assertEqual(points, 60.67)
        # the points reach the total like any criterion's: 60.67 + 30 general points = 90.67, level A
        criterion = self.env.ref("civ_evaluation.nd335_c_2_1")
        points_by_criterion = {c.id: c.max_points for c in self.nd335.criterion_ids}
        points_by_criterion[criterion.id] = points
        total = self.nd335.compute_score(points_by_criterion)
        self.assertEqual(total["total"], 90.67)
        self.assertEqual(total["level"].code, "A")

    def test_converted_units_weigh_items(self):
        # a heavy item (coefficient 3) not done weighs three times an ordinary one done
        result, _points = self._score([item(1, 1, 1, 1), item(1, 0, 0, 0, weight=3.0)])
        self.assertEqual(result["quantity"], 25.0)

    def test_major_error_cuts_the_item_quality_unless_objective_cause(self):
        items = [item(1, 1, 1, 1, errors=1), item(1, 1, 1, 1)]
        result, points = self._score(items)
        # the item's quality 1 → 0.75: b = 1.75 / 2 = 87.5 %
        self.assertEqual(result["quality"], 87.5)
        self.assertEqual(points, 67.08)
        result, points = self._score([item(1, 1, 1, 1, errors=1, objective=True), item(1, 1, 1, 1)])
        self.assertEqual(result["quality"], 100.0)
        self.assertEqual(points, 70.0)
        # four major errors leave nothing of the item's quality, never less
        result, _points = self._score([item(1, 1, 1, 1, errors=5)])
        self.assertEqual(result["quality"], 0.0)

    def test_delay_cuts_the_progress_of_one_product(self):
        # Decree 335, art. 15: a line of 2 products, both done on time and meeting the requirements, with
        # 2 delays: each delay cuts 25% of one product's progress, c = (2 - 0.5) / 2 = 75% (not 50%)
        result, points = self._score([item(2, 2, 2, 2, delays=2)])
        self.assertEqual(result["progress"], 75.0)
        # (100 + 100 + 75) / 3 = 91.67% of 70
        self.assertEqual(points, 64.17)

    def test_major_error_cuts_the_quality_of_one_product(self):
        # 10 products with 1 major error: b = (10 - 0.25) / 10 = 97.5%
        result, _points = self._score([item(10, 10, 10, 10, errors=1)])
        self.assertEqual(result["quality"], 97.5)
        self.assertEqual(result["progress"], 100.0)

    def test_objective_causes_of_errors_and_of_delays_are_separate(self):
        items = [item(2, 2, 2, 2, errors=2, delays=2, objective=True)]
        result, _points = self._score(items)
        self.assertEqual((result["quality"], result["progress"]), (100.0, 75.0))
        result, _points = self._score([item(2, 2, 2, 2, errors=2, delays=2, objective_delays=True)])
        self.assertEqual((result["quality"], result["progress"]), (75.0, 100.0))

    def test_nothing_assigned_gives_nothing(self):
        result, points = self._score([])
        self.assertEqual((result["quantity"], points), (0.0, 0.0))

    def test_leaders_unit_component(self):
        # the points of the people led (Decree 335): at least 50 each for the full unit result
        # everyone under the leader at least "Hoàn thành nhiệm vụ": unit result 100 %
        result, points = self._score([item(10, 10, 10, 10)], leader=True, unit_scores=[80.0, 60.0])
        self.assertEqual(result["unit_result"], 100.0)
        self.assertEqual(points, 70.0)
        # one person below: 50 %; (100 + 100 + 100 + 50 + 100) / 5 = 90 % of 70 = 63
        result, points = self._score([item(10, 10, 10, 10)], leader=True, unit_scores=[80.0, 40.0])
        self.assertEqual(result["unit_result"], 50.0)
        self.assertEqual(points, 63.0)
        # the organisation of the unit's work weighs too
        _result, points = self._score(
            [item(10, 10, 10, 10)], leader=True, unit_scores=[80.0], organisation_percent=50.0
        )
        self.assertEqual(points, 63.0)
        # staff are not weighed on a unit
        _result, points = self._score([item(10, 10, 10, 10)], unit_scores=[40.0])
        self.assertEqual(points, 70.0)

    def test_cuts_and_weights_are_data_of_the_framework(self):
        copy = self.nd335.copy({"name": "ND 335 - địa phương", "code": "ND-335-X"})
        group = copy.group_ids.filtered(lambda g: g.scoring_mode == "products")
        self.assertEqual(len(group.component_ids), 5)
        self.assertEqual(group.unit_result_level_id.framework_id, copy)
        self.assertEqual(group.unit_result_level_id.code, "C")
        group.product_error_cut = 50.0
        group.component_ids.filtered(lambda c: c.component == "quantity").weight = 2.0
        result = copy.compute_product_score([item(4, 4, 4, 4, errors=1)])
        # one error cuts 50% of one of the 4 products: (4 - 0.5) / 4
        self.assertEqual(result["quality"], 87.5)
        # (2 × 100 + 87.5 + 100) / 4 = 96.875 % of 70
        self.assertEqual(result["groups"][group.id]["points"], 67.81)

    def test_framework_validates_only_when_the_group_is_complete(self):
        self.assertEqual(self.nd335._get_problems()[self.nd335.id], [])
        copy = self.nd335.copy({"name": "ND 335 - thiếu", "code": "ND-335-Y"})
        group = copy.group_ids.filtered(lambda g: g.scoring_mode == "products")
        group.component_ids.filtered(lambda c: c.applies_to == "everyone").unlink()
        group.unit_result_level_id = False
        group.unit_result_min_score = 0.0
        problems = "\n".join(copy._get_problems()[copy.id])
        self.assertIn("no component of the task results for staff", problems)
        self.assertIn("choose the level every person under the leader must reach", problems)
        with self.assertRaises(UserError):
            copy.action_validate()
        group.criterion_ids.max_points = 60
        self.assertIn("needs exactly one criterion", "\n".join(copy._get_problems()[copy.id]))
        with self.assertRaises(ValidationError):
            group.component_ids[:1].weight = 0


@tagged("post_install", "-at_install", "civ_evaluation", "civ_products")
class TestProductsOnSheets(CivCycleCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.nd335 = nd335(cls.env)
        cls.company.civ_framework_id = cls.nd335
        cls.criterion = cls.env.ref("civ_evaluation.nd335_c_2_1")
        cls.job = cls.env["hr.job"].create({"name": "Chuyên viên pháp chế", "company_id": cls.company.id})
        cls.staff.job_id = cls.job
        cls.product_type = cls.env["civ.product.type"].create(
            {
                "name": "Dự thảo văn bản quy phạm",
                "code": "VBQP",
                "weight": 2.0,
                "job_ids": [Command.set(cls.job.ids)],
                "company_id": cls.company.id,
            }
        )
        cls.period = cls._open_period()
        cls.sheet = cls._sheet(cls.period, cls.staff)
        cls.line = cls.sheet.line_ids.filtered(lambda line: line.criterion_id == cls.criterion)

    def _add(self, user, **vals):
        return (
            self.env["civ.evaluation.product"]
            .with_user(user)
            .create(dict({"evaluation_id": self.sheet.id, "name": "Báo cáo tháng"}, **vals))
        )

    def test_products_give_the_task_points_through_the_workflow(self):
        sheet = self.sheet
        self.assertTrue(sheet.uses_products)
        product = self._add(self.user_staff, qty_assigned=10, qty_done=9, qty_quality=8, qty_on_time=9)
        self.assertEqual(product.source, "manual")
        self.assertEqual(
            (sheet.product_score_quantity, sheet.product_score_quality, sheet.product_score_progress),
            (90.0, 80.0, 90.0),
        )
        self.assertEqual(self.line.self_points, 60.67)
        self.assertEqual(sheet.self_score, 60.67)
        self.assertTrue(any("Báo cáo tháng" in body for body in sheet.message_ids.mapped("body")))
        # the computed points are not typed, by the employee nor later by the reviewer
        with self.assertRaises(AccessError):
            self.line.with_user(self.user_staff).write({"self_points": 70})
        # errors, delays and objective causes are the reviewers'
        with self.assertRaises(AccessError):
            product.with_user(self.user_staff).write({"error_count": 0, "objective_cause": True})
        sheet.with_user(self.user_staff).action_submit()
        self.assertEqual(self.line.reviewer_points, 60.67)
        # the employee no longer changes the products in review
        with self.assertRaises(AccessError):
            product.with_user(self.user_staff).write({"qty_done": 10})
        # the direct leader (re-scoring step) records a major error: it cuts 25% of one product's quality,
        # 8 → 7.75, b 77.5 %; (90 + 77.5 + 90) / 3 = 85.83 % of 70
        product.with_user(self.user_deputy).write({"error_count": 1})
        self.assertTrue(product.confirmed)
        self.assertEqual(sheet.product_score_quality, 77.5)
        self.assertEqual(self.line.reviewer_points, 60.08)
        self.assertEqual(self.line.self_points, 60.67)
        self.assertTrue(any("Major Errors" in body for body in sheet.message_ids.mapped("body")))
        # then confirms an objective cause: back to 60.67
        product.with_user(self.user_deputy).write(
            {"objective_cause": True, "objective_cause_note": "Mất điện"}
        )
        self.assertEqual(self.line.reviewer_points, 60.67)
        with self.assertRaises(AccessError):
            self.line.with_user(self.user_deputy).write({"reviewer_points": 70})
        sheet.with_user(self.user_deputy).action_approve()
        # the leader is done: they no longer change the products; the deciding head re-scores
        with self.assertRaises(AccessError):
            product.with_user(self.user_deputy).write({"qty_done": 10})
        product.with_user(self.user_head).write({"qty_done": 10})
        self.assertEqual(sheet.product_score_quantity, 100.0)
        sheet.with_user(self.user_head).action_approve()
        self.assertEqual(sheet.state, "done")
        # (100 + 80 + 90) / 3 = 90 % of 70
        self.assertEqual(sheet.final_score, 63.0)
        self.assertEqual(sheet.level_id.code, "C")

    def test_returned_sheet_keeps_the_reviewers_corrections(self):
        product = self._add(self.user_staff, qty_assigned=2, qty_done=2, qty_quality=2, qty_on_time=2)
        self.sheet.with_user(self.user_staff).action_submit()
        product.with_user(self.user_deputy).write({"qty_on_time": 1})
        self.assertEqual(self.line.reviewer_points, 58.33)
        self.sheet.with_user(self.user_deputy).action_return("Bổ sung minh chứng tiến độ")
        self.assertEqual(self.sheet.state, "draft")
        # the self points now follow the corrected products; the confirmed line stays the reviewer's
        self.assertEqual(self.line.self_points, 58.33)
        with self.assertRaises(AccessError):
            product.with_user(self.user_staff).write({"qty_on_time": 2})
        self._add(
            self.user_staff, name="Việc phát sinh", qty_assigned=1, qty_done=1, qty_quality=1, qty_on_time=1
        )
        self.assertEqual(self.sheet.product_score_progress, 66.67)

    def test_catalogue_coefficient_and_typed_numbers(self):
        product = self._add(
            self.user_staff,
            product_type_id=self.product_type.id,
            qty_assigned="2",
            qty_done="1,5",
            qty_quality=1,
            qty_on_time=1,
        )
        self.assertEqual(product.weight, 2.0)
        self.assertEqual(product.qty_done, 1.5)
        with self.assertRaises(ValidationError):
            product.with_user(self.user_staff).write({"qty_done": "nhiều"})
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            product.with_user(self.user_staff).write({"qty_done": 3})
        with self.assertRaises(UserError):
            self.product_type.unlink()

    def test_the_coefficient_is_the_catalogues(self):
        product = self._add(
            self.user_staff, product_type_id=self.product_type.id, qty_assigned=1, qty_done=1, qty_quality=1
        )
        self.assertEqual(product.weight, 2.0)
        # the employee cannot override it, on a typed line nor on a free one (1 there)
        with self.assertRaisesRegex(UserError, "catalogue"), self.env.cr.savepoint():
            product.with_user(self.user_staff).write({"weight": 3.0})
        with self.assertRaisesRegex(UserError, "catalogue"), self.env.cr.savepoint():
            self._add(self.user_staff, qty_assigned=1, weight=1.5)
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            product.with_user(self.user_staff).write({"weight": 3.0, "weight_note": "Khó"})
        self.assertEqual(product.weight, 2.0)
        self.sheet.with_user(self.user_staff).action_submit()
        # the reviewer may, with the reason, and the change is in the chatter
        deputy_product = product.with_user(self.user_deputy)
        with self.assertRaisesRegex(UserError, "Coefficient Note"), self.env.cr.savepoint():
            deputy_product.write({"weight": 3.0})
        deputy_product.write({"weight": 3.0, "weight_note": "Văn bản liên ngành, phức tạp gấp rưỡi"})
        self.assertEqual(product.weight, 3.0)
        self.assertTrue(
            any("Coefficient" in body and "3" in body for body in self.sheet.message_ids.mapped("body"))
        )
        # taking the reason away while the coefficient differs is refused
        with self.assertRaisesRegex(UserError, "Coefficient Note"), self.env.cr.savepoint():
            deputy_product.write({"weight_note": False})

    def test_exceeding_requirements_are_at_most_those_meeting_them(self):
        product = self._add(self.user_staff, qty_assigned=10, qty_done=10, qty_quality=8, qty_exceeded=3)
        self.assertEqual(product.qty_exceeded, 3.0)
        with self.assertRaisesRegex(ValidationError, "exceeding the requirements"), self.env.cr.savepoint():
            product.with_user(self.user_staff).write({"qty_exceeded": 9})

    def test_who_adds_products(self):
        # only the employee on their draft; not a colleague, not the officer, not forged fields
        with self.assertRaises(AccessError):
            self._add(self.user_staff2, qty_assigned=1)
        with self.assertRaises(AccessError):
            self._add(self.user_officer, qty_assigned=1)
        with self.assertRaises(AccessError):
            self._add(
                self.user_staff,
                qty_assigned=1,
                qty_done=1,
                qty_quality=1,
                qty_on_time=1,
                objective_cause=True,
            )
        with self.assertRaises(AccessError):
            self._add(self.user_staff, qty_assigned=1, confirmed=True)
        product = self._add(self.user_staff, qty_assigned=1, source="import")
        self.assertEqual((product.source, product.confirmed), ("manual", False))
        product.with_user(self.user_staff).unlink()
        self.assertEqual(self.sheet.self_score, 0.0)

    def test_locked_month_is_sealed_with_its_products(self):
        product = self._add(self.user_staff, qty_assigned=4, qty_done=4, qty_quality=4, qty_on_time=4)
        self.sheet.with_user(self.user_staff).action_submit()
        self.sheet.with_user(self.user_deputy).action_approve()
        self.assertTrue(product.confirmed)
        self.period.with_user(self.user_officer).action_lock()
        self.assertEqual(self.sheet.state, "locked")
        with self.assertRaises(UserError):
            product.sudo().write({"qty_done": 1})
        with self.assertRaises(UserError):
            product.sudo().unlink()
        with self.assertRaises(UserError):
            self.env["civ.evaluation.product"].sudo().create(
                {"evaluation_id": self.sheet.id, "name": "Thêm sau khi khóa", "qty_assigned": 1}
            )
        self.assertFalse(self.period._integrity_failures())
        self.env.flush_all()
        self.env.cr.execute("UPDATE civ_evaluation_product SET error_count = 3 WHERE id = %s", [product.id])
        self.assertEqual(self.period._integrity_failures(), self.sheet)

    def test_types_follow_the_job_position_and_company(self):
        product = self._add(self.user_staff, product_type_id=self.product_type.id, qty_assigned=1)
        self.assertEqual(product.weight, 2.0)
        # a colleague of another job position; a type of another company: refused by the model
        sheet2 = self._sheet(self.period, self.staff2)
        with (
            self.assertRaisesRegex(ValidationError, "not in the catalogue of products"),
            self.env.cr.savepoint(),
        ):
            self.env["civ.evaluation.product"].with_user(self.user_staff2).create(
                {"evaluation_id": sheet2.id, "name": "Dự thảo", "product_type_id": self.product_type.id}
            )
        other = make_company(self.env, "UBND quận Khác")
        foreign = self.env["civ.product.type"].create(
            {"name": "Sản phẩm quận khác", "code": "KHAC", "company_id": other.id}
        )
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            product.with_user(self.user_staff).write({"product_type_id": foreign.id})
        # shared types of no job position are everyone's
        shared = self.env["civ.product.type"].create({"name": "Báo cáo định kỳ", "company_id": False})
        line = (
            self.env["civ.evaluation.product"]
            .with_user(self.user_staff2)
            .create({"evaluation_id": sheet2.id, "name": "Báo cáo tháng", "product_type_id": shared.id})
        )
        self.assertEqual(line.product_type_id, shared)

    def test_leaders_units_read_together(self):
        """The units of the agency's leaders and of a unit's leaders, refreshed in one call (as a load
        of the whole agency does): the agency's leaders count everyone, the unit's leaders their unit
        with its sub-units, nobody counts themselves, and the batch gives what each sheet alone gives."""
        team = make_department(self.env, self.company, "Tổ Cải cách hành chính", parent=self.section)
        sheets = {
            employee: self._sheet(self.period, employee)
            for employee in (self.chairman, self.vice, self.head, self.deputy, self.staff, self.staff2)
        }
        # the colleague works in a team under the unit; every other person reaches "Hoàn thành nhiệm vụ"
        sheets[self.staff2].sudo().write({"department_id": team.id, "self_score": 10.0})
        for employee, sheet in sheets.items():
            if employee != self.staff2:
                sheet.sudo().write({"self_score": 60.0})
        leaders = sheets[self.chairman] | sheets[self.vice] | sheets[self.head] | sheets[self.deputy]
        together = leaders._civ_unit_levels()
        self.assertEqual(together, {sheet.id: sheet._civ_unit_levels()[sheet.id] for sheet in leaders})
        self.assertEqual(
            {sheet_id: len(levels) for sheet_id, levels in together.items()},
            {
                sheets[self.chairman].id: 5,
                sheets[self.vice].id: 5,
                # the head counts the deputy, both staff (the team is in the unit); the deputy the head too
                sheets[self.head].id: 3,
                sheets[self.deputy].id: 3,
            },
        )
        nd335_levels = self.nd335._sorted_levels()
        passing = nd335_levels.filtered(lambda level: level.min_score <= 60.0)[:1]
        self.assertEqual(together[sheets[self.head].id].count(passing), 2)
        # the team's colleague below the level: every leader's unit at 50 %; then at 100 %
        leaders._civ_refresh_product_points()
        self.assertEqual(leaders.mapped("product_score_unit"), [50.0] * 4)
        # (the refresh gave the leaders the points of their products: everyone back at 60 points)
        for sheet in sheets.values():
            sheet.sudo().write({"self_score": 60.0})
        for levels in leaders._civ_unit_levels().values():
            self.assertEqual(levels, [passing] * len(levels))
        leaders._civ_refresh_product_points()
        self.assertEqual(leaders.mapped("product_score_unit"), [100.0] * 4)

    def test_unit_result_counts_the_points_not_the_decided_level(self):
        # Decree 335: a person of the unit with 60 points counts as completing, even decided
        # "Không hoàn thành nhiệm vụ" on a ground (a disciplinary measure)
        head_sheet = self._sheet(self.period, self.head)
        level_d = self.env.ref("civ_evaluation.nd335_level_d")
        for employee in self.deputy | self.staff | self.staff2:
            self._sheet(self.period, employee).sudo().write({"self_score": 60.0})
        self._sheet(self.period, self.staff).sudo().write(
            {"state": "done", "level_id": level_d.id, "final_score": 60.0}
        )
        self.assertIn((level_d, 60.0), head_sheet._civ_unit_standing()[head_sheet.id])
        group = self.criterion.group_id
        self.assertEqual(group.unit_result_min_score, 50.0)
        head_sheet._civ_refresh_product_points()
        self.assertEqual(head_sheet.product_score_unit, 100.0)
        # 49.99 points is below: 50 %
        self._sheet(self.period, self.staff2).sudo().write({"self_score": 49.99})
        head_sheet._civ_refresh_product_points()
        self.assertEqual(head_sheet.product_score_unit, 50.0)
        # the same through the formula: 50 points is enough, text is no number
        item = {"weight": 1, "qty_assigned": 1, "qty_done": 1, "qty_quality": 1, "qty_on_time": 1}
        result = self.nd335.compute_product_score([item], leader=True, unit_scores=[50, 90.0])
        self.assertEqual(result["unit_result"], 100.0)
        result = self.nd335.compute_product_score([item], leader=True, unit_scores=[49.99, 90.0])
        self.assertEqual(result["unit_result"], 50.0)
        with self.assertRaises(UserError):
            self.nd335.compute_product_score([item], leader=True, unit_scores=["nhiều"])

    def test_deputy_is_judged_on_the_units_directed(self):
        team = make_department(self.env, self.company, "Tổ Cải cách hành chính", parent=self.section)
        sheets = {
            employee: self._sheet(self.period, employee)
            for employee in (self.head, self.deputy, self.staff, self.staff2)
        }
        sheets[self.staff2].sudo().write({"department_id": team.id, "self_score": 80.0})
        sheets[self.staff].sudo().write({"self_score": 10.0})
        self.assertEqual(self.deputy.civ_position, "deputy_unit_head")
        # the whole unit: the head and the staff member below 50 weigh on the deputy
        standing = sheets[self.deputy]._civ_unit_standing()[sheets[self.deputy].id]
        self.assertEqual(len(standing), 3)
        # the deputy directs the team only: judged on its people alone
        self.deputy.civ_directed_department_ids = team
        standing = sheets[self.deputy]._civ_unit_standing()[sheets[self.deputy].id]
        self.assertEqual([score for _level, score in standing], [80.0])
        sheets[self.deputy]._civ_refresh_product_points()
        self.assertEqual(sheets[self.deputy].product_score_unit, 100.0)
        # the head still answers for the whole unit
        sheets[self.head]._civ_refresh_product_points()
        self.assertEqual(sheets[self.head].product_score_unit, 50.0)

    def test_leader_unit_result_follows_the_unit(self):
        head_sheet = self._sheet(self.period, self.head)
        self.assertEqual(head_sheet.civ_position, "unit_head")
        self.env["civ.evaluation.product"].with_user(self.user_head).create(
            {
                "evaluation_id": head_sheet.id,
                "name": "Chỉ đạo phòng",
                "qty_assigned": 1,
                "qty_done": 1,
                "qty_quality": 1,
                "qty_on_time": 1,
            }
        )
        # nobody of the unit has scored yet (level D from 0 points): unit result 50 %
        self.assertEqual(head_sheet.product_score_unit, 50.0)
        self.assertEqual(
            head_sheet.line_ids.filtered(lambda line: line.criterion_id == self.criterion).self_points, 63.0
        )
        # everyone of the unit at least "Hoàn thành nhiệm vụ": 100 %
        for employee in self.deputy | self.staff | self.staff2:
            sheet = self._sheet(self.period, employee)
            sheet.sudo().write({"self_score": 60.0})
        head_sheet.with_user(self.user_head).write({"product_organisation_percent": "100"})
        head_sheet._civ_refresh_product_points()
        self.assertEqual(head_sheet.product_score_unit, 100.0)
        self.assertEqual(head_sheet.self_score, 70.0)
        with self.assertRaises(ValidationError):
            head_sheet.with_user(self.user_head).write({"product_organisation_percent": 120})
        with self.assertRaises(AccessError):
            head_sheet.with_user(self.user_staff).write({"product_organisation_percent": 10})


@tagged("post_install", "-at_install", "civ_evaluation", "civ_products", "civ_access")
class TestProductsOverRpc(RpcMixin, CivCycleCase, HttpCase):
    def test_employee_cannot_forge_review_fields(self):
        self.company.civ_framework_id = nd335(self.env)
        period = self._open_period()
        sheet = self._sheet(period, self.staff)
        self.authenticate("nhanvien_t", "nhanvien_t")
        product_id = self._call(
            "civ.evaluation.product",
            "create",
            {
                "evaluation_id": sheet.id,
                "name": "Hồ sơ",
                "qty_assigned": "3",
                "qty_done": "3",
                "qty_quality": 3,
                "qty_on_time": 2,
            },
            context={
                "default_objective_cause": True,
                "default_confirmed": True,
                "default_source": "project",
                "default_error_count": 0,
            },
        )
        product = self.env["civ.evaluation.product"].browse(product_id)
        self.assertEqual(
            (product.objective_cause, product.confirmed, product.source), (False, False, "manual")
        )
        for vals in (
            {"objective_cause": True},
            {"delay_count": 0, "confirmed": True},
            {"evaluation_id": self._sheet(period, self.staff2).id},
        ):
            with mute_logger("odoo.http"), self.assertRaises(JsonRpcException) as caught:
                self._call("civ.evaluation.product", "write", [product_id], vals)
            self.assertEqual(caught.exception.args[0], "odoo.exceptions.AccessError")
        with mute_logger("odoo.http"), self.assertRaises(JsonRpcException):
            self._call("civ.evaluation.product", "action_confirm", [product_id])
        # a heavier type of another job position's catalogue, which the form does not offer
        job = self.env["hr.job"].create({"name": "Thanh tra viên", "company_id": self.company.id})
        restricted = self.env["civ.product.type"].create(
            {
                "name": "Kết luận thanh tra",
                "code": "KLTT",
                "weight": 5.0,
                "job_ids": [Command.set(job.ids)],
                "company_id": self.company.id,
            }
        )
        with mute_logger("odoo.http"), self.assertRaises(JsonRpcException) as caught:
            self._call("civ.evaluation.product", "write", [product_id], {"product_type_id": restricted.id})
        self.assertEqual(caught.exception.args[0], "odoo.exceptions.ValidationError")
        self.env.invalidate_all()
        self.assertEqual(sheet.product_score_progress, 66.67)
        self.assertEqual(sheet.self_score, round((100 + 100 + 200 / 3) / 3 * 0.7, 2))
