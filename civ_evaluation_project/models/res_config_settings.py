from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    civ_load_project_tasks = fields.Boolean(related="company_id.civ_load_project_tasks", readonly=False)
