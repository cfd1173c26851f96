from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

REOPEN_TARGETS = [
    ("previous", "As before the lock"),
    ("decision", "Back to the decision step"),
    ("draft", "Back to the employee's self-assessment"),
]


class CivReopenWizard(models.TransientModel):
    """Reopen a locked period (with all its sheets) or one locked sheet, with a reason logged in
    the chatter. Administrators only; the state change bypasses the lock guards by a direct SQL
    update made after these checks."""

    _name = "civ.reopen.wizard"
    _description = "Reopen a Locked Evaluation Period or Sheet"

    period_id = fields.Many2one("civ.period")
    evaluation_id = fields.Many2one("civ.evaluation", string="Evaluation Sheet")
    target = fields.Selection(
        REOPEN_TARGETS,
        string="Reopen Sheet",
        default="previous",
        required=True,
        help="For one sheet: where its workflow starts again.",
    )
    reason = fields.Text(required=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        model, active_id = self.env.context.get("active_model"), self.env.context.get("active_id")
        if active_id and model == "civ.period" and "period_id" in fields_list:
            values.setdefault("period_id", active_id)
        if active_id and model == "civ.evaluation" and "evaluation_id" in fields_list:
            values.setdefault("evaluation_id", active_id)
        return values

    def action_reopen(self):
        self.ensure_one()
        if not self.env["civ.period"]._is_admin():
            raise AccessError(self.env._("Only evaluation administrators can reopen a locked month."))
        reason = (self.reason or "").strip()
        if not reason:
            raise UserError(self.env._("Give the reason for reopening."))
        if self.period_id:
            if self.period_id.state != "locked":
                raise UserError(self.env._("The period %s is not locked.", self.period_id.display_name))
            self.period_id._reopen(reason)
        elif self.evaluation_id:
            sheet = self.evaluation_id
            if sheet.state != "locked":
                raise UserError(self.env._("The sheet %s is not locked.", sheet.display_name))
            sheet._check_workflow_access("reopen")
            sheet.period_id._discard_seal(reason)
            sheet._reopen_sheets(self.target)
            sheet.sudo().message_post(
                body=self.env._(
                    "Sheet reopened by %(user)s. Reason: %(reason)s", user=self.env.user.name, reason=reason
                )
            )
        else:
            raise UserError(self.env._("Choose the period or the sheet to reopen."))
        return {"type": "ir.actions.act_window_close"}
