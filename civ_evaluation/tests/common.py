"""The one fixture module of the tests: builders of what the tests need, each from a small spec.

- records: a company (make_company), a user with given groups (make_user), a department
  (make_department), an employee with or without a user (make_employee, make_person), people without
  users (make_employees), the twelve monthly periods of a year (make_year_periods);
- an organisation (make_organisation) from a spec of departments (dept: their head and deputies) and
  people (person: their department, job title, login, Manager), built in the order the positions and
  the review chains need; DISTRICT is the cycle tests' district, like the demo's;
- the frameworks: the shipped ones (hanoi_3814, nd335, nd335_quarterly, hcm_20_2024: the records of
  data/civ_framework_data.xml) and those built from scratch (make_framework from a spec: RULES_FRAMEWORK
  of the framework tests, DISTRICT_FRAMEWORK of the cycle tests, Hà Nội-like), with their quotas
  (add_quotas);
- a reader of the Excel files the exports attach (read_workbook, then sheet_values: the cells by row
  and column, sheet_texts, header_row, data_rows);
- FrameworkCase (a framework built from scratch) and RpcMixin (calls over the real JSON-RPC endpoint,
  as a logged-in user with a plain client would).

The cycle tests' CivCycleCase (cycle_common.py) and the year-end tests' CivAnnualCase (annual_common.py)
are thin classes over these builders."""

import io
import re
from contextlib import contextmanager
from datetime import date

from odoo import Command
from odoo.tests import new_test_user
from odoo.tests.common import JsonRpcException, TransactionCase
from odoo.tools import mute_logger

MAY = date(2026, 5, 1)
# records created without chatter messages nor invitation mails
QUIET = {"tracking_disable": True, "mail_create_nolog": True, "no_reset_password": True}
# the groups of an HR officer of the evaluation
OFFICER = "base.group_user,civ_evaluation.group_civ_officer"


# ---------------------------------------------------------------------- records
def make_company(env, name, **vals):
    return env["res.company"].create(dict(vals, name=name))


def make_user(env, login, company=None, groups="base.group_user", name=None, companies=None, **vals):
    """A user (password = login when it has 8 characters or more) of `company` (default: the
    environment's), allowed in `companies` (default: that company only)."""
    if company:
        vals.update(company_id=company.id, company_ids=[Command.set((companies or company).ids)])
    if name:
        vals["name"] = name
    return new_test_user(env, login=login, groups=groups, context=QUIET, **vals)


def make_department(env, company, name, parent=None, leadership=False, **vals):
    vals = dict(vals, name=name, company_id=company.id)
    if parent:
        vals["parent_id"] = parent.id
    if leadership:
        vals["civ_is_leadership"] = True
    return env["hr.department"].with_context(**QUIET).create(vals)


def _employee_vals(company, name, user=None, department=None, job_title=None, manager=None, **vals):
    vals = dict(vals, name=name, company_id=company.id)
    for fname, value in (("user_id", user), ("department_id", department), ("parent_id", manager)):
        if value:
            vals[fname] = value.id
    if job_title:
        vals["job_title"] = job_title
    return vals


def make_employee(env, company, name, user=None, department=None, job_title=None, manager=None, **vals):
    """An employee of `company`; `user`, `department` and `manager` (their Manager) are records."""
    vals = _employee_vals(company, name, user, department, job_title, manager, **vals)
    return env["hr.employee"].with_context(**QUIET).create(vals)


def make_employees(env, company, names, department=None, job_title=None, manager=None, **vals):
    """People without users, one per name, created at once."""
    vals_list = [
        _employee_vals(company, name, None, department, job_title, manager, **vals) for name in names
    ]
    return env["hr.employee"].with_context(**QUIET).create(vals_list)


def make_person(env, company, name, login, groups="base.group_user", companies=None, **employee_vals):
    """(user, employee): an employee of `company` with a user of the same name."""
    user = make_user(env, login, company, groups, name=name, companies=companies)
    return user, make_employee(env, company, name, user=user, **employee_vals)


def make_year_periods(env, company, framework, year):
    """The twelve monthly periods of `year` (drafts, created as the superuser): {month: period}."""
    periods = (
        env["civ.period"]
        .sudo()
        .create(
            [
                {"company_id": company.id, "framework_id": framework.id, "date_start": date(year, month, 1)}
                for month in range(1, 13)
            ]
        )
    )
    return {period.date_start.month: period for period in periods}


