from odoo import api, fields, models
from odoo.exceptions import UserError


class CivQuotaOverrideWizard(models.TransientModel):
    """Opened by the Approve / Decide buttons when the decision would exceed a quota of the
    framework: shows the figures and asks the deciding reviewer for the reason, stored on the sheets."""

    _name = "civ.quota.override.wizard"
    _description = "Decide above a Quota"

    evaluation_ids = fields.Many2many("civ.evaluation", string="Evaluation Sheets", required=True)
    figures = fields.Text(compute="_compute_figures", string="Quotas Exceeded")
    reason = fields.Text(
        required=True,
        help="Why these people deserve this level although the quota is exceeded (e.g. the unit is "
        "exceptionally outstanding this month). Stored on the sheets and shown to human resources.",
    )

    @api.depends("evaluation_ids")
    def _compute_figures(self):
        for wizard in self:
            # the saved sheets (the form's onchange gives new records): the period's quota service
            sheets = wizard.evaluation_ids._origin
            # the figures are for the reviewer deciding these sheets, and nobody else
            sheets._check_workflow_access("approve")
            results = sheets._decision_results()
            deciding = sheets.sudo().filtered(lambda sheet, results=results: sheet.id in results)
            breaches = self.env["civ.quota.service"]._sheet_breaches(
                deciding, {sheet_id: result["level"] for sheet_id, result in results.items()}
            )
            wizard.figures = "\n".join(self.env["civ.quota.service"]._breach_lines(sheets, breaches)) or False

    @api.model_create_multi
    def create(self, vals_list):
        wizards = super().create(vals_list)
        for wizard in wizards:
            wizard.evaluation_ids._check_workflow_access("approve")
        return wizards

    def action_confirm(self):
        self.ensure_one()
        if not (self.reason or "").strip():
            raise UserError(self.env._("Give the reason for deciding above the quota."))
        self.evaluation_ids.action_approve(quota_reason=self.reason)
        return {"type": "ir.actions.act_window_close"}
