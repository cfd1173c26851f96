from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare

from .civ_framework import SCORE_DIGITS, _fmt


class CivQuota(models.Model):
    _name = "civ.quota"
    _inherit = ["civ.framework.part"]
    _description = "Level Quota"
    _order = "framework_id, sequence, id"

    _civ_structure_fields = frozenset(
        {
            "framework_id",
            "level_id",
            "basis",
            "basis_level_id",
            "max_percent",
            "exceptional_max_percent",
            "scope",
        }
    )

    framework_id = fields.Many2one("civ.framework", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    level_id = fields.Many2one(
        "civ.level",
        required=True,
        ondelete="cascade",
        domain="[('framework_id', '=', framework_id)]",
        help="The level whose share is limited.",
    )
    basis = fields.Selection(
        [
            ("evaluated", "Everyone Evaluated"),
            ("level_or_above", "Graded at a Level or Above"),
            ("level_exact", "Graded at a Level"),
        ],
        required=True,
        default="evaluated",
        help="What the percentage is taken of: everyone evaluated in the scope; only those graded at "
        "the basis level or above; or only those graded at the basis level itself (Nghị định "
        '335/2025: "Hoàn thành xuất sắc" ≤ 20% of the number graded "Hoàn thành tốt": 10 B allow 2 A, '
        "whatever the number of A).",
    )
    basis_level_id = fields.Many2one(
        "civ.level",
        ondelete="restrict",
        domain="[('framework_id', '=', framework_id)]",
        help='The level the basis counts (with the levels above it for "Graded at a Level or Above").',
    )
    max_percent = fields.Float(string="Maximum %", required=True, default=100.0)
    exceptional_max_percent = fields.Float(
        string="Exceptional Maximum %",
        help="Maximum share where the unit itself is recognised as outstanding (flag set with a reason "
        "on the evaluation period by human resources, or on the agency's year for the year-end). "
        "Leave 0 to use the maximum % in every case.",
    )
    scope = fields.Selection(
        [
            ("department", "Per Department"),
            ("company", "Per Agency"),
            ("duty_group", "Per Group of Similar Duties"),
        ],
        required=True,
        default="department",
        help="The set of people the quota is checked on: each department, the whole agency, or each "
        "group of people with similar duties of the agency (set on job positions or employees; "
        "people without a group are counted in the agency only).",
    )
    note = fields.Text()

    @api.depends("level_id", "max_percent", "basis", "basis_level_id")
    def _compute_display_name(self):
        for quota in self:
            if quota.basis == "level_exact":
                quota.display_name = self.env._(
                    "%(level)s ≤ %(percent)s%% of those graded %(basis)s",
                    level=quota.level_id.code or "",
                    percent=_fmt(self.env, quota.max_percent),
                    basis=quota.basis_level_id.code or "",
                )
            elif quota.basis == "level_or_above":
                quota.display_name = self.env._(
                    "%(level)s ≤ %(percent)s%% of %(basis)s or above",
                    level=quota.level_id.code or "",
                    percent=_fmt(self.env, quota.max_percent),
                    basis=quota.basis_level_id.code or "",
                )
            else:
                quota.display_name = self.env._(
                    "%(level)s ≤ %(percent)s%% of those evaluated",
                    level=quota.level_id.code or "",
                    percent=_fmt(self.env, quota.max_percent),
                )

    @api.constrains("max_percent", "exceptional_max_percent")
    def _check_percent(self):
        for quota in self:
            for value in (quota.max_percent, quota.exceptional_max_percent):
                if (
                    float_compare(value, 0.0, SCORE_DIGITS) < 0
                    or float_compare(value, 100.0, SCORE_DIGITS) > 0
                ):
                    raise ValidationError(
                        self.env._(
                            "Quota percentages must be between 0 and 100 (quota %(quota)s: %(value)s).",
                            quota=quota.display_name,
                            value=_fmt(self.env, value),
                        )
                    )

    @api.constrains("framework_id", "level_id", "basis", "basis_level_id")
    def _check_levels(self):
        for quota in self:
            if quota.level_id.framework_id != quota.framework_id:
                raise ValidationError(
                    self.env._(
                        "The level of a quota must belong to the quota's framework (%(framework)s).",
                        framework=quota.framework_id.display_name,
                    )
                )
            if quota.basis in ("level_or_above", "level_exact"):
                if not quota.basis_level_id:
                    raise ValidationError(
                        self.env._(
                            "The quota on %(level)s is taken of those graded at a level: choose that level.",
                            level=quota.level_id.code,
                        )
                    )
                if quota.basis_level_id.framework_id != quota.framework_id:
                    raise ValidationError(
                        self.env._(
                            "The basis level of a quota must belong to the quota's framework "
                            "(%(framework)s).",
                            framework=quota.framework_id.display_name,
                        )
                    )

    def _max_percent(self, exceptional=False):
        self.ensure_one()
        if exceptional:
            return max(self.exceptional_max_percent, self.max_percent)
        return self.max_percent

    def _problems(self):
        """Consistency problems of the quota (translated messages)."""
        self.ensure_one()
        problems = []
        name = self.display_name
        for value in (self.max_percent, self.exceptional_max_percent):
            if float_compare(value, 0.0, SCORE_DIGITS) < 0 or float_compare(value, 100.0, SCORE_DIGITS) > 0:
                problems.append(
                    self.env._("The quota %(quota)s: percentages must be between 0 and 100.", quota=name)
                )
        if self.exceptional_max_percent and (
            float_compare(self.exceptional_max_percent, self.max_percent, SCORE_DIGITS) < 0
        ):
            problems.append(
                self.env._(
                    "The quota %(quota)s: the exceptional maximum is below the normal maximum.",
                    quota=name,
                )
            )
        if self.basis in ("level_or_above", "level_exact"):
            if not self.basis_level_id:
                problems.append(self.env._("The quota %(quota)s has no basis level.", quota=name))
            elif self.basis == "level_or_above" and self.level_id.sequence > self.basis_level_id.sequence:
                problems.append(
                    self.env._(
                        "The quota %(quota)s: the level %(level)s is below the basis level %(basis)s.",
                        quota=name,
                        level=self.level_id.code,
                        basis=self.basis_level_id.code,
                    )
                )
        return problems
