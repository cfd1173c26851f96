from collections import defaultdict

from markupsafe import Markup, escape

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, float_compare
from odoo.tools.mail import generate_tracking_message_id

from . import civ_seal
from .civ_arguments import text_argument
from .civ_evaluation_line import PointsLog
from .civ_format import format_number, number_formatter
from .civ_product_scoring import ITEM_FIELDS
from .hr_employee import AGENCY_POSITIONS, CIV_POSITIONS

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
}


FIELD_ACTIONS = frozenset(
    {
        "edit_self",
        "rescore",
        "comment",
        "edit_snapshot",
        "change_reviewer",
        "edit_products",
        "review_products",
    }
)


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
    ]


def _role_label(env, role, sheet):
    if role == "owner":
        return env._("%s only", sheet.employee_id.name)
    if role == "product_editor":
        return env._(
            "%s in self-assessment, then the re-scoring reviewer of the current step", sheet.employee_id.name
        )
    if role in ("reviewer", "rescoring_reviewer"):
        reviewer = sheet.current_step_id.reviewer_user_id.name or "-"
        return env._("the reviewer of the current step (%s) only", reviewer)
    return env._("human resources officers only")


def _id(value):
    """An id from a record, an id or False (the chain resolver may return either)."""
    if isinstance(value, models.BaseModel):
        return value.id
    return value or False


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
    appeal_ids = fields.One2many("civ.appeal", "evaluation_id", string="Requests for Review")
    appeal_count = fields.Integer(string="Number of Requests for Review", compute="_compute_appeal_count")
    can_appeal = fields.Boolean(
        compute="_compute_appeal_count", help="The current user may request a review of this evaluation."
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

    # live totals of the form: recomputed from the current line points while the user types (not stored)
    live_self_score = fields.Float(string="Self Total (live)", compute="_compute_live_scores", digits=(16, 2))
    live_reviewer_score = fields.Float(
        string="Reviewer Total (live)", compute="_compute_live_scores", digits=(16, 2)
    )
    live_level_id = fields.Many2one(
        "civ.level",
        string="Level it Would Give",
        compute="_compute_live_scores",
        help="The level the points entered would give (self points in self-assessment, the reviewer "
        "points afterwards).",
    )
    live_group_summary = fields.Html(
        string="Totals per Group", compute="_compute_live_scores", sanitize=False
    )

    # every level side by side: self points, each step's points and remarks, the final points
    level_points_html = fields.Html(
        string="Points of Each Level",
        compute="_compute_level_points_html",
        sanitize=False,
        help="The self points, the points and remarks each reviewing level gave (kept when the next "
        "level re-scores) and the final points, one column per step of the review chain.",
    )

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
        user = self.env.user
        is_officer = self._is_officer()
        for sheet in self:
            sheet.is_officer = is_officer
            sheet.is_owner = sheet.user_id == user
            sheet.is_current_reviewer = sheet.state == "review" and sheet.current_reviewer_user_id == user
            sheet.can_edit_self = sheet.is_owner and sheet.state == "draft"
            sheet.can_rescore = sheet.is_current_reviewer and sheet.current_step_id.sudo().can_rescore
            sheet.can_review_products = sheet.can_rescore
            sheet.can_edit_products = sheet.can_edit_self or sheet.can_rescore

    @api.depends(
        "framework_id", "state", "line_ids.self_points", "line_ids.reviewer_points", "line_ids.criterion_id"
    )
    def _compute_live_scores(self):
        for sheet in self:
            framework = sheet.framework_id.sudo()
            if not framework:
                sheet.live_self_score = sheet.live_reviewer_score = 0.0
                sheet.live_level_id = False
                sheet.live_group_summary = False
                continue
            self_points, reviewer_points = {}, {}
            for line in sheet.line_ids:
                criterion_id = line.criterion_id.id
                self_points[criterion_id] = line.self_points
                reviewer_points[criterion_id] = line.reviewer_points
            own = framework.compute_score(self_points)
            reviewed = framework.compute_score(reviewer_points)
            in_review = sheet.state != "draft"
            sheet.live_self_score = own["total"]
            sheet.live_reviewer_score = reviewed["total"] if in_review else 0.0
            sheet.live_level_id = (reviewed if in_review else own)["level"].id
            sheet.live_group_summary = sheet._live_group_table(framework, own, reviewed, in_review)
            # a value outside its limits is not clamped silently: no level, and the table says why
            out_of_bounds = sheet.line_ids._out_of_bounds(("self_points", "reviewer_points"))
            if out_of_bounds:
                sheet.live_level_id = False
                sheet.live_group_summary = Markup(
                    '<div class="alert alert-danger mb-2 o_civ_out_of_bounds" role="alert">%s</div>%s'
                ) % (out_of_bounds, sheet.live_group_summary)

    def _live_group_table(self, framework, own, reviewed, in_review):
        """A small HTML table: each criteria group's subtotal against its limit."""
        head = [self.env._("Group"), self.env._("Self")]
        if in_review:
            head.append(self.env._("Reviewer"))
        head.append(self.env._("Limit"))
        rows = []
        for group in framework.group_ids.sorted(lambda g: (g.sequence, g.id)):
            cells = [
                " ".join(part for part in (group.code, group.name) if part),
                format_number(self.env, own["group_scores"].get(group.id, 0.0)),
            ]
            if in_review:
                cells.append(format_number(self.env, reviewed["group_scores"].get(group.id, 0.0)))
            if group.kind == "deduction":
                cells.append(format_number(self.env, group.min_points))
            else:
                cells.append(format_number(self.env, group.max_points))
            rows.append(cells)
        body = Markup("").join(
            Markup("<tr>%s</tr>") % Markup("").join(Markup("<td>%s</td>") % cell for cell in row)
            for row in rows
        )
        return Markup(
            '<table class="table table-sm o_civ_group_totals mb-0"><thead><tr>%s</tr></thead>'
            "<tbody>%s</tbody></table>"
        ) % (Markup("").join(Markup("<th>%s</th>") % cell for cell in head), body)

    @api.depends(
        "state",
        "line_ids.self_points",
        "line_ids.reviewer_points",
        "line_ids.final_points",
        "line_ids.reviewer_note",
        "step_ids.state",
        "step_ids.score",
        "step_ids.comment",
        "step_ids.point_ids",
    )
    def _compute_level_points_html(self):
        for sheet in self:
            sheet.level_points_html = sheet._level_points_table() if sheet.state != "draft" else False

    def _level_columns(self):
        """The review steps of the sheet in the chain's order, each with {line id: (points, remark)}
        it gave (the saved line's id, also while the form is being edited) and its total: the step
        points of an approved re-scoring step, the current lines' reviewer points of the pending one
        (being scored), nothing for the others (sudo reads: the user reads the sheet)."""
        self.ensure_one()
        sheet = self.sudo()
        columns = []
        for step in sheet.step_ids.sorted(lambda step: (step.sequence, step.id)):
            values, total = {}, None
            if step.state == "approved":
                values = {point.line_id.id: (point.points, point.comment) for point in step.point_ids}
                total = step.score
            elif step.state == "pending" and sheet.state == "review" and step.can_rescore:
                values = {
                    line._origin.id or line.id: (line.reviewer_points, line.reviewer_note)
                    for line in sheet.line_ids
                }
                total = sheet.framework_id.compute_score(
                    {line.criterion_id.id: line.reviewer_points for line in sheet.line_ids}
                )["total"]
            columns.append(
                {
                    "step": step,
                    "name": step.name,
                    "reviewer": step.reviewer_employee_id.name or step.reviewer_user_id.name or "",
                    "pending": step.state == "pending",
                    "values": values,
                    "total": total,
                    "comment": step.comment if step.state != "returned" else "",
                }
            )
        return columns

    def _level_points_table(self):
        """The HTML table of the form: one row per criterion, one column per level."""
        self.ensure_one()
        env = self.env
        columns = self._level_columns()
        decided = self.state in ("done", "locked") and not self.not_evaluated

        def number(value):
            return "" if value is None else format_number(env, value, trim=True)

        head = [
            Markup("<th>%s</th>") % env._("Criterion"),
            Markup('<th class="text-end">%s</th>') % env._("Self"),
        ]
        for column in columns:
            head.append(
                Markup('<th class="text-end">%s<br/><small class="fw-normal">%s%s</small></th>')
                % (
                    column["name"],
                    column["reviewer"],
                    Markup(" · <em>%s</em>") % env._("scoring") if column["pending"] else "",
                )
            )
        head.append(Markup('<th class="text-end">%s</th>') % env._("Final"))
        rows = []
        for line in self.line_ids.sorted(lambda line: (line.sequence, line.id)):
            cells = [
                Markup('<td class="text-wrap">%s</td>') % line.display_name,
                Markup('<td class="text-end">%s</td>') % number(line.self_points),
            ]
            for column in columns:
                points, remark = column["values"].get(line._origin.id or line.id, (None, None))
                cells.append(
                    Markup('<td class="text-end o_civ_level_cell">%s%s</td>')
                    % (
                        number(points),
                        Markup('<div class="small text-muted text-wrap">%s</div>') % remark if remark else "",
                    )
                )
            cells.append(
                Markup('<td class="text-end">%s</td>') % (number(line.final_points) if decided else "")
            )
            rows.append(Markup("<tr>%s</tr>") % Markup("").join(cells))
        total = [
            Markup("<td>%s</td>") % env._("Total"),
            Markup('<td class="text-end">%s</td>') % number(self.self_score),
        ]
        total += [Markup('<td class="text-end">%s</td>') % number(column["total"]) for column in columns]
        total.append(Markup('<td class="text-end">%s</td>') % (number(self.final_score) if decided else ""))
        opinion = [Markup("<td>%s</td>") % env._("Opinion"), Markup("<td/>")]
        opinion += [Markup('<td class="text-wrap">%s</td>') % (column["comment"] or "") for column in columns]
        opinion.append(Markup("<td/>"))
        return Markup(
            '<table class="table table-sm table-bordered o_civ_level_points mb-0">'
            "<thead><tr>%s</tr></thead><tbody>%s</tbody>"
            '<tfoot><tr class="fw-bold o_civ_level_total">%s</tr>'
            '<tr class="o_civ_level_opinion">%s</tr></tfoot>'
            "</table>"
        ) % (Markup("").join(head), Markup("").join(rows), Markup("").join(total), Markup("").join(opinion))

    @api.depends_context("uid")
    @api.depends("state", "user_id", "date_decided", "appeal_ids.state")
    def _compute_appeal_count(self):
        counts = {}
        blocked = set()
        if self.ids:
            Appeal = self.env["civ.appeal"].sudo()
            counts = {
                sheet.id: count
                for sheet, count in Appeal._read_group(
                    [("evaluation_id", "in", self.ids)], ["evaluation_id"], ["__count"]
                )
            }
            blocked = set(self.sudo()._appeal_blocked_ids())
        for sheet in self:
            sheet.appeal_count = counts.get(sheet.id, 0)
            sheet.can_appeal = (
                sheet.state == "done"
                and sheet.user_id == self.env.user
                and sheet.period_id.sudo().state != "locked"
                and sheet.id not in blocked
            )

    def _appeal_blocked_ids(self):
        """The sheets with an open request for review, or one rejected since their last decision."""
        appeals = (
            self.env["civ.appeal"]
            .sudo()
            .search(
                [
                    ("evaluation_id", "in", self.ids),
                    "|",
                    ("state", "=", "open"),
                    "&",
                    ("state", "=", "rejected"),
                    ("closed_at_lock", "=", False),
                ]
            )
        )
        return {
            appeal.evaluation_id.id
            for appeal in appeals
            if appeal.state == "open"
            or not appeal.evaluation_id.date_decided
            or (appeal.date_decided or appeal.date) >= appeal.evaluation_id.date_decided
        }

    def _check_can_appeal(self):
        blocked = self._appeal_blocked_ids()
        for sheet in self:
            if sheet.id in blocked:
                raise UserError(
                    self.env._(
                        "A request for review of %s is already open or was rejected: a new one can be "
                        "filed only after the evaluation is decided again.",
                        sheet.display_name,
                    )
                )

    def _decision_reviewer(self):
        """The user who decided (or decides) the sheet: its decision step's reviewer."""
        self.ensure_one()
        return self.sudo()._decision_step().reviewer_user_id

    def _back_to_decision(self, log):
        """A decided sheet goes back to its decision step (sudo): state review, that step pending, an
        activity for its reviewer."""
        for sheet in self.sudo():
            decision = sheet._decision_step()
            if sheet.state != "done" or not decision:
                raise UserError(
                    self.env._("The sheet %s cannot go back to its decision step.", sheet.display_name)
                )
            decision.write({"state": "waiting", "date_done": False})
            sheet.write({"state": "review"})
            sheet._advance_to(decision)
            sheet._message_log(body=log)

    def action_request_review(self):
        """The employee's button: a small form asking for the reason of the request."""
        self.ensure_one()
        self._check_workflow_access("appeal")
        self.sudo()._check_can_appeal()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Request a Review"),
            "res_model": "civ.appeal",
            "view_mode": "form",
            "views": [(self.env.ref("civ_evaluation.civ_appeal_view_form_request").id, "form")],
            "target": "new",
            "context": {"default_evaluation_id": self.id},
        }

    @api.readonly  # navigation only: may run on the read replica
    def action_view_appeals(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id("civ_evaluation.action_civ_appeal")
        action["domain"] = [("evaluation_id", "=", self.id)]
        action["context"] = {"default_evaluation_id": self.id}
        return action

    # ------------------------------------------------------------------ helpers for the opening
    @api.model
    def _chain_has_problem(self, chain):
        return not chain or any(not _id(step.get("reviewer_user_id")) for step in chain)

    @api.model
    def _step_values(self, sheet_id, step):
        return {
            "evaluation_id": sheet_id,
            "sequence": step.get("sequence") or 0,
            "name": step.get("name") or "",
            "reviewer_employee_id": _id(step.get("reviewer_employee_id")),
            "reviewer_user_id": _id(step.get("reviewer_user_id")),
            "can_rescore": bool(step.get("can_rescore")),
            "is_decision": bool(step.get("is_decision")),
            "escalated": bool(step.get("escalated")),
            "vacancy_note": step.get("vacancy_note") or False,
            "policy_step_id": _id(step.get("policy_step_id")),
            "state": "waiting",
        }

    # ------------------------------------------------------------------ the gate
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

    def _check_workflow_access(self, action):
        """The one gate of the evaluation sheet: may the current user do `action` (a key of
        SHEET_ACTIONS) on every sheet of self, in its current state? Refuses with a UserError when the
        state does not allow it and an AccessError when the user's role does not. The record rules
        (company, own or reviewed sheets) are checked first. Superuser code passes the role checks:
        it runs after this gate (the workflow) or is the system itself (crons)."""
        states, role = SHEET_ACTIONS[action]
        self._check_not_locked()
        if not self.env.su:
            self.check_access("read")
        user = self.env.user
        is_officer = self._is_officer()
        for sheet in self.sudo():
            if sheet.state not in states:
                error = AccessError if action in FIELD_ACTIONS else UserError
                raise error(
                    self.env._(
                        "%(sheet)s is %(state)s: %(action)s is not possible now.",
                        sheet=sheet.display_name,
                        state=dict(self._fields["state"]._description_selection(self.env))[sheet.state],
                        action=dict(_sheet_action_labels(self.env))[action],
                    )
                )
            if self.env.su:
                continue
            step = sheet.current_step_id
            if role == "owner":
                allowed = sheet.user_id == user
            elif role == "reviewer":
                allowed = bool(step) and step.reviewer_user_id == user
            elif role == "rescoring_reviewer":
                allowed = bool(step) and step.reviewer_user_id == user and step.can_rescore
            elif role == "product_editor":
                allowed = (
                    sheet.user_id == user
                    if sheet.state == "draft"
                    else bool(step) and step.reviewer_user_id == user and step.can_rescore
                )
            else:
                allowed = is_officer
            if not allowed:
                raise AccessError(
                    self.env._(
                        "You cannot do this on %(sheet)s: %(action)s is for %(who)s.",
                        sheet=sheet.display_name,
                        action=dict(_sheet_action_labels(self.env))[action],
                        who=_role_label(self.env, role, sheet),
                    )
                )
            if role != "owner" and not (role == "product_editor" and sheet.state == "draft"):
                sheet.with_env(self.env)._civ_check_not_own(dict(_sheet_action_labels(self.env))[action])

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
        if not self.env.su and any(sheet.state != "draft" for sheet in self):
            raise UserError(self.env._("Only sheets still in self-assessment can be deleted."))
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

    def _civ_chatter_state(self):
        # the self-assessment's evidence is the employee's until they submit; in review each level
        # adds its own; decided, nothing changes (see civ.chatter.mixin)
        states = {"draft": "open", "review": "append"}
        return {sheet.id: states.get(sheet.state, "closed") for sheet in self}

    # ------------------------------------------------------------------ workflow
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
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE civ_evaluation_line SET reviewer_points = self_points, previous_points = self_points "
            "WHERE evaluation_id IN %s",
            [tuple(sheets.ids)],
        )
        self.env["civ.evaluation.line"].invalidate_model(["reviewer_points", "previous_points"])
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

        A decision that would take a level above a quota of the framework (see _quota_breaches) is
        refused unless quota_reason explains it; the reason is then stored on the sheet. Several
        sheets approved together are counted together, and handled in batch: the number of queries
        does not grow with the number of sheets (except the tracking messages written at commit)."""
        quota_reason = text_argument(self.env, quota_reason, self.env._("The reason for exceeding the quota"))
        self._check_workflow_access("approve")
        reason = (quota_reason or "").strip()
        # the leaders' unit results as the unit stands now
        self.sudo().filtered(lambda sheet: sheet._civ_is_leader())._civ_refresh_product_points()
        results = self._decision_results()
        deciding = self.sudo().filtered(lambda sheet: sheet.id in results)
        breaches = deciding._quota_breaches(
            {sheet_id: result["level"] for sheet_id, result in results.items()}
        )
        if breaches and not reason:
            raise UserError(
                self.env._(
                    "This decision exceeds the quotas of the framework:\n%(figures)s\n\n"
                    "Give the reason for deciding above the quota (button Approve / Decide, or "
                    "action_approve(quota_reason=...)).",
                    figures="\n".join(self._quota_breach_lines(breaches)),
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
        steps = sheets.current_step_id
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
            UPDATE civ_review_step AS step
               SET state = 'approved', date_done = %s, score = v.score, write_uid = %s,
                   write_date = (now() at time zone 'UTC')
              FROM (VALUES %s) AS v(id, score)
             WHERE step.id = v.id
        """,
                now,
                self.env.uid,
                SQL(", ").join(
                    SQL("(%s, %s::numeric)", sheet.current_step_id.id, scores[sheet.id]) for sheet in sheets
                ),
            )
        )
        steps.invalidate_recordset(["state", "date_done", "score", "write_uid", "write_date"])
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
            self.env.cr.execute(
                "UPDATE civ_evaluation_line SET previous_points = reviewer_points, reviewer_note = NULL "
                "WHERE evaluation_id IN %s",
                [tuple(advancing.ids)],
            )
            self.env["civ.evaluation.line"].invalidate_model(["previous_points", "reviewer_note"])
            advancing._advance_to_next_steps()
        return True

    def _record_level_points(self):
        """Keep what the pending re-scoring step of each sheet gave per line (its reviewer points and
        remarks) in civ.review.step.point, before the next level re-scores the shared lines (sudo,
        after the gate). All the sheets approved together in one statement: the rows are created
        from the lines in the database (an approval again after a return replaces the step's rows)."""
        steps = self.sudo().current_step_id.filtered("can_rescore")
        if not steps:
            return
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
            INSERT INTO civ_review_step_point
                   (step_id, line_id, evaluation_id, points, comment,
                    create_uid, create_date, write_uid, write_date)
            SELECT step.id, line.id, line.evaluation_id, line.reviewer_points, line.reviewer_note,
                   %(uid)s, now() at time zone 'UTC', %(uid)s, now() at time zone 'UTC'
              FROM civ_review_step AS step
              JOIN civ_evaluation_line AS line ON line.evaluation_id = step.evaluation_id
             WHERE step.id IN %(steps)s
                ON CONFLICT (step_id, line_id) DO UPDATE
               SET points = EXCLUDED.points, comment = EXCLUDED.comment,
                   write_uid = EXCLUDED.write_uid, write_date = EXCLUDED.write_date
        """,
                uid=self.env.uid,
                steps=tuple(steps.ids),
            )
        )
        self.env["civ.review.step.point"].invalidate_model()
        steps.invalidate_recordset(["point_ids"])

    def _confirm_products(self):
        """A re-scoring level that approves confirms the products as they stand (one statement)."""
        rescoring = self.sudo().filtered(lambda sheet: sheet.current_step_id.can_rescore)
        if not rescoring:
            return
        self.env.cr.execute(
            "UPDATE civ_evaluation_product SET confirmed = TRUE "
            "WHERE evaluation_id IN %s AND confirmed IS NOT TRUE",
            [tuple(rescoring.ids)],
        )
        self.env["civ.evaluation.product"].invalidate_model(["confirmed"])

    def _decision_results(self):
        """{sheet id: compute_score result} for the sheets whose approval now is the decision, with
        the recorded grounds applied (see _apply_grounds)."""
        results = {}
        for sheet in self.sudo():
            if sheet.current_step_id.is_decision or not sheet._next_step():
                results[sheet.id] = sheet.framework_id.compute_score(sheet._points("reviewer_points"))
        self.sudo().filtered(lambda sheet: sheet.id in results)._apply_grounds(results)
        return results

    def _apply_grounds(self, results):
        """The recorded grounds (civ.discipline, counted, dated in the sheet's period: a disciplinary
        measure of reprimand or above in official duty, a conclusion of degradation, corruption or
        waste in the unit led) make the level the lowest of the framework whatever the points
        (Nghị định 335/2025). Changes `results` ({sheet id: compute_score result}) in place: "level"
        and "level_reason". One search for all the sheets."""
        sheets = self.sudo()
        if not sheets:
            return results
        periods = sheets.period_id
        grounds = self.env["civ.discipline"]._grounds_by_employee(
            sheets.employee_id.ids, min(periods.mapped("date_start")), max(periods.mapped("date_end"))
        )
        for sheet in sheets:
            result = results.get(sheet.id)
            period = sheet.period_id
            facts = grounds.get(sheet.employee_id.id, self.env["civ.discipline"]).filtered(
                lambda fact, period=period: period.date_start <= fact.date <= period.date_end
            )
            lowest = sheet.framework_id._sorted_levels()[-1:]
            if result is None or not facts or not lowest:
                continue
            result["level"] = lowest
            result["level_reason"] = self.env._(
                "%(level)s whatever the points (%(score)s): %(grounds)s.",
                level=lowest.display_name,
                score=format_number(self.env, result["total"], trim=True),
                grounds="; ".join(facts.mapped("display_name")),
            )
        return results

    def _quota_breaches(self, levels):
        """The quotas the decisions of these sheets would exceed.

        Per period, the period's quota service (civ.period._quota_check, which asks the framework's
        check_quotas) counts: the sheets of the period already decided, at their level; the sheets
        not decided yet, as evaluated without a level (they are in the headcount of an "everyone
        evaluated" basis, not in a level basis); the sheets of self, at their new level. Sheets
        closed as not evaluated do not count. One grouped query per period.

        :param dict levels: {sheet id: civ.level} the level each sheet of self is about to get
        :returns: {sheet id: ["<scope>: <figures>", ...]} for the sheets of self whose new level is
            that of an exceeded quota in one of the sheet's scopes
        """
        breaches = defaultdict(list)
        sheets = self.sudo()
        for period in sheets.period_id:
            if not period.framework_id.quota_ids:
                continue
            batch = sheets.filtered(lambda sheet, period=period: sheet.period_id == period)
            scopes = {sheet.id: sheet._quota_scope_keys() for sheet in batch}
            wanted = set().union(*scopes.values())
            results = period._quota_check(
                {sheet.id: levels.get(sheet.id) for sheet in batch}, scope_ids=wanted
            )
            for scope_key, result in results:
                if not result["exceeded"]:
                    continue
                scope_name = period._quota_scope_name(result["quota"], scope_key)
                for sheet in batch:
                    if levels.get(sheet.id) != result["level"] or scope_key not in scopes[sheet.id]:
                        continue
                    breaches[sheet.id].append(f"{scope_name}: {result['message']}")
        return dict(breaches)

    def _quota_scope_keys(self):
        """The quota scopes the sheet is counted in (see civ.period._quota_results)."""
        self.ensure_one()
        keys = {("department", self.department_id.id), ("company", None)}
        if self.duty_group_id:
            keys.add(("duty_group", self.duty_group_id.id))
        return keys

    def _quota_breach_lines(self, breaches):
        """Lines for a message: each exceeded quota once, with the sheets concerned."""
        by_line = defaultdict(list)
        for sheet in self.sudo().filtered(lambda sheet: sheet.id in breaches):
            for line in breaches[sheet.id]:
                by_line[line].append(sheet.employee_id.name)
        return [
            self.env._("- %(figures)s (%(people)s)", figures=line, people=", ".join(names))
            for line, names in by_line.items()
        ]

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
        if not deciding._quota_breaches({sheet_id: result["level"] for sheet_id, result in results.items()}):
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
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE civ_evaluation_line SET final_points = reviewer_points WHERE evaluation_id IN %s",
            [tuple(sheets.ids)],
        )
        self.env["civ.evaluation.line"].invalidate_model(["final_points"])
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

    # ------------------------------------------------------------------ chain maintenance
    def action_refresh_chain(self):
        """Resolve the review chain again for draft sheets (officers), e.g. after HR fixed the
        organisation chart. Sheets already submitted keep their snapshot; the steps replaced are
        kept in the chatter with their comments (the reasons of earlier returns)."""
        sheets = self.filtered(lambda sheet: sheet.state == "draft")
        sheets._check_workflow_access("refresh_chain")
        sheets = sheets.sudo()
        if not sheets:
            return True
        chains = self.env["civ.review.policy"].sudo()._resolve_chains(sheets.employee_id)
        history = {}
        for sheet in sheets:
            acted = sheet.step_ids.filtered(lambda step: step.state in ("approved", "returned"))
            history[sheet.id] = Markup("<p>%s</p>") % self.env._("Review chain refreshed.")
            if acted:
                history[sheet.id] += Markup("<ul>%s</ul>") % Markup("").join(
                    Markup("<li>%s — %s%s</li>")
                    % (
                        step.display_name,
                        dict(step._fields["state"]._description_selection(self.env))[step.state],
                        Markup(": %s") % step.comment if step.comment else "",
                    )
                    for step in acted.sorted(lambda step: (step.sequence, step.id))
                )
        sheets.step_ids.unlink()
        step_vals = []
        for sheet in sheets:
            chain = chains.get(sheet.employee_id.id) or []
            step_vals.extend(self._step_values(sheet.id, step) for step in chain)
            sheet.write({"chain_problem": self._chain_has_problem(chain)})
        self.env["civ.review.step"].sudo().create(step_vals)
        sheets._message_log_batch(history)
        return True

    # ------------------------------------------------------------------ scores
    def _civ_is_leader(self):
        self.ensure_one()
        return bool(self.civ_position) and self.civ_position != "staff"

    def _civ_unit_levels(self):
        """{leader's sheet id: [civ.level of each person of the unit they lead, in the same period]}:
        the decided level, else the level the latest points give. The unit of a head or deputy of a
        unit is that unit and its sub-units; of the head or a deputy of the agency, the whole agency.
        Batched: one search of the units led, one read of the sheets per period (the whole agency's
        when one of its leaders is among self)."""
        leaders = self.sudo().filtered(lambda sheet: sheet._civ_is_leader())
        units_of = leaders._civ_units_led()
        leaders_by_period = defaultdict(list)
        for sheet in leaders:
            leaders_by_period[sheet.period_id].append(sheet)
        level_of = self._civ_level_reader()
        result = {}
        for period, period_leaders in leaders_by_period.items():
            agency_wide = any(sheet.civ_position in AGENCY_POSITIONS for sheet in period_leaders)
            unit_ids = set().union(*(units_of[sheet.employee_id.id] for sheet in period_leaders))
            if not (agency_wide or unit_ids):
                continue
            everyone, by_unit = self._civ_unit_members(period, None if agency_wide else unit_ids, level_of)
            for sheet in period_leaders:
                if sheet.civ_position in AGENCY_POSITIONS:
                    unit = everyone
                elif units_of[sheet.employee_id.id]:
                    # {sheet id: level}: a person of nested units counted once
                    unit = dict(
                        entry for unit_id in units_of[sheet.employee_id.id] for entry in by_unit[unit_id]
                    ).items()
                else:
                    continue
                result[sheet.id] = [level for other_id, level in unit if other_id != sheet.id]
        return result

    def _civ_units_led(self):
        """{employee id: ids of the departments they head or deputise} for the leaders of units of
        self (one search)."""
        units_of = defaultdict(set)
        employees = self.filtered(lambda sheet: sheet.civ_position not in AGENCY_POSITIONS).employee_id
        if employees:
            for department in (
                self.env["hr.department"]
                .sudo()
                .search_fetch(
                    ["|", ("manager_id", "in", employees.ids), ("civ_deputy_ids", "in", employees.ids)],
                    ["manager_id", "civ_deputy_ids"],
                )
            ):
                for employee in (department.manager_id | department.civ_deputy_ids) & employees:
                    units_of[employee.id].add(department.id)
        return units_of

    def _civ_level_reader(self):
        """A function giving the level a sheet stands at: the decided one, else the one its latest
        points give (the frameworks' levels sorted once)."""
        ranked = {}

        def level_of(sheet):
            if sheet.state in ("done", "locked"):
                return sheet.level_id
            score = sheet.reviewer_score if sheet.state == "review" else sheet.self_score
            framework = sheet.framework_id
            if framework not in ranked:
                ranked[framework] = framework._sorted_levels()
            return framework._level_among(ranked[framework], score)

        return level_of

    def _civ_unit_members(self, period, unit_ids, level_of):
        """The evaluated people of period, read once: ([(sheet id, level)] of everyone read,
        {department id: [(sheet id, level)] of the department and its sub-units}); only the people of
        the departments unit_ids (and their sub-units) unless unit_ids is None."""
        domain = [("period_id", "=", period.id), ("not_evaluated", "=", False)]
        if unit_ids is not None:
            domain.append(("department_id", "child_of", list(unit_ids)))
        members = (
            self.sudo()
            .with_context(active_test=False)
            .search_fetch(
                domain, ["state", "level_id", "reviewer_score", "self_score", "framework_id", "department_id"]
            )
        )
        paths = {
            department.id: department.parent_path
            for department in members.department_id.with_context(active_test=False)
        }
        everyone, by_unit = [], defaultdict(list)
        for member in members:
            entry = (member.id, level_of(member))
            everyone.append(entry)
            for unit_id in (paths.get(member.department_id.id) or "").split("/"):
                if unit_id:
                    by_unit[int(unit_id)].append(entry)
        return everyone, by_unit

    def _civ_refresh_product_points(self, notes=None):
        """Compute the task results of the groups computed from products (civ.framework.
        compute_product_score) and write them on the groups' lines: the self points in
        self-assessment, the reviewer points in review, with the sheets' totals (and the pending
        step's score) and one "Points changed" note per sheet, as typed points get (sudo, after the
        gate of whoever changed the products). Written in a few statements for all the sheets, so that
        loading or importing the products of a whole agency does not cost queries per sheet.

        :param dict notes: {sheet id: Markup} what the caller changed, written in the same note
        """
        notes = dict(notes or {})
        sheets = self.sudo().filtered(
            lambda sheet: sheet.state in ("draft", "review") and sheet.framework_id._product_groups()
        )
        if sheets:
            sheets._civ_write_product_points(notes)
        if notes:
            self.env["civ.evaluation"].sudo().browse(list(notes))._message_log_batch(notes)

    def _civ_write_product_points(self, notes):
        """The work of _civ_refresh_product_points on sheets using products; adds the points notes to
        `notes` ({sheet id: Markup})."""
        sheets = self
        unit_levels = sheets.filtered(lambda sheet: sheet._civ_is_leader())._civ_unit_levels()
        labels = {"self_points": self.env._("Self"), "reviewer_points": self.env._("Reviewer")}
        number = number_formatter(self.env, trim=True)
        line_points, sheet_values, step_scores, changed = [], [], [], set()
        # the products' values read a field at a time for all the sheets, given to the formula as mappings
        products = sheets.product_ids
        items = defaultdict(list)
        for sheet_id, *values in zip(
            products.mapped(lambda product: product.evaluation_id.id),
            *(products.mapped(fname) for fname in ITEM_FIELDS),
            strict=True,
        ):
            items[sheet_id].append(dict(zip(ITEM_FIELDS, values, strict=True)))
        for sheet in sheets:
            result = sheet.framework_id.compute_product_score(
                items[sheet.id],
                leader=sheet._civ_is_leader(),
                unit_levels=unit_levels.get(sheet.id),
                organisation_percent=sheet.product_organisation_percent,
            )
            fname = "self_points" if sheet.state == "draft" else "reviewer_points"
            points = sheet._points(fname)
            rows = []
            for line in sheet.line_ids:
                group_result = result["groups"].get(line.criterion_id.group_id.id)
                if group_result and float_compare(line[fname], group_result["points"], precision_digits=2):
                    rows.append(
                        Markup("<li>%s — %s: %s → %s</li>")
                        % (
                            line.display_name,
                            labels[fname],
                            number(line[fname]),
                            number(group_result["points"]),
                        )
                    )
                    line_points.append((line.id, fname, group_result["points"]))
                    points[line.criterion_id.id] = group_result["points"]
            vals = (
                result["quantity"],
                result["quality"],
                result["progress"],
                result["unit_result"] or 0.0,
                sum(group["points"] for group in result["groups"].values()),
            )
            stored = (
                sheet.product_score_quantity,
                sheet.product_score_quality,
                sheet.product_score_progress,
                sheet.product_score_unit,
                sheet.product_points,
            )
            total = sheet.framework_id.compute_score(points)["total"] if rows else None
            if rows:
                changed.add(sheet.id)
                notes[sheet.id] = notes.get(sheet.id, Markup("")) + Markup("<p>%s</p><ul>%s</ul>") % (
                    self.env._("Points changed"),
                    Markup("").join(rows),
                )
                if fname == "reviewer_points" and sheet.current_step_id:
                    step_scores.append((sheet.current_step_id.id, total))
            if rows or any(
                float_compare(old, new, precision_digits=2) for old, new in zip(stored, vals, strict=True)
            ):
                sheet_values.append(
                    (sheet.id, *vals, fname == "self_points" and total is not None, total or 0.0)
                )
        if not sheet_values:
            return
        self.env.flush_all()
        for fname in ("self_points", "reviewer_points"):
            values = [(line_id, value) for line_id, name, value in line_points if name == fname]
            if values:
                self.env.cr.execute(
                    SQL(
                        "UPDATE civ_evaluation_line AS line SET %s = v.points "
                        "FROM (VALUES %s) AS v(id, points) WHERE line.id = v.id",
                        SQL.identifier(fname),
                        SQL(", ").join(SQL("(%s, %s::float8)", *value) for value in values),
                    )
                )
        # the total goes to self_score in self-assessment, to reviewer_score in review (when it changed)
        self.env.cr.execute(
            SQL(
                """
            UPDATE civ_evaluation AS sheet
               SET product_score_quantity = v.a, product_score_quality = v.b, product_score_progress = v.c,
                   product_score_unit = v.unit, product_points = v.points,
                   self_score = CASE WHEN v.total_changed AND v.is_self THEN v.total
                                     ELSE sheet.self_score END,
                   reviewer_score = CASE WHEN v.total_changed AND NOT v.is_self THEN v.total
                                         ELSE sheet.reviewer_score END
              FROM (VALUES %s) AS v(id, a, b, c, unit, points, is_self, total, total_changed)
             WHERE sheet.id = v.id
        """,
                SQL(", ").join(
                    SQL(
                        "(%s, %s::numeric, %s::numeric, %s::numeric, %s::numeric, %s::numeric, %s, "
                        "%s::numeric, %s)",
                        sheet_id,
                        a,
                        b,
                        c,
                        unit,
                        points,
                        is_self,
                        total,
                        sheet_id in changed,
                    )
                    for sheet_id, a, b, c, unit, points, is_self, total in sheet_values
                ),
            )
        )
        if step_scores:
            self.env.cr.execute(
                SQL(
                    "UPDATE civ_review_step AS step SET score = v.score FROM (VALUES %s) AS v(id, score) "
                    "WHERE step.id = v.id",
                    SQL(", ").join(SQL("(%s, %s::numeric)", *value) for value in step_scores),
                )
            )
        self.env["civ.evaluation.line"].invalidate_model(["self_points", "reviewer_points"])
        self.invalidate_model(
            [
                "product_score_quantity",
                "product_score_quality",
                "product_score_progress",
                "product_score_unit",
                "product_points",
                "self_score",
                "reviewer_score",
            ]
        )
        self.env["civ.review.step"].invalidate_model(["score"])

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

    # ------------------------------------------------------------------ the seal
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
            "lines": (*civ_seal.V1_LINE_COLUMNS, "note", "reviewer_note"),
            "steps": (*civ_seal.V1_STEP_COLUMNS, "can_rescore", "comment"),
            "levels": civ_seal.V1_POINT_COLUMNS,
            "products": (*civ_seal.V1_PRODUCT_COLUMNS, "date_deadline", "date_done", "note"),
        }  # fmt: skip

    @api.model
    def _civ_seal_contents(self, cr, sheet_ids, version):
        """{sheet id: sealed content} under the rules of `version` (see civ_seal.sheet_contents)."""
        return civ_seal.sheet_contents(cr, sheet_ids, version, self._civ_seal_columns())

    # ------------------------------------------------------------------ lock and reopen
    def _prepare_lock(self):
        """Apply the company's lock rules to the sheets not finished yet (sudo, batched, SQL):
        drafts are closed as not evaluated (or decided on their self points), sheets still in
        review are decided by the company's rule and flagged 'decided at deadline'."""
        sheets = self.sudo()
        rule_ids = defaultdict(list)
        for sheet in sheets:
            company = sheet.company_id
            if sheet.state == "draft":
                rule = "not_evaluated" if company.civ_lock_draft_not_evaluated else "self"
            elif sheet.state == "review":
                rule = company.civ_undecided_at_lock or "last_reviewer"
            else:
                continue
            rule_ids[rule].append(sheet.id)
        by_rule = {rule: sheets.browse(ids) for rule, ids in rule_ids.items()}
        by_rule = defaultdict(lambda: sheets.browse(), by_rule)
        unfinished = sheets.filtered(lambda sheet: sheet.state in ("draft", "review"))
        if not unfinished:
            return
        self.env["mail.activity"].sudo().search(
            [
                ("res_model", "=", self._name),
                ("res_id", "in", unfinished.ids),
            ]
        ).unlink()
        self.env.flush_all()
        cr = self.env.cr
        if by_rule["not_evaluated"]:
            cr.execute(
                """
                UPDATE civ_evaluation SET not_evaluated = TRUE, final_score = 0, level_id = NULL,
                       decided_at_deadline = (state = 'review'),
                       not_evaluated_reason = CASE WHEN state = 'review' THEN %s ELSE %s END
                 WHERE id IN %s
            """,
                [
                    self.env._("Not decided before the lock date."),
                    self.env._("Self-assessment not submitted before the lock date."),
                    tuple(by_rule["not_evaluated"].ids),
                ],
            )
        sources = dict.fromkeys(by_rule["self"].ids, "self_points")
        sources.update(dict.fromkeys(by_rule["last_reviewer"].ids, "reviewer_points"))
        if sources:
            sheets.browse(list(sources))._decide_at_deadline(sources)
        ids = tuple(unfinished.ids)
        cr.execute(
            "UPDATE civ_review_step SET state = 'skipped' WHERE evaluation_id IN %s "
            "AND state IN ('waiting', 'pending')",
            [ids],
        )
        # decided sheets become 'done'; drafts closed as not evaluated stay drafts (so that reopening
        # gives them back to their employee)
        cr.execute(
            "UPDATE civ_evaluation SET state = 'done' WHERE id IN %s "
            "AND (state = 'review' OR NOT not_evaluated)",
            [ids],
        )
        self.env.invalidate_all()

    def _decide_at_deadline(self, source):
        """Decide the sheets on their `source` points (self_points or reviewer_points, or a dict
        {sheet id: source}), in SQL. The levels pass the period's quota service like any decision:
        by the company's setting, a level above its quota is capped (with the reason on the sheet)
        or kept with the breach recorded (automatic reason)."""
        sources = source if isinstance(source, dict) else dict.fromkeys(self.ids, source)
        if set(sources.values()) - {"self_points", "reviewer_points"}:
            raise ValueError(source)
        ids = tuple(self.ids)
        cr = self.env.cr
        by_source = defaultdict(list)
        for sheet_id in ids:
            by_source[sources[sheet_id]].append(sheet_id)
        for name, sheet_ids in by_source.items():
            cr.execute(
                SQL(
                    "UPDATE civ_evaluation_line SET final_points = %s WHERE evaluation_id IN %s",
                    SQL.identifier(name),
                    tuple(sheet_ids),
                )
            )
        cr.execute(
            "SELECT evaluation_id, criterion_id, final_points FROM civ_evaluation_line "
            "WHERE evaluation_id IN %s",
            [ids],
        )
        points = defaultdict(dict)
        for sheet_id, criterion_id, value in cr.fetchall():
            points[sheet_id][criterion_id] = value
        results = {sheet.id: sheet.framework_id.compute_score(points[sheet.id]) for sheet in self}
        self._apply_grounds(results)
        levels = {sheet_id: result.get("level") for sheet_id, result in results.items()}
        scores = {sheet_id: result["total"] for sheet_id, result in results.items()}
        notes, breaches = self._quota_at_lock(levels, scores)
        for sheet_id, result in results.items():
            if result.get("level_reason") and sheet_id not in notes:
                notes[sheet_id] = result["level_reason"]
        auto_reason = self.env._(
            "Decided at the lock date by the company's rule: the quota was not checked by a reviewer."
        )
        rows = []
        for sheet in self:
            level = levels.get(sheet.id)
            breach = breaches.get(sheet.id)
            rows.append(
                SQL(
                    "(%s, %s, %s, %s, %s, %s, %s)",
                    sheet.id,
                    scores[sheet.id],
                    level.id if level else None,
                    notes.get(sheet.id),
                    bool(breach),
                    auto_reason if breach else None,
                    "\n".join(breach) if breach else None,
                )
            )
        cr.execute(
            SQL(
                """
            UPDATE civ_evaluation AS sheet
               SET final_score = v.total::numeric, level_id = v.level_id::integer,
                   level_reason = v.level_reason, quota_exceeded = v.exceeded,
                   quota_reason = v.quota_reason, quota_figures = v.quota_figures,
                   decided_at_deadline = TRUE, date_decided = (now() at time zone 'UTC')
              FROM (VALUES %s) AS v(id, total, level_id, level_reason, exceeded, quota_reason,
                                    quota_figures)
             WHERE sheet.id = v.id
        """,
                SQL(", ").join(rows),
            )
        )
        self.invalidate_recordset(
            [
                "final_score",
                "level_id",
                "level_reason",
                "quota_exceeded",
                "quota_reason",
                "quota_figures",
                "decided_at_deadline",
                "date_decided",
            ]
        )

    def _quota_at_lock(self, levels, scores):
        """Pass the levels decided at the lock through the period's quota service (sudo).

        Company setting civ_quota_at_lock: 'cap' lowers, in `levels` (changed in place), the sheets
        of self above a quota to the next level, lowest scores first, until no quota of their scopes
        is exceeded by them (the sheets decided by reviewers keep their level); 'record' keeps the
        levels and returns the breaches (figures) of the sheets above a quota.

        :returns: ({sheet id: reason the level was capped}, {sheet id: [figures]})
        """
        notes, breaches = {}, {}
        sheets = self.sudo()
        for period in sheets.period_id:
            framework = period.framework_id
            if not framework.quota_ids:
                continue
            batch = sheets.filtered(lambda sheet, period=period: sheet.period_id == period)
            if period.company_id.civ_quota_at_lock == "record":
                breaches.update(batch._quota_breaches(levels))
                continue
            ranked = list(framework._sorted_levels())
            scope_keys = {sheet.id: sheet._quota_scope_keys() for sheet in batch}
            capped = defaultdict(list)
            for _round in range(len(batch) * max(len(ranked), 1) + 1):
                over = [
                    (key, result)
                    for key, result in period._quota_check(
                        {sheet.id: levels.get(sheet.id) for sheet in batch}
                    )
                    if result["exceeded"]
                ]
                moved = False
                for key, result in over:
                    level = result["level"]
                    position = ranked.index(level) if level in ranked else len(ranked) - 1
                    if position + 1 >= len(ranked):
                        continue
                    lower = ranked[position + 1]
                    candidates = sorted(
                        (
                            sheet
                            for sheet in batch
                            if levels.get(sheet.id) == level and key in scope_keys[sheet.id]
                        ),
                        key=lambda sheet: (scores[sheet.id], -sheet.id),
                    )
                    if not candidates:
                        continue
                    quota = result["quota"]
                    # a basis counting the lower level grows as people are moved: one at a time
                    grows = quota.basis == "level_exact" and quota.basis_level_id == lower
                    step = 1 if grows else result["excess"]
                    for sheet in candidates[: max(step, 1)]:
                        levels[sheet.id] = lower
                        capped[sheet.id].append(
                            (level, lower, period._quota_scope_name(quota, key), result["message"])
                        )
                        moved = True
                    break
                if not moved:
                    break
            for sheet_id, steps in capped.items():
                first_level = steps[0][0]
                notes[sheet_id] = self.env._(
                    "Capped at the lock from %(from)s to %(to)s: the points give %(from)s, but the quota "
                    "is exceeded (%(figures)s).",
                    **{
                        "from": first_level.code,
                        "to": levels[sheet_id].code,
                        "figures": "; ".join(f"{scope}: {message}" for _f, _t, scope, message in steps),
                    },
                )
        return notes, breaches

    def action_lock(self):
        """Lock single sheets (officers), e.g. one reopened in a locked period; the seal of a locked
        period is made again with it."""
        self._check_workflow_access("lock")
        sheets = self.sudo()
        sheets._lock()
        sheets._message_log_batch({sheet.id: self.env._("Sheet locked.") for sheet in sheets})
        sheets.period_id.filtered(lambda period: period.state == "locked")._seal()
        return True

    def _lock(self):
        """Lock the sheets after the caller's checks: apply the lock rules, then change the state
        with one SQL UPDATE (the write guards refuse any change to a locked sheet)."""
        sheets = self.sudo().filtered(lambda sheet: sheet.state != "locked")
        if not sheets:
            return
        self.env["civ.appeal"]._close_at_lock(sheets)
        sheets._prepare_lock()
        self.env.flush_all()
        self.env.cr.execute(
            """
            UPDATE civ_evaluation
               SET pre_lock_state = state, state = 'locked', current_step_id = NULL,
                   current_reviewer_user_id = NULL,
                   write_date = (now() at time zone 'UTC'), write_uid = %s
             WHERE id IN %s AND state != 'locked'
        """,
            [self.env.uid, tuple(sheets.ids)],
        )
        self.env.invalidate_all()

    def _reopen_sheets(self, target="previous"):
        """Unlock locked sheets with a direct SQL UPDATE (the write guards refuse any change to a
        locked sheet; the caller has checked the user's rights and the reason).
        target: 'previous' = the state before lock; 'decision' = back to review at the decision
        step; 'draft' = back to the employee's self-assessment."""
        sheets = self.sudo().filtered(lambda sheet: sheet.state == "locked")
        if not sheets:
            return sheets
        self.env.flush_all()
        ids = tuple(sheets.ids)
        self.env.cr.execute(
            """
            UPDATE civ_evaluation
               SET state = COALESCE(pre_lock_state, 'done'), pre_lock_state = NULL,
                   write_date = (now() at time zone 'UTC'), write_uid = %s
             WHERE id IN %s
        """,
            [self.env.uid, ids],
        )
        sheets.invalidate_recordset()
        for sheet in sheets:
            if target == "draft" or sheet.state == "draft":
                sheet.write(
                    {
                        "state": "draft",
                        "final_score": 0.0,
                        "level_id": False,
                        "not_evaluated": False,
                        "not_evaluated_reason": False,
                        "decided_at_deadline": False,
                        "level_reason": False,
                        "current_step_id": False,
                        "current_reviewer_user_id": False,
                        "date_decided": False,
                    }
                )
            elif target == "decision":
                decision = sheet._decision_step()
                if sheet.chain_problem or not decision:
                    raise UserError(
                        self.env._("The sheet %s has no review chain to go back to.", sheet.display_name)
                    )
                decision.write({"state": "waiting", "date_done": False})
                sheet.write(
                    {
                        "state": "review",
                        "not_evaluated": False,
                        "not_evaluated_reason": False,
                        "decided_at_deadline": False,
                        "level_reason": False,
                    }
                )
                sheet._advance_to(decision)
        return sheets

    # ------------------------------------------------------------------ navigation
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
