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

    _civ_structure_fields = frozenset({"framework_id", "sequence", "code", "min_score"})

    framework_id = fields.Many2one("civ.framework", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10, help="Rank of the level: the best level comes first.")
    code = fields.Char(required=True, help="Short code, e.g. A, B, C, D.")
    name = fields.Char(required=True)
    min_score = fields.Float(
        string="Minimum Score", help="A total at or above this score reaches the level (inclusive)."
    )
    description = fields.Text()
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
