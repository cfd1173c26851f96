from odoo import api, fields, models
from odoo.exceptions import AccessError


class CivReviewStepPoint(models.Model):
    """What one reviewing level gave per criterion: the points and the remark of a re-scoring step,
    kept when the next level re-scores the shared line. Written by the workflow only (as superuser,
    when the step's reviewer approves: see civ.evaluation.action_approve)."""

    _name = "civ.review.step.point"
    _description = "Points of a Review Step per Criterion"
    _order = "step_id, line_id"

    step_id = fields.Many2one(
        "civ.review.step", string="Review Step", required=True, readonly=True, index=True, ondelete="cascade"
    )
    line_id = fields.Many2one(
        "civ.evaluation.line",
        string="Sheet Line",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    # the step's sheet, set by the workflow (no stored related field to compute per row)
    evaluation_id = fields.Many2one(
        "civ.evaluation",
        string="Evaluation Sheet",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    points = fields.Float(readonly=True)
    comment = fields.Text(readonly=True)

    _sql_constraints = [
        ("step_line_unique", "unique(step_id, line_id)", "A review step gives one set of points per line."),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(self.env._("The points of a review level are recorded by the workflow only."))
        return super().create(vals_list)

    def write(self, vals):
        self.evaluation_id._check_not_locked()
        if not self.env.su:
            raise AccessError(self.env._("The points of a review level are recorded by the workflow only."))
        return super().write(vals)

    def unlink(self):
        self.evaluation_id._check_not_locked()
        if not self.env.su:
            raise AccessError(self.env._("The points of a review level are recorded by the workflow only."))
        return super().unlink()
