import calendar
import logging
from datetime import date, timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import float_round

from . import civ_regime, civ_seal, civ_sql
from .civ_arguments import text_argument
from .civ_format import format_number
from .civ_workflow_mixin import OFFICER

_logger = logging.getLogger(__name__)


# Who may do what on a year-end result, in which states: {action: (states, role)}
# Human resources prepare, check and submit; the head of the agency decides for the staff, the
# superior of the head (the company's setting) for the head: the "decider" of the result.
RESULT_ACTIONS = {
    "edit": (("draft",), "officer"),
    "submit": (("draft",), "officer"),
    "decide": (("submitted",), "decider"),
    "set_draft": (("submitted", "done"), "officer"),
    "verify": (("draft", "submitted", "done"), "auditor"),
    "appeal": (("done",), "owner"),
    "notice": (("done",), "auditor"),
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
    regime = fields.Selection(
        civ_regime.REGIMES,
        readonly=True,
        index=True,
        help="The text that governs this person's year-end classification: the regime of their last "
        "evaluated sheet of the year (the rule set of their staff category).",
    )
    category_rule_id = fields.Many2one(
        "civ.category.rule", string="Rule Set", readonly=True, index="btree_not_null", ondelete="restrict"
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
    pending_rule_note = fields.Char(
        string="Rule on the Months Not Locked",
        readonly=True,
        help="The company's rule on the months not locked yet when the year was prepared (December at a "
        "15 December classification), as it applies to this result.",
    )
    waits_for_lock = fields.Boolean(
        readonly=True,
        help="The company waits for the lock of every month: this result cannot be submitted nor decided "
        "until its months are locked and the year is prepared again.",
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
    appeal_deadline = fields.Date(
        string="Review Requested Until",
        compute="_compute_appeal_deadline",
        help="The last day a review of the decided result may be requested: the company's days after its "
        "publication (the day of the decision).",
    )
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

    @api.depends("date_done", "company_id.civ_annual_appeal_days")
    def _compute_appeal_deadline(self):
        for result in self:
            days = result.company_id.civ_annual_appeal_days
            result.appeal_deadline = (
                fields.Date.context_today(result, result.date_done) + timedelta(days=days)
                if result.date_done and days
                else False
            )

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

    # ------------------------------------------------------------------ constraints
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

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done(self):
        if any(result.state == "done" for result in self):
            raise UserError(self.env._("Decided year-end results cannot be deleted."))

    # ------------------------------------------------------------------ CRUD
    def write(self, vals):
        self._check_direct_write(vals)
        return super().write(vals)

    # ------------------------------------------------------------------ actions
    def _check_officer(self):
        if not self._is_officer():
            raise AccessError(self.env._("Only human resources officers can do this on year-end results."))

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
        checks = self.env["civ.quota.service"]._annual_status(self)
        exceeded = [check for check in checks if check["exceeded"]]
        reason = (quota_reason or "").strip()
        blocked = [check for check in exceeded if check["company"].civ_quota_mode == "block"]
        if blocked:
            raise UserError(
                self.env._(
                    "The year-end quotas are caps (không vượt quá, Decree 335/2025): these results are "
                    "refused.\n%(details)s\nGive some of these people a lower level, or record the "
                    "agency's recognition as outstanding for the year (the exceptional maximum then "
                    "applies).",
                    details="\n".join("- " + check["message"] for check in blocked),
                )
            )
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
        results._check_not_waiting()
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
        results._check_not_waiting()
        # each agency and year over quota needs its reason: the one given now, or the one given at
        # the submission of that agency's and year's results (never another agency's)
        over, reasons = set(), {}
        groups = results.sudo().grouped(lambda result: (result.company_id.id, result.year))
        for key, group in groups.items():
            stored = sorted(set(group.filtered("quota_reason").mapped("quota_reason")))
            given = quota_reason or "\n".join(stored)
            group_over, reasons[key] = group.with_env(self.env)._check_quota_reason(given)
            over |= group_over
        results._check_seal_intact()
        now = fields.Datetime.now()
        for key, group in groups.items():
            vals = {"state": "done", "date_done": now, "decided_by_id": self.env.uid}
            vals["quota_reason"] = reasons[key] if key in over else False
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

    def _seal_groups(self):
        return sorted({(result.company_id.id, result.year) for result in self.sudo()})

    def _seal_chain_ids(self, company_id, year):
        """{result id: stored hash} of the chain of a company and year: its decided results and
        those that still carry a hash, in the order of their ids."""
        return civ_sql.year_result_chain(self.env, company_id, year)

    def _seal_results(self):
        """Seal the decided results of the companies and years of self: the hash of each decided
        result's content (civ_seal.result_contents) chained to the one before it, per company and
        year. The callers verify the chain before they change it (_check_seal_intact): a result
        changed after its decision is never sealed again silently. In SQL, as the months' seal."""
        self.env.flush_all()
        cr = self.env.cr
        for company_id, year in self._seal_groups():
            ids = civ_sql.year_results_to_seal(self.env, company_id, year)
            civ_seal.seal_chain(cr, "civ_annual_result", ids, civ_seal.result_contents)
        self.invalidate_model(["seal_hash"])

    def _check_not_waiting(self):
        """The company's rule "wait for the lock of every month": a result whose months are not all
        locked is neither submitted nor decided."""
        waiting = self.sudo().filtered("waits_for_lock")
        if waiting:
            raise UserError(
                self.env._(
                    "The company waits for the lock of every month of the year before the classification: "
                    "%(names)s. Lock the months, then prepare the year again.",
                    names="; ".join(
                        f"{result.employee_id.name}: {result.pending_rule_note}" for result in waiting[:5]
                    ),
                )
            )

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

    # ------------------------------------------------------------------ gate
    def _civ_chatter_state(self):
        # human resources prepare a draft; submitted, the decider adds; decided, nothing changes
        states = {"draft": "open", "submitted": "append"}
        return {result.id: states.get(result.state, "closed") for result in self}

    def _check_not_locked(self):
        """A year-end result belongs to no month: a decided result is frozen by the gate instead."""

    # the result's gate (civ.workflow.mixin); checking the seal and filing a notice again decide
    # nothing: the "auditor" (an officer) may do them on their own result too
    _workflow_actions = RESULT_ACTIONS

    _workflow_own_roles = frozenset({"owner", "auditor"})

    def _workflow_roles(self):
        user = self.env.user
        roles = super()._workflow_roles()
        return dict(
            roles,
            auditor=roles["officer"],
            owner=lambda result: result.user_id == user,
            decider=lambda result: bool(result.decider_user_id) and result.decider_user_id == user,
        )

    def _workflow_action_label(self, action):
        return {
            "edit": self.env._("changing the level or the note"),
            "submit": self.env._("submitting for decision"),
            "decide": self.env._("deciding"),
            "set_draft": self.env._("setting back to draft"),
        }.get(action, action)

    def _workflow_state_refusal(self, action, record):
        if record.state == "done":
            return UserError(
                self.env._(
                    "The year-end result %s is decided: set it back to draft to change it.",
                    record.display_name,
                )
            )
        return UserError(self.env._("The year-end result %s is not decided.", record.display_name))

    def _workflow_role_refusal(self, action, role, record):
        if role == "owner":
            return AccessError(self.env._("Only the employee can ask for a review of their decided result."))
        if role == "decider":
            return AccessError(
                self.env._(
                    "Only %(decider)s decides the year-end result of %(result)s: the head of the agency "
                    "for its staff, the superior level for the head.",
                    decider=record.decider_employee_id.name or self.env._("the head of the agency"),
                    result=record.display_name,
                )
            )
        return AccessError(self.env._("Only human resources officers can do this on year-end results."))

    def _writable_outside_workflow(self):
        # human resources change the level and the note of a draft; the rest comes from the preparation
        return dict(super()._writable_outside_workflow(), level_id="edit", note="edit")
