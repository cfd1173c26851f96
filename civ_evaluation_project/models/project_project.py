import math

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.civ_evaluation.models.civ_format import format_number
from odoo.addons.civ_evaluation.models.civ_numbers import MAX_WEIGHT


class ProjectProject(models.Model):
    _inherit = "project.project"

    civ_weight = fields.Float(
        string="Evaluation Coefficient",
        default=1.0,
        digits=(16, 2),
        help="Conversion coefficient (quy đổi) of this project's tasks when they are loaded as products "
        "and work of the monthly evaluation, unless a task has its own.",
    )

    @api.constrains("civ_weight")
    def _check_civ_weight(self):
        """The bound of a product line's coefficient (civ_numbers.MAX_WEIGHT); 0 gives the tasks 1."""
        for project in self:
            if not (math.isfinite(project.civ_weight) and 0 <= project.civ_weight <= MAX_WEIGHT):
                raise ValidationError(
                    self.env._(
                        "The evaluation coefficient of the project %(project)s must be between 0 and "
                        "%(limit)s.",
                        project=project.display_name,
                        limit=format_number(self.env, MAX_WEIGHT, trim=True),
                    )
                )
