import math
from collections import Counter

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_round

from . import civ_product_scoring
from .civ_arguments import bool_argument, id_argument, number_argument
from .civ_format import format_number, format_percent
from .civ_framework_part import changed_records

# precision of points, scores and percentages
SCORE_DIGITS = 2

# what the consistency checks read
VALIDITY_DEPENDS = (
    "max_score",
    "score_ceiling",
    "allow_negative_total",
    "group_ids.kind",
    "group_ids.code",
    "group_ids.max_points",
    "group_ids.min_points",
    "group_ids.criterion_ids.code",
    "group_ids.criterion_ids.min_points",
    "group_ids.criterion_ids.max_points",
    "group_ids.scoring_mode",
    "group_ids.product_error_cut",
    "group_ids.product_delay_cut",
    "group_ids.unit_result_level_id",
    "group_ids.unit_result_full_percent",
    "group_ids.unit_result_partial_percent",
    "group_ids.component_ids.component",
    "group_ids.component_ids.weight",
    "group_ids.component_ids.applies_to",
    "level_ids.sequence",
    "level_ids.code",
    "level_ids.min_score",
    "quota_ids.level_id",
    "quota_ids.basis",
    "quota_ids.basis_level_id",
    "quota_ids.max_percent",
    "quota_ids.exceptional_max_percent",
)


