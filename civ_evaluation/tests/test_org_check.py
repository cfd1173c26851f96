from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tests.common import TransactionCase


@tagged("post_install", "-at_install", "civ_evaluation")
class TestOrgCheck(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env["res.company"].create({"name": "Phường Thử nghiệm"})
        env = cls.env(context=dict(cls.env.context, allowed_company_ids=[cls.company.id]))
        cls.officer = new_test_user(
            env,
            login="civ_check_officer",
            groups="base.group_user,civ_evaluation.group_civ_officer",
            company_id=cls.company.id,
            company_ids=[(6, 0, cls.company.ids)],
        )
        cls.plain = new_test_user(
            env,
            login="civ_check_plain",
            groups="base.group_user",
            company_id=cls.company.id,
            company_ids=[(6, 0, cls.company.ids)],
        )
        Department = env["hr.department"].with_company(cls.company)
        Employee = env["hr.employee"].with_company(cls.company)
        cls.leadership = Department.create(
            {"name": "Thường trực", "civ_is_leadership": True, "company_id": cls.company.id}
        )
        cls.section = Department.create(
            {"name": "Phòng không có trưởng", "parent_id": cls.leadership.id, "company_id": cls.company.id}
        )
        chair_user = new_test_user(
            env, login="civ_check_chair", company_id=cls.company.id, company_ids=[(6, 0, cls.company.ids)]
        )
        cls.chairman = Employee.create(
            {
                "name": "Chủ tịch",
                "department_id": cls.leadership.id,
                "user_id": chair_user.id,
                "company_id": cls.company.id,
            }
        )
        cls.leadership.manager_id = cls.chairman
        cls.orphan = Employee.create(
            {"name": "Không có người quản lý", "department_id": cls.section.id, "company_id": cls.company.id}
        )
        cls.away = Employee.create(
            {
                "name": "Nghỉ dài hạn",
                "civ_evaluated": False,
                "parent_id": cls.chairman.id,
                "company_id": cls.company.id,
            }
        )

    def _problems(self, user):
        wizard = (
            self.env["civ.org.check.wizard"]
            .with_user(user)
            .with_company(self.company)
            .create({"company_id": self.company.id})
        )
        return wizard, {(line.kind, line.employee_id.id or line.department_id.id) for line in wizard.line_ids}

    def test_problems_listed(self):
        wizard, problems = self._problems(self.officer)
        self.assertIn(("department_without_head", self.section.id), problems)
        self.assertIn(("no_manager", self.orphan.id), problems)
        self.assertIn(("no_user", self.orphan.id), problems)
        self.assertIn(("chain", self.orphan.id), problems)
        self.assertIn(("out_of_scope", self.away.id), problems)
        # the chairman has a user and needs no Manager: no problem of their own
        self.assertNotIn(("no_manager", self.chairman.id), problems)
        self.assertNotIn(("no_user", self.chairman.id), problems)
        # people out of scope are information, not problems
        self.assertEqual(wizard.problem_count, len(wizard.line_ids) - 1)

    def test_fixing_the_organisation_clears_the_problems(self):
        wizard, _problems = self._problems(self.officer)
        head_user = new_test_user(
            self.env,
            login="civ_check_head",
            company_id=self.company.id,
            company_ids=[(6, 0, self.company.ids)],
        )
        self.orphan.write({"parent_id": self.chairman.id, "user_id": head_user.id})
        self.section.manager_id = self.orphan
        # the head of the agency is decided by the superior set in the settings
        self.assertIn(("chain", self.chairman.id), _problems)
        superior_user = new_test_user(self.env, login="civ_check_superior")
        superior = self.env["hr.employee"].create(
            {"name": "Bí thư", "user_id": superior_user.id, "civ_evaluated": False}
        )
        self.company.civ_superior_employee_id = superior
        wizard.action_check()
        kinds = {(line.kind, line.employee_id.id or line.department_id.id) for line in wizard.line_ids}
        self.assertEqual(kinds, {("out_of_scope", self.away.id)})
        chain = self.env["civ.review.policy"]._resolve_chains(self.chairman)[self.chairman.id]
        self.assertEqual([step["reviewer_employee_id"] for step in chain], [superior.id])
        self.assertEqual(wizard.problem_count, 0)

    def test_only_officers(self):
        with self.assertRaises(AccessError):
            self._problems(self.plain)

    def test_menu_runs_the_check(self):
        """The menu's action opens the check already run (not an empty "ready" form), its texts wrapped."""
        action = self.env.ref("civ_evaluation.action_civ_org_check_run")
        self.assertEqual(self.env.ref("civ_evaluation.menu_civ_org_check").action, action)
        result = action.with_user(self.officer).with_company(self.company).run()
        self.assertEqual(
            (result["res_model"], result["view_mode"], result["target"]),
            ("civ.org.check.wizard", "form", "new"),
        )
        wizard = self.env["civ.org.check.wizard"].browse(result["res_id"])
        self.assertEqual(wizard.company_id, self.company)
        self.assertEqual(wizard.create_uid, self.officer)
        self.assertEqual(wizard.problem_count, 5)
        kinds = [(line.kind, line.employee_id) for line in wizard.line_ids]
        self.assertIn(("no_manager", self.orphan), kinds)
        arch = self.env.ref("civ_evaluation.civ_org_check_wizard_view_form").arch
        self.assertIn('<field name="message" class="text-wrap"/>', arch)
        with self.assertRaises(AccessError):
            action.with_user(self.plain).with_company(self.company).run()
