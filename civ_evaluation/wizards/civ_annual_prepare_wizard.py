from odoo import api, fields, models


class CivAnnualPrepareWizard(models.TransientModel):
    """Prepare (or refresh) the draft year-end results of one or several companies."""

    _name = "civ.annual.prepare.wizard"
    _description = "Prepare the Year-end Classification"

    @api.model
    def _default_year(self):
        today = fields.Date.context_today(self)
        # from July on the current year, earlier the year just ended
        return today.year if today.month >= 7 else today.year - 1

    @api.model
    def _default_company_ids(self):
        return self.env.company

    company_ids = fields.Many2many(
        "res.company",
        string="Companies",
        required=True,
        default=lambda self: self._default_company_ids(),
        domain=lambda self: [("id", "in", self.env.user.company_ids.ids)],
    )
    year = fields.Integer(required=True, default=lambda self: self._default_year())

    def action_prepare(self):
        self.ensure_one()
        self.env["civ.annual.result"].prepare_results(self.year, self.company_ids)
        action = self.env["ir.actions.act_window"]._for_xml_id("civ_evaluation.action_civ_annual_result")
        action["domain"] = [("year", "=", self.year), ("company_id", "in", self.company_ids.ids)]
        action["context"] = {"search_default_state_draft": 1}
        return action