# ---------------------------------------------------------------------- organisations
def dept(name, parent=None, head=None, deputies=(), leadership=False, **vals):
    """A department of an organisation spec; parent, head and deputies are keys of the spec."""
    return dict(vals, name=name, parent=parent, head=head, deputies=deputies, leadership=leadership)


def person(name, department=None, job_title=None, login=None, manager=None, **vals):
    """A person of an organisation spec: department and manager (their Manager) are keys of the spec;
    a person without login has no user."""
    return dict(vals, name=name, department=department, job_title=job_title, login=login, manager=manager)


class Organisation:
    """What make_organisation built: {key: record} of the spec's departments, people and users (an
    empty recordset for a person without user)."""

    def __init__(self):
        self.departments, self.employees, self.users = {}, {}, {}


def make_organisation(env, company, spec, groups="base.group_user"):
    """The departments of spec["departments"] and the people of spec["people"] ({key: dept(...)} and
    {key: person(...)}, in order: parents before their sub-units), the people's users with `groups`;
    then each department's head and deputies, and last each person's Manager (writing a department's
    head moves its people's Manager)."""
    org = Organisation()
    for key, spec_vals in spec["departments"].items():
        vals = dict(spec_vals)
        name, parent = vals.pop("name"), vals.pop("parent")
        vals.pop("head"), vals.pop("deputies")
        parent = org.departments[parent] if parent else None
        org.departments[key] = make_department(env, company, name, parent=parent, **vals)
    for key, spec_vals in spec["people"].items():
        vals = dict(spec_vals)
        name, login, department = vals.pop("name"), vals.pop("login"), vals.pop("department")
        vals.pop("manager")
        user = make_user(env, login, company, groups, name=name) if login else env["res.users"]
        department = org.departments[department] if department else None
        org.users[key] = user
        org.employees[key] = make_employee(env, company, name, user=user, department=department, **vals)
    for key, vals in spec["departments"].items():
        structure = {}
        if vals["head"]:
            structure["manager_id"] = org.employees[vals["head"]].id
        if vals["deputies"]:
            deputies = [org.employees[deputy].id for deputy in vals["deputies"]]
            structure["civ_deputy_ids"] = [Command.set(deputies)]
        if structure:
            org.departments[key].write(structure)
    for key, vals in spec["people"].items():
        org.employees[key].parent_id = org.employees[vals["manager"]] if vals["manager"] else False
    return org


# The cycle tests' district, in a hierarchy like the demo's: the leadership (the chairman and a
# vice-chairman) over one section (its head, a deputy and two staff); every one a user, password = login.
DISTRICT = {
    "departments": {
        "leadership": dept("Thường trực UBND", leadership=True, head="chairman", deputies=["vice"]),
        "section": dept("Phòng Nội vụ", parent="leadership", head="head", deputies=["deputy"]),
    },
    "people": {
        "chairman": person("Nguyễn Văn Chủ", "leadership", "Chủ tịch", "chutich_t"),
        "vice": person("Trần Thị Phó", "leadership", "Phó Chủ tịch", "phochutich_t", manager="chairman"),
        "head": person("Lê Văn Trưởng", "section", "Trưởng phòng", "truongphong_t", manager="vice"),
        "deputy": person("Phạm Thị Phó", "section", "Phó trưởng phòng", "photruongphong_t", manager="head"),
        "staff": person("Hoàng Văn Viên", "section", "Chuyên viên", "nhanvien_t", manager="deputy"),
        "staff2": person("Đỗ Thị Hai", "section", "Chuyên viên", "nhanvien2_t", manager="deputy"),
    },
}


# ---------------------------------------------------------------------- frameworks
HANOI_3814 = "civ_evaluation.framework_hanoi_3814"
ND335 = "civ_evaluation.framework_nd335"
ND335_QUARTERLY = "civ_evaluation.framework_nd335_quarterly"
HCM_20_2024 = "civ_evaluation.framework_hcm_20_2024"


def hanoi_3814(env):
    """Hà Nội's monthly framework (Quyết định 3814-QĐ/TU), shipped."""
    return env.ref(HANOI_3814)


def nd335(env):
    """The national monthly framework of Nghị định 335/2025/NĐ-CP (task results from products), shipped."""
    return env.ref(ND335)


def nd335_quarterly(env):
    """Nghị định 335/2025 by quarter, copied from nd335 at installation."""
    return env.ref(ND335_QUARTERLY)


def hcm_20_2024(env):
    """TP. Hồ Chí Minh's quarterly framework (Quyết định 20/2024/QĐ-UBND), shipped."""
    return env.ref(HCM_20_2024)