class CivFramework(models.Model):
    """A criteria framework (khung tiêu chí): how people are scored.

    The framework is the single scoring service of the addon (compute_score, level_for_score) and
    the single quota service (check_quotas). Its structure (groups, criteria, levels, quotas and
    their points/limits/codes) is frozen as soon as an evaluation uses it: archive it or copy it
    into a new version instead.
    """

    _name = "civ.framework"
    _description = "Criteria Framework"
    _inherit = ["mail.thread"]
    _order = "sequence, name, version desc, id"

    # fields of the framework itself that change how people are scored
    _civ_structure_fields = frozenset({"max_score", "score_ceiling", "allow_negative_total", "period_kind"})

    name = fields.Char(required=True, tracking=True)
    code = fields.Char(required=True, tracking=True, help="Short reference used in exports and integrations.")
    version = fields.Integer(
        default=1,
        required=True,
        copy=False,
        tracking=True,
        help="Version number: a framework in use is not changed, a new version is copied from it.",
    )
    origin_id = fields.Many2one(
        "civ.framework",
        string="Copied From",
        copy=False,
        readonly=True,
        ondelete="set null",
        help="The framework this version was copied from.",
    )
    sequence = fields.Integer(default=10)
    legal_basis = fields.Text(help="The legal texts this framework implements.")
    description = fields.Html(help="How this framework is applied; what may be adjusted locally.")
    period_kind = fields.Selection(
        [("month", "Monthly"), ("quarter", "Quarterly")],
        string="Period",
        required=True,
        default="month",
        tracking=True,
    )
    max_score = fields.Float(
        string="Maximum Score",
        required=True,
        default=100.0,
        tracking=True,
        help="Sum of the maxima of the standard groups. Bonus groups come on top of it, up to the "
        "score ceiling.",
    )
    score_ceiling = fields.Float(
        compute="_compute_score_ceiling",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        help="No total goes above this score, bonus included. At least the maximum score.",
    )
    allow_negative_total = fields.Boolean(
        tracking=True, help="If unchecked, deductions cannot take a total below 0."
    )
    group_ids = fields.One2many("civ.criteria.group", "framework_id", string="Criteria Groups")
    criterion_ids = fields.One2many("civ.criterion", "framework_id", string="Criteria")
    level_ids = fields.One2many("civ.level", "framework_id", string="Levels")
    quota_ids = fields.One2many("civ.quota", "framework_id", string="Quotas")
    state = fields.Selection(
        [("draft", "Draft"), ("validated", "Validated")],
        required=True,
        default="draft",
        copy=False,
        tracking=True,
        help="Only validated, valid and active frameworks can be used by evaluation periods.",
    )
    is_valid = fields.Boolean(
        string="Valid",
        compute="_compute_is_valid",
        store=True,
        help="The framework passes every consistency check (see the problems listed on the form).",
    )
    validation_message = fields.Text(string="Problems", compute="_compute_validation_message")
    is_used = fields.Boolean(
        string="Used",
        compute="_compute_is_used",
        help="Used by evaluations: its structure can no longer change (archive it or copy a new version).",
    )
    max_total = fields.Float(
        string="Highest Total",
        compute="_compute_max_total",
        help="Highest total reachable: the maximum score plus the bonus groups, within the ceiling.",
    )
    active = fields.Boolean(default=True, tracking=True)
    feedback_survey_id = fields.Many2one(
        "survey.survey",
        string="Colleague Feedback Form",
        domain="[('survey_type', '=', 'civ_feedback')]",
        tracking=True,
        help="The form colleagues answer when asked for feedback on a sheet of this framework (Surveys app).",
    )
    company_id = fields.Many2one(
        "res.company",
        tracking=True,
        default=lambda self: self.env.company,
        help="Empty: shared by every company.",
    )
    civil_servants_until = fields.Date(
        string="For Civil Servants Until",
        tracking=True,
        help="Not usable for civil servants (công chức) in periods that start on or after this day. Hà Nội "
        "3814-QĐ/TU: 1/1/2026, since Decree 335/2025 governs the evaluation of civil servants; it stays "
        "usable for public employees and contract staff.",
    )

    # ------------------------------------------------------------------ who may be graded with it
    def _refusal_for_category(self, category, day):
        """Why this framework may not grade people of category in a period that starts on day (False:
        it may). day False: a rule with no end, which reaches every later period."""
        self.ensure_one()
        until = self.civil_servants_until
        if category != "cong_chuc" or not until or (day and day < until):
            return False
        return self.env._(
            "The framework %(framework)s cannot grade civil servants (công chức) in periods starting on or "
            "after %(date)s: Decree 335/2025/NĐ-CP governs their evaluation. It stays usable for public "
            "employees and contract staff.",
            framework=self.display_name,
            date=until.strftime("%d/%m/%Y"),
        )

    # ------------------------------------------------------------------ computes

    @api.depends("max_score")
    def _compute_score_ceiling(self):
        for framework in self:
            if float_compare(framework.score_ceiling, framework.max_score, SCORE_DIGITS) < 0:
                framework.score_ceiling = framework.max_score

    @api.depends(*VALIDITY_DEPENDS)
    def _compute_is_valid(self):
        problems = self._get_problems()
        for framework in self:
            framework.is_valid = not problems[framework.id]

    @api.depends(*VALIDITY_DEPENDS)
    def _compute_validation_message(self):
        problems = self._get_problems()
        for framework in self:
            framework.validation_message = "\n".join(problems[framework.id]) or False

    def _compute_is_used(self):
        used = self._is_used()
        for framework in self:
            framework.is_used = used.get(framework.id, False)

    @api.depends("max_score", "score_ceiling", "group_ids.kind", "group_ids.max_points")
    def _compute_max_total(self):
        for framework in self:
            bonus = sum(framework.group_ids.filtered(lambda g: g.kind == "bonus").mapped("max_points"))
            framework.max_total = min(framework.max_score + bonus, framework._ceiling())

    @api.depends("name", "version")
    def _compute_display_name(self):
        for framework in self:
            if framework.version > 1:
                framework.display_name = self.env._(
                    "%(name)s (v%(version)s)", name=framework.name, version=framework.version
                )
            else:
                framework.display_name = framework.name

    # ------------------------------------------------------------------ validation

    def _get_problems(self):
        """Check every consistency rule.

        :returns: {framework id: [translated message, ...]}; an empty list means valid.
        """
        return {framework.id: framework._problems_of_one() for framework in self}

    def _problems_of_one(self):
        self.ensure_one()
        problems = []
        groups = self.group_ids
        standard = groups.filtered(lambda g: g.kind == "standard")
        if float_compare(self.max_score, 0.0, SCORE_DIGITS) <= 0:
            problems.append(self.env._("The maximum score must be positive."))
        if not standard:
            problems.append(self.env._("The framework needs at least one standard criteria group."))
        standard_sum = sum(standard.mapped("max_points"))
        if standard and float_compare(standard_sum, self.max_score, SCORE_DIGITS):
            problems.append(
                self.env._(
                    "The standard groups add up to %(sum)s points, not to the maximum score %(max)s.",
                    sum=_fmt(self.env, standard_sum),
                    max=_fmt(self.env, self.max_score),
                )
            )
        if float_compare(self._ceiling(), self.max_score, SCORE_DIGITS) < 0:
            problems.append(
                self.env._(
                    "The score ceiling %(ceiling)s is below the maximum score %(max)s.",
                    ceiling=_fmt(self.env, self._ceiling()),
                    max=_fmt(self.env, self.max_score),
                )
            )
        for group in groups:
            problems += group._problems()
        problems += self._duplicate_code_problems(
            groups, self.env._("Several criteria groups use the code %(code)s.")
        )
        problems += self._duplicate_code_problems(
            groups.criterion_ids, self.env._("Several criteria use the code %(code)s.")
        )
        problems += self._level_problems()
        for quota in self.quota_ids:
            problems += quota._problems()
        return problems

    @staticmethod
    def _duplicate_code_problems(records, message):
        counts = Counter(code.strip().upper() for code in records.mapped("code") if code)
        return [message % {"code": code} for code, count in sorted(counts.items()) if count > 1]

    def _level_problems(self):
        levels = self._sorted_levels()
        if not levels:
            return [self.env._("The framework needs at least one level.")]
        problems = self._duplicate_code_problems(levels, self.env._("Several levels use the code %(code)s."))
        for better, worse in zip(levels, levels[1:], strict=False):
            if better.sequence == worse.sequence:
                problems.append(
                    self.env._(
                        "Levels %(first)s and %(second)s have the same rank (sequence): order them.",
                        first=better.code,
                        second=worse.code,
                    )
                )
            elif float_compare(worse.min_score, better.min_score, SCORE_DIGITS) >= 0:
                problems.append(
                    self.env._(
                        "Level %(worse)s (from %(worse_min)s) must start below level %(better)s "
                        "(from %(better_min)s): minimum scores must strictly decrease from the best "
                        "level to the lowest.",
                        worse=worse.code,
                        worse_min=_fmt(self.env, worse.min_score),
                        better=better.code,
                        better_min=_fmt(self.env, better.min_score),
                    )
                )
        lowest_total = self._min_total()
        lowest = levels[-1]
        if float_compare(lowest.min_score, lowest_total, SCORE_DIGITS) > 0:
            problems.append(
                self.env._(
                    "The lowest level %(level)s starts at %(min)s: a total of %(total)s would get no "
                    "level. Let it start at %(total)s.",
                    level=lowest.code,
                    min=_fmt(self.env, lowest.min_score),
                    total=_fmt(self.env, lowest_total),
                )
            )
        ceiling = self._ceiling()
        for level in levels:
            if float_compare(level.min_score, ceiling, SCORE_DIGITS) > 0:
                problems.append(
                    self.env._(
                        "Level %(level)s starts at %(min)s, above the score ceiling %(ceiling)s: it "
                        "can never be reached.",
                        level=level.code,
                        min=_fmt(self.env, level.min_score),
                        ceiling=_fmt(self.env, ceiling),
                    )
                )
        return problems

    def action_validate(self):
        """Check the framework and make it usable by evaluation periods."""
        self.check_access("write")
        problems = self._get_problems()
        for framework in self:
            if problems[framework.id]:
                raise UserError(
                    self.env._(
                        "The framework %(name)s cannot be validated:\n%(problems)s",
                        name=framework.display_name,
                        problems="\n".join("- " + p for p in problems[framework.id]),
                    )
                )
        self.write({"state": "validated"})
        return True

    def action_set_draft(self):
        self.check_access("write")
        self.write({"state": "draft"})
        return True

    @api.model
    def _usable_domain(self):
        """Domain of the frameworks that periods may use."""
        return [("active", "=", True), ("state", "=", "validated"), ("is_valid", "=", True)]

    def _check_usable(self):
        """Raise a UserError unless every framework of self is active, validated and valid."""
        problems = self._get_problems()
        for framework in self:
            if not framework.active:
                raise UserError(
                    self.env._("The framework %s is archived: it cannot be used.", framework.display_name)
                )
            if framework.state != "validated":
                raise UserError(
                    self.env._(
                        "The framework %s is not validated: validate it before using it.",
                        framework.display_name,
                    )
                )
            if problems[framework.id]:
                raise UserError(
                    self.env._(
                        "The framework %(name)s is not valid:\n%(problems)s",
                        name=framework.display_name,
                        problems="\n".join("- " + p for p in problems[framework.id]),
                    )
                )
        return True

    # ------------------------------------------------------------------ scoring service

    def _ceiling(self):
        self.ensure_one()
        return self.score_ceiling or self.max_score

    def _min_total(self):
        """Lowest total the framework can give."""
        self.ensure_one()
        if not self.allow_negative_total:
            return 0.0
        deductions = self.group_ids.filtered(lambda g: g.kind == "deduction")
        return min(sum(deductions.mapped("min_points")), 0.0)

    def _sorted_levels(self):
        return self.level_ids.sorted(lambda level: (level.sequence, level.id))

    @api.returns("civ.level", lambda value: _plain_score(value))
    def compute_score(self, points):
        """Score a set of points with this framework.

        A service of the server (the sheets, the reports); over RPC it checks its arguments like
        any public method and answers plain values (the level's id, text keys: _plain_score).

        :param dict points: {criterion id (or record): points}; missing criteria count 0, criteria
            of other frameworks are ignored. Each criterion's points are clamped to its [min, max].
        :returns: {"group_scores": {group id: subtotal clamped to the group's limits},
                   "total": total within [0 (or the lowest deduction), ceiling], rounded to 2 decimals,
                   "level": civ.level reached (empty recordset if none)}
        """
        _one_framework(self)
        points = _points_argument(self.env, points)
        group_scores = {}
        for group in self.group_ids:
            subtotal = sum(
                criterion._clamp(points.get(criterion.id) or 0.0) for criterion in group.criterion_ids
            )
            group_scores[group.id] = float_round(group._clamp(subtotal), precision_digits=SCORE_DIGITS)
        total = min(sum(group_scores.values()), self._ceiling())
        if not self.allow_negative_total:
            total = max(total, 0.0)
        total = float_round(total, precision_digits=SCORE_DIGITS)
        return {"group_scores": group_scores, "total": total, "level": self.level_for_score(total)}

    def _product_groups(self):
        return self.group_ids.filtered(lambda group: group.scoring_mode == "products")

    @api.returns("civ.level", lambda value: _plain_product_score(value))
    def compute_product_score(
        self, products, leader=False, unit_levels=None, organisation_percent=100.0, unit_scores=None
    ):
        """Score the task results computed from products (Nghị định 335/2025) with this framework:
        the one place of that formula (see civ_product_scoring). compute_score then adds these
        points like any other criterion's, since they are written on the group's criterion.

        :param products: the product lines (civ.evaluation.product records, or mappings with weight,
            qty_assigned, qty_done, qty_quality, qty_on_time, error_count, delay_count,
            objective_cause (of the errors), objective_cause_delays)
        :param bool leader: the person is evaluated as a leader (the components "leaders only")
        :param unit_levels: for a leader, the levels (civ.level, possibly empty) of the people of the
            unit they lead; None or empty: the unit's result is left out of the mean
        :param float organisation_percent: for a leader, the organisation of the unit's work (%)
        :param unit_scores: for a leader, the points of the people of the unit they lead (Decree
            335/2025: the unit result counts the points, each person at least the group's Points
            Required in the Unit); used instead of unit_levels when the group requires points
        :returns: {"quantity": a, "quality": b, "progress": c, "unit_result": % or None,
                   "groups": {group id: {"percent": %, "points": points, "criterion": criterion id}}}
            (over RPC: text keys, False for None: _plain_product_score)
        """
        _one_framework(self)
        items = _items_argument(self.env, products)
        leader = bool_argument(self.env, leader, self.env._("Leader"))
        unit_levels = _levels_argument(self.env, unit_levels) if unit_levels else unit_levels
        if unit_scores:
            if not isinstance(unit_scores, (list, tuple)):
                raise UserError(self.env._("The points of the unit must be a list of numbers."))
            unit_scores = [
                number_argument(self.env, score, self.env._("The points")) for score in unit_scores
            ]
        if organisation_percent is not None and organisation_percent is not False:
            organisation_percent = number_argument(
                self.env, organisation_percent, self.env._("The organisation of the unit's work")
            )
        result = {"groups": {}, "quantity": 0.0, "quality": 0.0, "progress": 0.0, "unit_result": None}
        for group in self._product_groups():
            quantity, quality, progress = civ_product_scoring.item_ratios(
                items, group.product_error_cut, group.product_delay_cut
            )
            percentages = {"quantity": quantity, "quality": quality, "progress": progress}
            unit = None
            if leader and unit_scores and group.unit_result_min_score > 0:
                unit = civ_product_scoring.unit_result_percent(
                    [
                        float_compare(score, group.unit_result_min_score, SCORE_DIGITS) >= 0
                        for score in unit_scores
                    ],
                    group.unit_result_full_percent,
                    group.unit_result_partial_percent,
                )
            elif leader and unit_levels and group.unit_result_min_score <= 0:
                required = group.unit_result_level_id
                unit = civ_product_scoring.unit_result_percent(
                    [bool(level) and level.is_at_least(required) for level in unit_levels],
                    group.unit_result_full_percent,
                    group.unit_result_partial_percent,
                )
            if unit is not None:
                percentages["unit_result"] = unit
            if leader:
                percentages["unit_organisation"] = min(max(organisation_percent or 0.0, 0.0), 100.0)
            weights = {}
            for component in group.component_ids:
                if component._applies(leader):
                    weights[component.component] = weights.get(component.component, 0.0) + component.weight
            percent, points = civ_product_scoring.group_points(percentages, weights, group.max_points)
            result["groups"][group.id] = {
                "percent": percent,
                "points": points,
                "criterion": group.criterion_ids[:1].id,
            }
            result.update(quantity=quantity, quality=quality, progress=progress, unit_result=unit)
        for key in ("quantity", "quality", "progress"):
            result[key] = float_round(result[key], precision_digits=SCORE_DIGITS)
        return result

    @api.returns("civ.level", lambda value: value.id)
    def level_for_score(self, score):
        """The best level (lowest sequence) whose minimum score is at most score (inclusive); over
        RPC its id (False if none)."""
        _one_framework(self)
        score = number_argument(self.env, score, self.env._("The score"))
        return self._level_among(self._sorted_levels(), score)

    def _level_among(self, levels, score):
        """level_for_score among levels, this framework's sorted best first (a caller that places
        many people sorts them once)."""
        for level in levels:
            if float_compare(score, level.min_score, SCORE_DIGITS) >= 0:
                return level
        return self.env["civ.level"]

    # ------------------------------------------------------------------ quota service

    @api.returns("civ.quota", lambda value: _plain_quota_checks(value))
    def check_quotas(self, levels, exceptional=False):
        """Check the quotas of the framework on the levels given to a set of people.

        :param levels: one entry per evaluated person (civ.level records or ids; duplicates count;
            an empty entry is a person evaluated without a level). The caller picks the people of
            the quota's scope (a department, or the whole agency).
        :param bool exceptional: use the exceptional maximum (the unit is recognised as outstanding:
            the period's or the year's flag).
        :returns: one dict per quota: quota, level, count, basis, allowed, percent, max_percent,
            exceeded, excess, message. allowed = floor(max_percent × basis / 100). Over RPC the
            quota and the level are ids (_plain_quota_checks).
        """
        _one_framework(self)
        levels = _levels_argument(self.env, levels)
        exceptional = bool_argument(self.env, exceptional, self.env._("Exceptional"))
        return self._check_quota_records(self.quota_ids, levels, exceptional)

    def _check_quota_records(self, quotas, levels, exceptional=False):
        """check_quotas on the given civ.quota records of the framework (saved or new ones, e.g.
        the year-end quota of a company setting), so that every figure has the same wording."""
        self.ensure_one()
        level_ids = [_id_of(entry) for entry in levels]
        counts = Counter(level_ids)
        rank = {level.id: level.sequence for level in self.level_ids}
        results = []
        for quota in quotas:
            level = quota.level_id
            count = counts.get(level.id, 0)
            if quota.basis == "level_exact":
                basis = counts.get(quota.basis_level_id.id, 0)
                basis_text = self.env._(
                    "%(basis)s graded %(level)s", basis=basis, level=quota.basis_level_id.code
                )
            elif quota.basis == "level_or_above":
                limit = quota.basis_level_id.sequence
                basis = sum(n for lid, n in counts.items() if lid in rank and rank[lid] <= limit)
                basis_text = self.env._(
                    "%(basis)s graded %(level)s or above", basis=basis, level=quota.basis_level_id.code
                )
            else:
                basis = len(level_ids)
                basis_text = self.env._("%(basis)s evaluated", basis=basis)
            max_percent = quota._max_percent(exceptional)
            allowed = math.floor(float_round(max_percent * basis / 100.0, precision_digits=6))
            percent = float_round(count * 100.0 / basis, precision_digits=SCORE_DIGITS) if basis else 0.0
            exceeded = count > allowed
            values = {
                "count": count,
                "level": level.code,
                "basis_text": basis_text,
                "percent": format_percent(self.env, percent),
                "max": format_percent(self.env, max_percent),
                "allowed": allowed,
            }
            if exceeded:
                message = self.env._(
                    "%(count)s %(level)s of %(basis_text)s = %(percent)s > %(max)s "
                    "(at most %(allowed)s allowed)",
                    **values,
                )
            else:
                message = self.env._(
                    "%(count)s %(level)s of %(basis_text)s = %(percent)s ≤ %(max)s "
                    "(at most %(allowed)s allowed)",
                    **values,
                )
            results.append(
                {
                    "quota": quota,
                    "level": level,
                    "count": count,
                    "basis": basis,
                    "allowed": allowed,
                    "percent": percent,
                    "max_percent": max_percent,
                    "exceeded": exceeded,
                    "excess": max(count - allowed, 0),
                    "message": message,
                }
            )
        return results

    @api.returns("civ.quota", lambda value: _plain_quota_checks(value))
    def quota_exceeded_after(self, levels, new_level, exceptional=False):
        """The quotas on new_level that would be exceeded if one more person got new_level.

        :returns: the check_quotas results (exceeded ones only) of the quotas on new_level,
            computed on levels + [new_level].
        """
        _one_framework(self)
        levels = _levels_argument(self.env, levels)
        new_id = id_argument(self.env, "civ.level", new_level, self.env._("The new level"))
        if not new_id:
            return []
        results = self.check_quotas([*levels, new_id], exceptional=exceptional)
        return [r for r in results if r["exceeded"] and r["level"].id == new_id]

    # ------------------------------------------------------------------ use, guards, versions

    def _is_used(self):
        """Whether each framework is used by evaluations.

        :returns: {framework id: bool} for every saved record of self.
        """
        ids = [fid for fid in self.ids if isinstance(fid, int)]
        used = dict.fromkeys(ids, False)
        if ids and "civ.evaluation" in self.env:
            Evaluation = self.env["civ.evaluation"].sudo().with_context(active_test=False)
            for framework, count in Evaluation._read_group(
                [("framework_id", "in", ids)], ["framework_id"], ["__count"]
            ):
                used[framework.id] = bool(count)
        return used

    def _check_structure_editable(self):
        """Refuse to change the structure of frameworks used by evaluations."""
        if not self:
            return True
        used = self._is_used()
        in_use = self.filtered(lambda f: used.get(f.id))
        if in_use:
            raise UserError(
                self.env._(
                    "The framework %(names)s is already used by evaluations: its groups, criteria, "
                    "levels, quotas and points can no longer change. Archive it, or copy it into a new "
                    "version and edit the copy.",
                    names=", ".join(in_use.mapped("display_name")),
                )
            )
        return True

    def write(self, vals):
        names = self._civ_structure_fields.intersection(vals)
        if names:
            changed = changed_records(self, vals, names)
            changed._check_structure_editable()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        self._check_structure_editable()

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        if not (default or {}).get("name"):
            for framework, vals in zip(self, vals_list, strict=True):
                vals["name"] = self.env._("%s (copy)", framework.name)
        return vals_list

    def copy(self, default=None):
        new_frameworks = super().copy(default=default)
        for old, new in zip(self, new_frameworks, strict=True):
            old._copy_structure_to(new)
        return new_frameworks

    def _copy_structure_to(self, new):
        """Deep copy of levels, groups with their criteria, and quotas (remapped to the new levels)."""
        self.ensure_one()
        old_levels = self._sorted_levels()
        new_levels = self.env["civ.level"].create(old_levels.copy_data({"framework_id": new.id}))
        level_map = dict(zip(old_levels.ids, new_levels.ids, strict=True))
        group_vals = self.group_ids.copy_data({"framework_id": new.id})
        for vals in group_vals:
            if vals.get("unit_result_level_id"):
                vals["unit_result_level_id"] = level_map[vals["unit_result_level_id"]]
        self.env["civ.criteria.group"].create(group_vals)
        quota_vals = self.quota_ids.copy_data({"framework_id": new.id})
        for vals in quota_vals:
            for name in ("level_id", "basis_level_id"):
                if vals.get(name):
                    vals[name] = level_map[vals[name]]
        self.env["civ.quota"].create(quota_vals)

    @api.model
    def _civ_install_quarterly_variant(self, source_xmlid, xmlid, code, name):
        """Shipped data (data/civ_framework_data.xml): the quarterly variant of a shipped framework,
        copied from it with the framework's own copy (levels, groups with every copied field and
        their criteria, quotas remapped), made quarterly, registered under `xmlid` (noupdate, so that
        updates of the module keep it and local changes) and validated. Idempotent: nothing is done
        when `xmlid` exists already, or when the source is gone."""
        existing = self.env.ref(xmlid, raise_if_not_found=False)
        source = self.env.ref(source_xmlid, raise_if_not_found=False)
        if existing or not source:
            return existing or self.browse()
        source = source.sudo()
        variant = source.copy(
            {"name": name, "code": code, "period_kind": "quarter", "sequence": source.sequence + 1}
        )
        self.env["ir.model.data"]._update_xmlids([{"xml_id": xmlid, "record": variant, "noupdate": True}])
        if source.state == "validated":
            variant.action_validate()
        return variant

    @api.model
    def _civ_install_party366_variant(self):
        """Shipped data: the framework of Quy định 366-QĐ/TW for cadres and leaders evaluated quarterly
        (KL 198-KL/TW), copied from the quarterly Decree 335 framework (same points and products), its
        levels carrying the conditions beyond the points: A needs 100% of the tasks on time meeting the
        requirements and at least 30% exceeding them, B 100% on time. Registered as
        framework_party366_quarterly (noupdate), validated; idempotent (also run by the migration to
        18.0.1.2.0)."""
        xmlid = "civ_evaluation.framework_party366_quarterly"
        existing = self.env.ref(xmlid, raise_if_not_found=False)
        source = self.env.ref("civ_evaluation.framework_nd335_quarterly", raise_if_not_found=False)
        if existing or not source:
            return existing or self.browse()
        source = source.sudo()
        variant = source.copy(
            {
                "name": "Quy định 366-QĐ/TW - Cán bộ, lãnh đạo (theo quý)",
                "code": "QD-366-Q",
                "sequence": source.sequence + 1,
                "legal_basis": (
                    "Quy định số 366-QĐ/TW ngày 30/8/2025 của Bộ Chính trị về kiểm điểm, đánh giá, "
                    "xếp loại chất lượng hằng năm đối với tập thể, cá nhân trong hệ thống chính trị; "
                    "Kết luận số 198-KL/TW và Hướng dẫn số 43-HD/BTCTW (đánh giá cán bộ lãnh đạo theo "
                    "quý, quý IV gộp vào đánh giá năm). Điều kiện của mức A, B theo sản phẩm: [U] điều "
                    "chỉnh theo quy chế của cơ quan."
                ),
            }
        )
        conditions = {
            "A": {"min_quality_percent": 100.0, "max_late_percent": 0.0, "min_exceeded_percent": 30.0},
            "B": {"max_late_percent": 0.0},
        }
        for level in variant.level_ids:
            if level.code in conditions:
                level.write(dict(conditions[level.code], product_conditions=True))
        self.env["ir.model.data"]._update_xmlids([{"xml_id": xmlid, "record": variant, "noupdate": True}])
        if source.state == "validated":
            variant.action_validate()
        return variant

    def action_copy_version(self):
        """Copy the framework into a new draft version, to be edited instead of the original."""
        self.ensure_one()
        self.check_access("write")
        same_code = (
            self.sudo()
            .with_context(active_test=False)
            .search([("code", "=", self.code)], order="version desc", limit=1)
        )
        new = self.copy(
            {
                "name": self.name,
                "version": max(same_code.version, self.version) + 1,
                "origin_id": self.id,
            }
        )
        new.message_post(
            body=self.env._("New version copied from %s.", self.display_name), message_type="comment"
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "civ.framework",
            "res_id": new.id,
            "view_mode": "form",
            "target": "current",
        }


