from odoo import fields, models


class ProjectProject(models.Model):
    _inherit = "project.project"

    civ_weight = fields.Float(
        string="Evaluation Coefficient",
        default=1.0,
        digits=(16, 2),
        help="Conversion coefficient (quy đổi) of this project's tasks when they are loaded as products "
        "and work of the monthly evaluation, unless a task has its own.",
    )
