from markupsafe import Markup, escape

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.mail import generate_tracking_message_id

from . import civ_regime, civ_seal, civ_sql
from .civ_arguments import text_argument
from .civ_evaluation_line import PointsLog
from .civ_format import format_number
from .hr_employee import CIV_POSITIONS

EVALUATION_STATES = [
    ("draft", "Self-assessment"),
    ("review", "In Review"),
    ("done", "Decided"),
    ("locked", "Locked"),
]

TODO = "mail.mail_activity_data_todo"
REMINDER = "civ_evaluation.mail_activity_type_civ_reminder"

# Who may do what on a sheet, in which states: {action: (states, role)}. The one table behind the
# sheet's gate (_check_workflow_access), which every action and every direct write of a line or a
# step goes through. Roles: the sheet's employee (owner), the reviewer of its pending step
# (reviewer; rescoring_reviewer when that step re-scores), an HR officer of its company (officer).
SHEET_ACTIONS = {
    "edit_self": (("draft",), "owner"),
    "submit": (("draft",), "owner"),
    "rescore": (("review",), "rescoring_reviewer"),
    "comment": (("review",), "reviewer"),
    "approve": (("review",), "reviewer"),
    "return": (("review",), "reviewer"),
    "appeal": (("done",), "owner"),
    "edit_snapshot": (("draft", "review"), "officer"),
    "change_reviewer": (("draft", "review"), "officer"),
    "refresh_chain": (("draft",), "officer"),
    "lock": (("draft", "review", "done"), "officer"),
    # products and work (Nghị định 335/2025): listed and reported by the employee in self-assessment,
    # corrected by the re-scoring reviewer in review; errors, delays, objective causes by reviewers only
    "edit_products": (("draft", "review"), "product_editor"),
    "review_products": (("review",), "rescoring_reviewer"),
    # deleting a sheet opened by mistake (the record rules give it to officers)
    "delete": (("draft",), "officer"),
    # reopening one locked sheet (wizards/civ_reopen_wizard.py), never one's own
    "reopen": (("locked",), "admin"),
    # the members of a leadership collective vote at its step (civ.collective.vote)
    "vote": (("review",), "collective_member"),
    "edit_vote": (("review",), "collective_member"),
    # colleagues' feedback asked by the head or an officer (civ.feedback.request)
    "request_feedback": (("draft", "review"), "head"),
    # the unit's collective meeting records its opinion (civ.collective.meeting)
    "record_opinion": (("draft", "review"), "head"),
}


# the form's rights flags and the gate action each one asks
RIGHTS_FLAGS = {
    "can_edit_self": "edit_self",
    "can_rescore": "rescore",
    "can_edit_products": "edit_products",
    "can_review_products": "review_products",
}


def _sheet_action_labels(env):
    return [
        ("edit_self", env._("the self-assessment")),
        ("submit", env._("submitting")),
        ("rescore", env._("re-scoring")),
        ("comment", env._("the reviewer's comment")),
        ("approve", env._("approving")),
        ("return", env._("returning for rework")),
        ("appeal", env._("a request for review")),
        ("edit_snapshot", env._("correcting the department or job title")),
        ("change_reviewer", env._("changing a reviewer")),
        ("refresh_chain", env._("refreshing the review chain")),
        ("lock", env._("locking")),
        ("edit_products", env._("changing the products and work")),
        ("review_products", env._("recording errors, delays and objective causes of the products")),
        ("delete", env._("deleting the sheet")),
        ("reopen", env._("reopening the sheet")),
        ("vote", env._("voting in the leadership collective")),
        ("edit_vote", env._("the points of a member of the collective")),
        ("request_feedback", env._("asking colleagues for feedback")),
        ("record_opinion", env._("recording the opinion of the unit's collective")),
    ]


def _role_label(env, role, sheet):
    if role == "owner":
        return env._("%s only", sheet.employee_id.name)
    if role == "product_editor":
        return env._(
            "%s in self-assessment, then the re-scoring reviewer of the current step", sheet.employee_id.name
        )
    if role == "collective_member":
        return env._("the members of the collective of the current step")
    if role == "head":
        return env._("the head of the unit, the deciding reviewer or human resources officers")
    if role in ("reviewer", "rescoring_reviewer"):
        reviewer = sheet.current_step_id.reviewer_user_id.name or "-"
        return env._("the reviewer of the current step (%s) only", reviewer)
    return env._("human resources officers only")


