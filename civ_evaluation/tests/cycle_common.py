"""Shared set-up of the evaluation cycle tests: a small district with real users in a hierarchy like
the demo's, and a Hà Nội-like framework (20 + 70 points, bonus 10, deductions, levels A-D)."""

from datetime import date

from odoo import Command
from odoo.tests import new_test_user
from odoo.tests.common import TransactionCase

MAY = date(2026, 5, 1)
QUIET = {"tracking_disable": True, "mail_create_nolog": True, "no_reset_password": True}


class CivCycleCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env["res.company"].create({"name": "UBND quận Thử Nghiệm"})
        cls.framework = cls._create_framework(cls.company)
        cls.company.civ_framework_id = cls.framework

        Department = cls.env["hr.department"]
        cls.leadership = Department.create(
            {"name": "Thường trực UBND", "civ_is_leadership": True, "company_id": cls.company.id}
        )
        cls.section = Department.create(
            {"name": "Phòng Nội vụ", "parent_id": cls.leadership.id, "company_id": cls.company.id}
        )

        cls.user_chairman, cls.chairman = cls._person(
            "chutich_t", "Nguyễn Văn Chủ", cls.leadership, "Chủ tịch"
        )
        cls.user_vice, cls.vice = cls._person("phochutich_t", "Trần Thị Phó", cls.leadership, "Phó Chủ tịch")
        cls.user_head, cls.head = cls._person("truongphong_t", "Lê Văn Trưởng", cls.section, "Trưởng phòng")
        cls.user_deputy, cls.deputy = cls._person(
            "photruongphong_t", "Phạm Thị Phó", cls.section, "Phó trưởng phòng"
        )
        cls.user_staff, cls.staff = cls._person("nhanvien_t", "Hoàng Văn Viên", cls.section, "Chuyên viên")
        cls.user_staff2, cls.staff2 = cls._person("nhanvien2_t", "Đỗ Thị Hai", cls.section, "Chuyên viên")
        cls.user_officer = new_test_user(
            cls.env,
            context=QUIET,
            login="canbotccb_t",
            name="Vũ Văn Tổ",
            groups="base.group_user,civ_evaluation.group_civ_officer",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.user_admin = cls.env.ref("base.user_admin")
        cls.user_admin.company_ids = [Command.link(cls.company.id)]

        cls.leadership.write({"manager_id": cls.chairman.id, "civ_deputy_ids": [Command.set(cls.vice.ids)]})
        cls.section.write({"manager_id": cls.head.id, "civ_deputy_ids": [Command.set(cls.deputy.ids)]})
        # direct leaders last: writing a department's manager moves its employees' Manager
        for employee, leader in [
            (cls.chairman, False),
            (cls.vice, cls.chairman),
            (cls.head, cls.vice),
            (cls.deputy, cls.head),
            (cls.staff, cls.deputy),
            (cls.staff2, cls.deputy),
        ]:
            employee.parent_id = leader

        cls.Period = cls.env["civ.period"]
        cls.Evaluation = cls.env["civ.evaluation"]

    @classmethod
    def _person(cls, login, name, department, job_title):
        user = new_test_user(
            cls.env,
            context=QUIET,
            login=login,
            name=name,
            groups="base.group_user",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        employee = (
            cls.env["hr.employee"]
            .with_context(**QUIET)
            .create(
                {
                    "name": name,
                    "user_id": user.id,
                    "department_id": department.id,
                    "job_title": job_title,
                    "company_id": cls.company.id,
                }
            )
        )
        return user, employee

    @classmethod
    def _create_framework(cls, company):
        def criteria(*specs):
            return [
                Command.create(
                    {"sequence": seq, "code": code, "name": name, "min_points": low, "max_points": high}
                )
                for seq, (code, name, low, high) in enumerate(specs, start=1)
            ]

        framework = cls.env["civ.framework"].create(
            {
                "name": "Khung thử nghiệm (3814-QĐ/TU)",
                "code": "TEST-HN",
                "max_score": 90.0,
                "score_ceiling": 100.0,
                "company_id": company.id,
                "group_ids": [
                    Command.create(
                        {
                            "sequence": 1,
                            "code": "I",
                            "name": "Ý thức tổ chức kỷ luật",
                            "kind": "standard",
                            "max_points": 20,
                            "criterion_ids": criteria(
                                ("1.1", "Chấp hành", 0, 10), ("1.2", "Tác phong", 0, 10)
                            ),
                        }
                    ),
                    Command.create(
                        {
                            "sequence": 2,
                            "code": "II",
                            "name": "Kết quả thực hiện nhiệm vụ",
                            "kind": "standard",
                            "max_points": 70,
                            "criterion_ids": criteria(
                                ("2.1", "Khối lượng", 0, 35), ("2.2", "Chất lượng", 0, 35)
                            ),
                        }
                    ),
                    Command.create(
                        {
                            "sequence": 3,
                            "code": "III",
                            "name": "Điểm thưởng",
                            "kind": "bonus",
                            "max_points": 10,
                            "criterion_ids": criteria(("3.1", "Sáng kiến", 0, 10)),
                        }
                    ),
                    Command.create(
                        {
                            "sequence": 4,
                            "code": "IV",
                            "name": "Điểm trừ",
                            "kind": "deduction",
                            "min_points": -10,
                            "criterion_ids": criteria(("4.1", "Vi phạm", -10, 0)),
                        }
                    ),
                ],
                "level_ids": [
                    Command.create(
                        {"sequence": 1, "code": "A", "name": "Hoàn thành xuất sắc nhiệm vụ", "min_score": 90}
                    ),
                    Command.create(
                        {"sequence": 2, "code": "B", "name": "Hoàn thành tốt nhiệm vụ", "min_score": 70}
                    ),
                    Command.create(
                        {"sequence": 3, "code": "C", "name": "Hoàn thành nhiệm vụ", "min_score": 50}
                    ),
                    Command.create(
                        {"sequence": 4, "code": "D", "name": "Không hoàn thành nhiệm vụ", "min_score": 0}
                    ),
                ],
            }
        )
        framework.action_validate()
        return framework

    # ------------------------------------------------------------------ helpers
    def _open_period(self, month=MAY):
        period = self.Period.create({"company_id": self.company.id, "date_start": month})
        period.with_user(self.user_officer).action_open()
        return period

    def _sheet(self, period, employee):
        return self.Evaluation.search([("period_id", "=", period.id), ("employee_id", "=", employee.id)])

    def _criterion(self, code):
        return self.framework.criterion_ids.filtered(lambda c: c.code == code)

    def _set_points(self, sheet, user, fname, points):
        """Write points {code: value} as `user`, through the sheet form's one2many like the web client."""
        lines = sheet.line_ids
        commands = [
            Command.update(
                lines.filtered(lambda line, code=code: line.criterion_id.code == code).id, {fname: value}
            )
            for code, value in points.items()
        ]
        sheet.with_user(user).write({"line_ids": commands})

    # points summing to 85, + 5 bonus = 90 (level A); the deduction criterion left at 0
    SELF_90 = {"1.1": 10, "1.2": 10, "2.1": 33, "2.2": 32, "3.1": 5}
