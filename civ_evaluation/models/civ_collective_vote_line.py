from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

from .civ_format import format_number
from .civ_numbers import parse_number


class CivCollectiveVoteLine(models.Model):
    """One member's points for one criterion of the sheet (civ.collective.vote); they start from what
    the previous level gave."""

    _name = "civ.collective.vote.line"
    _description = "Points of a Member of a Collective per Criterion"
    _inherit = ["civ.workflow.mixin"]
    _order = "vote_id, sequence, id"
    _workflow_parent = "vote_id"

    vote_id = fields.Many2one(
        "civ.collective.vote", required=True, readonly=True, index=True, ondelete="cascade"
    )
    line_id = fields.Many2one(
        "civ.evaluation.line",
        string="Sheet Line",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    criterion_id = fields.Many2one("civ.criterion", required=True, readonly=True, ondelete="restrict")
    sequence = fields.Integer(readonly=True, default=10)
    previous_points = fields.Float(
        string="Previous Level Points", readonly=True, help="What the previous level gave."
    )
    points = fields.Float(default=0.0)
    note = fields.Text(string="Remark")
    min_points = fields.Float(related="criterion_id.min_points")
    max_points = fields.Float(related="criterion_id.max_points")

    def _compute_display_name(self):
        for line in self:
            line.display_name = line.sudo().criterion_id.display_name

    @api.constrains("points")
    def _check_points_bounds(self):
        for line in self.sudo():
            criterion = line.criterion_id
            if not (criterion.min_points - 0.005 <= line.points <= criterion.max_points + 0.005):
                raise ValidationError(
                    self.env._(
                        "The points of %(criterion)s must be between %(min)s and %(max)s.",
                        criterion=criterion.display_name,
                        min=format_number(self.env, criterion.min_points, trim=True),
                        max=format_number(self.env, criterion.max_points, trim=True),
                    )
                )

    def _writable_outside_workflow(self):
        return dict(super()._writable_outside_workflow(), points="edit_vote", note="edit_vote")

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(self.env._("The votes of a collective are created by the workflow only."))
        return super().create(vals_list)

    def write(self, vals):
        self._check_direct_write(vals)
        if "points" in vals:
            number, problem = parse_number(vals["points"])
            if problem:
                raise ValidationError(self.env._("The points must be a number (%r).", vals["points"]))
            vals = dict(vals, points=number)
        return super().write(vals)

    def unlink(self):
        self._check_not_locked()
        if not self.env.su:
            raise AccessError(
                self.env._("The votes of a collective are part of their sheet: they cannot be deleted.")
            )
        return super().unlink()