class CivEvaluation(models.Model):
    _name = "civ.evaluation"
    _description = "Evaluation Sheet"
    _inherit = [
        "civ.chatter.mixin",
        "mail.activity.mixin",
        "civ.bulk.create.mixin",
        "civ.workflow.mixin",
    ]
    _order = "period_id desc, department_id, employee_id, id"
    _rec_names_search = ["employee_id.name", "period_id.name"]
    _check_company_auto = True

    period_id = fields.Many2one(
        "civ.period", required=True, readonly=True, index=True, ondelete="restrict", check_company=True
    )
    employee_id = fields.Many2one(
        "hr.employee", required=True, readonly=True, index=True, ondelete="restrict", check_company=True
    )
    # the employee's user, kept up to date on unlocked sheets (see hr.employee.write); a plain field,
    # not a stored related one, so that a locked month is never rewritten
    user_id = fields.Many2one(
        "res.users",
        string="Employee's User",
        readonly=True,
        index=True,
        ondelete="restrict",
        help="The user behind the employee: the one who fills in the self-assessment.",
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    # snapshots taken when the period opens: later HR edits do not rewrite history
    department_id = fields.Many2one("hr.department", readonly=True, index=True, ondelete="restrict")
    job_title = fields.Char(readonly=True)
    duty_group_id = fields.Many2one(
        "civ.duty.group",
        string="Group of Similar Duties",
        readonly=True,
        index=True,
        help="The person's group of similar duties when the period opened: quotas per group of "
        "similar duties count the sheets of each group.",
    )
    civ_position = fields.Selection(CIV_POSITIONS, string="Evaluation Position", readonly=True)
    framework_id = fields.Many2one(
        "civ.framework",
        string="Criteria Framework",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
    )
    regime = fields.Selection(
        civ_regime.REGIMES,
        readonly=True,
        index=True,
        help="The text that governs this person's evaluation (from the rule set of their staff category "
        "when the period opened).",
    )
    category_rule_id = fields.Many2one(
        "civ.category.rule", string="Rule Set", readonly=True, index="btree_not_null", ondelete="restrict"
    )

    line_ids = fields.One2many("civ.evaluation.line", "evaluation_id", string="Criteria")
    step_ids = fields.One2many("civ.review.step", "evaluation_id", string="Review Chain")
    state = fields.Selection(
        EVALUATION_STATES,
        string="Status",
        default="draft",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
        copy=False,
        group_expand=True,
    )
    # scores are stored and set explicitly when points change (no per-line recomputation at opening)
    self_score = fields.Float(readonly=True, digits=(16, 2))
    reviewer_score = fields.Float(
        readonly=True, digits=(16, 2), help="Total of the reviewer points (the latest level's re-scoring)."
    )
    final_score = fields.Float(readonly=True, digits=(16, 2), tracking=True)
    level_id = fields.Many2one("civ.level", readonly=True, index=True, tracking=True, ondelete="restrict")
    current_step_id = fields.Many2one("civ.review.step", readonly=True, index="btree_not_null")
    current_reviewer_user_id = fields.Many2one(
        "res.users", string="Current Reviewer", readonly=True, index=True, tracking=True
    )
    chain_problem = fields.Boolean(
        string="No Reviewer",
        readonly=True,
        index=True,
        help="No review chain could be resolved for this person (or a step has no user): the sheet "
        "cannot be submitted until HR fixes the organisation chart and refreshes the chain.",
    )
    not_evaluated = fields.Boolean(
        readonly=True, help="Closed at lock without a self-assessment: left out of the results and quotas."
    )
    not_evaluated_reason = fields.Char(
        readonly=True, help="Why the sheet was closed as not evaluated (set when the period is locked)."
    )
    decided_at_deadline = fields.Boolean(
        string="Decided at Deadline",
        readonly=True,
        help="Still unfinished when the period was locked: decided by the company's lock rule.",
    )
    quota_exceeded = fields.Boolean(
        string="Above Quota",
        readonly=True,
        index=True,
        copy=False,
        help="Decided at a level whose quota (in the department or the agency) was exceeded, with a reason.",
    )
    quota_reason = fields.Text(
        string="Reason for Exceeding the Quota",
        readonly=True,
        tracking=True,
        copy=False,
        help="Given by the deciding reviewer when the decision exceeds a quota of the framework.",
    )
    level_reason = fields.Text(
        string="Why this Level",
        readonly=True,
        copy=False,
        tracking=True,
        help="Why the level is not the one the points give: capped by a quota at the lock, or the "
        "lowest level because of a recorded ground (discipline, degradation, corruption or waste).",
    )
    quota_figures = fields.Text(
        string="Quota Figures at Decision",
        readonly=True,
        copy=False,
        help="The quota figures shown to the deciding reviewer when they decided above the quota.",
    )
    pre_lock_state = fields.Selection(
        EVALUATION_STATES, string="Status before Lock", readonly=True, copy=False
    )
    date_submitted = fields.Datetime(string="Submitted On", readonly=True, copy=False)
    date_decided = fields.Datetime(string="Decided On", readonly=True, copy=False)
    return_reason = fields.Text(string="Last Return Reason", readonly=True, copy=False)
    # the seal of the locked month (see civ.period._seal): this sheet's link of the hash chain
    seal_hash = fields.Char(readonly=True, copy=False, groups="civ_evaluation.group_civ_officer")

    # deadlines of the period, for display
    self_deadline = fields.Date(related="period_id.self_deadline")
    review_deadline = fields.Date(related="period_id.review_deadline")
    decision_deadline = fields.Date(related="period_id.decision_deadline")

    # what the current user may do (drives the form; the server checks again on every action)
    period_state = fields.Selection(related="period_id.state", string="Period Status")
    period_start = fields.Date(related="period_id.date_start", string="Period Start")
    current_step_is_decision = fields.Boolean(related="current_step_id.is_decision", string="Decision Step")
    is_officer = fields.Boolean(compute="_compute_user_rights")
    is_owner = fields.Boolean(compute="_compute_user_rights")
    is_current_reviewer = fields.Boolean(compute="_compute_user_rights")
    can_edit_self = fields.Boolean(compute="_compute_user_rights")
    can_rescore = fields.Boolean(compute="_compute_user_rights")
    can_edit_products = fields.Boolean(compute="_compute_user_rights")
    can_review_products = fields.Boolean(compute="_compute_user_rights")

    # products and work (Nghị định 335/2025): the task results of a group "computed from products"
    product_ids = fields.One2many("civ.evaluation.product", "evaluation_id", string="Products and Work")
    uses_products = fields.Boolean(
        compute="_compute_uses_products", help="The framework computes task results from products."
    )
    employee_job_id = fields.Many2one(related="employee_id.job_id", string="Job Position")
    product_score_quantity = fields.Float(
        string="Quantity (a) %",
        readonly=True,
        digits=(16, 2),
        help="Completed ÷ assigned, in standard units.",
    )
    product_score_quality = fields.Float(
        string="Quality (b) %",
        readonly=True,
        digits=(16, 2),
        help="Completed meeting the requirements ÷ assigned, after the cuts for major errors.",
    )
    product_score_progress = fields.Float(
        string="Progress (c) %",
        readonly=True,
        digits=(16, 2),
        help="Completed on time ÷ assigned, after the cuts for delays.",
    )
    product_score_unit = fields.Float(
        string="Unit Result %",
        readonly=True,
        digits=(16, 2),
        help="Leaders: the results of the unit they lead (everyone under them at the required level "
        "or not). 0 when it does not apply.",
    )
    product_points = fields.Float(
        string="Task Result Points",
        readonly=True,
        digits=(16, 2),
        help="The points of the groups computed from products (latest figures).",
    )
    product_organisation_percent = fields.Float(
        string="Organisation of the Unit's Work %",
        default=100.0,
        tracking=True,
        help="Leaders: how the unit's work was organised (100% when the unit completes its plan on "
        "time, with quality and initiatives).",
    )

    _sql_constraints = [
        (
            "period_employee_unique",
            "unique(period_id, employee_id)",
            "An employee has only one evaluation sheet per period.",
        ),
    ]

    # ------------------------------------------------------------------ computes
    @api.depends("framework_id")
    def _compute_uses_products(self):
        for sheet in self:
            sheet.uses_products = bool(sheet.framework_id.sudo()._product_groups())

    @api.depends("employee_id", "period_id")
    def _compute_display_name(self):
        for sheet in self:
            sheet.display_name = " – ".join(
                name for name in (sheet.employee_id.sudo().name, sheet.period_id.sudo().name) if name
            )

    @api.depends_context("uid")
    @api.depends("user_id", "state", "current_reviewer_user_id", "current_step_id.can_rescore")
    def _compute_user_rights(self):
        # the form asks the sheet's gate (as hr.leave's _compute_can_approve asks its own)
        user = self.env.user
        is_officer = self._is_officer()
        # asked on the saved sheets (the form edits a copy of them)
        sheets = self._origin.filtered("id")
        allowed = {action: sheets._workflow_allowed(action) for action in RIGHTS_FLAGS.values()}
        for sheet in self:
            sheet.is_officer = is_officer
            sheet.is_owner = sheet.user_id == user
            sheet.is_current_reviewer = sheet.state == "review" and sheet.current_reviewer_user_id == user
            for fname, action in RIGHTS_FLAGS.items():
                sheet[fname] = bool(sheet._origin) and sheet._origin in allowed[action]

    # ------------------------------------------------------------------ CRUD
    def write(self, vals):
        self._check_direct_write(vals)
        if "product_organisation_percent" in vals:
            Product = self.env["civ.evaluation.product"]
            percent = Product._convert_percent(vals["product_organisation_percent"])
            vals = dict(vals, product_organisation_percent=percent)
        if "line_ids" not in vals:
            result = super().write(vals)
        else:
            # one chatter message and one score update per sheet for all the lines saved together
            collector = PointsLog()
            result = super(CivEvaluation, self.with_context(civ_points_log=collector)).write(vals)
            collector.flush(self.env)
        if "product_organisation_percent" in vals:
            self._civ_refresh_product_points()
        return result

    def unlink(self):
        self._check_not_locked()
        if not self.env.su:
            self._check_workflow_access("delete")
        return super().unlink()

    def _message_track(self, fields_iter, initial_values_dict):
        """The tracking of mail.thread (one note per sheet changed, with its tracking values), with
        the notes of all the sheets created together: the workflow on hundreds of sheets at once does
        not cost queries per sheet. Falls back to mail.thread when another author or body was set."""
        precommit = self.env.cr.precommit.data
        if (
            not fields_iter
            or precommit.get(f"mail.tracking.message.{self._name}")
            or precommit.get(f"mail.tracking.author.{self._name}")
        ):
            return super()._message_track(fields_iter, initial_values_dict)
        tracked_fields = self.fields_get(
            fields_iter, attributes=("string", "type", "selection", "currency_field")
        )
        tracking = {}
        for sheet in self.exists():
            tracking[sheet.id] = sheet._mail_track(tracked_fields, initial_values_dict[sheet.id])
        changed = self.browse([sheet_id for sheet_id, (_changes, values) in tracking.items() if values])
        if changed:
            author_id, email_from = changed._message_compute_author(raise_on_email=False)
            messages = changed.sudo()._message_create(
                [
                    {
                        "author_id": author_id,
                        "email_from": email_from,
                        "model": self._name,
                        "res_id": sheet.id,
                        "body": "",
                        "message_type": "notification",
                        "is_internal": True,
                        "subtype_id": self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note"),
                        "email_add_signature": False,
                        "message_id": generate_tracking_message_id("message-notify"),
                        "reply_to": self.env["mail.thread"]._notify_get_reply_to(default=email_from)[False],
                        "record_name": False,
                    }
                    for sheet in changed
                ]
            )
            # the tracking values of all the notes in one creation (Command.create values)
            self.env["mail.tracking.value"].sudo().create(
                [
                    dict(command[2], mail_message_id=message.id)
                    for message, sheet in zip(messages, changed, strict=True)
                    for command in tracking[sheet.id][1]
                ]
            )
        return tracking

    # ------------------------------------------------------------------ actions
    def action_submit(self):
        """The employee submits the self-assessment: the review chain starts."""
        self._check_workflow_access("submit")
        sheets = self.sudo()
        for sheet in sheets:
            if sheet.chain_problem or not sheet.step_ids:
                raise UserError(
                    self.env._(
                        "No reviewer could be found for %s: human resources must fix the review chain "
                        "before the sheet can be submitted.",
                        sheet.display_name,
                    )
                )
        sheets._clear_reminders(sheets.user_id)
        now = fields.Datetime.now()
        # the first reviewer starts from the self points
        civ_sql.lines_start_review(self.env, sheets.ids)
        sheets.step_ids.write({"state": "waiting", "date_done": False, "score": 0.0})
        for sheet in sheets:
            sheet.activity_feedback([TODO], user_id=sheet.user_id.id, feedback=self.env._("Submitted"))
            sheet.write(
                {
                    "state": "review",
                    "date_submitted": now,
                    "reviewer_score": sheet.self_score,
                    "return_reason": False,
                }
            )
        # the criteria scored by citizens' satisfaction start from the period's answers
        sheets._civ_apply_satisfaction()
        sheets._advance_to_next_steps()
        return True

    def _clear_reminders(self, users):
        """Remove the reminders (see civ.period._civ_send_reminders) of `users` on the sheets:
        they acted (one search for all the sheets)."""
        reminder_type = self.env.ref(REMINDER, raise_if_not_found=False)
        if not self or not users or not reminder_type:
            return
        self.env["mail.activity"].sudo().search(
            [
                ("res_model", "=", self._name),
                ("res_id", "in", self.ids),
                ("activity_type_id", "=", reminder_type.id),
                ("user_id", "in", users.ids),
            ]
        ).unlink()

    def _next_step(self):
        self.ensure_one()
        return self.step_ids.filtered(lambda step: step.state == "waiting").sorted(
            lambda step: (step.sequence, step.id)
        )[:1]

    def _decision_step(self):
        """The step that decides the sheet: its last decision step, else its last step."""
        self.ensure_one()
        steps = self.step_ids.sorted(lambda step: (step.sequence, step.id))
        return steps.filtered("is_decision")[-1:] or steps[-1:]

    def _advance_to(self, step):
        """Make `step` the pending one of this sheet (see _advance_to_next_steps)."""
        self.ensure_one()
        self._advance_to_steps({self: step})

    def _advance_to_next_steps(self):
        """Each sheet of self moves to its next waiting step (sudo, batched)."""
        self._advance_to_steps({sheet: sheet._next_step() for sheet in self})

    def _advance_to_steps(self, targets):
        """{sheet: step}: make each step the pending one of its sheet, assign the sheet to its
        reviewer and give them a to-do activity (sudo; one write of the steps, one creation of the
        activities for all the sheets)."""
        steps = self.env["civ.review.step"].sudo().union(*targets.values())
        steps.write({"state": "pending"})
        self.env["civ.collective.service"]._start_votes(steps)
        model_id = self.env["ir.model"]._get_id(self._name)
        todo = self.env.ref(TODO)
        activity_vals = []
        for sheet, step in targets.items():
            values = {"current_step_id": step.id, "current_reviewer_user_id": step.reviewer_user_id.id}
            sheet.sudo().write(values)
            if not step.reviewer_user_id:
                continue
            period = sheet.sudo().period_id
            if step.is_decision:
                deadline = period.decision_deadline or period.review_deadline
                summary = self.env._("Decide the evaluation of %s", sheet.employee_id.name)
            else:
                deadline = period.review_deadline or period.decision_deadline
                summary = self.env._("Review the evaluation sheet of %s", sheet.employee_id.name)
            activity_vals.append(
                {
                    "res_model_id": model_id,
                    "res_id": sheet.id,
                    "activity_type_id": todo.id,
                    "user_id": step.reviewer_user_id.id,
                    "date_deadline": deadline or fields.Date.context_today(sheet),
                    "summary": summary,
                    "automated": True,
                }
            )
        if activity_vals:
            # the reminders digest (see civ.period) e-mails reviewers; no mail per activity here
            self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(
                activity_vals
            )

    def _close_activities(self, users):
        """The to-do activities of `users` on the sheets are done (one search, one deletion): the
        workflow's own chatter notes say what they did."""
        activities = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("activity_type_id", "=", self.env.ref(TODO).id),
                    ("user_id", "in", users.ids),
                ]
            )
        )
        activities.unlink()

    def action_approve(self, quota_reason=None):
        """The current step's reviewer approves (the decision step decides).

        A decision that would take a level above a quota of the framework (civ.quota.service) is
        refused unless quota_reason explains it; the reason is then stored on the sheet. Several
        sheets approved together are counted together, and handled in batch: the number of queries
        does not grow with the number of sheets (except the tracking messages written at commit)."""
        quota_reason = text_argument(self.env, quota_reason, self.env._("The reason for exceeding the quota"))
        self._check_workflow_access("approve")
        reason = (quota_reason or "").strip()
        # the leaders' unit results as the unit stands now
        self.sudo().filtered(lambda sheet: sheet._civ_is_leader())._civ_refresh_product_points()
        # and the citizens' answers of the period as they stand now
        self.sudo()._civ_apply_satisfaction()
        results = self._decision_results()
        deciding = self.sudo().filtered(lambda sheet: sheet.id in results)
        breaches = self.env["civ.quota.service"]._sheet_breaches(
            deciding, {sheet_id: result["level"] for sheet_id, result in results.items()}
        )
        self.env["civ.quota.service"]._refuse_blocked(deciding, breaches)
        if breaches and not reason:
            raise UserError(
                self.env._(
                    "This decision exceeds the quotas of the framework:\n%(figures)s\n\n"
                    "Give the reason for deciding above the quota (button Approve / Decide, or "
                    "action_approve(quota_reason=...)).",
                    figures="\n".join(self.env["civ.quota.service"]._breach_lines(self, breaches)),
                )
            )
        sheets = self.sudo()
        reviewers = sheets.current_reviewer_user_id
        sheets._clear_reminders(reviewers)
        sheets._close_activities(reviewers)
        now = fields.Datetime.now()
        scores = {
            sheet.id: (
                results.get(sheet.id) or sheet.framework_id.compute_score(sheet._points("reviewer_points"))
            )["total"]
            for sheet in sheets
        }
        civ_sql.steps_approve(self.env, {sheet.current_step_id.id: scores[sheet.id] for sheet in sheets}, now)
        sheets._record_level_points()
        sheets._confirm_products()
        advancing = sheets - deciding
        if deciding:
            deciding._decide(results, now, breaches, reason)
        if advancing:
            sheets_by_id = {sheet.id: sheet for sheet in advancing}
            advancing._message_log_batch(
                {
                    sheet.id: self.env._(
                        "%(step)s approved by %(user)s: %(score)s points.",
                        step=sheet.current_step_id.name,
                        user=self.env.user.name,
                        score=format_number(self.env, scores[sheet.id], trim=True),
                    )
                    for sheet in sheets_by_id.values()
                }
            )
            # the next reviewer sees this level's points next to their own
            # (this level's remarks are kept in its step points: the next level starts a blank note)
            civ_sql.lines_to_next_level(self.env, advancing.ids)
            advancing._advance_to_next_steps()
        return True

    def _record_level_points(self):
        """Keep what the pending re-scoring step of each sheet gave per line (its reviewer points and
        remarks) in civ.review.step.point, before the next level re-scores the shared lines (sudo,
        after the gate). All the sheets approved together in one statement: the rows are created
        from the lines in the database (an approval again after a return replaces the step's rows)."""
        steps = self.sudo().current_step_id.filtered("can_rescore")
        if steps:
            civ_sql.step_points_record(self.env, steps.ids)

    def _confirm_products(self):
        """A re-scoring level that approves confirms the products as they stand (one statement)."""
        rescoring = self.sudo().filtered(lambda sheet: sheet.current_step_id.can_rescore)
        if rescoring:
            civ_sql.products_confirm(self.env, rescoring.ids)

    def _decision_results(self):
        """{sheet id: compute_score result} for the sheets whose approval now is the decision, with
        the recorded grounds applied (see _apply_grounds)."""
        results = {}
        for sheet in self.sudo():
            if sheet.current_step_id.is_decision or not sheet._next_step():
                results[sheet.id] = sheet.framework_id.compute_score(sheet._points("reviewer_points"))
        self.sudo().filtered(lambda sheet: sheet.id in results)._apply_level_rules(results)
        return results

    def action_bulk_approve(self):
        """Approve / Decide the sheets ticked in a list: a confirmation with the counts, then the
        result (see civ.evaluation.bulk.approve.wizard; every sheet goes through the gate there)."""
        if not self:
            raise UserError(self.env._("Select the sheets to approve or decide."))
        self.check_access("read")
        wizard = self.env["civ.evaluation.bulk.approve.wizard"].create({})
        wizard._prepare(self)
        return wizard._reopen()

    def action_approve_check(self):
        """The Approve / Decide buttons: approve at once, or, when the decision would exceed a
        quota, open the wizard showing the figures and asking for the reason."""
        self._check_workflow_access("approve")
        results = self._decision_results()
        deciding = self.sudo().filtered(lambda sheet: sheet.id in results)
        breaches = self.env["civ.quota.service"]._sheet_breaches(
            deciding, {sheet_id: result["level"] for sheet_id, result in results.items()}
        )
        # no breach: decided at once; over a cap: refused with the figures, no reason asked
        self.env["civ.quota.service"]._refuse_blocked(deciding, breaches)
        if not breaches:
            return self.action_approve()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Decide above the Quota"),
            "res_model": "civ.quota.override.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_evaluation_ids": self.ids},
        }

    def _decide(self, results, now, breaches=None, quota_reason=None):
        """Fix final points, score and level of the sheets from their reviewer points (sudo, batched).

        :param dict results: {sheet id: compute_score result}
        :param dict breaches: {sheet id: [figures of the quotas exceeded]}, decided with quota_reason
        """
        breaches = breaches or {}
        sheets = self.sudo()
        civ_sql.lines_decide(self.env, sheets.ids)
        sheets.step_ids.filtered(lambda step: step.state in ("waiting", "pending")).write(
            {"state": "skipped"}
        )
        logs, notices = {}, {}
        for sheet in sheets:
            result = results[sheet.id]
            level = result.get("level")
            breach = breaches.get(sheet.id)
            sheet.write(
                {
                    "state": "done",
                    "decided_at_deadline": False,
                    "final_score": result["total"],
                    "reviewer_score": result["total"],
                    "level_id": level.id if level else False,
                    "date_decided": now,
                    "current_step_id": False,
                    "current_reviewer_user_id": False,
                    "level_reason": result.get("level_reason") or False,
                    "quota_exceeded": bool(breach),
                    "quota_reason": quota_reason if breach else False,
                    "quota_figures": "\n".join(breach) if breach else False,
                }
            )
            if breach:
                logs[sheet.id] = Markup("<br/>").join(
                    [
                        self.env._("Decided above the quota by %s.", self.env.user.name),
                        *breach,
                        self.env._("Reason: %s", quota_reason),
                    ]
                )
            notices[sheet.id] = self.env._(
                "Your evaluation for %(period)s has been decided: %(score)s points, level %(level)s.",
                period=sheet.period_id.name,
                score=format_number(self.env, result["total"], trim=True),
                level=level.display_name if level else "-",
            )
        if logs:
            sheets._message_log_batch(logs)
        sheets._notify_employees(notices)

    def _notify_employees(self, bodies):
        """Tell the employees about their sheets: {sheet id: text}. One note per sheet in its chatter,
        in the employee's inbox; the notes and their notifications are created in one go."""
        sheets = self.sudo().browse(list(bodies)).filtered("user_id")
        if not sheets:
            return
        note = self.env.ref("mail.mt_note")
        author = self.env.user.partner_id
        messages = (
            self.env["mail.message"]
            .sudo()
            .create(
                [
                    {
                        "model": self._name,
                        "res_id": sheet.id,
                        "body": escape(bodies[sheet.id]),
                        "message_type": "comment",
                        "subtype_id": note.id,
                        "author_id": author.id,
                        "partner_ids": [Command.link(sheet.user_id.partner_id.id)],
                    }
                    for sheet in sheets
                ]
            )
        )
        self.env["mail.notification"].sudo().create(
            [
                {
                    "mail_message_id": message.id,
                    "res_partner_id": sheet.user_id.partner_id.id,
                    "notification_type": "inbox",
                    "is_read": False,
                }
                for message, sheet in zip(messages, sheets, strict=True)
            ]
        )

    def action_return(self, reason=None):
        """The current step's reviewer returns the sheet to the employee, with a reason."""
        reason = text_argument(self.env, reason, self.env._("The reason for returning the sheet"))
        self._check_workflow_access("return")
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Give the reason for returning the sheet."))
        sheets = self.sudo()
        reviewers = sheets.current_reviewer_user_id
        sheets._clear_reminders(reviewers)
        sheets._close_activities(reviewers)
        now = fields.Datetime.now()
        sheets.current_step_id.write({"state": "returned", "date_done": now, "comment": reason})
        sheets.write(
            {
                "state": "draft",
                "current_step_id": False,
                "current_reviewer_user_id": False,
                "return_reason": reason,
            }
        )
        # back in self-assessment: the self points follow the products as the reviewer left them
        sheets._civ_refresh_product_points()
        sheets._notify_employees(
            {
                sheet.id: self.env._(
                    "Your evaluation sheet was returned by %(user)s: %(reason)s",
                    user=self.env.user.name,
                    reason=reason,
                )
                for sheet in sheets
            }
        )
        model_id = self.env["ir.model"]._get_id(self._name)
        today = fields.Date.context_today(self)
        self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": sheet.id,
                    "activity_type_id": self.env.ref(TODO).id,
                    "user_id": sheet.user_id.id,
                    "date_deadline": max(sheet.period_id.self_deadline or today, today),
                    "summary": self.env._("Rework and resubmit your evaluation sheet"),
                    "note": escape(reason),
                    "automated": True,
                }
                for sheet in sheets.filtered("user_id")
            ]
        )
        return True

    def action_return_wizard(self):
        """Open the wizard asking for the reason of a return."""
        self._check_workflow_access("return")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Return for Rework"),
            "res_model": "civ.evaluation.return.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_evaluation_ids": self.ids},
        }

    def _points(self, fname):
        self.ensure_one()
        return {line.criterion_id.id: line[fname] for line in self.line_ids}

    def _update_scores(self, kinds):
        """Store the totals after points changed (sudo; kinds ⊆ {'self', 'reviewer'})."""
        for sheet in self.sudo():
            framework = sheet.framework_id
            vals = {}
            if "self" in kinds:
                vals["self_score"] = framework.compute_score(sheet._points("self_points"))["total"]
            if "reviewer" in kinds:
                total = framework.compute_score(sheet._points("reviewer_points"))["total"]
                vals["reviewer_score"] = total
                if sheet.current_step_id:
                    sheet.current_step_id.write({"score": total})
            if vals:
                sheet.write(vals)

    @api.model
    def _civ_seal_columns(self):
        """What the seal of a month covers (civ_seal, version civ-seal-2), per table: the columns of
        the sheet, its lines, review steps, the points of each level and its products. Addons that
        add decisive columns extend it (the bridge to Project adds the task of a product line); a
        column added later, empty on the rows sealed before, leaves their seal intact."""
        return {
            "sheet": (*civ_seal.V1_SHEET_COLUMNS, "duty_group_id", "level_reason", "date_submitted",
                      "product_score_quantity", "product_score_quality", "product_score_progress",
                      "product_score_unit", "product_points", "product_organisation_percent"),
            "lines": (*civ_seal.V1_LINE_COLUMNS, "note", "reviewer_note", "satisfaction_answers",
                      "satisfaction_percent"),
            "steps": (*civ_seal.V1_STEP_COLUMNS, "can_rescore", "comment", "collective_method",
                      "collective_level_id"),
            "levels": (*civ_seal.V1_POINT_COLUMNS, "member_user_id"),
            "products": (*civ_seal.V1_PRODUCT_COLUMNS, "date_deadline", "date_done", "note",
                         "qty_exceeded", "objective_cause_delays", "weight_note"),
            "calibration": ("session_id", "session_state", "decider_user_id", "proposed_score",
                            "proposed_level_id", "new_level_id", "comment", "discussed", "minutes_checksum"),
            "votes": ("id", "step_id", "member_user_id", "state", "level_id", "comment", "date_done"),
            "opinions": ("meeting_id", "date", "state", "agreed", "proposed_level_id", "opinion"),
            "feedback": ("id", "survey_id", "respondent_user_id", "state", "score", "date_answered"),
        }  # fmt: skip

    @api.model
    def _civ_seal_contents(self, cr, sheet_ids, version):
        """{sheet id: sealed content} under the rules of `version` (see civ_seal.sheet_contents)."""
        return civ_seal.sheet_contents(cr, sheet_ids, version, self._civ_seal_columns())

    @api.readonly  # navigation only: may run on the read replica
    def action_open_sheet(self):
        self.ensure_one()
        self.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "current",
        }

    # ------------------------------------------------------------------ gate
    def _check_not_locked(self):
        locked = self.filtered(lambda sheet: sheet.state == "locked")
        if locked:
            raise UserError(
                self.env._(
                    "The evaluation sheet %(sheet)s is locked: it cannot be changed or deleted. "
                    "An administrator can reopen it with a reason.",
                    sheet=locked[0].display_name,
                )
            )

    # the sheet's gate (civ.workflow.mixin): its table is SHEET_ACTIONS, its roles these
    _workflow_actions = SHEET_ACTIONS

    _workflow_own_roles = frozenset({"owner", "product_editor"})

    def _workflow_roles(self):
        user = self.env.user

        def reviewer(sheet):
            return bool(sheet.current_step_id) and sheet.current_step_id.reviewer_user_id == user

        def rescoring_reviewer(sheet):
            return reviewer(sheet) and sheet.current_step_id.can_rescore

        def product_editor(sheet):
            # the employee lists their products in self-assessment; in review the re-scoring reviewer
            # (never the employee: nobody reviews their own sheet)
            if sheet.state == "draft":
                return sheet.user_id == user
            return rescoring_reviewer(sheet) and not sheet.with_env(self.env)._civ_is_own()

        def head(sheet):
            # the head of the sheet's unit, the reviewer who decides it, or an officer
            return (
                self._is_officer()
                or sheet.department_id.manager_id.user_id == user
                or sheet._decision_step().reviewer_user_id == user
            )

        return dict(
            super()._workflow_roles(),
            owner=lambda sheet: sheet.user_id == user,
            collective_member=lambda sheet: user in sheet.current_step_id.member_user_ids,
            head=head,
            reviewer=reviewer,
            rescoring_reviewer=rescoring_reviewer,
            product_editor=product_editor,
        )

    def _workflow_action_label(self, action):
        return dict(_sheet_action_labels(self.env)).get(action, action)

    def _workflow_extra_refusal(self, action, record):
        # a leadership collective decides its step by its members' votes: the chair neither approves
        # nor re-scores for them while votes are still to be cast
        step = record.current_step_id
        if (
            action in ("approve", "rescore")
            and step.collective_method
            and "pending" in step.vote_ids.mapped("state")
        ):
            return UserError(
                self.env._(
                    "The leadership collective is voting on %(sheet)s (%(done)s of %(total)s votes cast): "
                    "its result is computed from the members' votes.",
                    sheet=record.display_name,
                    done=len(step.vote_ids.filtered(lambda vote: vote.state == "voted")),
                    total=len(step.vote_ids),
                )
            )
        return super()._workflow_extra_refusal(action, record)

    def _workflow_field_actions(self):
        # the fields of the sheet, and those of its lines, steps and products, written in its gate
        actions = super()._workflow_field_actions()
        for model in ("civ.evaluation.line", "civ.review.step", "civ.evaluation.product"):
            actions |= self.env[model]._workflow_field_actions()
        return actions

    def _workflow_role_refusal(self, action, role, record):
        return AccessError(
            self.env._(
                "You cannot do this on %(sheet)s: %(action)s is for %(who)s.",
                sheet=record.display_name,
                action=self._workflow_action_label(action),
                who=_role_label(self.env, role, record),
            )
        )

    def _writable_outside_workflow(self):
        # lines and steps carry their own field guards (see their _writable_outside_workflow)
        return dict(
            super()._writable_outside_workflow(),
            line_ids=None,
            step_ids=None,
            product_ids=None,
            department_id="edit_snapshot",
            job_title="edit_snapshot",
            duty_group_id="edit_snapshot",
            product_organisation_percent="edit_products",
        )

    def _civ_chatter_state(self):
        # the self-assessment's evidence is the employee's until they submit; in review each level
        # adds its own; decided, nothing changes (see civ.chatter.mixin)
        states = {"draft": "open", "review": "append"}
        return {sheet.id: states.get(sheet.state, "closed") for sheet in self}
