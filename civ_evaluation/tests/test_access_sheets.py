from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import make_company
from .cycle_common import CivCycleCase


@tagged("post_install", "-at_install", "civ_evaluation", "civ_access")
class TestEvaluationAccess(CivCycleCase):
    """Who reads and writes which sheet: every role tries other people's sheets."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.period = cls._open_period()
        cls.sheets = {
            employee: cls._sheet(cls.period, employee)
            for employee in (cls.chairman, cls.vice, cls.head, cls.deputy, cls.staff, cls.staff2)
        }

    def _visible(self, user):
        return self.Evaluation.with_user(user).search([("period_id", "=", self.period.id)]).employee_id

    def test_who_sees_what(self):
        # a staff member: only their own sheet
        self.assertEqual(self._visible(self.user_staff), self.staff)
        # the deputy: own + the staff they review
        self.assertEqual(self._visible(self.user_deputy), self.deputy | self.staff | self.staff2)
        # the head: own + staff (decides) + deputy (decides)
        self.assertEqual(self._visible(self.user_head), self.head | self.deputy | self.staff | self.staff2)
        # the vice-chairman: own + the head they re-score
        self.assertEqual(self._visible(self.user_vice), self.vice | self.head)
        # the chairman: own + the vice-chairman + the head they decide
        self.assertEqual(self._visible(self.user_chairman), self.chairman | self.vice | self.head)
        # officers: everyone of their company
        self.assertEqual(len(self._visible(self.user_officer)), 6)

    def test_reading_other_sheets_fails(self):
        other = self.sheets[self.staff2]
        for user in (self.user_staff, self.user_vice, self.user_chairman):
            with self.assertRaises(AccessError):
                other.with_user(user).read(["final_score"])
            with self.assertRaises(AccessError):
                other.line_ids.with_user(user).read(["self_points"])
            with self.assertRaises(AccessError):
                other.step_ids.with_user(user).read(["score"])

    def test_writing_other_sheets_fails(self):
        target = self.sheets[self.staff2]
        line = target.line_ids[0]
        for user in (
            self.user_staff,
            self.user_vice,
            self.user_chairman,
            self.user_deputy,
            self.user_head,
            self.user_officer,
        ):
            # self points belong to the employee alone
            with self.assertRaises(AccessError):
                line.with_user(user).write({"self_points": 5})
            with self.assertRaises(AccessError):
                target.with_user(user).write({"line_ids": [(1, line.id, {"self_points": 5})]})
            # nobody re-scores a sheet in self-assessment
            with self.assertRaises(AccessError):
                line.with_user(user).write({"reviewer_points": 5})
        with self.assertRaises(AccessError):
            line.with_user(self.user_staff2).write({"final_points": 5})
        with self.assertRaises(AccessError):
            target.with_user(self.user_staff2).write({"final_score": 100})
        with self.assertRaises(AccessError):
            target.with_user(self.user_officer).write({"state": "done"})
        self.assertEqual(line.self_points, 0)

    def test_self_points_only_in_draft_and_reviewer_points_only_by_pending_reviewer(self):
        sheet = self.sheets[self.staff]
        line = sheet.line_ids.filtered(lambda line: line.criterion_id.code == "2.1")
        line.with_user(self.user_staff).write({"self_points": 30, "note": "Hoàn thành 12/12 việc"})
        with self.assertRaises(UserError):
            line.with_user(self.user_staff).write({"self_points": 36})  # above the maximum
        sheet.with_user(self.user_staff).action_submit()
        with self.assertRaises(AccessError):
            line.with_user(self.user_staff).write({"self_points": 35})
        with self.assertRaises(AccessError):
            line.with_user(self.user_staff).write({"reviewer_points": 35})
        # the head is the next step, not the pending one
        with self.assertRaises(AccessError):
            line.with_user(self.user_head).write({"reviewer_points": 35})
        line.with_user(self.user_deputy).write({"reviewer_points": 28})
        self.assertEqual(line.reviewer_points, 28)
        # a step that does not re-score cannot change points
        sheet.current_step_id.sudo().can_rescore = False
        with self.assertRaises(AccessError):
            line.with_user(self.user_deputy).write({"reviewer_points": 29})

    def test_nobody_acts_for_someone_else(self):
        sheet = self.sheets[self.staff]
        for user in (self.user_staff2, self.user_deputy, self.user_head, self.user_officer, self.user_admin):
            with self.assertRaises(AccessError):
                sheet.with_user(user).with_company(self.company).action_submit()
        self.assertEqual(sheet.state, "draft")
        sheet.with_user(self.user_staff).action_submit()
        # only the pending step's reviewer approves or returns; not the employee, not the next step
        for user in (self.user_staff, self.user_head, self.user_officer, self.user_admin):
            with self.assertRaises(AccessError):
                sheet.with_user(user).with_company(self.company).action_approve()
            with self.assertRaises(AccessError):
                sheet.with_user(user).with_company(self.company).action_return("không hợp lệ")
        self.assertEqual(sheet.current_reviewer_user_id, self.user_deputy)
        # a reviewer cannot approve a sheet that is not submitted
        with self.assertRaises(UserError):
            self.sheets[self.staff2].with_user(self.user_deputy).action_approve()

    def test_no_create_or_unlink_by_users(self):
        with self.assertRaises(AccessError):
            self.Evaluation.with_user(self.user_staff).create(
                {
                    "period_id": self.period.id,
                    "employee_id": self.staff.id,
                    "company_id": self.company.id,
                    "framework_id": self.framework.id,
                }
            )
        with self.assertRaises(AccessError):
            self.sheets[self.staff].with_user(self.user_staff).unlink()
        with self.assertRaises(AccessError):
            self.sheets[self.staff].line_ids[0].with_user(self.user_staff).unlink()
        with self.assertRaises(AccessError):
            self.sheets[self.staff].step_ids[0].with_user(self.user_deputy).unlink()
        with self.assertRaises(AccessError):
            self.env["civ.evaluation.line"].with_user(self.user_officer).create(
                {
                    "evaluation_id": self.sheets[self.staff].id,
                    "criterion_id": self.framework.criterion_ids[0].id,
                }
            )

    def test_no_crossing_companies(self):
        other_company = make_company(self.env, "UBND huyện Khác")
        self.user_officer.company_ids = [(4, other_company.id)]
        officer = self.user_officer.with_company(other_company)
        # with only the other company active, the officer sees none of this company's sheets
        self.assertFalse(
            self.Evaluation.with_user(officer)
            .with_context(allowed_company_ids=[other_company.id])
            .search([("period_id", "=", self.period.id)])
        )
        with self.assertRaises(AccessError):
            self.sheets[self.staff].with_user(self.user_officer).with_context(
                allowed_company_ids=[other_company.id]
            ).read(["final_score"])

    def _read_views(self, model, user, view_types):
        """Load the views and read their fields like the web client does."""
        Model = self.env[model].with_user(user).with_company(self.company)
        views = Model.get_views([(False, view_type) for view_type in view_types])
        for view_type in view_types:
            fields = views["views"][view_type]["arch"]
            self.assertTrue(fields)
        spec = {name: {} for name in views["models"][model]["fields"]}
        spec = {
            name: ({"fields": {"display_name": {}}} if Model._fields[name].relational else {})
            for name in spec
        }
        return Model.web_search_read([], spec)

    def test_views_load_for_each_role(self):
        for user in (self.user_staff, self.user_deputy, self.user_chairman, self.user_officer):
            result = self._read_views("civ.evaluation", user, ["list", "form", "kanban", "search"])
            self.assertTrue(result["length"])
        for user in (self.user_officer, self.user_admin):
            result = self._read_views("civ.period", user, ["list", "form", "search"])
            self.assertEqual(result["length"], 1)
        # the reviewer's list and the pivot / graph views
        self.env["civ.evaluation"].with_user(self.user_officer).get_views(
            [
                (self.env.ref("civ_evaluation.civ_evaluation_view_list_review").id, "list"),
                (False, "pivot"),
                (False, "graph"),
            ]
        )