def level_of(framework, code):
    return framework.level_ids.filtered(lambda level: level.code == code)


def group_of(framework, code):
    return framework.group_ids.filtered(lambda group: group.code == code)


def criterion_of(framework, code):
    return framework.criterion_ids.filtered(lambda criterion: criterion.code == code)


def add_quotas(framework, quotas):
    """Quotas {field: value} written on `framework`, their level_id and basis_level_id given as codes
    of its levels."""
    commands = []
    for quota in quotas:
        vals = dict(quota, level_id=level_of(framework, quota["level_id"]).id)
        if quota.get("basis_level_id"):
            vals["basis_level_id"] = level_of(framework, quota["basis_level_id"]).id
        commands.append(Command.create(vals))
    framework.write({"quota_ids": commands})


def _criteria(specs):
    return [
        Command.create(
            {"sequence": sequence, "code": code, "name": name, "min_points": low, "max_points": high}
        )
        for sequence, (code, name, low, high) in enumerate(specs, start=1)
    ]


def make_framework(env, spec, company=None, validate=False, **vals):
    """A framework built from scratch: spec["groups"] are (code, name, kind, min_points, max_points,
    criteria), each criterion (code, name, min_points, max_points); spec["levels"] (code, name,
    min_score), best first; spec["quotas"] as add_quotas takes them. Other keys of the spec, then
    `vals`, are the framework's values."""
    spec = dict(spec)
    groups, levels, quotas = spec.pop("groups"), spec.pop("levels"), spec.pop("quotas", ())
    values = dict(spec, company_id=company.id if company else False)
    values["group_ids"] = [
        Command.create(
            {
                "sequence": sequence,
                "code": code,
                "name": name,
                "kind": kind,
                "min_points": low,
                "max_points": high,
                "criterion_ids": _criteria(criteria),
            }
        )
        for sequence, (code, name, kind, low, high, criteria) in enumerate(groups, start=1)
    ]
    values["level_ids"] = [
        Command.create({"sequence": sequence, "code": code, "name": name, "min_score": min_score})
        for sequence, (code, name, min_score) in enumerate(levels, start=1)
    ]
    values.update(vals)
    framework = env["civ.framework"].create(values)
    if quotas:
        add_quotas(framework, quotas)
    if validate:
        framework.action_validate()
    return framework


# Specs of make_framework. groups: (code, name, kind, min points, max points, criteria), criteria: (code,
# name, min points, max points); levels: (code, name, min score), best first.

# The framework tests' framework: standard 20 + 70, bonus 10, deduction -10; levels A-D; A for at most
# 30% of those evaluated (40% for an outstanding unit). Shared by all companies, not validated.
RULES_FRAMEWORK = {
    "name": "Khung thử nghiệm",
    "code": "TEST",
    "max_score": 90.0,
    "score_ceiling": 100.0,
    "groups": [
        (
            "G1",
            "Ý thức tổ chức kỷ luật",
            "standard",
            0,
            20,
            [("C1", "Kỷ luật", 0, 10), ("C2", "Đạo đức", 0, 10)],
        ),
        (
            "G2",
            "Kết quả thực hiện nhiệm vụ",
            "standard",
            0,
            70,
            [("C3", "Khối lượng", 0, 40), ("C4", "Chất lượng", 0, 30)],
        ),
        ("G3", "Điểm thưởng", "bonus", 0, 10, [("C5", "Sáng kiến", 0, 6), ("C6", "Đột xuất", 0, 4)]),
        ("G4", "Điểm trừ", "deduction", -10, 0, [("C7", "Vi phạm", -8, 0), ("C8", "Chậm trễ", -8, 0)]),
    ],
    "levels": [
        ("A", "Xuất sắc", 90),
        ("B", "Tốt", 70),
        ("C", "Hoàn thành", 50),
        ("D", "Không hoàn thành", 0),
    ],
    "quotas": [{"level_id": "A", "basis": "evaluated", "max_percent": 30.0, "exceptional_max_percent": 40.0}],
}

