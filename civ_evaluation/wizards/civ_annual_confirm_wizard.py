from odoo import api, fields, models


class CivAnnualConfirmWizard(models.TransientModel):
    """Submit draft year-end results for decision (the head of the agency decides): shows the
    year-end quota of the best level and asks for a
    reason when it would be exceeded."""

    _name = "civ.annual.confirm.wizard"
    _description = "Decide Year-end Results"

    result_ids = fields.Many2many("civ.annual.result", string="Year-end Results", required=True)
    result_count = fields.Integer(compute="_compute_quota")
    quota_message = fields.Text(string="Quota", compute="_compute_quota")
    quota_exceeded = fields.Boolean(compute="_compute_quota")
    quota_reason = fields.Text(help="Why the year-end quota of the best level is exceeded.")

    @api.depends("result_ids", "result_ids.level_id")
    def _compute_quota(self):
        for wizard in self:
            drafts = wizard.result_ids.filtered(lambda result: result.state == "draft")
            drafts._check_workflow_access("submit")
            checks = self.env["civ.quota.service"]._annual_status(drafts)
            wizard.result_count = len(drafts)
            wizard.quota_message = "\n".join(check["message"] for check in checks) or False
            wizard.quota_exceeded = any(check["exceeded"] for check in checks)

    def action_submit(self):
        self.ensure_one()
        self.result_ids.action_submit(quota_reason=self.quota_reason)
        return {"type": "ir.actions.act_window_close"}
