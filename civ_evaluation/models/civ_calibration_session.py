from collections import Counter

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

from .civ_arguments import text_argument
from .civ_format import format_number

SESSION_STATES = [
    ("draft", "Draft"),
    ("open", "In Session"),
    ("closed", "Closed"),
    ("cancelled", "Cancelled"),
]

# Who may do what in a calibration session, in which states: {action: (states, role)} (see
# civ.workflow.mixin). The officer prepares, opens and closes it; the deciding heads of its sheets
# (deciders; participants with the officers) change the proposed levels and mark people as
# discussed while it is in session, then decide their calibrated sheets once it is closed. The lines
# add their own roles (the decider of the line's sheet, see civ.calibration.line).
SESSION_ACTIONS = {
    "edit": (("draft", "open"), "officer"),
    "load": (("draft", "open"), "officer"),
    "start": (("draft",), "officer"),
    "close": (("open",), "officer"),
    "cancel": (("draft", "open"), "officer"),
    "delete": (("draft", "cancelled"), "officer"),
    "change_level": (("open",), "participant"),
    "mark_discussed": (("open",), "participant"),
    "decide": (("closed",), "decider"),
}

MINUTES_REPORT = "civ_evaluation.action_report_civ_calibration_minutes"
TODO = "mail.mail_activity_data_todo"


def _row(tag, first, *numbers):
    """One row of the distribution's table: a label, then numbers aligned right."""
    cells = Markup("<%s>%s</%s>") % (tag, first, tag)
    for value in numbers:
        cells += Markup("<%s class='text-end'>%s</%s>") % (tag, value, tag)
    return Markup("<tr>%s</tr>") % cells