def _id_of(entry):
    """The id of a record or an id (False for an empty record)."""
    if isinstance(entry, models.BaseModel):
        return entry.id if entry else False
    return entry or False


# ---------------------------------------------------------------------- the services' arguments
# The scoring and quota services are public (their names are the addon's interface): any user who
# reads a framework may call them over RPC with JSON values. Their arguments are checked here (a
# clear error, civ_arguments) and their results given to RPC clients as plain values (@api.returns'
# downgrade): ids for records, text keys (XML-RPC refuses other keys), False for None.


def _one_framework(frameworks):
    if len(frameworks) != 1:
        raise UserError(frameworks.env._("Give exactly one criteria framework (%s given).", len(frameworks)))


def _points_argument(env, points):
    """{criterion id: points} from a mapping of criterion ids (JSON: their digits), or records, to
    numbers (None or False: no points)."""
    if points is None or points is False:
        return {}
    if not isinstance(points, dict):
        raise UserError(env._("The points must map criterion ids to numbers."))
    return {_criterion_key(env, key): _points_value(env, value) for key, value in points.items()}


def _criterion_key(env, key):
    if type(key) is int:  # the sheets' own ids: the fast path
        return key
    if isinstance(key, str) and key.isascii() and key.isdigit():
        return int(key)
    return id_argument(env, "civ.criterion", key, env._("A criterion"))


