from odoo import Command, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare

from .civ_framework import SCORE_DIGITS, _fmt

# the published default (Nghị định 335/2025): (a + b + c) / 3 for everyone; leaders also weigh the
# results of the unit they lead and the organisation of its work (weights to be adjusted locally)
DEFAULT_COMPONENTS = (
    ("quantity", "everyone"),
    ("quality", "everyone"),
    ("progress", "everyone"),
    ("unit_result", "leaders"),
    ("unit_organisation", "leaders"),
)


class CivCriteriaGroup(models.Model):
    _name = "civ.criteria.group"
    _inherit = ["civ.framework.part"]
    _description = "Criteria Group"
    _order = "framework_id, sequence, id"

    _civ_structure_fields = frozenset(
        {
            "framework_id",
            "kind",
            "max_points",
            "min_points",
            "code",
            "scoring_mode",
            "product_error_cut",
            "product_delay_cut",
            "unit_result_level_id",
            "unit_result_min_score",
            "unit_result_full_percent",
            "unit_result_partial_percent",
        }
    )

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
    # task results computed from products and work (Nghị định 335/2025): see civ_product_scoring.py
    scoring_mode = fields.Selection(
        [("criteria", "Points Typed per Criterion"), ("products", "Computed from Products")],
        required=True,
        default="criteria",
        help="Computed from products: the group's points come from the products and work of the "
        "period (quantity a, quality b, progress c, and the components below), written on the "
        "group's one criterion; nobody types them.",
    )
    component_ids = fields.One2many(
        "civ.product.component",
        "group_id",
        string="Components",
        copy=True,
        help="The components of the task results and their weights: the group's percentage is their "
        "weighted mean.",
    )
    product_error_cut = fields.Float(
        string="Cut per Major Error (%)",
        default=25.0,
        help="Each major quality error of an item cuts this share of the item's quality, unless the "
        "reviewer confirms an objective cause.",
    )
    product_delay_cut = fields.Float(
        string="Cut per Delay (%)",
        default=25.0,
        help="Each delay of an item cuts this share of the item's progress, unless the reviewer "
        "confirms an objective cause.",
    )
    unit_result_level_id = fields.Many2one(
        "civ.level",
        string="Level Required in the Unit",
        ondelete="restrict",
        domain="[('framework_id', '=', framework_id)]",
        help="Results of the unit led: full when every person under the leader reaches at least "
        "this level, partial otherwise.",
    )
    unit_result_min_score = fields.Float(
        string="Points Required in the Unit",
        default=50.0,
        help="Decree 335/2025 (art. 15, 20): the results of the unit led count the POINTS of the people "
        "led, not their decided level: a person with at least these points (50: 'Hoàn thành nhiệm "
        "vụ') counts as completing. 0: the level required in the unit decides instead (the rule "
        "before version 18.0.1.2.0).",
    )
    unit_result_full_percent = fields.Float(string="Unit Result when Reached (%)", default=100.0)
    unit_result_partial_percent = fields.Float(string="Unit Result Otherwise (%)", default=50.0)
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

    @api.onchange("scoring_mode")
    def _onchange_scoring_mode(self):
        """A group computed from products carries its points on one criterion: proposed with the
        group's code, name and maximum when the group has none."""
        if self.scoring_mode == "products" and not self.criterion_ids:
            self.criterion_ids = [
                Command.create(
                    {
                        "code": self.code or "KQ",
                        "name": self.name or self.env._("Task results"),
                        "max_points": self.max_points,
                        "guidance": self.env._("Computed from the products and work of the period."),
                    }
                )
            ]
        if self.scoring_mode == "products" and not self.component_ids:
            self.component_ids = [
                Command.create({"component": name, "weight": 1.0, "applies_to": applies_to})
                for name, applies_to in DEFAULT_COMPONENTS
            ]

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
        if self.scoring_mode == "products":
            problems += self._product_problems()
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

    def _product_problems(self):
        """What a group computed from products needs: to be a standard group, one criterion worth the
        whole group, components with positive weights covering staff and leaders, cuts within
        0-100 %, and the level required in the unit when the unit's result is a component."""
        self.ensure_one()
        env, name = self.env, self.display_name
        problems = []
        if self.kind != "standard":
            problems.append(
                env._(
                    "The group %(group)s is computed from products: it must be a standard group.", group=name
                )
            )
        criteria = self.criterion_ids
        if (
            len(criteria) != 1
            or float_compare(criteria.max_points, self.max_points, SCORE_DIGITS)
            or float_compare(criteria.min_points, 0.0, SCORE_DIGITS)
        ):
            problems.append(
                env._(
                    "The group %(group)s is computed from products: it needs exactly one criterion, from 0 "
                    "to the group's maximum, which receives the computed points.",
                    group=name,
                )
            )
        components = self.component_ids
        for leader, label in ((False, env._("staff")), (True, env._("leaders"))):
            if not components.filtered(lambda c, leader=leader: c._applies(leader)):
                problems.append(
                    env._(
                        "The group %(group)s has no component of the task results for %(who)s.",
                        group=name,
                        who=label,
                    )
                )
        for fname in (
            "product_error_cut",
            "product_delay_cut",
            "unit_result_full_percent",
            "unit_result_partial_percent",
        ):
            value = self[fname]
            if value < 0 or value > 100:
                problems.append(
                    env._(
                        "%(field)s of the group %(group)s must be between 0 and 100.",
                        field=self._fields[fname]._description_string(env),
                        group=name,
                    )
                )
        if "unit_result" in components.mapped("component") and self.unit_result_min_score <= 0:
            level = self.unit_result_level_id
            if not level or level.framework_id != self.framework_id:
                problems.append(
                    env._(
                        "The group %(group)s weighs the results of the unit led: choose the level every "
                        "person under the leader must reach (a level of this framework).",
                        group=name,
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
