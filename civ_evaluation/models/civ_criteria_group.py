from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare

from .civ_framework import SCORE_DIGITS, _fmt


class CivCriteriaGroup(models.Model):
    _name = "civ.criteria.group"
    _inherit = ["civ.framework.part"]
    _description = "Criteria Group"
    _order = "framework_id, sequence, id"

    _civ_structure_fields = frozenset({"framework_id", "kind", "max_points", "min_points", "code"})

    framework_id = fields.Many2one("civ.framework", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    code = fields.Char(required=True)
    name = fields.Char(required=True)
    description = fields.Text()
    kind = fields.Selection(
        [("standard", "Standard"), ("bonus", "Bonus"), ("deduction", "Deduction")],
        required=True,
        default="standard",
        help="Standard groups make up the maximum score of the framework; bonus groups add on top "
        "of it (within the score ceiling); deduction groups take points off.",
    )
    max_points = fields.Float(
        string="Maximum Points",
        help="Highest subtotal of a standard or bonus group (0 for a deduction group).",
    )
    min_points = fields.Float(
        string="Minimum Points",
        help="Deduction groups only: the largest deduction, as a negative number (e.g. -10). "
        "The subtotal of a standard or bonus group is never below 0.",
    )
    criterion_ids = fields.One2many("civ.criterion", "group_id", string="Criteria", copy=True)
    criteria_max_total = fields.Float(
        string="Criteria Total",
        compute="_compute_criteria_max_total",
        help="Sum of the maximum points of the criteria of the group.",
    )

    @api.depends("criterion_ids.max_points")
    def _compute_criteria_max_total(self):
        for group in self:
            group.criteria_max_total = sum(group.criterion_ids.mapped("max_points"))

    @api.onchange("kind")
    def _onchange_kind(self):
        if self.kind == "deduction":
            self.max_points = 0.0
        else:
            self.min_points = 0.0

    @api.constrains("kind", "min_points", "max_points")
    def _check_points(self):
        for group in self:
            if group.kind == "deduction":
                if float_compare(group.min_points, 0.0, SCORE_DIGITS) > 0:
                    raise ValidationError(
                        self.env._(
                            "The deduction group %(group)s must have a minimum of 0 or less (the largest "
                            "deduction, e.g. -10), not %(min)s.",
                            group=group.display_name,
                            min=_fmt(self.env, group.min_points),
                        )
                    )
            elif float_compare(group.max_points, 0.0, SCORE_DIGITS) < 0:
                raise ValidationError(
                    self.env._(
                        "The group %(group)s cannot have a negative maximum: use a deduction group.",
                        group=group.display_name,
                    )
                )

    @api.constrains("code", "framework_id")
    def _check_code_unique(self):
        _check_unique_codes(
            self, self.env._("Several criteria groups of %(framework)s use the code %(code)s.")
        )

    def _limits(self):
        """[min, max] of the group's subtotal."""
        self.ensure_one()
        if self.kind == "deduction":
            return min(self.min_points, 0.0), 0.0
        return 0.0, max(self.max_points, 0.0)

    def _clamp(self, subtotal):
        low, high = self._limits()
        return min(max(subtotal, low), high)

    def _problems(self):
        """Consistency problems of the group and its criteria (translated messages)."""
        self.ensure_one()
        problems = []
        name = self.display_name
        if self.kind == "deduction":
            if float_compare(self.min_points, 0.0, SCORE_DIGITS) > 0:
                problems.append(
                    self.env._("The deduction group %(group)s must have a minimum of 0 or less.", group=name)
                )
            if float_compare(self.max_points, 0.0, SCORE_DIGITS):
                problems.append(
                    self.env._("The deduction group %(group)s must have a maximum of 0.", group=name)
                )
        elif float_compare(self.max_points, 0.0, SCORE_DIGITS) <= 0:
            problems.append(self.env._("The group %(group)s needs a positive maximum.", group=name))
        if not self.criterion_ids:
            problems.append(self.env._("The group %(group)s has no criteria.", group=name))
        for criterion in self.criterion_ids:
            if float_compare(criterion.min_points, criterion.max_points, SCORE_DIGITS) > 0:
                problems.append(
                    self.env._(
                        "The criterion %(criterion)s has a minimum above its maximum.",
                        criterion=criterion.display_name,
                    )
                )
            if self.kind == "deduction":
                if float_compare(criterion.max_points, 0.0, SCORE_DIGITS) > 0:
                    problems.append(
                        self.env._(
                            "The criterion %(criterion)s of the deduction group %(group)s can only "
                            "deduct points: its maximum must be 0.",
                            criterion=criterion.display_name,
                            group=name,
                        )
                    )
            elif float_compare(criterion.min_points, 0.0, SCORE_DIGITS) < 0:
                problems.append(
                    self.env._(
                        "The criterion %(criterion)s cannot go below 0: put deductions in a deduction group.",
                        criterion=criterion.display_name,
                    )
                )
        if self.kind != "deduction" and self.criterion_ids:
            total = sum(self.criterion_ids.mapped("max_points"))
            if float_compare(total, self.max_points, SCORE_DIGITS) > 0:
                problems.append(
                    self.env._(
                        "The criteria of the group %(group)s add up to %(total)s points, more than the "
                        "group's maximum %(max)s.",
                        group=name,
                        total=_fmt(self.env, total),
                        max=_fmt(self.env, self.max_points),
                    )
                )
        return problems


def _check_unique_codes(records, message):
    """Raise ValidationError if a code of records is used twice in the same framework.

    message takes %(framework)s and %(code)s.
    """
    frameworks = records.framework_id
    if not frameworks:
        return
    Model = records.env[records._name].with_context(active_test=False)
    for framework, codes in Model._read_group(
        [("framework_id", "in", frameworks.ids)], ["framework_id"], ["code:array_agg"]
    ):
        seen = set()
        for code in codes:
            key = (code or "").strip().upper()
            if key and key in seen:
                raise ValidationError(message % {"framework": framework.display_name, "code": code})
            seen.add(key)