class CivCalibrationSession(models.Model):
    """A calibration session (hiệu chỉnh kết quả trước khi quyết định): before the decision of a
    month, an officer gathers the sheets in review of a unit (or of the agency), the proposed level of
    each (the current points, with the level rules of civ_evaluation_level_rules) and their
    distribution against the framework's quotas and the reference distribution. In session, the
    deciding head of each sheet changes proposed levels, a comment required for each change, and
    marks people as discussed; the officer closes it with its minutes (a PDF attached to it). The
    changes then reach the sheets through their own gate as the head's decision (action_decide, or
    the head's Decide button on the sheet: the decision takes the calibrated level, see
    civ.evaluation._apply_calibration), and the lines are sealed with the month (civ_seal)."""

    _name = "civ.calibration.session"
    _description = "Calibration Session"
    _inherit = ["civ.chatter.mixin", "mail.activity.mixin", "civ.workflow.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company, tracking=True
    )
    period_id = fields.Many2one(
        "civ.period",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
        tracking=True,
        domain="[('company_id', '=', company_id), ('state', '=', 'open')]",
    )
    department_ids = fields.Many2many(
        "hr.department",
        string="Units",
        check_company=True,
        help="The units calibrated, with their sub-units; empty: the whole agency.",
    )
    reference_id = fields.Many2one(
        "civ.reference.distribution",
        string="Reference Distribution",
        default=lambda self: self.env["civ.reference.distribution"]._for_company(self.env.company),
        help="The distribution of levels the proposed levels are compared with.",
    )
    date = fields.Date(string="Session Date", default=fields.Date.context_today, tracking=True)
    note = fields.Html(string="Minutes", help="What was discussed and agreed, printed in the minutes.")
    state = fields.Selection(
        SESSION_STATES,
        string="Status",
        default="draft",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
        copy=False,
    )
    line_ids = fields.One2many("civ.calibration.line", "session_id", string="People", copy=False)
    line_count = fields.Integer(compute="_compute_counts")
    changed_count = fields.Integer(string="Levels Changed", compute="_compute_counts")
    discussed_count = fields.Integer(string="Discussed", compute="_compute_counts")
    opened_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    closed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    date_closed = fields.Datetime(string="Closed On", readonly=True, copy=False)
    minutes_attachment_id = fields.Many2one(
        "ir.attachment", string="Minutes (PDF)", readonly=True, copy=False
    )
    distribution_html = fields.Html(
        string="Distribution", compute="_compute_distribution_html", sanitize=False
    )
    is_officer = fields.Boolean(compute="_compute_user_rights")
    is_decider = fields.Boolean(compute="_compute_user_rights")

    @api.depends("line_ids.changed", "line_ids.discussed")
    def _compute_counts(self):
        for session in self:
            lines = session.sudo().line_ids
            session.line_count = len(lines)
            session.changed_count = len(lines.filtered("changed"))
            session.discussed_count = len(lines.filtered("discussed"))

    @api.depends_context("uid")
    @api.depends("state", "line_ids.decider_user_id")
    def _compute_user_rights(self):
        officer = self._is_officer()
        user = self.env.user
        for session in self:
            session.is_officer = officer
            session.is_decider = user in session.sudo().line_ids.decider_user_id

    @api.depends(
        "line_ids.proposed_level_id", "line_ids.new_level_id", "reference_id", "reference_id.share_1"
    )
    def _compute_distribution_html(self):
        for session in self:
            session.distribution_html = session._distribution_table()

    # ------------------------------------------------------------------ the figures
    def _distribution_rows(self):
        """The session's figures, per framework: [{framework, sheets, levels: [{level, proposed,
        proposed_share, calibrated, calibrated_share, reference_share}], quotas: [check_quotas rows on
        the calibrated levels]}]. The counts are of every line of the session (aggregates: whoever
        reads the session reads them, though the record rules hide their own line from them); the
        quotas are those of the framework (civ.quota.service's figures), checked over the people of
        the session."""
        self.ensure_one()
        lines = self.sudo().line_ids
        reference = self.sudo().reference_id
        blocks = []
        for framework in lines.framework_id.sorted(lambda framework: (framework.name, framework.id)):
            own = lines.filtered(lambda line, framework=framework: line.framework_id == framework)
            proposed = Counter(line.proposed_level_id.id for line in own if line.proposed_level_id)
            calibrated_levels = [line._calibrated_level() for line in own]
            calibrated = Counter(level.id for level in calibrated_levels if level)
            total = len(own)
            rows = []
            for rank, level in enumerate(framework._sorted_levels(), start=1):
                share = reference[f"share_{min(rank, 4)}"] if reference and rank <= 4 else 0.0
                rows.append(
                    {
                        "level": level,
                        "proposed": proposed[level.id],
                        "proposed_share": 100.0 * proposed[level.id] / total if total else 0.0,
                        "calibrated": calibrated[level.id],
                        "calibrated_share": 100.0 * calibrated[level.id] / total if total else 0.0,
                        "reference_share": share if reference else None,
                    }
                )
            quotas = framework._check_quota_records(framework.quota_ids, calibrated_levels) if own else []
            blocks.append({"framework": framework, "sheets": total, "levels": rows, "quotas": quotas})
        return blocks

    def _distribution_table(self):
        """The figures of _distribution_rows as an HTML table (the form; the minutes print the same
        rows with their own layout)."""
        self.ensure_one()
        env = self.env
        parts = []
        for block in self._distribution_rows():
            head = _row(
                "th",
                env._("Level"),
                env._("Proposed"),
                env._("Proposed (%)"),
                env._("Calibrated"),
                env._("Calibrated (%)"),
                env._("Reference (%)"),
            )
            body = Markup("").join(
                _row(
                    "td",
                    row["level"].display_name,
                    row["proposed"],
                    format_number(env, row["proposed_share"], 1, trim=True),
                    row["calibrated"],
                    format_number(env, row["calibrated_share"], 1, trim=True),
                    ""
                    if row["reference_share"] is None
                    else format_number(env, row["reference_share"], 1, trim=True),
                )
                for row in block["levels"]
            )
            quotas = Markup("").join(
                Markup("<li class='%s'>%s</li>")
                % ("text-danger" if quota["exceeded"] else "", quota["message"])
                for quota in block["quotas"]
            )
            parts.append(
                Markup("<h5>%s (%s)</h5><table class='table table-sm o_civ_calibration_table'>%s%s</table>%s")
                % (
                    block["framework"].display_name,
                    env._("%s sheets", block["sheets"]),
                    head,
                    body,
                    Markup("<ul>%s</ul>") % quotas if quotas else "",
                )
            )
        return Markup("").join(parts) or Markup("<p>%s</p>") % env._("No sheet in this session yet.")

    # ------------------------------------------------------------------ creation
    @api.model_create_multi
    def create(self, vals_list):
        """Officers open sessions (ACL); the company is the period's, the state a draft whatever the
        caller sends."""
        clean = []
        for given in vals_list:
            vals = dict(given)
            period = self.env["civ.period"].browse(vals.get("period_id") or []).exists()
            if not period:
                raise UserError(self.env._("Choose the period of the calibration session."))
            period.check_access("read")
            if period.state != "open":
                raise UserError(
                    self.env._(
                        "A calibration session is held in an open period, before the decisions (%s).",
                        period.display_name,
                    )
                )
            vals.update(
                company_id=period.company_id.id,
                state="draft",
                opened_by_id=False,
                closed_by_id=False,
                date_closed=False,
                minutes_attachment_id=False,
            )
            vals.pop("line_ids", None)
            if not vals.get("name"):
                vals["name"] = self.env._("Calibration – %s", period.display_name)
            if "reference_id" not in vals:
                vals["reference_id"] = (
                    self.env["civ.reference.distribution"]._for_company(period.company_id).id
                )
            clean.append(vals)
        return super().create(clean)

    # ------------------------------------------------------------------ guards
    def _civ_chatter_state(self):
        # the discussion takes messages until the session is closed; then its minutes are evidence
        return {session.id: "open" if session.state in ("draft", "open") else "closed" for session in self}

    def _check_not_locked(self):
        locked = self.sudo().filtered(lambda session: session.period_id.state == "locked")
        if locked:
            raise UserError(
                self.env._(
                    "The period %s is locked: its calibration sessions cannot change.",
                    locked[0].period_id.display_name,
                )
            )

    _workflow_actions = SESSION_ACTIONS

    def _workflow_roles(self):
        user = self.env.user
        return dict(
            super()._workflow_roles(),
            participant=lambda session: self._is_officer() or user in session.line_ids.decider_user_id,
            decider=lambda session: user in session.line_ids.decider_user_id,
        )

    def _workflow_action_label(self, action):
        return {
            "edit": self.env._("preparing the session"),
            "load": self.env._("loading the sheets"),
            "start": self.env._("opening the session"),
            "close": self.env._("closing the session"),
            "cancel": self.env._("cancelling the session"),
            "delete": self.env._("deleting the session"),
            "change_level": self.env._("changing a proposed level"),
            "mark_discussed": self.env._("marking people as discussed"),
            "decide": self.env._("deciding the calibrated sheets"),
        }.get(action, action)

    def _writable_outside_workflow(self):
        return dict(
            super()._writable_outside_workflow(),
            name="edit",
            date="edit",
            note="edit",
            department_ids="edit",
            reference_id="edit",
            line_ids=None,  # the lines carry their own guard (civ.calibration.line)
        )

    def write(self, vals):
        self._check_direct_write(vals)
        return super().write(vals)

    def unlink(self):
        self._check_workflow_access("delete")
        self.sudo().line_ids.unlink()
        return super().unlink()

    # ------------------------------------------------------------------ workflow
    def action_load_sheets(self):
        """Gather the sheets in review of the session's units (all the agency's without units) with
        their proposed levels; again, it adds the sheets that reached review since, refreshes the
        proposals of the lines not changed and drops those of sheets no longer in review. A sheet is in
        one session at a time (the ones in another session not cancelled are left to it)."""
        self._check_workflow_access("load")
        for session in self.sudo():
            session.line_ids._refresh_or_drop()
            domain = [
                ("period_id", "=", session.period_id.id),
                ("company_id", "=", session.company_id.id),
                ("state", "=", "review"),
            ]
            if session.department_ids:
                domain.append(("department_id", "child_of", session.department_ids.ids))
            sheets = self.env["civ.evaluation"].sudo().search(domain)
            taken = (
                self.env["civ.calibration.line"]
                .sudo()
                .search(
                    [
                        ("evaluation_id", "in", sheets.ids),
                        ("session_id.state", "in", ("draft", "open", "closed")),
                    ]
                )
            )
            new = sheets - taken.evaluation_id
            proposals = new._calibration_proposals()
            self.env["civ.calibration.line"].sudo().create(
                [
                    {
                        "session_id": session.id,
                        "evaluation_id": sheet.id,
                        "proposed_score": proposals[sheet.id]["total"],
                        "proposed_level_id": proposals[sheet.id]["level"].id or False,
                        "decider_user_id": sheet._decision_step().reviewer_user_id.id or False,
                    }
                    for sheet in new
                ]
            )
            elsewhere = (taken - session.line_ids).evaluation_id
            session.message_post(
                body=self.env._(
                    "%(count)s sheets in the session (%(new)s added by %(user)s).",
                    count=len(session.line_ids),
                    new=len(new),
                    user=self.env.user.name,
                )
                + (
                    self.env._(" %s sheets are in another calibration session.", len(elsewhere))
                    if elsewhere
                    else ""
                )
            )
        return True

    def action_start(self):
        """Open the session: the deciding heads of its sheets change levels and mark people as
        discussed until it is closed."""
        self._check_workflow_access("start")
        for session in self.sudo():
            if not session.line_ids:
                raise UserError(
                    self.env._("Load the sheets in review first: %s has none.", session.display_name)
                )
            session.write({"state": "open", "opened_by_id": self.env.user.id})
            session.message_post(body=self.env._("Session opened by %s.", self.env.user.name))
        return True

    def action_cancel(self):
        self._check_workflow_access("cancel")
        self.sudo()._cancel(self.env._("Cancelled by %s.", self.env.user.name))
        return True

    def _cancel(self, reason):
        for session in self.sudo().filtered(lambda session: session.state in ("draft", "open")):
            session.write({"state": "cancelled"})
            session.activity_unlink([TODO])
            session.message_post(body=reason)

    @api.model
    def _cancel_at_lock(self, periods):
        """Sessions not closed when their period locks are cancelled (their lines, sealed with the
        sheets, say so); called before the period is locked."""
        sessions = self.sudo().search([("period_id", "in", periods.ids), ("state", "in", ("draft", "open"))])
        sessions._cancel(self.env._("The period was locked before the session was closed."))

    def action_close(self, note=None):
        """Close the session with its minutes: the PDF is rendered, attached to the session and its
        checksum written on every line (the seal of the month binds it to the sheets). The deciding
        heads get an activity to decide their calibrated sheets."""
        note = text_argument(self.env, note, self.env._("The minutes"))
        self._check_workflow_access("close")
        now = fields.Datetime.now()
        for session in self.sudo():
            vals = {"state": "closed", "closed_by_id": self.env.user.id, "date_closed": now}
            if note:
                vals["note"] = note
            session.write(vals)
            attachment = session._render_minutes()
            session.write({"minutes_attachment_id": attachment.id})
            session.line_ids.write({"minutes_checksum": attachment.checksum})
            session.message_post(
                body=self.env._(
                    "Session closed by %(user)s: %(changed)s of %(count)s levels changed, %(discussed)s "
                    "people discussed.",
                    user=self.env.user.name,
                    changed=session.changed_count,
                    count=session.line_count,
                    discussed=session.discussed_count,
                ),
                attachment_ids=attachment.ids,
            )
            for decider in session.line_ids.decider_user_id:
                session.activity_schedule(
                    TODO,
                    date_deadline=session.period_id.decision_deadline or fields.Date.context_today(session),
                    summary=self.env._("Decide the calibrated sheets of %s", session.name),
                    user_id=decider.id,
                )
        return True

    def _render_minutes(self):
        """The minutes (QWeb PDF) as an attachment of the session."""
        self.ensure_one()
        content, _kind = (
            self.env["ir.actions.report"].sudo()._render_qweb_pdf(MINUTES_REPORT, res_ids=self.ids)
        )
        return (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": self.env._("Minutes – %s.pdf", self.name),
                    "raw": content,
                    "mimetype": "application/pdf",
                    "res_model": self._name,
                    "res_id": self.id,
                    "company_id": self.company_id.id,
                }
            )
        )

    def action_decide(self, quota_reason=None):
        """The deciding head decides their calibrated sheets of a closed session in one action: the
        sheets waiting for their decision go through the sheet's own gate and decision
        (civ.evaluation.action_approve, as the head), which takes the calibrated level. The others
        (an earlier step still pending, decided already) are left and counted."""
        quota_reason = text_argument(self.env, quota_reason, self.env._("The reason for exceeding the quota"))
        self._check_workflow_access("decide")
        user = self.env.user
        lines = self.sudo().line_ids.filtered(lambda line: line.decider_user_id == user)
        sheets = lines.evaluation_id.filtered(
            lambda sheet: sheet.state == "review"
            and sheet.current_reviewer_user_id == user
            and sheet.current_step_id == sheet._decision_step()
        )
        if not sheets:
            raise UserError(
                self.env._(
                    "None of the sheets of %s waits for your decision (an earlier step is still pending, "
                    "or they are decided already).",
                    self.display_name,
                )
            )
        sheets.with_env(self.env).action_approve(quota_reason=quota_reason)
        self.sudo().activity_feedback([TODO], user_id=user.id, feedback=self.env._("Decided"))
        self.sudo().message_post(
            body=self.env._(
                "%(user)s decided %(count)s sheets of the session (%(left)s left).",
                user=user.name,
                count=len(sheets),
                left=len(lines) - len(sheets),
            )
        )
        return True

    def action_print_minutes(self):
        self.ensure_one()
        self.check_access("read")
        return self.env.ref(MINUTES_REPORT).report_action(self)
