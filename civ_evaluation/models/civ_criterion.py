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

    _civ_structure_fields = frozenset(
        {"group_id", "min_points", "max_points", "code", "points_source", "satisfaction_formula",
         "satisfaction_min_answers"}
    )  # fmt: skip

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

    points_source = fields.Selection(
        [("review", "Reviewers"), ("satisfaction", "Citizens' Satisfaction")],
        string="Points From",
        default="review",
        required=True,
        help="Citizens' Satisfaction: the reviewer's points of this criterion are filled from the answers "
        "of the period to the satisfaction surveys of the person's channels (TP.HCM QĐ 19/2025), by the "
        "formula below; with fewer answers than the minimum the reviewer's points stay.",
    )
    satisfaction_formula = fields.Selection(
        [
            ("share", "Share of Satisfied Answers × Maximum"),
            ("average", "Average Score of the Answers × Maximum"),
        ],
        default="share",
        help="Share: the satisfied answers (those reaching the survey's success score) over all the "
        "answers, times the criterion's maximum. Average: the answers' average score in percent, times "
        "the maximum.",
    )
    satisfaction_min_answers = fields.Integer(
        string="Minimum Answers",
        default=10,
        help="Below this number of answers in the period the reviewer's points are kept.",
    )

    def _satisfaction_points(self, count, satisfied, average_percent):
        """The points the answers give this criterion, or None below the minimum of answers."""
        self.ensure_one()
        if not count or count < max(self.satisfaction_min_answers, 1):
            return None
        share = satisfied / count if self.satisfaction_formula == "share" else average_percent / 100.0
        return round(self._clamp(share * self.max_points), 2)

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
