from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tests.common import TransactionCase

from .common import OFFICER, dept, make_company, make_employee, make_organisation, make_user, person

# a ward with its problems: a unit without head, a person without Manager nor user (in it), a person
# out of the monthly evaluation
WARD = {
    "departments": {
        "leadership": dept("Thường trực", leadership=True, head="chairman"),
        "section": dept("Phòng không có trưởng", parent="leadership"),
    },
    "people": {
        "chairman": person("Chủ tịch", "leadership", login="civ_check_chair"),
        "orphan": person("Không có người quản lý", "section"),
        "away": person("Nghỉ dài hạn", manager="chairman", civ_evaluated=False),
    },
}


@tagged("post_install", "-at_install", "civ_evaluation", "civ_org")
class TestOrgCheck(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = make_company(cls.env, "Phường Thử nghiệm")
        env = cls.env(context=dict(cls.env.context, allowed_company_ids=[cls.company.id]))
        cls.officer = make_user(env, "civ_check_officer", cls.company, OFFICER)
        cls.plain = make_user(env, "civ_check_plain", cls.company)
        org = make_organisation(env, cls.company, WARD)
        cls.leadership, cls.section = org.departments["leadership"], org.departments["section"]
        cls.chairman, cls.orphan, cls.away = (org.employees[key] for key in ("chairman", "orphan", "away"))

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
        head_user = make_user(self.env, "civ_check_head", self.company)
        self.orphan.write({"parent_id": self.chairman.id, "user_id": head_user.id})
        self.section.manager_id = self.orphan
        # the head of the agency is decided by the superior set in the settings
        self.assertIn(("chain", self.chairman.id), _problems)
        superior_user = make_user(self.env, "civ_check_superior")
        superior = make_employee(
            self.env, self.env.company, "Bí thư", user=superior_user, civ_evaluated=False
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
