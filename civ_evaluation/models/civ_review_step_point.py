from odoo import api, fields, models
from odoo.exceptions import AccessError

from . import civ_sql


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
    # a member of a leadership collective (empty: the step's own points, for a collective step the
    # members' average)
    member_user_id = fields.Many2one("res.users", string="Member", readonly=True, ondelete="restrict")
    points = fields.Float(readonly=True)
    comment = fields.Text(readonly=True)

    def init(self):
        # one set of points per line for the step, one per member of a collective step
        civ_sql.step_point_unique_indexes(self.env)

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
