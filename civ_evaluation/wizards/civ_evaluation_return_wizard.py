from odoo import fields, models


class CivEvaluationReturnWizard(models.TransientModel):
    _name = "civ.evaluation.return.wizard"
    _description = "Return Evaluation Sheets for Rework"

    evaluation_ids = fields.Many2many("civ.evaluation", string="Evaluation Sheets", required=True)
    reason = fields.Text(required=True, help="Told to the employee: what to rework.")

    def action_confirm(self):
        self.ensure_one()
        self.evaluation_ids.action_return(self.reason)
        return {"type": "ir.actions.act_window_close"}
