from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .civ_arguments import text_argument

APPEAL_STATES = [("open", "Open"), ("accepted", "Accepted"), ("rejected", "Rejected")]

# Who may do what on a request, in which states: {action: (states, role)} (see civ.workflow.mixin)
ANNUAL_APPEAL_ACTIONS = {"edit_reason": (("open",), "owner"), "decide": (("open",), "officer")}


class CivAnnualAppeal(models.Model):
    """A request for review (kiến nghị) of a decided year-end result, filed by the employee and
    decided by human resources. Accepting it sets the result back to draft, to be decided again."""

    _name = "civ.annual.appeal"
    _description = "Request for Review of a Year-end Result"
    _inherit = ["civ.chatter.mixin", "civ.workflow.mixin"]
    _order = "create_date desc, id desc"

    result_id = fields.Many2one(
        "civ.annual.result", string="Year-end Result", required=True, index=True, ondelete="cascade"
    )
    employee_id = fields.Many2one(related="result_id.employee_id", store=True, index=True)
    user_id = fields.Many2one(related="result_id.user_id", store=True, index=True)
    company_id = fields.Many2one(related="result_id.company_id", store=True, index=True)
    year = fields.Integer(related="result_id.year", store=True, aggregator=False)
    level_id = fields.Many2one(related="result_id.level_id", string="Level Decided")
    reason = fields.Text(required=True, help="What the employee asks to be reviewed, and why.")
    state = fields.Selection(
        APPEAL_STATES,
        string="Status",
        default="open",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
        copy=False,
    )
    decision_note = fields.Text(tracking=True, help="The answer of human resources, told to the employee.")
    decided_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    date_decided = fields.Datetime(string="Decided On", readonly=True, copy=False)
    is_officer = fields.Boolean(compute="_compute_is_officer")

    @api.depends("result_id")
    def _compute_display_name(self):
        for appeal in self:
            appeal.display_name = self.env._(
                "Request for review: %s", appeal.result_id.sudo().display_name or ""
            )

    @api.depends_context("uid")
    def _compute_is_officer(self):
        is_officer = self._is_officer()
        for appeal in self:
            appeal.is_officer = is_officer

    @api.constrains("result_id", "state")
    def _check_one_open(self):
        results = self.filtered(lambda appeal: appeal.state == "open").result_id
        if not results:
            return
        counts = self.sudo()._read_group(
            [("result_id", "in", results.ids), ("state", "=", "open")], ["result_id"], ["__count"]
        )
        for result, count in counts:
            if count > 1:
                raise ValidationError(
                    self.env._("There is already an open request for review of %s.", result.display_name)
                )

    @api.model_create_multi
    def create(self, vals_list):
        """The employee asks for a review of their own decided result, with a reason. Nothing else
        comes from the caller: the workflow fields are set here (values and context ignored)."""
        Result = self.env["civ.annual.result"]
        clean = []
        for vals in vals_list:
            if set(vals) - {"result_id", "reason"}:
                raise AccessError(self.env._("A request for review gives only the result and the reason."))
            result_id = vals.get("result_id")
            result = Result.browse(result_id if isinstance(result_id, int) else []).exists()
            if not result:
                raise UserError(self.env._("Choose the year-end result to be reviewed."))
            result._check_workflow_access("appeal")
            self._check_may_request(result.sudo())
            reason = vals.get("reason")
            reason = reason.strip() if isinstance(reason, str) else ""
            if not reason:
                raise UserError(self.env._("Give the reason of your request for review."))
            clean.append(
                {
                    "result_id": result.id,
                    "reason": reason,
                    "state": "open",
                    "decision_note": False,
                    "decided_by_id": False,
                    "date_decided": False,
                }
            )
        appeals = super().create(clean)
        for appeal in appeals.sudo():
            appeal.result_id.message_post(
                body=self.env._("Request for review filed: %s", appeal.reason),
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
        return appeals

    def _civ_chatter_state(self):
        # an open request takes messages; decided, nothing changes
        return {appeal.id: "open" if appeal.state == "open" else "closed" for appeal in self}

    @api.model
    def _check_may_request(self, result):
        """One request per decision, within the company's days after it (civ_annual_appeal_days)."""
        decided = result.date_done
        earlier = self.sudo().search_count(
            [("result_id", "=", result.id), ("state", "!=", "open"), ("date_decided", ">=", decided)]
            if decided
            else [("result_id", "=", result.id), ("state", "!=", "open")]
        )
        if earlier:
            raise UserError(
                self.env._(
                    "A request for review of %s was already decided: a new one can be filed only after the "
                    "result is decided again.",
                    result.display_name,
                )
            )
        days = result.company_id.civ_annual_appeal_days
        if days and decided and fields.Datetime.now() > decided + timedelta(days=days):
            raise UserError(
                self.env._(
                    "A review of %(result)s can be requested within %(days)s days of its decision "
                    "(%(date)s).",
                    result=result.display_name,
                    days=days,
                    date=decided.strftime("%d/%m/%Y"),
                )
            )

    def _check_not_locked(self):
        """A request for review of a year-end result belongs to no month."""

    # the request's gate (civ.workflow.mixin): the employee edits their open request, human resources
    # decide it (never the requester: an officer's own request is decided by another)
    _workflow_actions = ANNUAL_APPEAL_ACTIONS

    def _workflow_roles(self):
        user = self.env.user
        return dict(super()._workflow_roles(), owner=lambda appeal: appeal.user_id == user)

    def _workflow_action_label(self, action):
        return {"decide": self.env._("deciding a request for review")}.get(action, action)

    def _workflow_state_refusal(self, action, record):
        return UserError(self.env._("The request %s is already decided.", record.display_name))

    def _workflow_role_refusal(self, action, role, record):
        if role == "owner":
            return AccessError(self.env._("You can change your own request for review only."))
        return AccessError(self.env._("Only human resources officers decide requests for review."))

    def _writable_outside_workflow(self):
        return dict(super()._writable_outside_workflow(), reason="edit_reason", decision_note="decide")

    def write(self, vals):
        self._check_direct_write(vals)
        return super().write(vals)

    def _decide(self, state, decision_note):
        decision_note = text_argument(self.env, decision_note, self.env._("The decision note"))
        self._check_workflow_access("decide")
        for appeal in self:
            note = (decision_note if decision_note is not None else appeal.decision_note) or ""
            if not note.strip():
                raise UserError(self.env._("Write the decision note before deciding the request."))
            appeal.sudo().write(
                {
                    "state": state,
                    "decision_note": note,
                    "decided_by_id": self.env.uid,
                    "date_decided": fields.Datetime.now(),
                }
            )
            result = appeal.result_id.sudo()
            if state == "accepted":
                result._set_draft()
                result.message_post(
                    body=self.env._("Request for review accepted: the result is back to draft. %s", note),
                    message_type="comment",
                    subtype_xmlid="mail.mt_note",
                )
            partner = appeal.user_id.partner_id
            if state == "accepted":
                body = self.env._("Your request for review was accepted: %s", note)
            else:
                body = self.env._("Your request for review was rejected: %s", note)
            appeal.sudo().message_post(
                body=body, message_type="comment", subtype_xmlid="mail.mt_note", partner_ids=partner.ids
            )
        return True

    def action_accept(self, decision_note=None):
        """Accept the request: the result is set back to draft for human resources to decide it again."""
        return self._decide("accepted", decision_note)

    def action_reject(self, decision_note=None):
        """Reject the request: the result stays as decided."""
        return self._decide("rejected", decision_note)
