import logging
import time

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from . import civ_regime, civ_seal, civ_sql
from .res_company import civ_period_end, civ_period_start

_logger = logging.getLogger(__name__)

# Employees per batch when opening a period: one create() for the sheets, one for their lines and one
# for their review steps per batch.
OPEN_CHUNK_SIZE = 1000

# Work done by one call of a cron method (sheets created or locked); the cron calls again while some
# is left (ir.cron progress API), each call in its own transaction.
CRON_BATCH_SIZE = 5000
# the day of the crons is taken in this time zone unless the context gives one
CIV_TZ = "Asia/Ho_Chi_Minh"

# Context that keeps mass creation quiet: no creation message, no tracking, no follower notification.
QUIET_CONTEXT = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
    "mail_auto_subscribe_no_notify": True,
}

REMINDER_ACTIVITY = "civ_evaluation.mail_activity_type_civ_reminder"
DATE_FIELDS = ("date_end", "self_deadline", "review_deadline", "decision_deadline", "lock_date")

PERIOD_STATES = [("draft", "Draft"), ("open", "Open"), ("locked", "Locked")]

# Who may do what on a period, in which states: {action: (states, role)} (see _check_workflow_access)
PERIOD_ACTIONS = {
    "edit": (("draft", "open"), "officer"),
    "open": (("draft", "open"), "officer"),
    "refresh_chains": (("draft", "open"), "officer"),
    "lock": (("open", "locked"), "officer"),
    "verify": (("open", "locked"), "officer"),
    # the Excel import of product lines (wizards/civ_product_import_wizard.py)
    "import_products": (("open",), "officer"),
    "reopen": (("locked",), "admin"),
}


