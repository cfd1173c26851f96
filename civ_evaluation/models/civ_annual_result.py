import calendar
import logging
from collections import defaultdict
from datetime import date, timedelta

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression
from odoo.tools import float_compare, float_round

from . import civ_seal
from .civ_arguments import ids_argument, text_argument, year_argument
from .civ_format import format_number
from .civ_period import QUIET_CONTEXT

_logger = logging.getLogger(__name__)

OFFICER = "civ_evaluation.group_civ_officer"

# Who may do what on a year-end result, in which states: {action: (states, role)}
# Human resources prepare, check and submit; the head of the agency decides for the staff, the
# superior of the head (the company's setting) for the head: the "decider" of the result.
RESULT_ACTIONS = {
    "edit": (("draft",), "officer"),
    "submit": (("draft",), "officer"),
    "decide": (("submitted",), "decider"),
    "set_draft": (("submitted", "done"), "officer"),
    "verify": (("draft", "submitted", "done"), "officer"),
    "appeal": (("done",), "owner"),
    "notice": (("done",), "officer"),
}

# Employees per batch when preparing a company's year: one read of their sheets, absences and
# disciplinary actions, one create() of the new results per batch.
PREPARE_CHUNK_SIZE = 1000

RESULT_STATES = [("draft", "Draft"), ("submitted", "Awaiting Decision"), ("done", "Done")]

MONTH_DIGITS = 2

# the written notice of a decided result, filed on the employee's record (the file name is that of
# an official document: Vietnamese)
NOTICE_REPORT = "civ_evaluation.action_report_civ_annual_notice"
# notices rendered per wkhtmltopdf run: the pages of one input (see report_annual_notice), small
# enough that a failed run costs little when its notices are then rendered one by one
NOTICE_CHUNK_SIZE = 50
# missing notices the scheduled action renders again per run
NOTICE_RETRY_LIMIT = 500
ANNUAL_REMINDER_ACTIVITY = "civ_evaluation.mail_activity_type_civ_annual_reminder"
NOTICE_NAME = "Thông báo xếp loại năm {year} - {name}.{ext}"


def _year_bounds(year):
    return date(year, 1, 1), date(year, 12, 31)


def _months_in_year(date_start, date_end, year):
    """The months (1-12) of `year` touched by the period [date_start, date_end]."""
    first, last = _year_bounds(year)
    start, end = max(date_start, first), min(date_end or date_start, last)
    if end < start:
        return []
    return list(range(start.month, end.month + 1))


def _months_covered(intervals, year):
    """Length in months of the union of date intervals within `year`: each calendar month counts
    the share of its days covered (1 January - 31 March = 3.0)."""
    first, last = _year_bounds(year)
    clipped = sorted((max(start, first), min(end, last)) for start, end in intervals)
    merged = []
    for start, end in clipped:
        if end < start:
            continue
        if merged and start <= merged[-1][1] + timedelta(days=1):
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    total = 0.0
    for start, end in merged:
        day = start
        while day <= end:
            length = calendar.monthrange(day.year, day.month)[1]
            month_end = day.replace(day=length)
            stop = min(end, month_end)
            total += ((stop - day).days + 1) / length
            day = month_end + timedelta(days=1)
    return float_round(total, precision_digits=MONTH_DIGITS)


def _fmt_months(env, value):
    return format_number(env, value, digits=MONTH_DIGITS, trim=True)


