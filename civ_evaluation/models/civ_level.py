from odoo import api, fields, models
from odoo.exceptions import UserError

from .civ_arguments import id_argument
from .civ_criteria_group import _check_unique_codes


class CivLevel(models.Model):
    _name = "civ.level"
    _inherit = ["civ.framework.part"]
    _description = "Evaluation Level"
    _order = "framework_id, sequence, id"
    _rec_names_search = ["code", "name"]

    _civ_structure_fields = frozenset(
        {
            "framework_id",
            "sequence",
            "code",
            "min_score",
            "product_conditions",
            "min_quality_percent",
            "max_late_percent",
            "min_exceeded_percent",
        }
    )

    framework_id = fields.Many2one("civ.framework", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10, help="Rank of the level: the best level comes first.")
    code = fields.Char(required=True, help="Short code, e.g. A, B, C, D.")
    name = fields.Char(required=True)
    min_score = fields.Float(
        string="Minimum Score", help="A total at or above this score reaches the level (inclusive)."
    )
    description = fields.Text()
    # Conditions beyond the points (Quy định 366-QĐ/TW), checked on the sheet's products at the decision:
    # a sheet whose products miss a condition of its level gets the next level that it meets
    product_conditions = fields.Boolean(
        string="Conditions on the Products",
        help="Besides the minimum score, the level needs the products of the period to meet the conditions "
        "below (Regulation 366-QĐ/TW: A needs 100% of the tasks on time with quality and at least 30% "
        "exceeding the requirements; B needs 100% on time; for collectives C allows at most 20% late). "
        "A sheet that misses them gets the next level whose conditions it meets, with the reason shown. "
        "Shares are over the converted quantities assigned.",
    )
    min_quality_percent = fields.Float(
        string="Min. % Meeting Requirements",
        help="At least this share of the tasks completed meeting the requirements (100 for A under 366).",
    )
    max_late_percent = fields.Float(
        string="Max. % Late",
        default=100.0,
        help="At most this share of the tasks not completed on time (0: all on time; 20 for the C of "
        "collectives under 366).",
    )
    min_exceeded_percent = fields.Float(
        string="Min. % Exceeding Requirements",
        help="At least this share of the tasks exceeding the requirements (30 for A under 366).",
    )
    annual_min_months = fields.Integer(
        string="Year-end: Months at this Level or Better",
        help="Used by the year-end rule 'Months at each level': a person with at least this many "
        "months at this level or better gets this level at year end (the best level reached wins; "
        "the lowest level otherwise). 0: the level is not given by this rule.",
    )
    is_best = fields.Boolean(
        string="Best Level", compute="_compute_rank", help="The best level of its framework."
    )
    is_lowest = fields.Boolean(
        string="Lowest Level", compute="_compute_rank", help="The lowest level of its framework."
    )

    @api.depends("sequence", "framework_id.level_ids.sequence")
    def _compute_rank(self):
        for level in self:
            ranked = level.framework_id._sorted_levels()
            level.is_best = bool(ranked) and ranked[0] == level
            level.is_lowest = bool(ranked) and ranked[-1] == level

    @api.constrains("min_quality_percent", "max_late_percent", "min_exceeded_percent")
    def _check_condition_percents(self):
        for level in self:
            values = (level.min_quality_percent, level.max_late_percent, level.min_exceeded_percent)
            if any(not 0.0 <= value <= 100.0 for value in values):
                raise UserError(
                    self.env._(
                        "The conditions of the level %s are percentages from 0 to 100.", level.display_name
                    )
                )

    def _condition_failures(self, shares):
        """What the products miss of this level's conditions: [text], empty when they meet them (or
        the level has none).

        :param dict shares: civ_product_scoring.condition_shares (None: no task assigned)
        """
        self.ensure_one()
        if not self.product_conditions:
            return []
        if shares is None:
            return [self.env._("no task recorded to show the conditions of %s", self.code)]
        failures = []
        checks = (
            (
                shares["quality"] < self.min_quality_percent,
                self.env._(
                    "%(share)s%% of the tasks meet the requirements, %(level)s needs at least %(limit)s%%",
                    share=_pct(shares["quality"]),
                    level=self.code,
                    limit=_pct(self.min_quality_percent),
                ),
            ),
            (
                shares["late"] > self.max_late_percent,
                self.env._(
                    "%(share)s%% of the tasks are late, %(level)s allows at most %(limit)s%%",
                    share=_pct(shares["late"]),
                    level=self.code,
                    limit=_pct(self.max_late_percent),
                ),
            ),
            (
                shares["exceeded"] < self.min_exceeded_percent,
                self.env._(
                    "%(share)s%% of the tasks exceed the requirements, %(level)s needs at least %(limit)s%%",
                    share=_pct(shares["exceeded"]),
                    level=self.code,
                    limit=_pct(self.min_exceeded_percent),
                ),
            ),
        )
        for failed, text in checks:
            if failed:
                failures.append(text)
        return failures

    @api.constrains("code", "framework_id")
    def _check_code_unique(self):
        _check_unique_codes(self, self.env._("Several levels of %(framework)s use the code %(code)s."))

    def is_at_least(self, other):
        """Whether this level is as good as other (a level, or its id) or better (same framework,
        by rank)."""
        if len(self) != 1:
            raise UserError(self.env._("Give exactly one level (%s given).", len(self)))
        if not isinstance(other, models.BaseModel):
            other = self.browse(
                id_argument(self.env, "civ.level", other, self.env._("The other level")) or ()
            )
        elif other._name != self._name or len(other) > 1:
            raise UserError(self.env._("The other level must be one level."))
        return bool(other) and self.sequence <= other.sequence


def _pct(value):
    return format(round(value, 2), "g")