class CivPeriod(models.Model):
    _name = "civ.period"
    _description = "Evaluation Period"
    _inherit = ["mail.thread", "civ.workflow.mixin"]
    _order = "date_start desc, company_id, id desc"
    _check_company_auto = True

    name = fields.Char(
        compute="_compute_name", store=True, readonly=False, required=True, tracking=True, precompute=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    framework_id = fields.Many2one(
        "civ.framework",
        string="Criteria Framework",
        required=True,
        tracking=True,
        check_company=True,
        compute="_compute_framework_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    period_kind = fields.Selection(
        related="framework_id.period_kind",
        store=True,
        precompute=True,
        string="Period Kind",
        help="Monthly or quarterly: the kind of the period's framework. A company runs monthly and quarterly "
        "periods side by side when the rule sets of its staff categories give some people a quarterly "
        "framework (leaders under KL 198-KL/TW).",
    )
    framework_ids = fields.Many2many(
        "civ.framework",
        string="Frameworks of the Sheets",
        compute="_compute_framework_ids",
        help="The frameworks its sheets are graded with: the period's, and those of the rule sets of the "
        "staff categories.",
    )
    date_start = fields.Date(
        string="Start",
        required=True,
        tracking=True,
        default=lambda self: fields.Date.context_today(self).replace(day=1),
    )
    date_end = fields.Date(
        string="End", compute="_compute_dates", store=True, readonly=False, precompute=True, required=True
    )
    self_deadline = fields.Date(
        string="Self-assessment Deadline",
        compute="_compute_dates",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
    )
    review_deadline = fields.Date(
        compute="_compute_dates", store=True, readonly=False, precompute=True, tracking=True
    )
    decision_deadline = fields.Date(
        compute="_compute_dates", store=True, readonly=False, precompute=True, tracking=True
    )
    lock_date = fields.Date(
        compute="_compute_dates",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        help="The period is locked after this day.",
    )
    state = fields.Selection(
        PERIOD_STATES,
        string="Status",
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
        index=True,
    )
    evaluation_ids = fields.One2many("civ.evaluation", "period_id", string="Evaluation Sheets")
    date_opened = fields.Datetime(string="Opened On", readonly=True, copy=False)
    date_locked = fields.Datetime(string="Locked On", readonly=True, copy=False)
    # the seal of the locked month (see civ_seal): the hash of the last sheet of the chain
    seal_hash = fields.Char(readonly=True, copy=False, groups="civ_evaluation.group_civ_officer")
    seal_date = fields.Datetime(string="Sealed On", readonly=True, copy=False)
    seal_count = fields.Integer(
        string="Sheets Sealed", readonly=True, copy=False, groups="civ_evaluation.group_civ_officer"
    )
    # a month locked before its release sealed months is sealed when the addon is upgraded
    # (migrations/18.0.1.1.0/end-migrate.py): when, and to which version of the addon
    seal_upgrade_date = fields.Datetime(
        string="Sealed at the Upgrade On",
        readonly=True,
        copy=False,
        groups="civ_evaluation.group_civ_officer",
        help="This month was locked before the addon sealed the months it locks: it was sealed when the "
        "addon was upgraded, on this date. Its seal proves that nothing changed since then, not before.",
    )
    seal_upgrade_version = fields.Char(
        string="Sealed at the Upgrade to",
        readonly=True,
        copy=False,
        groups="civ_evaluation.group_civ_officer",
        help="The version of the addon whose upgrade sealed this month.",
    )

    # counters for the form (read_group, not stored)
    evaluation_count = fields.Integer(string="Sheets", compute="_compute_counts")
    count_draft = fields.Integer(string="Self-assessment", compute="_compute_counts")
    count_review = fields.Integer(string="In Review", compute="_compute_counts")
    count_done = fields.Integer(string="Decided", compute="_compute_counts")
    count_locked = fields.Integer(string="Locked Sheets", compute="_compute_counts")
    count_chain_problem = fields.Integer(string="Without Reviewer", compute="_compute_counts")
    count_not_evaluated = fields.Integer(string="Not Evaluated", compute="_compute_counts")
    level_summary = fields.Html(string="Sheets per Level", compute="_compute_counts", sanitize=False)
    # quotas: decisions above a quota (with their reason) and the live figures
    quota_breach_count = fields.Integer(
        string="Above Quota", compute="_compute_quota_check", groups="civ_evaluation.group_civ_officer"
    )
    quota_check_html = fields.Html(
        string="Quota Check",
        compute="_compute_quota_check",
        sanitize=False,
        groups="civ_evaluation.group_civ_officer",
    )
    # the agency recognised as outstanding for the month: the quotas' exceptional maximum applies
    exceptional_unit = fields.Boolean(
        string="Outstanding Unit",
        tracking=True,
        copy=False,
        help="The agency is recognised as exceptionally outstanding for this period (e.g. Hà Nội "
        "3814-QĐ/TU: up to 40% of grade A instead of 30%): the exceptional maximum of the quotas "
        "applies. Set by human resources with the reason.",
    )
    exceptional_reason = fields.Text(
        string="Reason for the Outstanding Unit",
        tracking=True,
        copy=False,
        help="Why the unit is recognised as outstanding (e.g. the decision or the results).",
    )

    _sql_constraints = [
        (
            "company_month_unique",
            "unique(company_id, date_start, period_kind)",
            "There is already an evaluation period of this kind starting on this day for this company.",
        ),
    ]

    # ------------------------------------------------------------------ computes
    @api.depends("date_start", "company_id", "framework_id.period_kind")
    def _compute_name(self):
        # named in the company's language ("Tháng 05/2026", "Quý 2/2026"), whoever creates it (a cron,
        # an English admin)
        for period in self:
            if period.date_start and period._civ_kind() == "quarter":
                period.name = period._civ_company_env()._(
                    "Quarter %(quarter)s/%(year)s",
                    quarter=(period.date_start.month - 1) // 3 + 1,
                    year=period.date_start.year,
                )
            elif period.date_start:
                period.name = period._civ_company_env()._(
                    "Month %(month)s/%(year)s",
                    month=str(period.date_start.month).zfill(2),
                    year=period.date_start.year,
                )
            elif not period.name:
                period.name = False

    @api.depends("company_id")
    def _compute_framework_id(self):
        for period in self:
            if not period.framework_id and period.company_id:
                period.framework_id = period.company_id.civ_framework_id

    def _compute_framework_ids(self):
        groups = dict(
            self.env["civ.evaluation"]
            .sudo()
            ._read_group([("period_id", "in", self.ids)], ["period_id"], ["framework_id:array_agg"])
        )
        for period in self:
            period.framework_ids = [
                Command.set(sorted(set(groups.get(period._origin, []) or []) | set(period.framework_id.ids)))
            ]

    @api.depends("date_start", "company_id", "framework_id.period_kind")
    def _compute_dates(self):
        # a month, or the calendar quarter of a quarterly framework, with the deadlines in the month
        # after it (see res.company._civ_period_dates)
        for period in self:
            if not period.date_start or not period.company_id:
                period.update(dict.fromkeys(DATE_FIELDS, False))
                continue
            dates = period.company_id._civ_period_dates(period.date_start, period._civ_kind())
            for fname in DATE_FIELDS:
                period[fname] = dates[fname]

    @api.onchange("date_start", "framework_id")
    def _onchange_date_start_kind(self):
        # the form starts a period on the first day of its month, or of its quarter for a quarterly
        # framework (the dates then follow; _check_dates refuses anything else)
        for period in self:
            if period.date_start and period.state == "draft":
                start = civ_period_start(period.date_start, period._civ_kind())
                if start != period.date_start:
                    period.date_start = start

    def _compute_counts(self):
        Evaluation = self.env["civ.evaluation"]
        empty = {"total": 0, "draft": 0, "review": 0, "done": 0, "locked": 0, "chain": 0, "not_eval": 0}
        stats = {period.id: dict(empty) for period in self}
        levels = {period.id: [] for period in self}
        if self.ids:
            domain = [("period_id", "in", self.ids)]
            for period, state, count in Evaluation._read_group(domain, ["period_id", "state"], ["__count"]):
                stats[period.id][state] = count
                stats[period.id]["total"] += count
            for period, count in Evaluation._read_group(
                domain + [("chain_problem", "=", True)], ["period_id"], ["__count"]
            ):
                stats[period.id]["chain"] = count
            for period, count in Evaluation._read_group(
                domain + [("not_evaluated", "=", True)], ["period_id"], ["__count"]
            ):
                stats[period.id]["not_eval"] = count
            for period, level, count in Evaluation._read_group(
                domain + [("level_id", "!=", False)], ["period_id", "level_id"], ["__count"], order="level_id"
            ):
                levels[period.id].append((level, count))
        for period in self:
            values = stats.get(period.id, empty)
            period.evaluation_count = values["total"]
            period.count_draft = values["draft"]
            period.count_review = values["review"]
            period.count_done = values["done"]
            period.count_locked = values["locked"]
            period.count_chain_problem = values["chain"]
            period.count_not_evaluated = values["not_eval"]
            rows = levels.get(period.id) or []
            if rows:
                period.level_summary = self.env["ir.qweb"]._render(
                    "civ_evaluation.period_level_summary",
                    {
                        "rows": [
                            (level.code or "", level.name, count)
                            for level, count in sorted(rows, key=lambda row: (row[0].sequence, row[0].id))
                        ]
                    },
                )
            else:
                period.level_summary = False

    def _compute_quota_check(self):
        breaches = dict(
            self.env["civ.evaluation"]
            .sudo()
            ._read_group(
                [("period_id", "in", self.ids), ("quota_exceeded", "=", True)], ["period_id"], ["__count"]
            )
        )
        for period in self:
            period.quota_breach_count = breaches.get(period, 0)
            period.quota_check_html = period._quota_check_table() if period.id else False

    # ------------------------------------------------------------------ constraints
    @api.constrains("exceptional_unit", "exceptional_reason")
    def _check_exceptional_reason(self):
        for period in self:
            if period.exceptional_unit and not (period.exceptional_reason or "").strip():
                raise ValidationError(
                    self.env._(
                        "Give the reason why the unit is recognised as outstanding for %s.",
                        period.display_name,
                    )
                )

    @api.constrains("date_start", "date_end", "framework_id")
    def _check_dates(self):
        for period in self:
            if period.date_end and period.date_start and period.date_end < period.date_start:
                raise UserError(self.env._("The end of a period cannot be before its start."))
            if not (period.date_start and period.date_end):
                continue
            # a monthly framework's period is one calendar month, a quarterly one's one calendar quarter
            kind = period._civ_kind()
            start = civ_period_start(period.date_start, kind)
            if (period.date_start, period.date_end) != (start, civ_period_end(start, kind)):
                message = (
                    self.env._(
                        "The framework %(framework)s is quarterly: the period must cover one "
                        "calendar quarter, e.g. %(start)s to %(end)s."
                    )
                    if kind == "quarter"
                    else self.env._(
                        "The framework %(framework)s is monthly: the period must cover one "
                        "calendar month, e.g. %(start)s to %(end)s."
                    )
                )
                raise ValidationError(
                    message
                    % {
                        "framework": period.framework_id.sudo().display_name,
                        "start": start.strftime("%d/%m/%Y"),
                        "end": civ_period_end(start, kind).strftime("%d/%m/%Y"),
                    }
                )
        self._check_no_overlap()

    # ------------------------------------------------------------------ CRUD
    # fields that cannot change once sheets exist
    _FROZEN_WHEN_OPEN = ("company_id", "framework_id", "date_start", "date_end")

    # fields only the Open and Lock buttons (and the seal) set
    _SET_BY_WORKFLOW = frozenset(
        {
            "state",
            "date_opened",
            "date_locked",
            "seal_hash",
            "seal_date",
            "seal_count",
            "seal_upgrade_date",
            "seal_upgrade_version",
        }
    )

    @api.model_create_multi
    def create(self, vals_list):
        """A period starts as a draft and unsealed, whatever the values or the context say."""
        for vals in vals_list:
            if not self.env.su and self._SET_BY_WORKFLOW & set(vals):
                raise UserError(self.env._("Use the Open and Lock buttons to change the status of a period."))
        return super().create(vals_list)

    def write(self, vals):
        self._check_direct_write(vals)
        frozen = [fname for fname in self._FROZEN_WHEN_OPEN if fname in vals]
        for period in self.filtered(lambda p: p.state != "draft") if frozen else ():
            for fname in frozen:
                field = self._fields[fname]
                new_value = field.convert_to_record(field.convert_to_cache(vals[fname], period), period)
                if new_value != period[fname]:
                    raise UserError(
                        self.env._("The company, framework and dates of an opened period cannot change.")
                    )
        return super().write(vals)

    def unlink(self):
        self._check_not_locked()
        if any(period.state != "draft" for period in self) and not self.env.su:
            raise UserError(self.env._("Only draft periods can be deleted."))
        if self.sudo().evaluation_ids:
            raise UserError(self.env._("A period with evaluation sheets cannot be deleted."))
        return super().unlink()

    # ------------------------------------------------------------------ actions
    def _civ_kind(self):
        """ "month" or "quarter": the period kind of the period's framework (monthly without one)."""
        self.ensure_one()
        return self.framework_id.sudo().period_kind or "month"

    def _civ_company_env(self):
        """The environment in the language of the period's company (its partner's), for the texts the
        system writes for the whole agency: period names, chatter messages of automatic actions."""
        self.ensure_one()
        lang = self.company_id.sudo().partner_id.lang
        if not lang or lang == self.env.lang:
            return self.env
        return self.with_context(lang=lang).env

    def _creation_message(self):
        # mail.thread names the model from ir.model, whose translations are not loaded yet when the
        # demo or an upgrade creates periods: "Evaluation Period được tạo"
        return self._civ_company_env()._("Evaluation period %s created.", self.name)

    def _quota_check_table(self):
        """The live figures of every quota of the framework, per scope (civ.quota.service; QWeb
        civ_evaluation.period_quota_check)."""
        self.ensure_one()
        service = self.env["civ.quota.service"]
        if not service._has_quotas(self):
            return False
        results = service._period_check(self)
        if not results:
            return False
        order = {"company": 0, "duty_group": 1, "department": 2}
        several = len({result["quota"].framework_id for _key, result in results}) > 1
        rows = [
            {
                "exceeded": result["exceeded"],
                "scope": service._scope_name(self.company_id, key),
                "quota": f"{result['quota'].framework_id.code}: {result['quota'].display_name}"
                if several
                else result["quota"].display_name,
                "message": result["message"],
                "status": self.env._("Exceeded by %s", result["excess"])
                if result["exceeded"]
                else self.env._("OK"),
                "order": (order.get(result["quota"].scope, 3), result["quota"].sequence, result["quota"].id),
            }
            for key, result in results
        ]
        rows.sort(key=lambda row: (row["order"][0], row["scope"], *row["order"][1:]))
        outstanding = self.exceptional_unit and self.env._(
            "Outstanding unit: the exceptional maximum of the quotas applies (%s).",
            self.exceptional_reason or "",
        )
        return self.env["ir.qweb"]._render(
            "civ_evaluation.period_quota_check", {"rows": rows, "outstanding": outstanding}
        )

    @api.readonly
    def action_view_quota_breaches(self):
        return self._action_view_sheets(
            [("quota_exceeded", "=", True)], name=self.env._("Decided above the Quota")
        )

    def _check_no_overlap(self):
        """Two periods of a company and of one kind never share a day: otherwise one person would get
        two sheets for the same time. A monthly and a quarterly period may (their people differ: see
        _civ_assignments). One query for the batch."""
        periods = self.filtered(lambda period: period.id and period.date_start and period.date_end)
        if not periods:
            return
        row = civ_sql.period_overlap(self.env, periods.ids)
        if row:
            period, other = self.browse(row).sudo()
            raise ValidationError(
                self.env._(
                    "The period %(period)s (%(start)s - %(end)s) overlaps the period %(other)s of the same "
                    "company (%(other_start)s - %(other_end)s): a person would get two sheets for the same "
                    "days.",
                    period=period.name,
                    start=period.date_start.strftime("%d/%m/%Y"),
                    end=period.date_end.strftime("%d/%m/%Y"),
                    other=other.name,
                    other_start=other.date_start.strftime("%d/%m/%Y"),
                    other_end=other.date_end.strftime("%d/%m/%Y"),
                )
            )

    def _lock_rows(self):
        """Serialise concurrent openings/lockings of the same periods (row lock, then re-read)."""
        if not self.ids:
            return
        self.flush_recordset()
        civ_sql.lock_rows(self.env, "civ_period", self.ids)
        self.invalidate_recordset()

    def action_open(self):
        """Open the periods: one sheet per in-scope employee, snapshotting department, job title and
        review chain. Idempotent: run again it only adds the employees who have no sheet yet."""
        self._check_workflow_access("open")
        self._open()
        return True

    def _open(self, limit=None):
        """action_open(), returning the sheets created (for server code: crons, tests).
        limit: create at most this many sheets per period (the cron opens big periods in batches)."""
        self._lock_rows()
        self._check_not_locked()
        for period in self:
            period.framework_id._check_usable()
        # touch the rows at once: a concurrent run waiting on the lock then fails to serialise and is
        # retried on a fresh snapshot that sees the sheets created here, rather than duplicating them
        civ_sql.touch(self.env, "civ_period", self.ids)
        created = self.env["civ.evaluation"]
        for period in self:
            created |= period._open_sheets(limit=limit)
            if period.state == "draft":
                period.sudo().write({"state": "open", "date_opened": fields.Datetime.now()})
        return created

    def _in_scope_employees(self):
        """Active employees of the company who are evaluated (one query)."""
        self.ensure_one()
        return (
            self.env["hr.employee"]
            .sudo()
            .with_context(active_test=True)
            .search(
                [
                    ("company_id", "=", self.company_id.id),
                    ("civ_evaluated", "=", True),
                ],
                order="id",
            )
        )

    def _open_sheets(self, limit=None):
        self.ensure_one()
        started = time.monotonic()
        Evaluation = self.env["civ.evaluation"].sudo().with_context(**QUIET_CONTEXT)
        Line = self.env["civ.evaluation.line"].sudo().with_context(**QUIET_CONTEXT)
        Step = self.env["civ.review.step"].sudo().with_context(**QUIET_CONTEXT)
        todo, assignments = self._civ_missing_assignments()
        if limit:
            todo = todo[:limit]
        total = len(todo)
        _logger.info("Opening period %s (id %s): %s new sheets", self.display_name, self.id, total)
        self._civ_check_assignments(todo, assignments)
        frameworks = (
            self.env["civ.framework"].sudo().union(*(assignments[employee.id][0] for employee in todo))
        )
        (frameworks - self.framework_id)._check_usable()
        # every line starts at 0 points, or at the nearest bound of a criterion that excludes 0
        criterion_values = {
            framework.id: [
                (
                    criterion.id,
                    criterion.group_id.id,
                    index * 10,
                    min(max(0.0, criterion.min_points), criterion.max_points),
                )
                for index, criterion in enumerate(
                    framework.group_ids.criterion_ids.sorted(
                        lambda c: (c.group_id.sequence, c.group_id.id, c.sequence, c.id)
                    ),
                    start=1,
                )
            ]
            for framework in frameworks
        }
        created_ids = []
        done = 0
        for start in range(0, total, OPEN_CHUNK_SIZE):
            chunk = todo[start : start + OPEN_CHUNK_SIZE]
            chains = self.env["civ.review.policy"].sudo()._resolve_chains(chunk)
            sheet_vals = []
            for employee in chunk:
                chain = chains.get(employee.id) or []
                framework, regime, rule = assignments[employee.id]
                sheet_vals.append(
                    {
                        "period_id": self.id,
                        "employee_id": employee.id,
                        "user_id": employee.user_id.id,
                        "company_id": self.company_id.id,
                        "framework_id": framework.id,
                        "regime": regime,
                        "category_rule_id": rule.id if rule else False,
                        "department_id": employee.department_id.id,
                        "duty_group_id": employee.civ_duty_group_id.id,
                        "job_title": employee.job_title or employee.job_id.name or False,
                        "civ_position": employee.civ_position,
                        "state": "draft",
                        "chain_problem": Evaluation._chain_has_problem(chain),
                    }
                )
            sheets = Evaluation.create(sheet_vals)
            line_vals = []
            step_vals = []
            for sheet, employee in zip(sheets, chunk, strict=True):
                line_vals.extend(
                    {
                        "evaluation_id": sheet.id,
                        "criterion_id": criterion_id,
                        "group_id": group_id,
                        "sequence": sequence,
                        "self_points": start,
                        "reviewer_points": start,
                        "final_points": start,
                    }
                    for criterion_id, group_id, sequence, start in criterion_values[
                        assignments[employee.id][0].id
                    ]
                )
                step_vals.extend(
                    Evaluation._step_values(sheet.id, step) for step in chains.get(employee.id) or []
                )
            Line.create(line_vals)
            Step.create(step_vals)
            created_ids.extend(sheets.ids)
            # creating with tracking_disable marks the new sheets "not to track" until the commit;
            # drop the marks so that the workflow is tracked even within this transaction
            marks = self.env.cr.precommit.data.get("mail.tracking.civ.evaluation")
            if marks:
                for sheet_id in sheets.ids:
                    if marks.get(sheet_id, False) is None:
                        del marks[sheet_id]
            done += len(chunk)
            # keep memory flat on city-scale openings
            self.env.flush_all()
            self.env.invalidate_all()
            _logger.info(
                "Period %s: opened %s/%s sheets (%.1f s)", self.id, done, total, time.monotonic() - started
            )
        if total:
            self.sudo().message_post(
                body=self._civ_company_env()._("%(count)s evaluation sheets opened.", count=total)
            )
        return self.env["civ.evaluation"].browse(created_ids)

    def action_lock(self):
        """Lock the periods: afterwards nothing of the month can be written or deleted, and the
        month is sealed (see _seal)."""
        self._check_workflow_access("lock")
        self._lock()
        return True

    def _lock(self):
        """action_lock() after the gate (crons, the gate's callers)."""
        self._lock_rows()
        for period in self.sudo():
            if period.state == "draft":
                raise UserError(self.env._("The period %s has not been opened.", period.display_name))
            self.env["civ.calibration.session"]._cancel_at_lock(period)
            period._lock_sheets()
            if period.state != "locked":
                period.message_post(body=period._civ_company_env()._("Period locked."))
                period.write({"state": "locked", "date_locked": fields.Datetime.now()})
        self._seal()

    def _lock_sheets(self):
        """Apply the company's lock rules to unfinished sheets, then lock every sheet of the period."""
        self.ensure_one()
        sheets = (
            self.env["civ.evaluation"].sudo().search([("period_id", "=", self.id), ("state", "!=", "locked")])
        )
        sheets._lock()
        _logger.info("Period %s: %s sheets locked", self.id, len(sheets))

    def _reopen(self, reason):
        """Reopen locked periods and their sheets (called by the reopen wizard, admins only); their
        seal is discarded with the reason."""
        self._check_workflow_access("reopen")
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason for reopening."))
        self._lock_rows()
        periods = self.filtered(lambda period: period.state == "locked")
        if not periods:
            return
        periods._discard_seal(reason)
        civ_sql.periods_reopen(self.env, periods.ids)
        sheets = (
            self.env["civ.evaluation"]
            .sudo()
            .search([("period_id", "in", periods.ids), ("state", "=", "locked")])
        )
        sheets._reopen_sheets()
        for period in periods:
            period.sudo().message_post(
                body=self.env._(
                    "Period reopened by %(user)s. Reason: %(reason)s", user=self.env.user.name, reason=reason
                )
            )

    def _seal(self):
        """Seal the locked periods of self: chain the hashes of their sheets (see civ_seal), store
        each sheet's hash and the last one on the period. In SQL: a locked month is never written
        through the ORM."""
        cr = self.env.cr
        self.env.flush_all()
        now = fields.Datetime.now()
        # a sealed month is never sealed again: locking it again must not overwrite the evidence of a
        # change made since (only a reopen discards a seal, see _discard_seal)
        for period in self.filtered(lambda period: period.state == "locked" and not period.seal_hash):
            ids = list(civ_sql.month_seal_chain(self.env, period.id))
            previous = civ_seal.seal_chain(
                cr, "civ_evaluation", ids, self.env["civ.evaluation"]._civ_seal_contents
            )
            civ_sql.period_store_seal(self.env, period.id, previous, now, len(ids))
            _logger.info("Period %s: %s sheets sealed", period.id, len(ids))
        self.env["civ.evaluation"].invalidate_model(["seal_hash"])

    def _integrity_failures(self):
        """The sheets of the sealed periods of self whose content no longer matches the seal, as a
        civ.evaluation recordset: sheets changed, added or removed in the database after the lock,
        SQL included. Each sheet is checked against the hash stored on the sheet before it, so a
        change names the sheet changed, not every sheet after it; the end of the chain is checked
        against the period's hash and count."""
        cr = self.env.cr
        self.env.flush_all()
        failed = []
        for period in self.sudo():
            if not period.seal_hash:
                continue
            stored = civ_sql.month_seal_chain(self.env, period.id)
            broken, previous = civ_seal.broken_links(
                cr, stored, self.env["civ.evaluation"]._civ_seal_contents
            )
            failed += broken
            if stored and (previous != period.seal_hash or len(stored) != period.seal_count):
                failed.append(list(stored)[-1])
        return self.env["civ.evaluation"].browse(list(dict.fromkeys(failed)))

    def action_verify_integrity(self):
        """Officers: verify the seal of the locked periods and report what no longer matches."""
        self._check_workflow_access("verify")
        failures = self._integrity_failures()
        lines, logs = [], {}
        for period in self.sudo():
            failed = failures.filtered(lambda sheet, period=period: sheet.period_id == period)
            if not period.seal_hash:
                text = self.env._(
                    "%s is not sealed: it is not locked, or it was reopened since.", period.display_name
                )
            elif failed:
                text = self.env._(
                    "%(period)s: %(count)s sheet(s) no longer match the seal of %(date)s: %(names)s.",
                    period=period.display_name,
                    count=len(failed),
                    date=fields.Datetime.to_string(period.seal_date),
                    names=", ".join(failed.mapped("display_name")),
                )
            else:
                text = self.env._(
                    "%(period)s: the %(count)s sheets match the seal of %(date)s.",
                    period=period.display_name,
                    count=period.seal_count,
                    date=fields.Datetime.to_string(period.seal_date),
                )
            if period.seal_hash and period.seal_upgrade_date:
                text += " " + self.env._(
                    "It was locked before months were sealed and sealed at the upgrade to %(version)s on "
                    "%(date)s: the seal proves nothing about changes made before then.",
                    version=period.seal_upgrade_version,
                    date=fields.Datetime.to_string(period.seal_upgrade_date),
                )
            lines.append(text)
            logs[period.id] = self.env._(
                "Integrity verified by %(user)s. %(result)s", user=self.env.user.name, result=text
            )
        self.sudo()._message_log_batch(logs)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Integrity of the sealed months"),
                "message": "\n".join(lines),
                "type": "danger" if failures else "success",
                "sticky": bool(failures),
            },
        }

    def _discard_seal(self, reason):
        """Reopening a sealed month discards its seal, with the reason in the chatter."""
        sealed = self.sudo().filtered("seal_hash")
        if not sealed:
            return
        # what no longer matches the seal is named before the seal goes: the next lock would seal it
        failures = sealed._integrity_failures()
        civ_sql.periods_discard_seals(self.env, sealed.ids)
        logs = {}
        for period in sealed:
            logs[period.id] = self.env._(
                "Seal discarded by %(user)s. Reason: %(reason)s", user=self.env.user.name, reason=reason
            )
            failed = failures.filtered(lambda sheet, period=period: sheet.period_id == period)
            if failed:
                logs[period.id] += " " + self.env._(
                    "Before it was discarded, %(count)s sheet(s) no longer matched it: %(names)s.",
                    count=len(failed),
                    names=", ".join(failed.mapped("display_name")),
                )
        sealed._message_log_batch(logs)

    # The dashboard's buttons only read: @api.readonly lets Odoo run them on the read replica
    # (db_replica_host) when the web client calls them (/web/dataset/call_button). Never mark a
    # method that writes (tests/test_deployment.py runs each one in a read-only transaction).
    def _action_view_sheets(self, domain=None, name=None):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id("civ_evaluation.action_civ_evaluation_all")
        action["domain"] = [("period_id", "=", self.id)] + (domain or [])
        action["context"] = {"default_period_id": self.id, "search_default_group_department": 1}
        if name:
            action["name"] = name
        return action

    @api.readonly
    def action_view_evaluations(self):
        return self._action_view_sheets()

    @api.readonly
    def action_view_draft(self):
        return self._action_view_sheets([("state", "=", "draft")])

    @api.readonly
    def action_view_review(self):
        return self._action_view_sheets([("state", "=", "review")])

    @api.readonly
    def action_view_done(self):
        return self._action_view_sheets([("state", "=", "done")])

    @api.readonly
    def action_view_locked(self):
        return self._action_view_sheets([("state", "=", "locked")])

    @api.readonly
    def action_view_chain_problem(self):
        return self._action_view_sheets([("chain_problem", "=", True)])

    @api.readonly
    def action_view_analysis(self):
        """The month's dashboard: completion per department (graph) and levels (pivot)."""
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "civ_evaluation.action_civ_evaluation_analysis"
        )
        action["domain"] = [("period_id", "=", self.id)]
        action["name"] = self.env._("Analysis: %s", self.display_name)
        return action

    def action_check_organisation(self):
        """Run the organisation check of the period's company (before opening the month)."""
        self.ensure_one()
        self._check_workflow_access("edit")
        wizard = self.env["civ.org.check.wizard"].create({"company_id": self.company_id.id})
        return wizard._reopen()

    def action_refresh_chains(self):
        """Resolve again the review chains of the draft sheets without a reviewer (after HR fixed the
        organisation chart)."""
        self._check_workflow_access("refresh_chains")
        sheets = self.env["civ.evaluation"].search(
            [("period_id", "in", self.ids), ("state", "=", "draft"), ("chain_problem", "=", True)]
        )
        sheets.action_refresh_chain()
        return True

    def _civ_missing_employees(self):
        """The in-scope employees of this period's kind who have no sheet for its days yet (in it, or
        in a period of the other kind sharing its days: one person never gets two sheets for a day)."""
        return self._civ_missing_assignments()[0]

    def _civ_missing_assignments(self):
        """(_civ_missing_employees, their _civ_assignments): the rule sets resolved once."""
        self.ensure_one()
        employees = self._in_scope_employees()
        existing = civ_sql.period_covered_employee_ids(self.env, self.id)
        employees = employees.filtered(lambda employee: employee.id not in existing)
        assignments = self._civ_assignments(employees)
        return employees.filtered(lambda employee: employee.id in assignments), assignments

    def _civ_assignments(self, employees):
        """{employee id: (framework, regime, rule set or False)} for the employees who belong in this
        period: those whose rule set (civ.category.rule, valid on the period's first day) gives a
        framework of the period's kind, with it; those without a rule set, with the period's
        framework, when the period is of the company's kind (its default framework's) or of a kind no
        rule set asks for (a month opened before the company chose a quarterly framework): a quarterly
        period of a monthly company whose leaders' rule set is quarterly holds only them. A rule set
        of the other kind keeps its people out of the period."""
        self.ensure_one()
        kind = self._civ_kind()
        default_kind = self.company_id.sudo().civ_framework_id.period_kind or kind
        Rule = self.env["civ.category.rule"].sudo()
        rules_on = Rule._rules_on(self.company_id, self.date_start)
        unruled = kind == default_kind or kind not in set(rules_on.framework_id.mapped("period_kind"))
        rules = Rule._resolve(self.company_id, self.date_start, employees, rules=rules_on)
        result = {}
        for employee in employees:
            rule = rules.get(employee.id)
            if rule:
                if rule.framework_id.period_kind == kind:
                    result[employee.id] = (rule.framework_id, rule.regime, rule)
            elif unruled:
                category = employee.civ_category or "cong_chuc"
                result[employee.id] = (self.framework_id, civ_regime.CATEGORY_REGIMES.get(category), False)
        return result

    def _civ_check_assignments(self, employees, assignments):
        """Refuse a framework that may not grade a person's category in this period (Hà Nội 3814 for
        civil servants from 2026: Decree 335/2025 governs them), naming the people."""
        self.ensure_one()
        refused = {}
        for employee in employees:
            framework = assignments[employee.id][0]
            reason = framework._refusal_for_category(employee.civ_category, self.date_start)
            if reason:
                refused.setdefault(reason, []).append(employee.name)
        for reason, names in refused.items():
            shown = ", ".join(names[:5]) + (
                self.env._(" and %s others", len(names) - 5) if len(names) > 5 else ""
            )
            raise UserError(
                self.env._(
                    "%(reason)s Give them a rule set of their staff category (Configuration > Rule Sets of "
                    "Staff Categories) or choose another framework for the period %(period)s: %(names)s.",
                    reason=reason,
                    period=self.display_name,
                    names=shown,
                )
            )

    # ------------------------------------------------------------------ gate
    def _check_not_locked(self):
        locked = self.filtered(lambda period: period.state == "locked")
        if locked:
            raise UserError(
                self.env._(
                    "The period %(period)s is locked: nothing of it can be changed or deleted. "
                    "An administrator can reopen it with a reason.",
                    period=", ".join(locked.mapped("display_name")),
                )
            )

    # the period's gate (civ.workflow.mixin): officers act on the periods of their companies (record
    # rules, which give them write access), administrators reopen
    _workflow_actions = PERIOD_ACTIONS

    def _workflow_access_mode(self, action):
        return "write"

    def _workflow_state_refusal(self, action, record):
        if record.state == "draft":
            return UserError(self.env._("The period %s has not been opened.", record.display_name))
        return UserError(
            self.env._(
                "The period %(period)s is %(state)s: this is not possible now.",
                period=record.display_name,
                state=dict(self._fields["state"]._description_selection(self.env))[record.state],
            )
        )

    def _workflow_role_refusal(self, action, role, record):
        if role == "admin":
            return AccessError(self.env._("Only evaluation administrators can reopen a period."))
        return AccessError(self.env._("Only human resources officers can do this on evaluation periods."))

    def _writable_outside_workflow(self):
        return dict(
            super()._writable_outside_workflow(),
            **dict.fromkeys(
                (
                    "name",
                    "company_id",
                    "framework_id",
                    "date_start",
                    "date_end",
                    "self_deadline",
                    "review_deadline",
                    "decision_deadline",
                    "lock_date",
                    "exceptional_unit",
                    "exceptional_reason",
                ),
                "edit",
            ),
        )
