from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    civ_load_project_tasks = fields.Boolean(
        string="Load Project Tasks When a Period Opens",
        help="Opening a month fills the new evaluation sheets computed from products with the tasks of "
        "Project assigned to each person, with a deadline or closing in the month.",
    )
