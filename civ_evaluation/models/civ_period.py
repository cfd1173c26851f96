import logging
import time
from collections import Counter, defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from . import civ_seal
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
            "unique(company_id, date_start)",
            "There is already an evaluation period starting on this day for this company.",
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

    @api.depends("company_id")
    def _compute_framework_id(self):
        for period in self:
            if not period.framework_id and period.company_id:
                period.framework_id = period.company_id.civ_framework_id

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
                body = Markup("").join(
                    Markup("<tr><td>%s</td><td>%s</td><td class='text-end'>%s</td></tr>")
                    % (level.code or "", level.name, count)
                    for level, count in sorted(rows, key=lambda row: (row[0].sequence, row[0].id))
                )
                period.level_summary = (
                    Markup("<table class='table table-sm o_civ_level_summary'><tbody>%s</tbody></table>")
                    % body
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

    def _quota_check_table(self):
        """The live figures of every quota of the framework, per scope (see _quota_check)."""
        self.ensure_one()
        if not self.framework_id.quota_ids:
            return False
        results = self._quota_check()
        if not results:
            return False
        order = {"company": 0, "duty_group": 1, "department": 2}
        rows = []
        for scope_id, result in sorted(
            results,
            key=lambda row: (
                order.get(row[1]["quota"].scope, 3),
                self._quota_scope_name(row[1]["quota"], row[0]),
                row[1]["quota"].sequence,
                row[1]["quota"].id,
            ),
        ):
            rows.append(
                Markup("<tr class='%s'><td>%s</td><td>%s</td><td>%s</td><td class='text-end'>%s</td></tr>")
                % (
                    "table-danger" if result["exceeded"] else "",
                    self._quota_scope_name(result["quota"], scope_id),
                    result["quota"].display_name,
                    result["message"],
                    self.env._("Exceeded by %s", result["excess"])
                    if result["exceeded"]
                    else self.env._("OK"),
                )
            )
        header = Markup("<thead><tr><th>%s</th><th>%s</th><th>%s</th><th></th></tr></thead>") % (
            self.env._("Scope"),
            self.env._("Quota"),
            self.env._("Figures"),
        )
        table = Markup("<table class='table table-sm o_civ_quota_check'>%s<tbody>%s</tbody></table>") % (
            header,
            Markup("").join(rows),
        )
        if self.exceptional_unit:
            table = Markup("<p class='text-muted'>%s</p>%s") % (
                self.env._(
                    "Outstanding unit: the exceptional maximum of the quotas applies (%s).",
                    self.exceptional_reason or "",
                ),
                table,
            )
        return table

    def _quota_check(self, levels=None, scope_ids=None):
        """THE quota figures of the period: what the period form, the decisions, the lock, the
        aggregate Excel and the override wizard show.

        Counts every sheet of the period not closed as not evaluated (decided ones at their level,
        the others as evaluated without a level yet), per scope of each quota (department, agency,
        group of similar duties), and asks framework.check_quotas, with the exceptional maximum when
        the period is flagged outstanding.

        :param dict levels: {sheet id: civ.level or False}: count these sheets at these levels
            instead of their current one (the decisions about to be taken)
        :param set scope_ids: only these (scope, id) keys, e.g. {("department", 7)}
        :returns: [((scope, id or None), check_quotas result)], scope in department/company/duty_group
        """
        self.ensure_one()
        counts = self._quota_counts(exclude_ids=tuple(levels or ()))
        if levels:
            sheets = self.env["civ.evaluation"].sudo().browse(list(levels))
            for sheet in sheets:
                level = levels[sheet.id]
                counts[(sheet.department_id.id, sheet.duty_group_id.id)][level.id if level else False] += 1
        return self._quota_results(counts, scope_ids)

    def _quota_counts(self, exclude_ids=()):
        """What the quotas count in the period (one grouped query): {(department id, duty group id):
        Counter({level id: decided sheets, False: sheets not decided yet})}; sheets closed as not
        evaluated are left out."""
        self.ensure_one()
        domain = [("period_id", "=", self.id), ("not_evaluated", "=", False)]
        if exclude_ids:
            domain.append(("id", "not in", list(exclude_ids)))
        counts = defaultdict(Counter)
        for department, duty_group, level, state, count in (
            self.env["civ.evaluation"]
            .sudo()
            ._read_group(domain, ["department_id", "duty_group_id", "level_id", "state"], ["__count"])
        ):
            decided = state in ("done", "locked") and level
            counts[(department.id, duty_group.id)][level.id if decided else False] += count
        return counts

    def _quota_results(self, counts, scope_ids=None):
        """framework.check_quotas per scope: [((scope, id), result)] for each quota of the framework
        on its own scope: ("department", department id), ("company", None), ("duty_group", group id;
        people without a group are in the agency only). scope_ids limits the scopes checked."""
        self.ensure_one()
        framework = self.framework_id.sudo()
        buckets = defaultdict(Counter)
        for (department_id, duty_group_id), counter in counts.items():
            buckets[("department", department_id)].update(counter)
            buckets[("company", None)].update(counter)
            if duty_group_id:
                buckets[("duty_group", duty_group_id)].update(counter)
        scopes = set(framework.quota_ids.mapped("scope"))
        output = []
        for key in sorted(buckets, key=lambda key: (key[0], key[1] or 0)):
            if key[0] not in scopes or (scope_ids is not None and key not in scope_ids):
                continue
            output.extend(
                (key, result)
                for result in framework.check_quotas(
                    list(buckets[key].elements()), exceptional=self.exceptional_unit
                )
                if result["quota"].scope == key[0]
            )
        return output

    def _quota_scope_name(self, quota, scope_key):
        self.ensure_one()
        scope, scope_id = scope_key if isinstance(scope_key, tuple) else (quota.scope, scope_key)
        if scope == "company":
            return self.company_id.sudo().name
        if scope == "duty_group":
            return self.env._("Group %s", self.env["civ.duty.group"].sudo().browse(scope_id).name)
        if not scope_id:
            return self.env._("No department")
        return self.env["hr.department"].sudo().browse(scope_id).name

    @api.readonly
    def action_view_quota_breaches(self):
        return self._action_view_sheets(
            [("quota_exceeded", "=", True)], name=self.env._("Decided above the Quota")
        )

    # ------------------------------------------------------------------ guards
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

    def _check_no_overlap(self):
        """Two periods of a company never share a day (a monthly and a quarterly period included):
        otherwise one person would get two sheets for the same time. One query for the batch."""
        periods = self.filtered(lambda period: period.id and period.date_start and period.date_end)
        if not periods:
            return
        self.env["civ.period"].flush_model(["company_id", "date_start", "date_end"])
        self.env.cr.execute(
            """
            SELECT period.id, other.id
              FROM civ_period period
              JOIN civ_period other
                ON other.company_id = period.company_id AND other.id != period.id
               AND other.date_start <= period.date_end AND period.date_start <= other.date_end
             WHERE period.id IN %s
             ORDER BY period.id, other.id
             LIMIT 1
        """,
            [tuple(periods.ids)],
        )
        row = self.env.cr.fetchone()
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

    def _check_workflow_access(self, action):
        """The one gate of the period: may the current user do `action` (a key of PERIOD_ACTIONS)
        on every period of self, in its state? Officers act on the periods of their companies
        (record rules), administrators reopen."""
        states, role = PERIOD_ACTIONS[action]
        if "locked" not in states:
            self._check_not_locked()
        if self.env.su:
            allowed = True
        elif role == "admin":
            allowed = self._is_admin()
        else:
            allowed = self._is_officer()
        if not allowed and role == "admin":
            raise AccessError(self.env._("Only evaluation administrators can reopen a period."))
        if not allowed:
            raise AccessError(self.env._("Only human resources officers can do this on evaluation periods."))
        if not self.env.su:
            self.check_access("write")
        for period in self:
            if period.state not in states:
                if period.state == "draft":
                    raise UserError(self.env._("The period %s has not been opened.", period.display_name))
                raise UserError(
                    self.env._(
                        "The period %(period)s is %(state)s: this is not possible now.",
                        period=period.display_name,
                        state=dict(self._fields["state"]._description_selection(self.env))[period.state],
                    )
                )

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

    # fields that cannot change once sheets exist
    _FROZEN_WHEN_OPEN = ("company_id", "framework_id", "date_start", "date_end")

    @api.model_create_multi
    def create(self, vals_list):
        """A period starts as a draft, whatever the values or the context say."""
        for vals in vals_list:
            if not self.env.su and {"state", "date_opened", "date_locked"} & set(vals):
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

    # ------------------------------------------------------------------ opening
    def _lock_rows(self):
        """Serialise concurrent openings/lockings of the same periods (row lock, then re-read)."""
        if not self.ids:
            return
        self.flush_recordset()
        self.env.cr.execute(
            "SELECT id FROM civ_period WHERE id IN %s ORDER BY id FOR UPDATE", [tuple(self.ids)]
        )
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
        self.env.cr.execute(
            "UPDATE civ_period SET write_date = (now() at time zone 'UTC'), write_uid = %s WHERE id IN %s",
            [self.env.uid, tuple(self.ids)],
        )
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
        todo = self._civ_missing_employees()
        if limit:
            todo = todo[:limit]
        total = len(todo)
        _logger.info("Opening period %s (id %s): %s new sheets", self.display_name, self.id, total)
        criteria = self.framework_id.sudo().group_ids.criterion_ids.sorted(
            lambda c: (c.group_id.sequence, c.group_id.id, c.sequence, c.id)
        )
        # every line starts at 0 points, or at the nearest bound of a criterion that excludes 0
        criterion_values = [
            (
                criterion.id,
                criterion.group_id.id,
                index * 10,
                min(max(0.0, criterion.min_points), criterion.max_points),
            )
            for index, criterion in enumerate(criteria, start=1)
        ]
        created_ids = []
        done = 0
        for start in range(0, total, OPEN_CHUNK_SIZE):
            chunk = todo[start : start + OPEN_CHUNK_SIZE]
            chains = self.env["civ.review.policy"].sudo()._resolve_chains(chunk)
            sheet_vals = []
            for employee in chunk:
                chain = chains.get(employee.id) or []
                sheet_vals.append(
                    {
                        "period_id": self.id,
                        "employee_id": employee.id,
                        "user_id": employee.user_id.id,
                        "company_id": self.company_id.id,
                        "framework_id": self.framework_id.id,
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
                    for criterion_id, group_id, sequence, start in criterion_values
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

    # ------------------------------------------------------------------ locking
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

    # ------------------------------------------------------------------ reopening
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
        self.env.flush_all()
        self.env.cr.execute(
            """
            UPDATE civ_period SET state = 'open', date_locked = NULL,
                   write_date = (now() at time zone 'UTC'), write_uid = %s
             WHERE id IN %s
        """,
            [self.env.uid, tuple(periods.ids)],
        )
        periods.invalidate_recordset(["state", "date_locked", "write_date", "write_uid"])
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

    # ------------------------------------------------------------------ the seal
    def _seal(self):
        """Seal the locked periods of self: chain the hashes of their sheets (see civ_seal), store
        each sheet's hash and the last one on the period. In SQL: a locked month is never written
        through the ORM."""
        cr = self.env.cr
        self.env.flush_all()
        now = fields.Datetime.now()
        for period in self.filtered(lambda period: period.state == "locked"):
            cr.execute("SELECT id FROM civ_evaluation WHERE period_id = %s ORDER BY id", [period.id])
            ids = [row[0] for row in cr.fetchall()]
            previous = civ_seal.seal_chain(
                cr, "civ_evaluation", ids, self.env["civ.evaluation"]._civ_seal_contents
            )
            cr.execute(
                "UPDATE civ_period SET seal_hash = %s, seal_date = %s, seal_count = %s WHERE id = %s",
                [previous or None, now, len(ids), period.id],
            )
            _logger.info("Period %s: %s sheets sealed", period.id, len(ids))
        self.invalidate_recordset(["seal_hash", "seal_date", "seal_count"])
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
            cr.execute(
                "SELECT id, seal_hash FROM civ_evaluation WHERE period_id = %s ORDER BY id", [period.id]
            )
            stored = dict(cr.fetchall())
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
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE civ_period SET seal_hash = NULL, seal_date = NULL, seal_count = 0, "
            "seal_upgrade_date = NULL, seal_upgrade_version = NULL WHERE id IN %s",
            [tuple(sealed.ids)],
        )
        self.env.cr.execute(
            "UPDATE civ_evaluation SET seal_hash = NULL WHERE period_id IN %s", [tuple(sealed.ids)]
        )
        sealed.invalidate_recordset(
            ["seal_hash", "seal_date", "seal_count", "seal_upgrade_date", "seal_upgrade_version"]
        )
        self.env["civ.evaluation"].invalidate_model(["seal_hash"])
        sealed._message_log_batch(
            {
                period.id: self.env._(
                    "Seal discarded by %(user)s. Reason: %(reason)s", user=self.env.user.name, reason=reason
                )
                for period in sealed
            }
        )

    # ------------------------------------------------------------------ navigation
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

    # ------------------------------------------------------------------ demo data only
    def _civ_demo_fill(self, stage, featured_department_ids):
        """DEMO DATA ONLY (called by demo/civ_demo_cycle.xml): open the periods and play the month's
        workflow as superuser. The whole chain is played for the featured units (the leadership and
        the units of the demo logins listed in the README: the "featured" sheets); the other sheets
        only go as far as cheap batch steps allow, to keep the demo quick to load. stage:
        - 'locked': everyone submits, featured sheets are decided, the lock decides the rest;
        - 'decided': everyone submits, featured sheets are decided, the others wait in review;
        - 'current': featured sheets only: a third in self-assessment, a third waiting for their
          first reviewer, a third decided; the other units have not started.
        Points are deterministic: most people "good" (B), one in ten excellent (A), a few weaker."""
        # the messages and notes of the demo in the district's language, whoever installs it
        periods = self.sudo().with_context(
            tracking_disable=True,
            mail_notrack=True,
            mail_create_nolog=True,
            mail_notify_noemail=True,
            lang=self[:1].company_id.partner_id.lang or self.env.lang,
        )
        periods.action_open()
        for period in periods:
            sheets = period.evaluation_ids.filtered(lambda sheet: not sheet.chain_problem)
            featured = sheets.filtered(lambda sheet: sheet.department_id.id in featured_department_ids)
            if stage == "current":
                sheets = featured = featured.filtered(lambda sheet: sheet.employee_id.id % 3)
            by_value = defaultdict(list)
            for line in sheets.line_ids:
                criterion = line.criterion_id
                profile = line.evaluation_id.employee_id.id % 10
                if criterion.group_id.kind == "deduction":
                    value = criterion.max_points
                elif criterion.group_id.kind == "bonus":
                    value = criterion.max_points if profile == 0 else criterion.min_points
                else:
                    share = 1.0 if profile == 0 else (0.6 if profile == 9 else 0.85)
                    span = criterion.max_points - criterion.min_points
                    value = round(criterion.min_points + share * span)
                by_value[value].append(line.id)
            for value, line_ids in by_value.items():
                self.env["civ.evaluation.line"].sudo().browse(line_ids).write({"self_points": value})
            sheets.action_submit()
            if stage == "current":
                featured = featured.filtered(lambda sheet: sheet.employee_id.id % 3 == 1)
            for _step in range(5):
                waiting = featured.filtered(lambda sheet: sheet.state == "review")
                if not waiting:
                    break
                # each level approves as its reviewer (the chatter names them, not the superuser)
                for reviewer, batch in waiting.grouped("current_reviewer_user_id").items():
                    batch.with_user(reviewer).action_approve(
                        quota_reason="Dữ liệu mẫu: vượt tỷ lệ khống chế để minh họa"
                    )
            if stage == "locked":
                period.action_lock()
        return True

    def action_refresh_chains(self):
        """Resolve again the review chains of the draft sheets without a reviewer (after HR fixed the
        organisation chart)."""
        self._check_workflow_access("refresh_chains")
        sheets = self.env["civ.evaluation"].search(
            [("period_id", "in", self.ids), ("state", "=", "draft"), ("chain_problem", "=", True)]
        )
        sheets.action_refresh_chain()
        return True

    # ------------------------------------------------------------------ scheduled actions
    # The entry points of the crons are private (_cron_*: no RPC client can call them) and run only as
    # superuser (the crons' user). Each does one batch of work through a private helper (_civ_*),
    # reports it with ir.cron._notify_progress() and returns the number of tasks left: when some are
    # left, Odoo calls it again at once (in a new transaction), so nothing here commits. Server code
    # and tests call the helpers, where `today`, the batch size and the companies can be given.

    @api.model
    def _check_cron_caller(self):
        if not self.env.su:
            raise AccessError(self.env._("Only the scheduler runs the evaluation's scheduled actions."))

    @api.model
    def _cron_open_periods(self):
        """Scheduled action "open the month's periods"."""
        self._check_cron_caller()
        return self._civ_open_periods()

    @api.model
    def _cron_lock_periods(self):
        """Scheduled action "lock the periods past their lock date"."""
        self._check_cron_caller()
        return self._civ_lock_periods()

    @api.model
    def _cron_send_reminders(self):
        """Scheduled action "deadline reminders"."""
        self._check_cron_caller()
        return self._civ_send_reminders()

    @api.model
    def _civ_cron_try_lock(self, job):
        """One batch of the open (or lock) job at a time in the database. A second cron worker, a
        "Run Manually" or a shell running the same job meanwhile gets False and skips this run, where
        it would otherwise fail on the rows of the first (duplicate period, serialization failure) and
        log an error. A transaction-level advisory lock, taken first thing in the batch and released
        at its commit: between two batches the other worker may take over. (If the other worker
        commits in the instant between this transaction's snapshot and the lock, the period row locks
        of _open/_lock_rows still make this run fail rather than duplicate.) Fits PgBouncer's
        transaction pooling, unlike session-level advisory locks."""
        self.env.cr.execute("SELECT pg_try_advisory_xact_lock(hashtext(%s))", [f"civ_evaluation.cron.{job}"])
        if self.env.cr.fetchone()[0]:
            return True
        _logger.info("Evaluation cron %r is running in another worker: this run skips.", job)
        self.env["ir.cron"]._notify_progress(done=0, remaining=0)
        return False

    @api.model
    def _civ_today(self, today=None):
        """The day the crons work for: `today` if given, else today in the context's time zone
        (Vietnam's by default: the cron user usually has none)."""
        if today:
            return fields.Date.to_date(today)
        return fields.Date.context_today(self.with_context(tz=self.env.context.get("tz") or CIV_TZ))

    @api.model
    def _civ_staffed_companies(self, companies=None):
        """The companies (all, or those given) with someone to evaluate (one grouped query)."""
        domain = [("civ_evaluated", "=", True), ("company_id", "!=", False)]
        if companies is not None:
            domain.append(("company_id", "in", companies.ids))
        groups = self.env["hr.employee"].sudo()._read_group(domain, ["company_id"])
        return self.env["res.company"].sudo().browse([company.id for [company] in groups])

    @api.model
    def _civ_default_frameworks(self, companies):
        """{company id: framework} for new periods: the company's default framework (monthly or
        quarterly), else its newest usable framework of its own (a monthly one first), else the newest
        usable shared monthly one (one search). A shared quarterly framework (TP.HCM, ND 335 by
        quarter) is used only when chosen as the company's default."""
        Framework = self.env["civ.framework"].sudo()
        candidates = Framework.search(
            Framework._usable_domain() + [("company_id", "in", [*companies.ids, False])], order="id desc"
        )
        candidates = candidates.sorted(lambda framework: framework.period_kind != "month")
        shared = candidates.filtered(
            lambda framework: not framework.company_id and framework.period_kind == "month"
        )[:1]
        result = {}
        for company in companies:
            own = candidates.filtered(lambda framework, company=company: framework.company_id == company)
            result[company.id] = company.civ_framework_id or own[:1] or shared
        return result

    def _civ_missing_employees(self):
        """The in-scope employees who have no sheet in the period yet."""
        self.ensure_one()
        employees = self._in_scope_employees()
        self.env.cr.execute("SELECT employee_id FROM civ_evaluation WHERE period_id = %s", [self.id])
        existing = {row[0] for row in self.env.cr.fetchall()}
        return employees.filtered(lambda employee: employee.id not in existing)

    @api.model
    def _civ_due_periods(self, today, companies=None):
        """The periods covering today of every company with someone to evaluate whose opening day
        has come, created when missing; only those not locked. The period is the month, or the
        calendar quarter when the company's framework is quarterly: a quarter opens on the opening
        day of its first month (and any later day of the quarter when that was missed)."""
        companies = self._civ_staffed_companies(companies)
        if not companies:
            return self.browse()
        frameworks = self._civ_default_frameworks(companies)

        def due(company):
            kind = frameworks[company.id].period_kind if frameworks.get(company.id) else "month"
            start = civ_period_start(today, kind)
            return today.month != start.month or company.civ_open_day <= today.day

        companies = companies.filtered(due)
        if not companies:
            return self.browse()
        Period = self.sudo()
        # the period covering today, whatever its kind (e.g. a month opened before the company chose a
        # quarterly framework): never a second one for the same days
        periods = Period.search(
            [("company_id", "in", companies.ids), ("date_start", "<=", today), ("date_end", ">=", today)]
        )
        missing = companies - periods.company_id
        # named in the company's language ("Tháng 05/2026", "Quý 2/2026"), not in the cron user's
        vals_by_lang = defaultdict(list)
        planned = {}
        for company in missing:
            framework = frameworks.get(company.id)
            if not framework:
                _logger.info("No usable framework for %s: no period opened.", company.name)
                continue
            planned[company] = dict(
                company._civ_period_dates(today, framework.period_kind),
                company_id=company.id,
                framework_id=framework.id,
            )
        if planned:
            # a quarter cannot start while a month of it already has a period (a framework changed
            # within the quarter): said in the log, the next quarter opens normally
            overlapping = Period.search(
                [
                    ("company_id", "in", [company.id for company in planned]),
                    ("date_start", "<=", max(vals["date_end"] for vals in planned.values())),
                    ("date_end", ">=", min(vals["date_start"] for vals in planned.values())),
                ]
            )
            for company, vals in planned.items():
                clash = overlapping.filtered(
                    lambda period, company=company, vals=vals: period.company_id == company
                    and period.date_start <= vals["date_end"]
                    and vals["date_start"] <= period.date_end
                )
                if clash:
                    _logger.warning(
                        "Evaluation period %s - %s of %s not created: it would overlap %s.",
                        vals["date_start"],
                        vals["date_end"],
                        company.name,
                        ", ".join(clash.mapped("name")),
                    )
                    continue
                vals_by_lang[company.partner_id.lang or self.env.lang].append(vals)
        for lang, vals_list in vals_by_lang.items():
            new_periods = Period.with_context(lang=lang).create(vals_list).with_context(lang=self.env.lang)
            for period in new_periods:
                period.message_post(
                    body=period._civ_company_env()._("Period created by the scheduled action.")
                )
            periods |= new_periods
        return periods.filtered(lambda period: period.state != "locked")

    @api.model
    def _civ_open_periods(self, today=None, batch_size=None, companies=None):
        """Cron "open periods": on (and after) each company's opening day, create the period of the
        month (of the quarter, for a quarterly framework) and open it; on later runs add the new
        hires. At most batch_size sheets per call.

        :returns: the number of sheets still to create (the cron calls again while some are left)
        """
        if not self._civ_cron_try_lock("open"):
            return 0
        today = self._civ_today(today)
        budget = batch_size or CRON_BATCH_SIZE
        done = remaining = 0
        for period in self._civ_due_periods(today, companies):
            missing = len(period._civ_missing_employees())
            if not missing and period.state == "open":
                continue
            if budget <= 0:
                remaining += missing or 1
                continue
            try:
                with self.env.cr.savepoint():
                    created = period._open(limit=budget)
            except UserError as error:
                # e.g. the company's framework was archived: the other companies go on
                _logger.warning(
                    "Evaluation period %s (id %s) could not be opened: %s",
                    period.display_name,
                    period.id,
                    error,
                )
                continue
            budget -= len(created)
            done += len(created) or 1
            remaining += missing - len(created)
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return remaining

    @api.model
    def _civ_lock_periods(self, today=None, batch_size=None, companies=None):
        """Cron "lock periods": lock every open period whose lock date has passed, applying the
        company's rules to unfinished sheets. At most batch_size sheets locked per call.

        :returns: the number of sheets (+1 per period) still to lock
        """
        if not self._civ_cron_try_lock("lock"):
            return 0
        today = self._civ_today(today)
        budget = batch_size or CRON_BATCH_SIZE
        domain = [("state", "=", "open"), ("lock_date", "<", today)]
        if companies is not None:
            domain.append(("company_id", "in", companies.ids))
        periods = self.sudo().search(domain, order="lock_date, id")
        Evaluation = self.env["civ.evaluation"].sudo()
        unlocked = dict(
            Evaluation._read_group(
                [("period_id", "in", periods.ids), ("state", "!=", "locked")], ["period_id"], ["__count"]
            )
        )
        done = remaining = 0
        for period in periods:
            count = unlocked.get(period, 0)
            if budget <= 0:
                remaining += count + 1
                continue
            if count > budget:
                # a big period: lock a batch of its sheets now, the period itself on a later call
                sheets = Evaluation.search(
                    [("period_id", "=", period.id), ("state", "!=", "locked")], limit=budget, order="id"
                )
                sheets._lock()
                budget -= len(sheets)
                done += len(sheets)
                remaining += count - len(sheets) + 1
                continue
            period._lock()
            budget -= count
            done += count + 1
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return remaining

    @api.model
    def _civ_send_reminders(self, today=None, companies=None):
        """Cron "reminders": from company.civ_reminder_days days before a deadline until the deadline,
        remind whoever has not acted: employees whose sheet is still a draft (self-assessment
        deadline), the current reviewers of sheets in review (review deadline, or decision deadline
        at a decision step). A reminder is an activity on the sheet for that person (never two open
        ones) and one e-mail per person, period and deadline listing their sheets.

        :returns: the number of reminder activities created
        """
        today = self._civ_today(today)
        domain = [("state", "=", "open")]
        if companies is not None:
            domain.append(("company_id", "in", companies.ids))
        due = {}
        for period in self.sudo().search(domain):
            days = timedelta(days=max(period.company_id.civ_reminder_days, 0))
            kinds = {
                kind
                for kind, deadline in period._civ_deadlines().items()
                if deadline and deadline - days <= today <= deadline
            }
            if kinds:
                due[period] = kinds
        if not due:
            self.env["ir.cron"]._notify_progress(done=0, remaining=0)
            return 0
        periods = self.sudo().browse([period.id for period in due])
        sheets = (
            self.env["civ.evaluation"]
            .sudo()
            .search([("period_id", "in", periods.ids), ("state", "in", ("draft", "review"))], order="id")
        )
        targets = defaultdict(lambda: self.env["civ.evaluation"])
        for sheet in sheets:
            kinds = due[sheet.period_id]
            if sheet.state == "draft":
                if "self" in kinds and sheet.user_id and not sheet.chain_problem:
                    targets[sheet.period_id, "self", sheet.user_id] |= sheet
            elif sheet.current_reviewer_user_id:
                kind = "decision" if sheet.current_step_id.is_decision else "review"
                if kind in kinds:
                    targets[sheet.period_id, kind, sheet.current_reviewer_user_id] |= sheet
        if not targets:
            self.env["ir.cron"]._notify_progress(done=0, remaining=0)
            return 0
        reminder_type = self.env.ref(REMINDER_ACTIVITY)
        existing = {
            (activity.res_id, activity.user_id.id)
            for activity in self.env["mail.activity"]
            .sudo()
            .search_fetch(
                [
                    ("res_model", "=", "civ.evaluation"),
                    ("res_id", "in", sheets.ids),
                    ("activity_type_id", "=", reminder_type.id),
                ],
                ["res_id", "user_id"],
            )
        }
        model_id = self.env["ir.model"]._get_id("civ.evaluation")
        summaries = {
            "self": self.env._("Submit your self-assessment"),
            "review": self.env._("Review this evaluation sheet"),
            "decision": self.env._("Decide this evaluation"),
        }
        activity_vals = []
        mails = []
        for (period, kind, user), group in targets.items():
            new = group.filtered(lambda sheet, user=user: (sheet.id, user.id) not in existing)
            if not new:
                continue
            deadline = period._civ_deadlines()[kind]
            activity_vals.extend(
                {
                    "res_model_id": model_id,
                    "res_id": sheet.id,
                    "activity_type_id": reminder_type.id,
                    "user_id": user.id,
                    "date_deadline": deadline,
                    "summary": summaries[kind],
                    "automated": True,
                }
                for sheet in new
            )
            mails.append((period, kind, user, new))
        # the e-mails below replace the "activity assigned to you" notifications
        self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(activity_vals)
        for period, kind, user, new in mails:
            period._civ_send_reminder_mail(kind, user, new)
        _logger.info("Evaluation reminders: %s activities, %s e-mails", len(activity_vals), len(mails))
        self.env["ir.cron"]._notify_progress(done=len(activity_vals), remaining=0)
        return len(activity_vals)

    def _civ_deadlines(self):
        self.ensure_one()
        return {
            "self": self.self_deadline,
            "review": self.review_deadline,
            "decision": self.decision_deadline or self.review_deadline,
        }

    def _civ_send_reminder_mail(self, kind, user, sheets):
        """One e-mail to `user` about `sheets` of this period (template civ_mail_template_reminder_<kind>),
        with a link to each sheet (the standard /mail/view redirection, valid on every deployment)."""
        self.ensure_one()
        template = self.env.ref(f"civ_evaluation.mail_template_civ_reminder_{kind}", raise_if_not_found=False)
        if not template or not user.partner_id:
            return
        # (name, department, link) per sheet; tuples keep the context hashable
        lines = tuple(
            (sheet.employee_id.name, sheet.department_id.name or "", sheet._notify_get_action_link("view"))
            for sheet in sheets
        )
        deadline = self._civ_deadlines()[kind]
        template.sudo().with_context(
            civ_recipient_name=user.name,
            civ_deadline=deadline.strftime("%d/%m/%Y") if deadline else "",
            civ_lines=lines,
        ).send_mail(
            self.id,
            email_layout_xmlid="mail.mail_notification_light",
            email_values={"recipient_ids": [Command.set(user.partner_id.ids)]},
        )