class CivAnnualResult(models.Model):
    """The year-end classification of one person in one company (agency), proposed from the locked
    monthly sheets of the year and decided by human resources."""

    _name = "civ.annual.result"
    _description = "Year-end Classification"
    _inherit = ["civ.chatter.mixin", "civ.workflow.mixin"]
    _order = "year desc, company_id, department_id, employee_id, id"
    _rec_names_search = ["employee_id.name"]
    _check_company_auto = True

    employee_id = fields.Many2one(
        "hr.employee", required=True, readonly=True, index=True, ondelete="restrict", check_company=True
    )
    user_id = fields.Many2one(
        "res.users", string="Employee's User", related="employee_id.user_id", store=True, index=True
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    year = fields.Integer(required=True, readonly=True, index=True, aggregator=False)
    department_id = fields.Many2one(
        "hr.department", readonly=True, index=True, help="The employee's department when prepared."
    )
    job_title = fields.Char(readonly=True)
    framework_id = fields.Many2one(
        "civ.framework",
        string="Year-end Framework",
        readonly=True,
        help="The framework whose levels (and bands) classify the year.",
    )

    months_evaluated = fields.Integer(
        readonly=True,
        aggregator="avg",
        help="Months of the year with a locked monthly sheet that was evaluated (sheets closed as "
        "not evaluated do not count; a month counts once even with two sheets; a quarterly sheet "
        "counts its three months, each with the quarter's score in the average).",
    )
    months_worked = fields.Float(
        readonly=True,
        digits=(16, 2),
        aggregator="avg",
        help="Months actually worked in the year (Nghị định 90/2020, art. 2(3)): the months with a "
        "monthly sheet, evaluated or not, in any agency of the database, less the recorded absences "
        "(maternity leave included). Under the minimum months the person is not classified.",
    )
    months_not_evaluated = fields.Integer(
        readonly=True, aggregator="avg", help="Months whose locked sheet was closed as not evaluated."
    )
    months_pending = fields.Integer(
        string="Months Not Locked",
        readonly=True,
        aggregator="avg",
        help="Months whose sheet is not locked yet: they are left out until the month is locked and "
        "the results are prepared again.",
    )
    months_other_company = fields.Integer(
        string="Months in Other Agencies",
        readonly=True,
        aggregator="avg",
        help="Months evaluated in another company of the database (transfer).",
    )
    average_score = fields.Float(
        readonly=True,
        digits=(16, 2),
        aggregator="avg",
        help="Average of the monthly final scores over the months evaluated.",
    )
    absence_months = fields.Float(
        string="Months Absent",
        readonly=True,
        digits=(16, 2),
        aggregator="avg",
        help="Months of recorded absence in the year, maternity leave apart.",
    )
    maternity_months = fields.Float(
        string="Months of Maternity Leave", readonly=True, digits=(16, 2), aggregator="avg"
    )
    has_discipline = fields.Boolean(
        string="Disciplined in the Year", readonly=True, help="A disciplinary action is recorded in the year."
    )
    not_classified = fields.Boolean(readonly=True, index=True)
    not_classified_reason = fields.Char(readonly=True)
    proposed_level_id = fields.Many2one("civ.level", readonly=True, index=True)
    level_id = fields.Many2one(
        "civ.level",
        index=True,
        tracking=True,
        domain="[('framework_id', '=', framework_id)]",
        help="The level decided by human resources: the proposal unless changed (with a note).",
    )
    level_differs = fields.Boolean(
        string="Changed by HR",
        compute="_compute_level_differs",
        store=True,
        help="The decided level differs from the proposal.",
    )
    note = fields.Text(tracking=True, help="Required when the decided level differs from the proposal.")
    explanation = fields.Text(
        string="How the Proposal Was Made",
        readonly=True,
        help="The months, scores and rules that gave the proposed level.",
    )
    quota_reason = fields.Text(
        readonly=True,
        tracking=True,
        help="Why the year-end quota of the best level was exceeded when this result was decided.",
    )
    state = fields.Selection(
        RESULT_STATES,
        string="Status",
        default="draft",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
        copy=False,
    )
    date_prepared = fields.Datetime(string="Prepared On", readonly=True, copy=False)
    date_done = fields.Datetime(string="Decided On", readonly=True, copy=False)
    decided_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    date_submitted = fields.Datetime(string="Submitted On", readonly=True, copy=False)
    submitted_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    decider_employee_id = fields.Many2one(
        "hr.employee",
        string="Decided by (Head)",
        readonly=True,
        copy=False,
        index=True,
        help="Who decides this result: the head of the agency for its staff, the superior of the head "
        "(company setting) for the head of the agency. Set when human resources submit it.",
    )
    decider_user_id = fields.Many2one(
        "res.users", string="Decider's User", related="decider_employee_id.user_id", store=True, index=True
    )
    is_decider = fields.Boolean(compute="_compute_user_rights")
    # the seal of the decided results (see civ_seal): one hash chain per company and year
    seal_hash = fields.Char(readonly=True, copy=False, groups=OFFICER)
    # a result decided before its release sealed the decided results is sealed when the addon is
    # upgraded (migrations/18.0.1.1.0/end-migrate.py): when, and to which version of the addon
    seal_upgrade_date = fields.Datetime(
        string="Sealed at the Upgrade On",
        readonly=True,
        copy=False,
        groups=OFFICER,
        help="This result was decided before the addon sealed the decided results: it was sealed when the "
        "addon was upgraded, on this date. Its seal proves that nothing changed since then, not before.",
    )
    seal_upgrade_version = fields.Char(
        string="Sealed at the Upgrade to",
        readonly=True,
        copy=False,
        groups=OFFICER,
        help="The version of the addon whose upgrade sealed this result.",
    )
    # the written notice that could not be made at the decision (the decision stands): made again
    # by the button Retry the Notice and by the scheduled action
    notice_missing = fields.Boolean(
        readonly=True,
        copy=False,
        index=True,
        groups=OFFICER,
        help="The written notice of this decided result could not be made: the decision stands and the "
        "employee was notified without it. Retry the Notice (or the daily scheduled action) makes it again.",
    )
    notice_error = fields.Text(
        readonly=True,
        copy=False,
        groups=OFFICER,
        help="Why the notice could not be made.",
    )

    appeal_ids = fields.One2many("civ.annual.appeal", "result_id", string="Requests for Review")
    appeal_count = fields.Integer(string="Requests", compute="_compute_appeal_count")
    discipline_ids = fields.Many2many(
        "civ.discipline", string="Disciplinary Actions", compute="_compute_hr_records", groups=OFFICER
    )
    absence_ids = fields.Many2many(
        "civ.absence", string="Absences", compute="_compute_hr_records", groups=OFFICER
    )
    is_owner = fields.Boolean(compute="_compute_user_rights")
    is_officer = fields.Boolean(compute="_compute_user_rights")

    _sql_constraints = [
        (
            "employee_company_year_unique",
            "unique(employee_id, company_id, year)",
            "An employee has only one year-end result per company and year.",
        ),
    ]

    # ------------------------------------------------------------------ computes
    @api.depends("employee_id", "year")
    def _compute_display_name(self):
        for result in self:
            result.display_name = " – ".join(
                part for part in (result.employee_id.sudo().name, result.year and str(result.year)) if part
            )

    @api.depends("level_id", "proposed_level_id")
    def _compute_level_differs(self):
        for result in self:
            result.level_differs = result.level_id != result.proposed_level_id

    def _compute_appeal_count(self):
        counts = dict(
            self.env["civ.annual.appeal"]._read_group(
                [("result_id", "in", self.ids)], ["result_id"], ["__count"]
            )
        )
        for result in self:
            result.appeal_count = counts.get(result, 0)

    def _compute_hr_records(self):
        """The absences and disciplinary actions of the year (of the employee's records that count:
        see the company's identity setting), read in two queries."""
        Absence = self.env["civ.absence"].sudo()
        Discipline = self.env["civ.discipline"].sudo()
        peers = self._identity_peers(self.employee_id) if self.employee_id else {}
        all_ids = list(set().union(*peers.values())) if peers else []
        years = set(self.mapped("year")) or {fields.Date.today().year}
        absences = Absence.search(
            [
                ("employee_id", "in", all_ids),
                ("date_from", "<=", date(max(years), 12, 31)),
                ("date_to", ">=", date(min(years), 1, 1)),
            ]
        )
        disciplines = Discipline.search(
            [
                ("employee_id", "in", all_ids),
                ("date", ">=", date(min(years), 1, 1)),
                ("date", "<=", date(max(years), 12, 31)),
            ]
        )
        for result in self:
            own = peers.get(result.employee_id.id, set())
            first, last = _year_bounds(result.year) if result.year else (date.min, date.max)
            result.absence_ids = absences.filtered(
                lambda a, own=own, first=first, last=last: a.employee_id.id in own
                and a.date_from <= last
                and a.date_to >= first
            )
            result.discipline_ids = disciplines.filtered(
                lambda d, own=own, first=first, last=last: d.employee_id.id in own and first <= d.date <= last
            )

    @api.depends_context("uid")
    @api.depends("user_id")
    def _compute_user_rights(self):
        is_officer = self._is_officer()
        for result in self:
            result.is_officer = is_officer
            result.is_owner = result.user_id == self.env.user
            result.is_decider = bool(result.decider_user_id) and result.decider_user_id == self.env.user

    # ------------------------------------------------------------------ constraints and guards
    @api.constrains("level_id", "proposed_level_id", "note")
    def _check_note_when_changed(self):
        for result in self:
            if result.level_id != result.proposed_level_id and not (result.note or "").strip():
                raise ValidationError(
                    self.env._(
                        "The level of %(result)s differs from the proposal (%(proposed)s → %(level)s): write "
                        "a note explaining why.",
                        result=result.display_name,
                        proposed=result.proposed_level_id.display_name or self.env._("not classified"),
                        level=result.level_id.display_name or self.env._("not classified"),
                    )
                )

    @api.constrains("level_id", "framework_id")
    def _check_level_framework(self):
        for result in self:
            if result.level_id and result.level_id.framework_id != result.framework_id:
                raise ValidationError(
                    self.env._(
                        "The level of %(result)s must be a level of its year-end framework %(framework)s.",
                        result=result.display_name,
                        framework=result.framework_id.display_name or "-",
                    )
                )

    @api.constrains("year")
    def _check_year(self):
        for result in self:
            if not 1900 < result.year < 3000:
                raise ValidationError(self.env._("%s is not a valid year.", result.year))

    def _civ_chatter_state(self):
        # human resources prepare a draft; submitted, the decider adds; decided, nothing changes
        states = {"draft": "open", "submitted": "append"}
        return {result.id: states.get(result.state, "closed") for result in self}

    def _check_not_locked(self):
        """A year-end result belongs to no month: a decided result is frozen by the gate instead."""

    def _check_workflow_access(self, action):
        """The one gate of the year-end result (see RESULT_ACTIONS): the role first (access error),
        then the state (user error)."""
        states, role = RESULT_ACTIONS[action]
        if not self.env.su:
            self.check_access("read")
        for result in self.sudo():
            if role == "officer" and not self._is_officer():
                raise AccessError(
                    self.env._("Only human resources officers can do this on year-end results.")
                )
            if role == "owner" and not self.env.su and result.user_id != self.env.user:
                raise AccessError(
                    self.env._("Only the employee can ask for a review of their decided result.")
                )
            if (
                role == "decider"
                and not self.env.su
                and (not result.decider_user_id or result.decider_user_id != self.env.user)
            ):
                raise AccessError(
                    self.env._(
                        "Only %(decider)s decides the year-end result of %(result)s: the head of the agency "
                        "for its staff, the superior level for the head.",
                        decider=result.decider_employee_id.name or self.env._("the head of the agency"),
                        result=result.display_name,
                    )
                )
            # the decisive actions (checking the seal or filing a notice again decide nothing)
            if role in ("officer", "decider") and action not in ("verify", "notice"):
                labels = {
                    "edit": self.env._("changing the level or the note"),
                    "submit": self.env._("submitting for decision"),
                    "decide": self.env._("deciding"),
                    "set_draft": self.env._("setting back to draft"),
                }
                result.with_env(self.env)._civ_check_not_own(labels[action])
            if result.state not in states:
                if result.state == "done":
                    raise UserError(
                        self.env._(
                            "The year-end result %s is decided: set it back to draft to change it.",
                            result.display_name,
                        )
                    )
                raise UserError(self.env._("The year-end result %s is not decided.", result.display_name))

    def _writable_outside_workflow(self):
        # human resources change the level and the note of a draft; the rest comes from the preparation
        return dict(super()._writable_outside_workflow(), level_id="edit", note="edit")

    def write(self, vals):
        self._check_direct_write(vals)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done(self):
        if any(result.state == "done" for result in self):
            raise UserError(self.env._("Decided year-end results cannot be deleted."))

    def _check_officer(self):
        if not self._is_officer():
            raise AccessError(self.env._("Only human resources officers can do this on year-end results."))

    # ------------------------------------------------------------------ preparation
    @api.model
    @api.returns("self")
    def prepare_results(self, year, companies=None):
        """Create or refresh the draft year-end results of `year` for the companies (default: the
        current company), from the locked monthly sheets. Decided results are never touched; a draft
        whose level was changed by human resources keeps that level (and its note).

        :param int year: the year to classify (a whole number between 1900 and 3000)
        :param companies: res.company records, one id or a list of ids (the user's companies only)
        :returns: the results created or refreshed (their ids over RPC: @api.returns)
        """
        self._check_officer()
        year = year_argument(self.env, year)
        Company = self.env["res.company"]
        if companies is None:
            companies = self.env.company
        else:
            companies = Company.browse(
                ids_argument(self.env, "res.company", companies, self.env._("A company"))
            )
        if not self.env.su:
            outside = companies - self.env.user.company_ids
            if outside:
                raise AccessError(
                    self.env._(
                        "You cannot prepare the year-end results of the companies %s: they are not among "
                        "yours.",
                        ", ".join(str(company_id) for company_id in outside.ids),
                    )
                )
        Result = self.sudo().with_context(**QUIET_CONTEXT)
        ids = []
        for company in companies.sudo():
            ids += Result._prepare_company(company, year).ids
        return self.browse(ids)

    def _prepare_company(self, company, year):
        """Prepare one company's year (sudo, batched by employees)."""
        now = fields.Datetime.now()
        employees = self._annual_employees(company, year)
        _logger.info("Year-end %s of %s: preparing %s results", year, company.name, len(employees))
        prepared_ids = []
        for start in range(0, len(employees), PREPARE_CHUNK_SIZE):
            chunk = employees[start : start + PREPARE_CHUNK_SIZE]
            facts = self._annual_facts(chunk, company, year)
            existing = {
                result.employee_id.id: result
                for result in self.search(
                    [("company_id", "=", company.id), ("year", "=", year), ("employee_id", "in", chunk.ids)]
                )
            }
            create_vals = []
            for employee in chunk:
                result = existing.get(employee.id)
                if result and result.state != "draft":
                    continue
                vals = self._annual_proposal(company, facts[employee.id])
                vals.update(
                    {
                        "date_prepared": now,
                        "department_id": employee.department_id.id,
                        "job_title": employee.job_title or employee.job_id.name or False,
                    }
                )
                if not result:
                    vals.update(
                        {
                            "employee_id": employee.id,
                            "company_id": company.id,
                            "year": year,
                            "level_id": vals["proposed_level_id"],
                        }
                    )
                    create_vals.append(vals)
                    continue
                # keep a level chosen by human resources, unless it belongs to another framework now
                if result.level_id == result.proposed_level_id or (
                    result.level_id and result.level_id.framework_id.id != vals["framework_id"]
                ):
                    vals["level_id"] = vals["proposed_level_id"]
                result.write(vals)
                prepared_ids.append(result.id)
            prepared_ids += self.create(create_vals).ids
            self.env.flush_all()
            self.env.invalidate_all()
        company.write({"civ_annual_prepared_year": year, "civ_annual_prepared_date": now})
        return self.browse(prepared_ids)

    @api.model
    def _annual_employees(self, company, year):
        """Who gets a result: the active employees of the company in scope of the evaluation, and
        those who already have a draft result of the year."""
        in_scope = (
            self.env["hr.employee"]
            .sudo()
            .search([("company_id", "=", company.id), ("civ_evaluated", "=", True)], order="id")
        )
        drafts = (
            self.sudo()
            .search([("company_id", "=", company.id), ("year", "=", year), ("state", "=", "draft")])
            .employee_id
        )
        return (in_scope | drafts.filtered(lambda employee: employee.company_id == company)).sorted("id")

    @api.model
    def _identity_peers(self, employees):
        """The employee records whose monthly sheets, absences and disciplinary actions count for
        each employee: the employee itself and, when the company matches persons (the default), the
        employee records (of any company, archived included) with the same user or work contact.

        :returns: {employee id: set of employee ids}
        """
        employees = employees.sudo()
        peers = {employee.id: {employee.id} for employee in employees}
        persons = employees.filtered(lambda e: e.company_id.civ_annual_identity == "person")
        users = persons.user_id.ids
        contacts = persons.work_contact_id.ids
        if not users and not contacts:
            return peers
        domains = []
        if users:
            domains.append([("user_id", "in", users)])
        if contacts:
            domains.append([("work_contact_id", "in", contacts)])
        others = self.env["hr.employee"].sudo().with_context(active_test=False).search(expression.OR(domains))
        by_user, by_contact = defaultdict(set), defaultdict(set)
        for other in others:
            if other.user_id:
                by_user[other.user_id.id].add(other.id)
            if other.work_contact_id:
                by_contact[other.work_contact_id.id].add(other.id)
        for employee in persons:
            if employee.user_id:
                peers[employee.id] |= by_user[employee.user_id.id]
            if employee.work_contact_id:
                peers[employee.id] |= by_contact[employee.work_contact_id.id]
        return peers

    @api.model
    def _annual_facts(self, employees, company, year):
        """What the proposal of each employee is made of, read in a handful of queries for the whole
        batch: the locked monthly sheets of the year (every company), the absences and the
        disciplinary actions.

        :returns: {employee id: {"months": {month: [(final score, level id), ...]}, "not_evaluated",
            "pending", "other_company": sets of months, "latest_framework", "latest_company": of the
            latest month evaluated (ids or False),
            "absence_months", "maternity_months": floats, "disciplines": [dict, ...]}}
        """
        first, last = _year_bounds(year)
        peers = self._identity_peers(employees)
        all_ids = sorted(set().union(*peers.values())) if peers else []
        sheets = (
            self.env["civ.evaluation"]
            .sudo()
            .search_read(
                [
                    ("employee_id", "in", all_ids),
                    ("period_id.date_start", ">=", first),
                    ("period_id.date_start", "<=", last),
                ],
                [
                    "employee_id",
                    "company_id",
                    "period_id",
                    "framework_id",
                    "state",
                    "not_evaluated",
                    "final_score",
                    "level_id",
                ],
                load="",
            )
        )
        periods = {
            period["id"]: period
            for period in self.env["civ.period"]
            .sudo()
            .browse({sheet["period_id"] for sheet in sheets})
            .read(["date_start", "date_end"], load="")
        }
        absences = (
            self.env["civ.absence"]
            .sudo()
            .search_read(
                [("employee_id", "in", all_ids), ("date_from", "<=", last), ("date_to", ">=", first)],
                ["employee_id", "date_from", "date_to", "kind"],
                load="",
            )
        )
        # the grounds that count (ND 48: not a violation already used before, one act counted once)
        disciplines = (
            self.env["civ.discipline"]
            .sudo()
            .search_read(
                [
                    ("employee_id", "in", all_ids),
                    ("date", ">=", first),
                    ("date", "<=", last),
                    ("counted", "=", True),
                ],
                ["employee_id", "date", "kind", "ground", "decision_number", "display_name"],
                order="date, id",
                load="",
            )
        )
        sheets_of, absences_of, disciplines_of = defaultdict(list), defaultdict(list), defaultdict(list)
        for sheet in sheets:
            sheets_of[sheet["employee_id"]].append(sheet)
        for absence in absences:
            absences_of[absence["employee_id"]].append(absence)
        for discipline in disciplines:
            disciplines_of[discipline["employee_id"]].append(discipline)

        facts = {}
        for employee in employees:
            own = peers[employee.id]
            months = defaultdict(list)
            not_evaluated, pending, other_company = set(), set(), set()
            latest = None
            on_rolls = []
            for sheet in (s for eid in own for s in sheets_of[eid]):
                period = periods[sheet["period_id"]]
                on_rolls.append((period["date_start"], period["date_end"] or period["date_start"]))
                covered = set(_months_in_year(period["date_start"], period["date_end"], year))
                if sheet["state"] != "locked":
                    pending |= covered
                    continue
                if sheet["not_evaluated"]:
                    not_evaluated |= covered
                    continue
                for month in covered:
                    months[month].append((sheet["final_score"], sheet["level_id"] or False))
                if sheet["company_id"] != company.id:
                    other_company |= covered
                key = (period["date_start"], sheet["id"])
                if latest is None or key > latest[0]:
                    latest = (key, sheet["framework_id"], sheet["company_id"])
            own_absences = [a for eid in own for a in absences_of[eid]]
            # time actually worked: the months on the rolls (a sheet, evaluated or not) less absences
            absent_on_rolls = [
                (max(start, a["date_from"]), min(end, a["date_to"]))
                for start, end in on_rolls
                for a in own_absences
                if a["date_from"] <= end and a["date_to"] >= start
            ]
            facts[employee.id] = {
                "worked_months": max(
                    _months_covered(on_rolls, year) - _months_covered(absent_on_rolls, year), 0.0
                ),
                "months": dict(months),
                "not_evaluated": not_evaluated - months.keys(),
                "pending": pending - months.keys() - not_evaluated,
                "other_company": other_company,
                "latest_framework": latest[1] if latest else False,
                "latest_company": latest[2] if latest else False,
                "absence_months": _months_covered(
                    [(a["date_from"], a["date_to"]) for a in own_absences if a["kind"] != "maternity"], year
                ),
                "maternity_months": _months_covered(
                    [(a["date_from"], a["date_to"]) for a in own_absences if a["kind"] == "maternity"], year
                ),
                "disciplines": [d for eid in own for d in disciplines_of[eid]],
            }
        return facts

    @api.model
    def _annual_proposal(self, company, facts):
        """The proposal from one person's facts and the company's rules.

        :returns: the values of the result's preparation fields (framework, counts, average,
            not-classified flag and reason, proposed level, explanation)
        """
        Framework = self.env["civ.framework"].sudo()
        months = facts["months"]
        count = len(months)
        month_scores = [sum(score for score, _level in rows) / len(rows) for rows in months.values()]
        average = float_round(sum(month_scores) / count, precision_digits=2) if count else 0.0
        framework = (
            company.civ_annual_framework_id
            or Framework.browse(facts["latest_framework"])
            or company.civ_framework_id
        ).sudo()
        lines = []
        not_classified, reason = False, False
        min_months = company.civ_annual_min_months
        maternity = facts["maternity_months"]
        worked = facts.get("worked_months", float(count))
        latest_company = facts["latest_company"]
        if not count:
            not_classified, reason = True, self.env._("No month evaluated in the year.")
        elif latest_company and latest_company != company.id:
            # transferred away: the agency of the latest month classifies the whole year
            not_classified = True
            reason = self.env._(
                "Transferred: the latest month was evaluated in %s, which classifies the year.",
                self.env["res.company"].sudo().browse(latest_company).name,
            )
        elif float_compare(worked, min_months, MONTH_DIGITS) < 0:
            # Nghị định 90/2020, art. 2(3): the months actually worked, not only the months evaluated
            if (
                company.civ_annual_maternity_exception
                and maternity > 0
                and float_compare(worked + maternity, min_months, MONTH_DIGITS) >= 0
            ):
                lines.append(
                    self.env._(
                        "%(count)s months evaluated and %(maternity)s months of maternity leave: classified "
                        "on the time worked.",
                        count=count,
                        maternity=_fmt_months(self.env, maternity),
                    )
                )
            else:
                not_classified = True
                reason = self.env._(
                    "%(worked)s months worked (%(count)s months evaluated), fewer than the %(min)s "
                    "required (Nghị định 90/2020, art. 2(3)).",
                    worked=_fmt_months(self.env, worked),
                    count=count,
                    min=min_months,
                )
        if not not_classified and not framework:
            not_classified, reason = True, self.env._("No year-end framework: set one in the settings.")
        level = self.env["civ.level"]
        if not not_classified:
            ranked = framework._sorted_levels()
            if company.civ_annual_rule == "level_count":
                level = self._level_by_count(framework, months)
                lines.append(
                    self.env._(
                        "Months at each level over %(count)s months → %(level)s.",
                        count=count,
                        level=level.display_name or "-",
                    )
                )
            else:
                level = framework.level_for_score(average) or ranked[-1:]
                lines.append(
                    self.env._(
                        "Average %(average)s over %(count)s months → %(level)s.",
                        average=format(average, ".2f"),
                        count=count,
                        level=level.display_name or "-",
                    )
                )
            level = self._apply_absence_cap(company, ranked, level, facts, lines)
            if company.civ_annual_discipline_lowest and facts["disciplines"] and ranked:
                level = ranked[-1]
                lines.append(
                    self.env._(
                        "Disciplinary action in the year (%(actions)s): %(level)s.",
                        actions=", ".join(d["display_name"] for d in facts["disciplines"]),
                        level=level.display_name,
                    )
                )
        if not_classified:
            lines.append(self.env._("Not classified: %s", reason))
        if facts["other_company"]:
            lines.append(
                self.env._("%s months evaluated in another agency are counted.", len(facts["other_company"]))
            )
        if facts["pending"]:
            lines.append(self.env._("%s months not locked yet are left out.", len(facts["pending"])))
        return {
            "framework_id": framework.id,
            "months_evaluated": count,
            "months_worked": worked,
            "months_not_evaluated": len(facts["not_evaluated"]),
            "months_pending": len(facts["pending"]),
            "months_other_company": len(facts["other_company"]),
            "average_score": average,
            "absence_months": facts["absence_months"],
            "maternity_months": maternity,
            "has_discipline": bool(facts["disciplines"]),
            "not_classified": not_classified,
            "not_classified_reason": reason,
            "proposed_level_id": level.id,
            "explanation": "\n".join(lines),
        }

    @api.model
    def _apply_absence_cap(self, company, ranked, level, facts, lines):
        """Absent at least the company's cap months (maternity apart): not above the cap level."""
        cap_months = company.civ_annual_absence_cap_months
        absent = facts["absence_months"]
        if (
            not level
            or float_compare(cap_months, 0.0, MONTH_DIGITS) <= 0
            or (float_compare(absent, cap_months, MONTH_DIGITS) < 0)
        ):
            return level
        code = (company.civ_annual_absence_cap_code or "").strip().upper()
        cap = ranked.filtered(lambda lvl: (lvl.code or "").strip().upper() == code)[:1]
        if not cap:
            lines.append(
                self.env._(
                    "Absent %(months)s months, but the framework has no level %(code)s: no cap applied.",
                    months=_fmt_months(self.env, absent),
                    code=code or "-",
                )
            )
            return level
        if list(ranked).index(level) < list(ranked).index(cap):
            lines.append(
                self.env._(
                    "Absent %(months)s months: at most %(level)s.",
                    months=_fmt_months(self.env, absent),
                    level=cap.display_name,
                )
            )
            return cap
        return level

    @api.model
    def _level_by_count(self, framework, months):
        """Rule 'months at each level': the best level L of the framework such that at least
        L.annual_min_months months are at L or better; the lowest level otherwise. Monthly levels are
        matched to the year-end framework by code (by rank when the code is unknown); a month with two
        sheets counts with its best-scored one."""
        ranked = list(framework._sorted_levels())
        if not any(level.annual_min_months for level in ranked):
            raise UserError(
                self.env._(
                    "The year-end rule counts the months at each level, but no level of %s says how many "
                    "months it needs: set them on the framework's levels.",
                    framework.display_name,
                )
            )
        index_of_code = {(level.code or "").strip().upper(): index for index, level in enumerate(ranked)}
        Level = self.env["civ.level"].sudo()
        ranks = []
        for rows in months.values():
            _score, level_id = max(rows, key=lambda row: row[0])
            if not level_id:
                continue
            month_level = Level.browse(level_id)
            index = index_of_code.get((month_level.code or "").strip().upper())
            if index is None:
                own = list(month_level.framework_id._sorted_levels())
                index = min(own.index(month_level), len(ranked) - 1)
            ranks.append(index)
        for index, level in enumerate(ranked):
            reached = sum(1 for rank in ranks if rank <= index)
            if level.annual_min_months > 0 and reached >= level.annual_min_months:
                return level
        return ranked[-1]

    # ------------------------------------------------------------------ scheduled preparation
    @api.model
    def _cron_prepare_year_end(self, batch=1):
        """Daily: the year-end calendar of each company (civ_annual_deadline): the reminders before
        the deadline, then the preparation of the drafts in the deadline's month (see
        _civ_prepare_year_end). Only the scheduler (superuser) runs it; the day is today in Vietnam
        (the crons' user has no time zone)."""
        self.env["civ.period"]._check_cron_caller()
        today = self.env["civ.period"]._civ_today()
        self._civ_year_end_reminders(today=today)
        self._civ_retry_missing_notices()
        self._civ_prepare_year_end(today=today, batch=batch)

    @api.model
    def _civ_year_end_due(self, today, companies=None):
        """[(company, year)] whose preparation window is open on `today`: from the company's
        preparation day of the deadline's month (December of the year for the 15 December deadline,
        January of the following year for the 15 January one) to the end of that month."""
        Company = self.env["res.company"].sudo()
        domain = [("civ_annual_prepare_day", ">", 0), ("civ_annual_prepare_day", "<=", today.day)]
        if companies is not None:
            domain.append(("id", "in", companies.ids))
        due = []
        for deadline, (month, year) in (("12-15", (12, today.year)), ("01-15", (1, today.year - 1))):
            if today.month == month:
                due.extend(
                    (company, year)
                    for company in Company.search(
                        domain + [("civ_annual_deadline", "=", deadline)], order="id"
                    )
                )
        return due

    @api.model
    def _civ_prepare_year_end(self, today=None, batch=1, companies=None):
        """Prepare the draft results of the companies whose window is open (_civ_year_end_due) and
        not prepared yet, or prepared before a month of the year was locked (November is usually
        locked in December). `batch` companies per call; the progress is reported to the
        scheduler, which calls again while companies remain."""
        today = self.env["civ.period"]._civ_today(today)
        by_year = defaultdict(lambda: self.env["res.company"])
        for company, year in self._civ_year_end_due(today, companies):
            by_year[year] |= company
        todo = [
            (company, year)
            for year, group in sorted(by_year.items())
            for company in self._companies_to_prepare(group, year)
        ]
        Result = self.sudo().with_context(**QUIET_CONTEXT)
        for company, year in todo[:batch]:
            try:
                with self.env.cr.savepoint():
                    Result._prepare_company(company, year)
            except UserError as error:
                _logger.warning("Year-end %s of %s not prepared: %s", year, company.name, error)
                company.write(
                    {"civ_annual_prepared_year": year, "civ_annual_prepared_date": fields.Datetime.now()}
                )
        done = min(batch, len(todo))
        self.env["ir.cron"]._notify_progress(done=done, remaining=len(todo) - done)

    @api.model
    def _civ_year_end_reminders(self, today=None, companies=None):
        """From company.civ_annual_reminder_days days before the year-end deadline until the
        deadline, remind whoever has not acted: the officers of the company while results of the
        year are drafts, the decider while results await their decision. A reminder is one activity
        per person, company and year, on the first of their pending results (never two open ones).

        :returns: the number of reminder activities created
        """
        today = self.env["civ.period"]._civ_today(today)
        domain = [("civ_annual_reminder_days", ">", 0)]
        if companies is not None:
            domain.append(("id", "in", companies.ids))
        due = {}
        for company in self.env["res.company"].sudo().search(domain):
            for year in (today.year, today.year - 1):
                deadline = company._civ_annual_deadline_date(year)
                if deadline - timedelta(days=company.civ_annual_reminder_days) <= today <= deadline:
                    due[(company.id, year)] = deadline
        if not due:
            return 0
        pending = self.sudo().search(
            expression.OR(
                [
                    [
                        ("company_id", "=", company_id),
                        ("year", "=", year),
                        ("state", "in", ("draft", "submitted")),
                    ]
                    for company_id, year in due
                ]
            ),
            order="id",
        )
        if not pending:
            return 0
        officers = (
            self.env["res.users"]
            .sudo()
            .search(
                [("groups_id", "in", self.env.ref(OFFICER).id), ("company_ids", "in", pending.company_id.ids)]
            )
        )
        targets = defaultdict(lambda: self.browse())
        for result in pending:
            key = (result.company_id.id, result.year)
            if result.state == "submitted":
                if result.decider_user_id:
                    targets[(*key, result.decider_user_id.id, "decide")] |= result
                continue
            for officer in officers:
                if result.company_id in officer.company_ids:
                    targets[(*key, officer.id, "submit")] |= result
        reminder_type = self.env.ref(ANNUAL_REMINDER_ACTIVITY)
        existing = {
            (activity.res_id, activity.user_id.id)
            for activity in self.env["mail.activity"]
            .sudo()
            .search_fetch(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", pending.ids),
                    ("activity_type_id", "=", reminder_type.id),
                ],
                ["res_id", "user_id"],
            )
        }
        reminded = {(result_id, user_id) for result_id, user_id in existing}
        model_id = self.env["ir.model"]._get_id(self._name)
        vals_list = []
        for (company_id, year, user_id, kind), results in targets.items():
            if any((result.id, user_id) in reminded for result in results):
                continue
            deadline = due[(company_id, year)]
            figures = {"count": len(results), "year": year, "deadline": deadline.strftime("%d/%m/%Y")}
            if kind == "decide":
                summary = self.env._(
                    "Year-end classification: %(count)s result(s) of %(year)s to decide by %(deadline)s",
                    **figures,
                )
            else:
                summary = self.env._(
                    "Year-end classification: %(count)s result(s) of %(year)s to check and submit by "
                    "%(deadline)s",
                    **figures,
                )
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": results[0].id,
                    "activity_type_id": reminder_type.id,
                    "user_id": user_id,
                    "date_deadline": deadline,
                    "summary": summary,
                    "automated": True,
                }
            )
        self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(vals_list)
        _logger.info("Year-end reminders: %s activities", len(vals_list))
        return len(vals_list)

    @api.model
    def _companies_to_prepare(self, companies, year):
        """The companies whose drafts of `year` are missing or older than the last month locked."""
        first, last = _year_bounds(year)
        latest_lock = dict(
            self.env["civ.period"]
            .sudo()
            ._read_group(
                [
                    ("company_id", "in", companies.ids),
                    ("state", "=", "locked"),
                    ("date_start", ">=", first),
                    ("date_start", "<=", last),
                ],
                ["company_id"],
                ["date_locked:max"],
            )
        )
        return companies.filtered(
            lambda company: company.civ_annual_prepared_year != year
            or (
                latest_lock.get(company)
                and company.civ_annual_prepared_date
                and latest_lock[company] > company.civ_annual_prepared_date
            )
        )

    # ------------------------------------------------------------------ quota
    def _quota_status(self):
        """The year-end quotas, per company and year, if the results of self were decided now with
        their current level (together with those already decided), from the quota service of the
        year-end framework (civ.framework._check_quota_records, as check_quotas): the same wording
        and figures as the monthly screens.

        The quotas are those of the year-end framework (the company's, else the framework most
        results use); when it has none, the company's year-end percentage is used as "the best level
        ≤ X% of those graded at the second level" over the agency (0: no check). Levels of other
        frameworks are matched by code (by rank when the code is unknown). The exceptional maximum
        applies when the agency is recognised as outstanding for the year (civ.annual.outstanding).

        :returns: [{"company", "year", "scope", "scope_id", "quota", "level", "count", "basis",
            "allowed", "percent", "max_percent", "excess", "exceeded", "message"}] — one per company,
            year, quota and scope; "exceeded" only when self adds a result at the level of a quota
            exceeded in that scope.
        """
        groups = defaultdict(lambda: self.browse())
        for result in self.sudo():
            groups[(result.company_id, result.year)] |= result
        checks = []
        Outstanding = self.env["civ.annual.outstanding"].sudo()
        for (company, year), results in groups.items():
            decided = self.sudo().search(
                [
                    ("company_id", "=", company.id),
                    ("year", "=", year),
                    ("state", "=", "done"),
                    ("id", "not in", results.ids),
                    ("level_id", "!=", False),
                ]
            )
            everyone = decided | results.filtered("level_id")
            framework = company.civ_annual_framework_id.sudo()
            if not framework and everyone:
                usage = defaultdict(int)
                for result in everyone:
                    usage[result.framework_id or result.level_id.framework_id] += 1
                framework = max(usage, key=lambda fw: (usage[fw], fw.id))
            quotas = framework.quota_ids if framework else None
            if framework and not quotas:
                quotas = self._annual_default_quota(company, framework)
            if not quotas:
                continue
            exceptional = bool(
                Outstanding.search_count([("company_id", "=", company.id), ("year", "=", year)], limit=1)
            )
            ranked = list(framework._sorted_levels())
            by_code = {(level.code or "").strip().upper(): level for level in ranked}
            buckets = defaultdict(list)
            for result in everyone:
                level = result.level_id
                mapped = by_code.get((level.code or "").strip().upper())
                if mapped is None:
                    own = list(level.framework_id._sorted_levels())
                    mapped = ranked[min(own.index(level), len(ranked) - 1)]
                for key in result._quota_scope_keys():
                    buckets[key].append((result, mapped))
            for key in sorted(buckets, key=lambda key: (key[0], key[1] or 0)):
                rows = buckets[key]
                for check in framework._check_quota_records(
                    quotas.filtered(lambda quota, scope=key[0]: quota.scope == scope),
                    [mapped for _result, mapped in rows],
                    exceptional=exceptional,
                ):
                    adds = any(result in results and mapped == check["level"] for result, mapped in rows)
                    scope_name = self._annual_scope_name(company, key)
                    check.update(
                        {
                            "company": company,
                            "year": year,
                            "scope": key[0],
                            "scope_id": key[1],
                            "exceeded": check["exceeded"] and adds,
                            "message": self.env._(
                                "%(scope)s %(year)s: %(figures)s",
                                scope=scope_name,
                                year=year,
                                figures=check["message"],
                            ),
                        }
                    )
                    checks.append(check)
        return checks

    @api.model
    def _annual_default_quota(self, company, framework):
        """The company's year-end percentage as a quota of the framework (not saved): the best level
        ≤ X% of those graded at the second level, over the agency; empty when 0."""
        ranked = framework._sorted_levels()
        if float_compare(company.civ_annual_quota_percent, 0.0, 2) <= 0 or len(ranked) < 2:
            return self.env["civ.quota"]
        return self.env["civ.quota"].new(
            {
                "framework_id": framework.id,
                "level_id": ranked[0].id,
                "basis": "level_exact",
                "basis_level_id": ranked[1].id,
                "max_percent": company.civ_annual_quota_percent,
                "scope": "company",
            }
        )

    def _quota_scope_keys(self):
        """The quota scopes of a year-end result: the agency, its department, its duty group."""
        self.ensure_one()
        keys = {("company", None), ("department", self.department_id.id)}
        group = self.employee_id.sudo().civ_duty_group_id
        if group:
            keys.add(("duty_group", group.id))
        return keys

    @api.model
    def _annual_scope_name(self, company, key):
        scope, scope_id = key
        if scope == "company":
            return company.name
        if scope == "duty_group":
            return self.env._("Group %s", self.env["civ.duty.group"].sudo().browse(scope_id).name)
        if not scope_id:
            return self.env._("No department")
        return self.env["hr.department"].sudo().browse(scope_id).name

    # ------------------------------------------------------------------ workflow
    @api.model
    def _civ_agency_heads(self, companies):
        """{company id: the head of the agency}: the manager of the company's top leadership unit
        (as the monthly review chain finds the head of agency)."""
        units = (
            self.env["hr.department"]
            .sudo()
            .search([("civ_is_leadership", "=", True), ("company_id", "in", companies.ids)])
        )
        heads = {}
        for unit in units.sorted(lambda d: (-(d.parent_path or "").count("/"), -d.id)):
            heads[unit.company_id.id] = unit.manager_id
        return heads

    def _civ_deciders(self):
        """{result id: the employee who decides it}: the head of the agency for its staff; for the
        head, the superior of the head set on the company (the monthly chain of the head)."""
        results = self.sudo()
        heads = self._civ_agency_heads(results.company_id)
        deciders = {}
        for result in results:
            head = heads.get(result.company_id.id) or self.env["hr.employee"]
            if not head or result.employee_id == head:
                deciders[result.id] = result.company_id.civ_superior_employee_id if head else head
            else:
                deciders[result.id] = head
        return deciders

    def _check_quota_reason(self, quota_reason):
        """The quota checks of self decided now: raise when exceeded without a reason.

        :returns: ({(company id, year)} over quota, the reason)"""
        checks = self._quota_status()
        exceeded = [check for check in checks if check["exceeded"]]
        reason = (quota_reason or "").strip()
        if exceeded and not reason:
            raise UserError(
                self.env._(
                    "The year-end quota of the best level is exceeded:\n%(details)s\nGive the reason for "
                    "exceeding it to decide these results.",
                    details="\n".join("- " + check["message"] for check in exceeded),
                )
            )
        return {(check["company"].id, check["year"]) for check in exceeded}, reason

    def action_submit(self, quota_reason=None):
        """Human resources submit the checked drafts of self to their decider (the head of the
        agency; the superior level for the head). Exceeding the year-end quota of the best level
        needs a reason, kept on the results for the decider."""
        quota_reason = text_argument(self.env, quota_reason, self.env._("The reason for exceeding the quota"))
        results = self.filtered(lambda result: result.state == "draft")
        results._check_workflow_access("submit")
        if not results:
            return True
        missing = results.filtered(lambda result: not result.level_id and not result.not_classified)
        if missing:
            raise UserError(
                self.env._(
                    "Choose the level of %s before deciding.", ", ".join(missing.mapped("display_name"))
                )
            )
        deciders = results._civ_deciders()
        nobody = results.filtered(lambda result: not deciders[result.id].user_id)
        if nobody:
            raise UserError(
                self.env._(
                    "Nobody can decide the year-end result of %s: set the manager of the agency's leadership "
                    "unit (the head of the agency), and for the head the superior of the head of agency in "
                    "the settings, each with a user.",
                    ", ".join(nobody.mapped("display_name")),
                )
            )
        over, reason = results._check_quota_reason(quota_reason)
        now = fields.Datetime.now()
        for (decider, over_quota), group in (
            results.sudo()
            .grouped(lambda result: (deciders[result.id], (result.company_id.id, result.year) in over))
            .items()
        ):
            group.write(
                {
                    "state": "submitted",
                    "date_submitted": now,
                    "submitted_by_id": self.env.uid,
                    "decider_employee_id": decider.id,
                    "quota_reason": reason if over_quota else False,
                }
            )
        if reason and over:
            results.sudo()._message_log_batch(
                {
                    result.id: self.env._("Submitted beyond the year-end quota. Reason: %s", reason)
                    for result in results
                    if (result.company_id.id, result.year) in over
                }
            )
        for decider, group in results.sudo().grouped("decider_employee_id").items():
            group[:1].message_post(
                body=self.env._(
                    "%(count)s year-end result(s) of %(year)s await your decision.",
                    count=len(group),
                    year=group[0].year,
                ),
                message_type="comment",
                subtype_xmlid="mail.mt_note",
                partner_ids=decider.user_id.partner_id.ids,
            )
        return True

    def action_decide(self, quota_reason=None):
        """The decider (head of the agency, or the superior for the head) decides the submitted
        results of self with the level human resources prepared. The quota is checked again: a
        result over quota needs the reason given at submission (or one given now). The decided
        results are sealed (see _seal_results), the employees notified and their notice filed.

        A notice that cannot be made does not undo the decision: it is recorded on the result
        (notice_missing, notice_error) to be made again, and reported in the notification returned
        to the decider."""
        quota_reason = text_argument(self.env, quota_reason, self.env._("The reason for exceeding the quota"))
        results = self.filtered(lambda result: result.state == "submitted")
        results._check_workflow_access("decide")
        if not results:
            return True
        reasons = sorted(set(results.sudo().filtered("quota_reason").mapped("quota_reason")))
        over, reason = results._check_quota_reason(quota_reason or "\n".join(reasons))
        results._check_seal_intact()
        now = fields.Datetime.now()
        for over_quota, group in (
            results.sudo().grouped(lambda result: (result.company_id.id, result.year) in over).items()
        ):
            vals = {"state": "done", "date_done": now, "decided_by_id": self.env.uid}
            if over_quota and quota_reason:
                vals["quota_reason"] = reason
            elif not over_quota:
                vals["quota_reason"] = False
            group.write(vals)
        results._seal_results()
        notices, failures = results._file_notices()
        for result in results.sudo():
            if (result.company_id.id, result.year) in over:
                result.message_post(
                    body=self.env._("Decided beyond the year-end quota. Reason: %s", result.quota_reason),
                    message_type="comment",
                    subtype_xmlid="mail.mt_note",
                )
            result._notify_employee(notices.get(result.id))
        return results._decision_notification(failures)

    def _decision_notification(self, failures):
        """What the decider is told: the results decided, and the notices that could not be made."""
        if failures:
            missing = self.browse(list(failures)).sudo()
            title = self.env._("Decided; %s notice(s) missing", len(missing))
            message = self.env._(
                "%(count)s year-end result(s) decided and the employees notified. The written notice of "
                "%(names)s could not be made (%(error)s): human resources can make it again with Retry "
                "the Notice, and the scheduled action retries it daily.",
                count=len(self),
                names=", ".join(missing.mapped("display_name")),
                error=next(iter(failures.values())),
            )
        else:
            title = self.env._("Year-end results decided")
            message = self.env._(
                "%s year-end result(s) decided; the employees are notified and the notices filed on their "
                "records.",
                len(self),
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": title,
                "message": message,
                "type": "warning" if failures else "success",
                "sticky": bool(failures),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _render_notices(self):
        """The written notices of self in one rendering (one wkhtmltopdf run: the notices are the
        pages of one input, see report_annual_notice).

        :returns: {result id: (extension, content)}
        :raises: whatever the rendering raises, or UserError when the PDF cannot be split per result
            (a notice longer than a page: Odoo then returns one file for all)
        """
        Report = self.env["ir.actions.report"].sudo()
        streams, kind = Report._pre_render_qweb_pdf(NOTICE_REPORT, res_ids=self.ids)
        if kind != "pdf":
            # no PDF engine (test mode): the HTML of each notice
            contents = {}
            for result in self:
                html, _kind = Report._render_qweb_html(NOTICE_REPORT, result.ids)
                contents[result.id] = ("html", html.encode() if isinstance(html, str) else html)
            return contents
        contents = {}
        for result_id in self.ids:
            stream = (streams.get(result_id) or {}).get("stream")
            content = stream.getvalue() if stream else b""
            if not content.startswith(b"%PDF"):
                if len(self) == 1:
                    raise UserError(self.env._("The PDF engine made no valid file for this notice."))
                raise UserError(
                    self.env._(
                        "The PDF of %s notices could not be split into one file per result.", len(self)
                    )
                )
            contents[result_id] = ("pdf", content)
        return contents

    def _render_notices_safely(self):
        """_render_notices for NOTICE_CHUNK_SIZE results at a time; a chunk that fails is rendered
        one notice per run, and a notice that still fails is reported, never raised: the decision
        does not depend on its notice. Each rendering runs in a savepoint.

        :returns: ({result id: (extension, content)}, {result id: the error, as text})
        """
        contents, failures = {}, {}
        for start in range(0, len(self), NOTICE_CHUNK_SIZE):
            chunk = self[start : start + NOTICE_CHUNK_SIZE]
            singles = [chunk]
            if len(chunk) > 1:
                error = chunk._try_render_notices(contents)
                if error is None:
                    continue
                _logger.info("%s notices not rendered together (%s): one notice per run", len(chunk), error)
                singles = list(chunk)
            for result in singles:
                error = result._try_render_notices(contents)
                if error is not None:
                    failures[result.id] = error
        if failures:
            _logger.warning(
                "%s notice(s) of year-end results not made (ids %s): %s",
                len(failures),
                sorted(failures),
                next(iter(failures.values())),
            )
        return contents, failures

    def _try_render_notices(self, contents):
        """_render_notices into `contents`; the error as text if it fails (None if not)."""
        try:
            with self.env.cr.savepoint():
                contents.update(self._render_notices())
        except psycopg2.Error:
            # the database, not the notice: the decision cannot be taken either
            raise
        except Exception as error:
            # any failure of the PDF engine (wkhtmltopdf, PyPDF2, the system): reported, not raised
            text = str(error).strip() if isinstance(error, UserError) else f"{type(error).__name__}: {error}"
            return text[:1000]
        return None

    def _file_notices(self):
        """The written notice of each decided result of self (Nghị định 90/2020, art. 22; the QWeb
        report action_report_civ_annual_notice, Decree 30 layout), filed on the employee's record
        for the personnel file: NOTICE_CHUNK_SIZE notices per wkhtmltopdf run, one create of the
        attachments. A notice that cannot be made is recorded on its result (notice_missing,
        notice_error) for _retry_notices; one made clears them.

        :returns: ({result id: (file name, content)}, also sent to the employee with the notification;
            {result id: error text} of the notices missing)
        """
        results = self.sudo()
        contents, failures = results._render_notices_safely()
        failed = results.filtered(lambda result: result.id in failures)
        for error, group in failed.grouped(lambda result: failures[result.id]).items():
            group.write({"notice_missing": True, "notice_error": error})
        (results - failed).filtered("notice_missing").write({"notice_missing": False, "notice_error": False})
        notices, vals_list = {}, []
        for result in results - failed:
            kind, content = contents[result.id]
            name = NOTICE_NAME.format(year=result.year, name=result.employee_id.name, ext=kind)
            notices[result.id] = (name, content)
            vals_list.append(
                {
                    "name": name,
                    "raw": content,
                    "res_model": "hr.employee",
                    "res_id": result.employee_id.id,
                    "mimetype": "application/pdf" if kind == "pdf" else "text/html",
                    "description": self.env._("Notice of the year-end result %s", result.display_name),
                }
            )
        self.env["ir.attachment"].sudo().create(vals_list)
        return notices, failures

    def action_retry_notice(self):
        """Officers: make again the written notices that could not be made at the decision, file
        them and send them to the employees."""
        self._check_officer()
        results = self.filtered(lambda result: result.state == "done")
        results._check_workflow_access("notice")
        made, failures = results._retry_notices()
        if failures:
            message = self.env._(
                "%(made)s notice(s) made; %(missing)s still missing: %(error)s",
                made=made,
                missing=len(failures),
                error=next(iter(failures.values())),
            )
        else:
            message = self.env._("%s notice(s) made, filed and sent to the employees.", made)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Notices of the year-end results"),
                "message": message,
                "type": "warning" if failures else "success",
                "sticky": bool(failures),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _retry_notices(self):
        """Make the missing notices of self (decided results), file them and send each to its
        employee.

        :returns: (the number made, {result id: error text} of those still missing)
        """
        results = self.sudo().filtered(lambda result: result.state == "done" and result.notice_missing)
        if not results:
            return 0, {}
        notices, failures = results._file_notices()
        for result in results.filtered(lambda result: result.id in notices):
            result.message_post(
                body=self.env._("The written notice of your year-end classification for %s.", result.year),
                message_type="comment",
                subtype_xmlid="mail.mt_note",
                partner_ids=result.user_id.partner_id.ids,
                attachments=[notices[result.id]],
            )
        _logger.info("Year-end notices made again: %s, still missing: %s", len(notices), len(failures))
        return len(notices), failures

    @api.model
    def _civ_retry_missing_notices(self, limit=NOTICE_RETRY_LIMIT):
        """The scheduled action's part: make again the missing notices of the decided results."""
        missing = self.sudo().search(
            [("state", "=", "done"), ("notice_missing", "=", True)], order="id", limit=limit
        )
        return missing._retry_notices()

    # ------------------------------------------------------------------ the seal
    def _seal_groups(self):
        return sorted({(result.company_id.id, result.year) for result in self.sudo()})

    def _seal_chain_ids(self, company_id, year):
        """{result id: stored hash} of the chain of a company and year: its decided results and
        those that still carry a hash, in the order of their ids."""
        self.env.cr.execute(
            "SELECT id, seal_hash FROM civ_annual_result WHERE company_id = %s AND year = %s "
            "AND (state = 'done' OR seal_hash IS NOT NULL) ORDER BY id",
            [company_id, year],
        )
        return dict(self.env.cr.fetchall())

    def _seal_results(self):
        """Seal the decided results of the companies and years of self: the hash of each decided
        result's content (civ_seal.result_contents) chained to the one before it, per company and
        year. The callers verify the chain before they change it (_check_seal_intact): a result
        changed after its decision is never sealed again silently. In SQL, as the months' seal."""
        self.env.flush_all()
        cr = self.env.cr
        for company_id, year in self._seal_groups():
            cr.execute(
                "UPDATE civ_annual_result SET seal_hash = NULL WHERE company_id = %s AND year = %s "
                "AND state != 'done' AND seal_hash IS NOT NULL",
                [company_id, year],
            )
            cr.execute(
                "SELECT id FROM civ_annual_result WHERE company_id = %s AND year = %s AND state = 'done' "
                "ORDER BY id",
                [company_id, year],
            )
            ids = [row[0] for row in cr.fetchall()]
            civ_seal.seal_chain(cr, "civ_annual_result", ids, civ_seal.result_contents)
        self.invalidate_model(["seal_hash"])

    def _check_seal_intact(self):
        failures = self._integrity_failures()
        if failures:
            raise UserError(
                self.env._(
                    "The seal of the decided year-end results no longer matches for %s: have it checked "
                    "before deciding or reopening results of that year.",
                    ", ".join(failures.sudo().mapped("display_name")),
                )
            )

    def _integrity_failures(self):
        """The results of the companies and years of self whose content no longer matches the seal
        of the decided results, SQL changes included: a decided result changed, a sealed result
        taken out of the decided state, or a decided result without its hash. Each result is checked
        against the hash stored on the result before it, so a change names the result changed."""
        self.env.flush_all()
        cr = self.env.cr
        failed = []
        for company_id, year in self._seal_groups():
            broken, _last = civ_seal.broken_links(
                cr, self._seal_chain_ids(company_id, year), civ_seal.result_contents
            )
            failed += broken
        return self.browse(failed)

    def action_verify_integrity(self):
        """Officers: verify the seal of the decided results of the years of self."""
        self._check_workflow_access("verify")
        failures = self._integrity_failures()
        if failures:
            message = self.env._(
                "%(count)s result(s) no longer match the seal: %(names)s.",
                count=len(failures),
                names=", ".join(failures.sudo().mapped("display_name")),
            )
        else:
            message = self.env._("The decided year-end results match their seal.")
        upgraded = self.sudo().filtered("seal_upgrade_date")
        for (version, sealed_on), group in upgraded.grouped(
            lambda result: (result.seal_upgrade_version, result.seal_upgrade_date)
        ).items():
            message += " " + self.env._(
                "%(count)s of these results were decided before results were sealed and sealed at the "
                "upgrade to %(version)s on %(date)s: their seal proves nothing about changes made before "
                "then.",
                count=len(group),
                version=version,
                date=fields.Datetime.to_string(sealed_on),
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Integrity of the decided year-end results"),
                "message": message,
                "type": "danger" if failures else "success",
                "sticky": bool(failures),
            },
        }

    def _notify_employee(self, notice=None):
        """Tell the employee their decided result, with the written notice (name, content) if any."""
        self.ensure_one()
        if self.not_classified and not self.level_id:
            body = self.env._(
                "Your year-end classification for %(year)s: not classified (%(reason)s).",
                year=self.year,
                reason=self.not_classified_reason or "",
            )
        else:
            body = self.env._(
                "Your year-end classification for %(year)s: %(level)s.",
                year=self.year,
                level=self.level_id.display_name,
            )
        self.message_post(
            body=body,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
            partner_ids=self.user_id.partner_id.ids,
            attachments=[notice] if notice else None,
        )

    def action_submit_wizard(self):
        """Open the submission (quota check, reason if exceeded) for the selected drafts."""
        self.filtered(lambda result: result.state == "draft")._check_workflow_access("submit")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Submit for Decision"),
            "res_model": "civ.annual.confirm.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_result_ids": self.filtered(lambda r: r.state == "draft").ids},
        }

    def action_set_draft(self):
        """Human resources take submitted or decided results back to draft (e.g. to correct them);
        the seal of the year is made again without them."""
        done = self.filtered(lambda result: result.state in ("submitted", "done"))
        done._check_workflow_access("set_draft")
        done.sudo()._set_draft()
        for result in done.sudo():
            result._message_log(body=self.env._("Set back to draft by %s.", self.env.user.name))
        return True

    def _set_draft(self):
        decided = self.filtered(lambda result: result.state == "done")
        # a result changed after its decision is reported, not sealed again
        decided._check_seal_intact()
        self.sudo().write(
            {
                "state": "draft",
                "date_done": False,
                "decided_by_id": False,
                "quota_reason": False,
                "date_submitted": False,
                "submitted_by_id": False,
                "decider_employee_id": False,
                "seal_upgrade_date": False,
                "seal_upgrade_version": False,
            }
        )
        decided._seal_results()

    def action_request_review(self):
        """The employee asks for a review of their decided result."""
        self.ensure_one()
        self._check_workflow_access("appeal")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Request a Review"),
            "res_model": "civ.annual.appeal",
            "view_mode": "form",
            "target": "new",
            "context": {"default_result_id": self.id},
        }

    def action_view_appeals(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id("civ_evaluation.action_civ_annual_appeal")
        action["domain"] = [("result_id", "=", self.id)]
        action["context"] = {"default_result_id": self.id}
        return action

    def action_view_sheets(self):
        """The monthly sheets of the year of this person (in the companies the user may read)."""
        self.ensure_one()
        self.check_access("read")
        peers = self._identity_peers(self.employee_id)[self.employee_id.id]
        first, last = _year_bounds(self.year)
        action = self.env["ir.actions.act_window"]._for_xml_id("civ_evaluation.action_civ_evaluation_all")
        action["domain"] = [
            ("employee_id", "in", sorted(peers)),
            ("period_id.date_start", ">=", first),
            ("period_id.date_start", "<=", last),
        ]
        action["context"] = {}
        return action
