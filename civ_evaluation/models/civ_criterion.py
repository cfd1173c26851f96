from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare

from .civ_criteria_group import _check_unique_codes
from .civ_framework import SCORE_DIGITS


class CivCriterion(models.Model):
    _name = "civ.criterion"
    _inherit = ["civ.framework.part"]
    _description = "Evaluation Criterion"
    _order = "framework_id, group_sequence, group_id, sequence, id"

    _civ_structure_fields = frozenset({"group_id", "min_points", "max_points", "code"})

    group_id = fields.Many2one("civ.criteria.group", required=True, ondelete="cascade", index=True)
    framework_id = fields.Many2one("civ.framework", related="group_id.framework_id", store=True, index=True)
    group_kind = fields.Selection(related="group_id.kind", string="Group Kind")
    group_sequence = fields.Integer(related="group_id.sequence", store=True, string="Group Sequence")
    sequence = fields.Integer(default=10)
    code = fields.Char(required=True)
    name = fields.Char(required=True)
    guidance = fields.Text(help="How to score this criterion: what earns the points, what loses them.")
    min_points = fields.Float(
        string="Minimum Points",
        help="Lowest points: 0, or a negative number for a criterion of a deduction group.",
    )
    max_points = fields.Float(
        string="Maximum Points", help="Highest points (0 for a criterion of a deduction group)."
    )

    def _civ_frameworks_of_vals(self, vals):
        if vals.get("group_id"):
            return self.env["civ.criteria.group"].browse(vals["group_id"]).framework_id
        return self.env["civ.framework"]

    @api.constrains("min_points", "max_points")
    def _check_points(self):
        for criterion in self:
            if float_compare(criterion.min_points, criterion.max_points, SCORE_DIGITS) > 0:
                raise ValidationError(
                    self.env._(
                        "The criterion %(criterion)s has a minimum (%(min)s) above its maximum (%(max)s).",
                        criterion=criterion.display_name,
                        min=criterion.min_points,
                        max=criterion.max_points,
                    )
                )

    @api.constrains("code", "group_id")
    def _check_code_unique(self):
        _check_unique_codes(self, self.env._("Several criteria of %(framework)s use the code %(code)s."))

    def _clamp(self, points):
        """Points limited to [min_points, max_points]."""
        return min(max(points, self.min_points), self.max_points)
