from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

OFFICER = "civ_evaluation.group_civ_officer"

APPEAL_STATES = [("open", "Open"), ("accepted", "Accepted"), ("rejected", "Rejected")]


class CivAnnualAppeal(models.Model):
    """A request for review (kiến nghị) of a decided year-end result, filed by the employee and
    decided by human resources. Accepting it sets the result back to draft, to be decided again."""

    _name = "civ.annual.appeal"
    _description = "Request for Review of a Year-end Result"
    _inherit = ["mail.thread"]
    _order = "create_date desc, id desc"

    result_id = fields.Many2one(
        "civ.annual.result", string="Year-end Result", required=True, index=True, ondelete="cascade")
    employee_id = fields.Many2one(related="result_id.employee_id", store=True, index=True)
    user_id = fields.Many2one(related="result_id.user_id", store=True, index=True)
    company_id = fields.Many2one(related="result_id.company_id", store=True, index=True)
    year = fields.Integer(related="result_id.year", store=True, aggregator=False)
    level_id = fields.Many2one(related="result_id.level_id", string="Level Decided")
    reason = fields.Text(required=True, help="What the employee asks to be reviewed, and why.")
    state = fields.Selection(
        APPEAL_STATES, string="Status", default="open", required=True, readonly=True, index=True,
        tracking=True, copy=False)
    decision_note = fields.Text(tracking=True, help="The answer of human resources, told to the employee.")
    decided_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    date_decided = fields.Datetime(string="Decided On", readonly=True, copy=False)
    is_officer = fields.Boolean(compute="_compute_is_officer")

    @api.depends("result_id")
    def _compute_display_name(self):
        for appeal in self:
            appeal.display_name = self.env._(
                "Request for review: %s", appeal.result_id.sudo().display_name or "")

    @api.depends_context("uid")
    def _compute_is_officer(self):
        is_officer = self.env.user.has_group(OFFICER)
        for appeal in self:
            appeal.is_officer = is_officer

    @api.constrains("result_id", "state")
    def _check_one_open(self):
        results = self.filtered(lambda appeal: appeal.state == "open").result_id
        if not results:
            return
        counts = self.sudo()._read_group(
            [("result_id", "in", results.ids), ("state", "=", "open")], ["result_id"], ["__count"])
        for result, count in counts:
            if count > 1:
                raise ValidationError(self.env._(
                    "There is already an open request for review of %s.", result.display_name))

    @api.model_create_multi
    def create(self, vals_list):
        is_officer = self.env.su or self.env.user.has_group(OFFICER)
        for vals in vals_list:
            result = self.env["civ.annual.result"].sudo().browse(vals.get("result_id"))
            if not is_officer:
                if set(vals) - {"result_id", "reason"}:
                    raise AccessError(
                        self.env._("A request for review gives only the result and the reason."))
                if result.user_id != self.env.user:
                    raise AccessError(self.env._("You can ask for a review of your own result only."))
            if result.state != "done":
                raise UserError(self.env._(
                    "Only a decided year-end result can be reviewed (%s).", result.display_name))
            if not (vals.get("reason") or "").strip():
                raise UserError(self.env._("Give the reason of your request for review."))
        appeals = super().create(vals_list)
        for appeal in appeals.sudo():
            appeal.result_id.message_post(
                body=self.env._("Request for review filed: %s", appeal.reason),
                message_type="comment", subtype_xmlid="mail.mt_note")
        return appeals

    def write(self, vals):
        if not self.env.su:
            if not self.env.user.has_group(OFFICER):
                raise AccessError(self.env._("Only human resources officers decide requests for review."))
            if "state" in vals or set(vals) & {"result_id", "decided_by_id", "date_decided"}:
                raise AccessError(self.env._("Use the Accept and Reject buttons to decide the request."))
            decided = self.filtered(lambda appeal: appeal.state != "open")
            if decided and any(not fname.startswith(("message_", "activity_")) for fname in vals):
                raise UserError(self.env._("A decided request for review cannot change."))
        return super().write(vals)

    def _decide(self, state, decision_note):
        if not self.env.su and not self.env.user.has_group(OFFICER):
            raise AccessError(self.env._("Only human resources officers decide requests for review."))
        self.check_access("write")
        for appeal in self:
            if appeal.state != "open":
                raise UserError(self.env._("The request %s is already decided.", appeal.display_name))
            note = (decision_note if decision_note is not None else appeal.decision_note) or ""
            if not note.strip():
                raise UserError(self.env._("Write the decision note before deciding the request."))
            appeal.sudo().write({
                "state": state,
                "decision_note": note,
                "decided_by_id": self.env.uid,
                "date_decided": fields.Datetime.now(),
            })
            result = appeal.result_id.sudo()
            if state == "accepted":
                result._set_draft()
                result.message_post(
                    body=self.env._("Request for review accepted: the result is back to draft. %s", note),
                    message_type="comment", subtype_xmlid="mail.mt_note")
            partner = appeal.user_id.partner_id
            if state == "accepted":
                body = self.env._("Your request for review was accepted: %s", note)
            else:
                body = self.env._("Your request for review was rejected: %s", note)
            appeal.sudo().message_post(
                body=body,
                message_type="comment", subtype_xmlid="mail.mt_note", partner_ids=partner.ids)
        return True

    def action_accept(self, decision_note=None):
        """Accept the request: the result is set back to draft for human resources to decide it again."""
        return self._decide("accepted", decision_note)

    def action_reject(self, decision_note=None):
        """Reject the request: the result stays as decided."""
        return self._decide("rejected", decision_note)