# The cycle tests' framework, Hà Nội-like (3814-QĐ/TU): discipline 20 + results 70, bonus 10 on top,
# deductions down to -10; levels A >= 90, B >= 70, C >= 50, D; no quota.
DISTRICT_FRAMEWORK = {
    "name": "Khung thử nghiệm (3814-QĐ/TU)",
    "code": "TEST-HN",
    "max_score": 90.0,
    "score_ceiling": 100.0,
    "groups": [
        (
            "I",
            "Ý thức tổ chức kỷ luật",
            "standard",
            0,
            20,
            [("1.1", "Chấp hành", 0, 10), ("1.2", "Tác phong", 0, 10)],
        ),
        (
            "II",
            "Kết quả thực hiện nhiệm vụ",
            "standard",
            0,
            70,
            [("2.1", "Khối lượng", 0, 35), ("2.2", "Chất lượng", 0, 35)],
        ),
        ("III", "Điểm thưởng", "bonus", 0, 10, [("3.1", "Sáng kiến", 0, 10)]),
        ("IV", "Điểm trừ", "deduction", -10, 0, [("4.1", "Vi phạm", -10, 0)]),
    ],
    "levels": [
        ("A", "Hoàn thành xuất sắc nhiệm vụ", 90),
        ("B", "Hoàn thành tốt nhiệm vụ", 70),
        ("C", "Hoàn thành nhiệm vụ", 50),
        ("D", "Không hoàn thành nhiệm vụ", 0),
    ],
}


def rules_framework(env, code="TEST", **vals):
    """The framework tests' framework (RULES_FRAMEWORK), a draft, under `code`."""
    return make_framework(env, RULES_FRAMEWORK, code=code, **vals)


def district_framework(env, company):
    """The cycle tests' framework (DISTRICT_FRAMEWORK) of `company`, validated."""
    return make_framework(env, DISTRICT_FRAMEWORK, company=company, validate=True)


# ---------------------------------------------------------------------- Excel files
def read_workbook(attachment):
    """The workbook of an export's attachment (or of the bytes of an .xlsx), opened with openpyxl."""
    import openpyxl  # an Odoo requirement, imported where used

    content = attachment if isinstance(attachment, bytes) else attachment.raw
    return openpyxl.load_workbook(io.BytesIO(content))


def sheet_values(ws):
    """The values of a worksheet, [row][column] (0-based)."""
    return [[cell.value for cell in row] for row in ws.iter_rows()]


def sheet_texts(ws):
    """Every text of a worksheet, row by row."""
    return [value for row in sheet_values(ws) for value in row if isinstance(value, str)]


def header_row(ws):
    """1-based index of the row whose first cell is STT (the header of the reports' tables)."""
    for index, row in enumerate(ws.iter_rows(max_col=1), start=1):
        if row[0].value == "STT":
            return index
    raise AssertionError("no header row")


def data_rows(ws, first_col_type=int):
    """The values of the rows under the header numbered in the first column (people or departments)."""
    return [
        [cell.value for cell in row]
        for row in ws.iter_rows(min_row=header_row(ws) + 1)
        if isinstance(row[0].value, first_col_type)
    ]


# ---------------------------------------------------------------------- base classes
class FrameworkCase(TransactionCase):
    """A small framework built from scratch (RULES_FRAMEWORK): standard 20 + 70, bonus 10, deduction -10."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Framework = cls.env["civ.framework"]
        cls.framework = cls._make_framework()

    @classmethod
    def _make_framework(cls, code="TEST", **vals):
        return rules_framework(cls.env, code=code, **vals)

    _level = staticmethod(level_of)
    _group = staticmethod(group_of)
    _criterion = staticmethod(criterion_of)

    @contextmanager
    def assertRaisesText(self, exception, pattern):
        """assertRaises (which rolls back the failed operation) + a regex check of the message."""
        with self.assertRaises(exception) as caught:
            yield caught
        self.assertTrue(
            re.search(pattern, str(caught.exception)), f"{pattern!r} not in {str(caught.exception)!r}"
        )

    def _points(self, framework, **by_code):
        return {self._criterion(framework, code).id: value for code, value in by_code.items()}


class RpcMixin:
    """Calls over the real JSON-RPC endpoint (/web/dataset/call_kw and the other routes), as a user
    logged in with a plain client would; for an HttpCase."""

    def _as(self, user):
        self.authenticate(user.login, user.login)

    def _call(self, model, method, *args, **kwargs):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def _refused(self, model, method, *args, **kwargs):
        """The name of the error the call fails with (e.g. odoo.exceptions.AccessError)."""
        with mute_logger("odoo.http"), self.assertRaises(JsonRpcException) as caught:
            self._call(model, method, *args, **kwargs)
        return caught.exception.args[0]

    def _route_refused(self, route, params):
        with mute_logger("odoo.http"), self.assertRaises(JsonRpcException) as caught:
            self.make_jsonrpc_request(route, params)
        return caught.exception.args[0]
