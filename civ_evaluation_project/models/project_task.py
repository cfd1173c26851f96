import math

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.civ_evaluation.models.civ_format import format_number
from odoo.addons.civ_evaluation.models.civ_numbers import MAX_WEIGHT


class ProjectTask(models.Model):
    _inherit = "project.task"

    civ_weight = fields.Float(
        string="Evaluation Coefficient",
        digits=(16, 2),
        help="Conversion coefficient (quy đổi) of this task as a product of the monthly evaluation; "
        "empty: the project's coefficient.",
    )
    civ_date_closed = fields.Datetime(
        string="Closed On",
        compute="_compute_civ_date_closed",
        store=True,
        readonly=False,
        copy=False,
        index=True,
        help="When the task was marked done: the month whose evaluation counts it as completed.",
    )

    @api.depends("state")
    def _compute_civ_date_closed(self):
        now = fields.Datetime.now()
        for task in self:
            if task.state == "1_done":
                task.civ_date_closed = task.civ_date_closed or task.date_end or now
            else:
                task.civ_date_closed = False

    @api.constrains("civ_weight")
    def _check_civ_weight(self):
        """The bound of a product line's coefficient (civ_numbers.MAX_WEIGHT); 0: the project's."""
        for task in self:
            if not (math.isfinite(task.civ_weight) and 0 <= task.civ_weight <= MAX_WEIGHT):
                raise ValidationError(
                    self.env._(
                        "The evaluation coefficient of the task %(task)s must be between 0 (the project's) "
                        "and %(limit)s.",
                        task=task.display_name,
                        limit=format_number(self.env, MAX_WEIGHT, trim=True),
                    )
                )

    def _civ_evaluation_weight(self):
        """The coefficient of the task as a product: its own, else its project's, else 1."""
        self.ensure_one()
        return self.civ_weight or self.project_id.civ_weight or 1.0
