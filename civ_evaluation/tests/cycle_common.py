"""The cycle tests' classes, over the builders of common.py: CivCycleCase, a district (DISTRICT) of its
own company with real users in a hierarchy like the demo's, its Hà Nội-like framework
(DISTRICT_FRAMEWORK), an HR officer and the administrator; LockedMayCase, the same district with May
2026 decided and locked, and a second agency (the exports' and the printed sheets' data)."""

from odoo import Command, fields
from odoo.tests.common import TransactionCase

from .common import (
    DISTRICT,
    MAY,
    OFFICER,
    add_quotas,
    district_framework,
    level_of,
    make_company,
    make_department,
    make_employees,
    make_organisation,
    make_person,
    make_user,
    read_workbook,
)


class CivCycleCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = make_company(cls.env, "UBND quận Thử Nghiệm")
        cls.framework = district_framework(cls.env, cls.company)
        cls.company.civ_framework_id = cls.framework
        # the test district decides above a quota with a reason (warn), as every agency did before
        # 18.0.1.2.0; the tests of the caps (Decree 335/2025, the default "block") set it themselves
        cls.company.civ_quota_mode = "warn"
        org = make_organisation(cls.env, cls.company, DISTRICT)
        cls.leadership, cls.section = org.departments["leadership"], org.departments["section"]
        people, users = org.employees, org.users
        cls.chairman, cls.user_chairman = people["chairman"], users["chairman"]
        cls.vice, cls.user_vice = people["vice"], users["vice"]
        cls.head, cls.user_head = people["head"], users["head"]
        cls.deputy, cls.user_deputy = people["deputy"], users["deputy"]
        cls.staff, cls.user_staff = people["staff"], users["staff"]
        cls.staff2, cls.user_staff2 = people["staff2"], users["staff2"]
        cls.user_officer = make_user(cls.env, "canbotccb_t", cls.company, OFFICER, name="Vũ Văn Tổ")
        cls.user_admin = cls.env.ref("base.user_admin")
        cls.user_admin.company_ids = [Command.link(cls.company.id)]
        cls.Period = cls.env["civ.period"]
        cls.Evaluation = cls.env["civ.evaluation"]

    @classmethod
    def _person(cls, login, name, department, job_title):
        """(user, employee): one more person of the district, without Manager."""
        return make_person(cls.env, cls.company, name, login, department=department, job_title=job_title)

    # ------------------------------------------------------------------ helpers
    @classmethod
    def _open_period(cls, month=MAY):
        """The district's period of `month`, opened by the HR officer."""
        period = cls.Period.create({"company_id": cls.company.id, "date_start": month})
        period.with_user(cls.user_officer).action_open()
        return period

    @classmethod
    def _sheet(cls, period, employee):
        return cls.Evaluation.search([("period_id", "=", period.id), ("employee_id", "=", employee.id)])

    @classmethod
    def _set_points(cls, sheet, user, fname, points):
        """Write points {code: value} as `user`, through the sheet form's one2many like the web client."""
        lines = sheet.line_ids
        commands = [
            Command.update(
                lines.filtered(lambda line, code=code: line.criterion_id.code == code).id, {fname: value}
            )
            for code, value in points.items()
        ]
        sheet.with_user(user).write({"line_ids": commands})

    def _decide_sheet(self, sheet):
        """The sheet self-scored SELF_90 by its employee, submitted, approved at each step of its chain."""
        owner = sheet.user_id
        self._set_points(sheet, owner, "self_points", self.SELF_90)
        sheet.with_user(owner).action_submit()
        while sheet.state == "review":
            sheet.with_user(sheet.current_reviewer_user_id).action_approve()
        self.assertEqual(sheet.state, "done")

    # points summing to 85, + 5 bonus = 90 (level A); the deduction criterion left at 0
    SELF_90 = {"1.1": 10, "1.2": 10, "2.1": 33, "2.2": 32, "3.1": 5}