def _points_value(env, value):
    if type(value) is float or value is None or value is False:
        return value
    return number_argument(env, value, env._("The points of a criterion"))


def _levels_argument(env, levels):
    """One civ.level (possibly empty) per entry of `levels`: records, ids, or False/None."""
    if isinstance(levels, models.BaseModel) and levels._name == "civ.level":
        return list(levels)
    if not isinstance(levels, (list, tuple)):
        raise UserError(env._("The levels must be a list of level ids."))
    Level = env["civ.level"]
    label = env._("A level")
    return [
        entry
        if isinstance(entry, models.BaseModel) and entry._name == "civ.level" and len(entry) <= 1
        else Level.browse(id_argument(env, "civ.level", entry, label) or ())
        for entry in levels
    ]


def _items_argument(env, products):
    """The product lines given to the formula: civ.evaluation.product records, or mappings of
    civ_product_scoring.ITEM_FIELDS (a field left out is empty)."""
    fields_ = civ_product_scoring.ITEM_FIELDS
    if isinstance(products, models.BaseModel):
        if products._name != "civ.evaluation.product":
            raise UserError(env._("The products must be product lines or mappings of their quantities."))
        return [{fname: product[fname] for fname in fields_} for product in products]
    if not isinstance(products, (list, tuple)):
        raise UserError(env._("The products must be product lines or mappings of their quantities."))
    items = []
    for product in products:
        if isinstance(product, models.BaseModel) and product._name == "civ.evaluation.product":
            items.append({fname: product[fname] for fname in fields_})
            continue
        if not isinstance(product, dict):
            raise UserError(env._("The products must be product lines or mappings of their quantities."))
        item = {}
        for fname in fields_:
            value = product.get(fname)
            if value is None or value is False:
                value = False
            elif fname in ("objective_cause", "objective_cause_delays"):
                value = bool_argument(env, value, fname)
            else:
                value = number_argument(env, value, fname)
            item[fname] = value
        items.append(item)
    return items


def _plain_score(value):
    """compute_score's result for an RPC client."""
    return {
        "group_scores": {str(group_id): score for group_id, score in value["group_scores"].items()},
        "total": value["total"],
        "level": value["level"].id,
    }


def _plain_product_score(value):
    """compute_product_score's result for an RPC client."""
    return {
        **value,
        "unit_result": False if value["unit_result"] is None else value["unit_result"],
        "groups": {str(group_id): group for group_id, group in value["groups"].items()},
    }


def _plain_quota_checks(checks):
    """check_quotas' results for an RPC client: the quota's and the level's ids."""
    return [dict(check, quota=check["quota"].id, level=check["level"].id) for check in checks]


def _fmt(env, value):
    """A score for a message, in env's language: 20 rather than 20.0, 23,33 kept (Vietnamese)."""
    return format_number(env, value, digits=SCORE_DIGITS, trim=True)
