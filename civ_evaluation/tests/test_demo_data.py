from odoo.tests import tagged
from odoo.tests.common import TransactionCase


@tagged("post_install", "-at_install", "civ_evaluation")
class TestDemoData(TransactionCase):
    """The demo district (demo/civ_demo_district.xml) is consistent; skipped without demo data."""

    def setUp(self):
        super().setUp()
        if not self.env.ref("civ_evaluation.emp_chu_tich", raise_if_not_found=False):
            self.skipTest("civ_evaluation demo data not loaded")
        self.leadership = self.env.ref("civ_evaluation.dep_thuong_truc")
        self.sections = self.env["hr.department"].search(
            [("parent_id", "=", self.leadership.id)]
        )
        self.employees = self.env["hr.employee"].search(
            [("department_id", "child_of", self.leadership.id)]
        )

    def _employee_of(self, login):
        user = self.env["res.users"].search([("login", "=", login)])
        self.assertEqual(len(user), 1, f"demo user {login} is missing")
        employee = user.employee_ids
        self.assertEqual(len(employee), 1, f"demo user {login} has no employee")
        return employee

    def test_structure(self):
        self.assertTrue(self.leadership.civ_is_leadership)
        self.assertEqual(len(self.sections), 12)
        self.assertFalse(any(self.sections.mapped("civ_is_leadership")))
        self.assertTrue(110 <= len(self.employees) <= 130, len(self.employees))
        chairman = self.env.ref("civ_evaluation.emp_chu_tich")
        self.assertEqual(self.leadership.manager_id, chairman)
        vices = self.leadership.civ_deputy_ids
        self.assertEqual(len(vices), 3)
        self.assertTrue(all(v.parent_id == chairman for v in vices))
        for section in self.sections:
            head, deputies = section.manager_id, section.civ_deputy_ids
            self.assertTrue(head, section.name)
            self.assertIn(len(deputies), (1, 2), section.name)
            self.assertEqual(head.department_id, section)
            self.assertIn(head.parent_id, vices, section.name)
            self.assertEqual(deputies.department_id, section)
            self.assertTrue(all(d.parent_id == head for d in deputies), section.name)
            staff = section.member_ids - head - deputies
            self.assertTrue(staff, section.name)
            self.assertFalse(staff.parent_id - head - deputies, section.name)
        # the sections are spread over the three vice-chairmen
        self.assertEqual(self.sections.manager_id.parent_id, vices)

    def test_everyone_but_the_chairman_has_a_manager(self):
        chairman = self.env.ref("civ_evaluation.emp_chu_tich")
        self.assertFalse(chairman.parent_id)
        without_manager = self.employees.filtered(lambda e: not e.parent_id)
        self.assertEqual(without_manager, chairman)

    def test_people(self):
        self.assertTrue(all(self.employees.mapped("job_title")))
        self.assertTrue(all(self.employees.mapped("work_email")))
        self.assertEqual(set(self.employees.mapped("gender")), {"male", "female"})
        categories = self.employees.mapped("civ_category")
        self.assertGreater(categories.count("cong_chuc"), len(categories) / 2)
        self.assertIn("vien_chuc", categories)
        self.assertIn("hop_dong", categories)
        self.assertIn(len(self.employees.filtered(lambda e: not e.civ_evaluated)), (1, 2, 3))

    def test_named_users_and_positions(self):
        expected = {
            "chutich": "agency_head",
            "phochutich": "deputy_agency_head",
            "truongphong": "unit_head",
            "photruongphong": "deputy_unit_head",
            "nhanvien": "staff",
            "canbotccb": "staff",
        }
        employees = {login: self._employee_of(login) for login in expected}
        for login, position in expected.items():
            self.assertEqual(employees[login].civ_position, position, login)
        self.assertEqual(employees["chutich"], self.env.ref("civ_evaluation.emp_chu_tich"))
        tu_phap = self.env.ref("civ_evaluation.dep_tu_phap")
        self.assertEqual(employees["truongphong"].department_id, tu_phap)
        self.assertEqual(employees["photruongphong"].department_id, tu_phap)
        self.assertEqual(employees["nhanvien"].department_id, tu_phap)
        # the full chain of the staff member, up to the chairman
        self.assertEqual(employees["nhanvien"].parent_id, employees["photruongphong"])
        self.assertEqual(employees["photruongphong"].parent_id, employees["truongphong"])
        self.assertEqual(employees["truongphong"].parent_id, employees["phochutich"])
        self.assertEqual(employees["phochutich"].parent_id, employees["chutich"])
        self.assertEqual(
            employees["canbotccb"].department_id, self.env.ref("civ_evaluation.dep_noi_vu")
        )
        officer = employees["canbotccb"].user_id
        self.assertTrue(officer.has_group("civ_evaluation.group_civ_officer"))
        for login in ("chutich", "phochutich", "truongphong", "photruongphong", "nhanvien"):
            user = employees[login].user_id
            self.assertTrue(user.has_group("civ_evaluation.group_civ_user"), login)
            self.assertFalse(user.has_group("civ_evaluation.group_civ_officer"), login)