class LockedMayCase(CivCycleCase):
    """May 2026 of the test district, locked: the staff member went through the whole chain (self 90,
    direct leader 85, decided 83 B); the others were decided directly; the vice-chairman never
    submitted (not evaluated at lock). Quotas: A <= 30% per department, A <= 20% of those graded B or
    above in the agency. A second company has its own May period."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.level = {level.code: level for level in cls.framework.level_ids}
        add_quotas(
            cls.framework,
            [
                {"level_id": "A", "basis": "evaluated", "max_percent": 30.0, "scope": "department"},
                {
                    "level_id": "A",
                    "basis": "level_or_above",
                    "basis_level_id": "B",
                    "max_percent": 20.0,
                    "scope": "company",
                },
            ],
        )
        cls.company.write({"civ_superior_agency_name": "UBND Thành phố Hà Nội", "city": "Hà Nội"})

        cls.period = cls._open_period(MAY)
        sheet = cls._sheet(cls.period, cls.staff)
        cls._set_points(sheet, cls.user_staff, "self_points", cls.SELF_90)
        sheet.with_user(cls.user_staff).action_submit()
        cls._set_points(sheet, cls.user_deputy, "reviewer_points", {"2.2": 27})
        cls._set_points(sheet, cls.user_deputy, "reviewer_note", {"2.2": "Còn 2 việc chưa hoàn thành"})
        sheet.with_user(cls.user_deputy).action_approve()
        cls._set_points(sheet, cls.user_head, "reviewer_points", {"4.1": -2})
        sheet.with_user(cls.user_head).action_approve()
        sheet.step_ids.sorted("sequence")[:1].sudo().comment = "Hoàn thành tốt công việc được giao."
        cls.staff_sheet = sheet
        cls._decide(cls.period, cls.chairman, 88.0, "B")
        cls._decide(cls.period, cls.head, 91.0, "A")
        cls._decide(cls.period, cls.deputy, 80.0, "B")
        cls._decide(cls.period, cls.staff2, 95.0, "A")
        cls.period.with_user(cls.user_officer).action_lock()

        # another agency of the city
        cls.company2 = make_company(cls.env, "UBND huyện Bên Cạnh")
        framework2 = district_framework(cls.env, cls.company2)
        cls.company2.civ_framework_id = framework2
        cls.dept2 = make_department(cls.env, cls.company2, "Phòng Tài chính")
        cls.other_people = make_employees(
            cls.env, cls.company2, ["Bùi Văn Ngoài", "Lý Thị Khác"], department=cls.dept2
        )
        cls.period2 = cls.Period.create({"company_id": cls.company2.id, "date_start": MAY})
        cls.period2.action_open()
        cls._decide(cls.period2, cls.other_people[0], 75.0, "B", framework2)

        cls.user_city = make_user(
            cls.env, "sonoivu_t", cls.company, OFFICER, name="Sở Nội vụ", companies=cls.company | cls.company2
        )

    @classmethod
    def _decide(cls, period, employee, score, code, framework=None):
        """The sheet of `employee` decided at `score` (written directly, as the superuser)."""
        level = level_of(framework or cls.framework, code)
        cls._sheet(period, employee).sudo().write(
            {
                "state": "done",
                "self_score": score,
                "reviewer_score": score,
                "final_score": score,
                "level_id": level.id,
                "date_decided": fields.Datetime.now(),
            }
        )

    def _export(self, user, kind, periods=None, companies=None, departments=None, year=None, context=None):
        """Export through the wizard as `user`: (the wizard, its workbook)."""
        Wizard = self.env["civ.export.wizard"].with_user(user).with_context(**(context or {}))
        vals = {"report_kind": kind}
        if periods is not None:
            vals["period_ids"] = [Command.set(periods.ids)]
        if companies is not None:
            vals["company_ids"] = [Command.set(companies.ids)]
        if departments is not None:
            vals["department_ids"] = [Command.set(departments.ids)]
        if year:
            vals["year"] = year
        wizard = Wizard.create(vals)
        action = wizard.action_export()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertEqual(action["url"], f"/web/content/{wizard.attachment_id.id}?download=true")
        self.assertTrue(wizard.attachment_id.name.endswith(".xlsx"))
        return wizard, read_workbook(wizard.attachment_id)
