"""The position that decides a person's review chain, computed from the departments (head, deputies,
the leadership) or set by hand, and the employee's and department's forms that hold them."""

from odoo.tests import Form, tagged
from odoo.tests.common import TransactionCase

from .common import dept, make_organisation, person

# a leadership over one section, nobody with a user
POSITIONS = {
    "departments": {
        "leadership": dept("Thường trực UBND", leadership=True, head="chairman", deputies=["vice"]),
        "section": dept("Phòng Nội vụ", parent="leadership", head="head", deputies=["deputy"]),
    },
    "people": {
        "chairman": person("Chủ tịch", "leadership"),
        "vice": person("Phó Chủ tịch", "leadership", manager="chairman"),
        "head": person("Trưởng phòng", "section", manager="vice"),
        "deputy": person("Phó trưởng phòng", "section", manager="head"),
        "staff": person("Chuyên viên", "section", manager="deputy"),
    },
}


@tagged("post_install", "-at_install", "civ_evaluation", "civ_org")
class TestPositions(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Employee = cls.env["hr.employee"]
        cls.Department = cls.env["hr.department"]

    def _org(self):
        org = make_organisation(self.env, self.env.company, POSITIONS)
        people = org.employees
        return (
            org.departments["section"],
            people["chairman"],
            people["vice"],
            people["head"],
            people["deputy"],
            people["staff"],
        )

    def test_position_computed_from_structure(self):
        section, chairman, vice, head, deputy, staff = self._org()
        self.assertEqual(chairman.civ_position, "agency_head")
        self.assertEqual(vice.civ_position, "deputy_agency_head")
        self.assertEqual(head.civ_position, "unit_head")
        self.assertEqual(deputy.civ_position, "deputy_unit_head")
        self.assertEqual(staff.civ_position, "staff")
        # the structure changes: the deputy becomes head, the former head becomes staff
        section.write({"manager_id": deputy.id, "civ_deputy_ids": [(5, 0, 0)]})
        self.assertEqual(deputy.civ_position, "unit_head")
        self.assertEqual(head.civ_position, "staff")

    def test_position_override(self):
        _section, _chairman, _vice, _head, _deputy, staff = self._org()
        staff.civ_position_override = "deputy_unit_head"
        self.assertEqual(staff.civ_position, "deputy_unit_head")
        staff.civ_position_override = False
        self.assertEqual(staff.civ_position, "staff")

    def test_forms_show_the_fields(self):
        form = Form(self.Employee)
        form.name = "Nguyễn Văn Test"
        form.civ_category = "vien_chuc"
        form.civ_evaluated = False
        employee = form.save()
        self.assertEqual(employee.civ_category, "vien_chuc")
        self.assertFalse(employee.civ_evaluated)
        dept_form = Form(self.Department)
        dept_form.name = "Phòng Tư pháp"
        dept_form.civ_is_leadership = False
        dept_form.civ_deputy_ids.add(employee)
        department = dept_form.save()
        self.assertEqual(department.civ_deputy_ids, employee)
        self.assertEqual(employee.civ_position, "deputy_unit_head")
