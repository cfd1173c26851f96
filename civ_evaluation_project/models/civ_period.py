from odoo import models


class CivPeriod(models.Model):
    _inherit = "civ.period"

    def _open(self, limit=None):
        """Opening a month also loads the tasks of Project into the new sheets of the companies that
        ask for it (one batch for all the sheets created)."""
        created = super()._open(limit=limit)
        to_load = created.sudo().filtered(lambda sheet: sheet.company_id.civ_load_project_tasks)
        if to_load:
            to_load._civ_load_project_tasks()
        return created
