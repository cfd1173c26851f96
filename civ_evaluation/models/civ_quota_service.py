from collections import Counter, defaultdict

from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import float_compare


class CivQuotaService(models.AbstractModel):
    """THE quota figures (tỷ lệ khống chế), for every screen, decision, wizard, export and lock: the
    counting of a month's or a year's people per scope (the agency, each department, each group of
    similar duties), the names of the scopes, the breaches of a decision, the capping at the lock and
    the year-end quotas. The arithmetic of one quota is the framework's (civ.framework.check_quotas);
    this service gives it the right people, so the same data gives the same figures everywhere.
    Sudo reads: the callers have passed their gate."""

    _name = "civ.quota.service"
    _description = "Quota Service of the Evaluation"

    # ------------------------------------------------------------------ scopes
    @api.model
    def _scope_keys(self, department_id, duty_group_id):
        """The scopes a person is counted in: ("company", None), ("department", id or False) and,
        with a group of similar duties, ("duty_group", id)."""
        keys = {("company", None), ("department", department_id or False)}
        if duty_group_id:
            keys.add(("duty_group", duty_group_id))
        return keys

    @api.model
    def _sheet_scope_keys(self, sheet):
        return self._scope_keys(sheet.department_id.id, sheet.duty_group_id.id)

    @api.model
    def _scope_name(self, company, key):
        """The name of a scope (scope, id) of company, for the figures' messages."""
        scope, scope_id = key
        if scope == "company":
            return company.sudo().name
        if scope == "duty_group":
            return self.env._("Group %s", self.env["civ.duty.group"].sudo().browse(scope_id).name)
        if not scope_id:
            return self.env._("No department")
        return self.env["hr.department"].sudo().browse(scope_id).name

    # ------------------------------------------------------------------ a month
    @api.model
    def _period_counts(self, period, exclude_ids=()):
        """What the quotas count in the period (one grouped query): {(framework id, department id,
        duty group id): Counter({level id: decided sheets, False: sheets not decided yet})}; sheets
        closed as not evaluated are left out. Each framework of the period (the rule sets of the staff
        categories give several) is its own population: an A of a public employee never uses a civil
        servant's quota."""
        domain = [("period_id", "=", period.id), ("not_evaluated", "=", False)]
        if exclude_ids:
            domain.append(("id", "not in", list(exclude_ids)))
        counts = defaultdict(Counter)
        for framework, department, duty_group, level, state, count in (
            self.env["civ.evaluation"]
            .sudo()
            ._read_group(
                domain, ["framework_id", "department_id", "duty_group_id", "level_id", "state"], ["__count"]
            )
        ):
            decided = state in ("done", "locked") and level
            counts[(framework.id, department.id, duty_group.id)][level.id if decided else False] += count
        return counts

    @api.model
    def _period_results(self, period, counts, scope_ids=None):
        """framework.check_quotas per framework of the period and scope: [((scope, id), result)] for
        each quota of the framework on its own scope: ("department", department id), ("company",
        None), ("duty_group", group id; people without a group are in the agency only), within the
        framework's own sheets (result["quota"].framework_id says which). scope_ids limits the scopes
        checked."""
        by_framework = defaultdict(lambda: defaultdict(Counter))
        for (framework_id, department_id, duty_group_id), counter in counts.items():
            for key in self._scope_keys(department_id, duty_group_id):
                by_framework[framework_id][key].update(counter)
        frameworks = self.env["civ.framework"].sudo().browse(sorted(by_framework))
        output = []
        for framework in frameworks:
            buckets = by_framework[framework.id]
            scopes = set(framework.quota_ids.mapped("scope"))
            for key in sorted(buckets, key=lambda key: (key[0], key[1] or 0)):
                if key[0] not in scopes or (scope_ids is not None and key not in scope_ids):
                    continue
                output.extend(
                    (key, result)
                    for result in framework.check_quotas(
                        list(buckets[key].elements()), exceptional=period.exceptional_unit
                    )
                    if result["quota"].scope == key[0]
                )
        return output

    @api.model
    def _period_check(self, period, levels=None, scope_ids=None):
        """THE quota figures of a period: what the period form, the decisions, the lock, the
        aggregate Excel and the override wizard show.

        Counts every sheet of the period not closed as not evaluated (decided ones at their level,
        the others as evaluated without a level yet), per framework of the sheets and scope of each
        of its quotas, and asks framework.check_quotas, with the exceptional maximum when the period
        is flagged outstanding.

        :param dict levels: {sheet id: civ.level or False}: count these sheets at these levels
            instead of their current one (the decisions about to be taken)
        :param set scope_ids: only these (scope, id) keys, e.g. {("department", 7)}
        :returns: [((scope, id or None), check_quotas result)], scope in department/company/duty_group
        """
        period.ensure_one()
        counts = self._period_counts(period, exclude_ids=tuple(levels or ()))
        for sheet in self.env["civ.evaluation"].sudo().browse(list(levels or ())):
            level = levels[sheet.id]
            key = (sheet.framework_id.id, sheet.department_id.id, sheet.duty_group_id.id)
            counts[key][level.id if level else False] += 1
        return self._period_results(period, counts, scope_ids)

    @api.model
    def _has_quotas(self, period):
        """Whether any framework graded in the period has quotas."""
        return bool(period.sudo().framework_ids.quota_ids)

    # ------------------------------------------------------------------ decisions of sheets
    @api.model
    def _sheet_breaches(self, sheets, levels):
        """The quotas the decisions of these sheets would exceed.

        Per period (_period_check): the sheets of the period already decided, at their level; the
        sheets not decided yet, as evaluated without a level (they are in the headcount of an
        "everyone evaluated" basis, not in a level basis); the sheets given, at their new level.
        Sheets closed as not evaluated do not count. One grouped query per period.

        :param dict levels: {sheet id: civ.level} the level each sheet is about to get
        :returns: {sheet id: ["<scope>: <figures>", ...]} for the sheets whose new level is that of
            an exceeded quota in one of the sheet's scopes
        """
        breaches = defaultdict(list)
        sheets = sheets.sudo()
        for period in sheets.period_id:
            batch = sheets.filtered(lambda sheet, period=period: sheet.period_id == period)
            if not batch.framework_id.quota_ids:
                continue
            scopes = {sheet.id: self._sheet_scope_keys(sheet) for sheet in batch}
            wanted = set().union(*scopes.values())
            results = self._period_check(period, {sheet.id: levels.get(sheet.id) for sheet in batch}, wanted)
            for scope_key, result in results:
                if not result["exceeded"]:
                    continue
                scope_name = self._scope_name(period.company_id, scope_key)
                for sheet in batch:
                    if levels.get(sheet.id) != result["level"] or scope_key not in scopes[sheet.id]:
                        continue
                    breaches[sheet.id].append(f"{scope_name}: {result['message']}")
        return dict(breaches)

    @api.model
    def _refuse_blocked(self, sheets, breaches):
        """Refuse the decision of sheets over a quota (breaches: {sheet id: [figures]}) in a company
        whose quotas are caps (civ_quota_mode "block", Decree 335/2025: "không vượt quá"), naming
        the quotas; no reason lifts them, only an outstanding unit (the exceptional maximum)."""
        blocked = sheets.sudo().filtered(
            lambda sheet: sheet.id in breaches and sheet.company_id.civ_quota_mode == "block"
        )
        if blocked:
            raise UserError(
                self.env._(
                    "The quotas are caps (không vượt quá, Decree 335/2025): this decision is refused.\n"
                    "%(figures)s\n\nDecide a lower level for some of these people, or, if the unit is "
                    "recognised as outstanding, mark the period's Outstanding Unit (the quota's exceptional "
                    "maximum then applies).",
                    figures="\n".join(self._breach_lines(blocked, breaches)),
                )
            )

    @api.model
    def _breach_lines(self, sheets, breaches):
        """Lines for a message: each exceeded quota once, with the sheets concerned."""
        by_line = defaultdict(list)
        for sheet in sheets.sudo().filtered(lambda sheet: sheet.id in breaches):
            for line in breaches[sheet.id]:
                by_line[line].append(sheet.employee_id.name)
        return [
            self.env._("- %(figures)s (%(people)s)", figures=line, people=", ".join(names))
            for line, names in by_line.items()
        ]

    @api.model
    def _cap_at_lock(self, sheets, levels, scores):
        """Pass the levels decided at the lock through the quotas.

        Company setting civ_quota_at_lock: 'cap' lowers, in `levels` (changed in place), the sheets
        above a quota to the next level, lowest scores first, until no quota of their scopes is
        exceeded by them (the sheets decided by reviewers keep their level); 'record' keeps the
        levels and returns the breaches (figures) of the sheets above a quota.

        :returns: ({sheet id: reason the level was capped}, {sheet id: [figures]})
        """
        notes, breaches = {}, {}
        sheets = sheets.sudo()
        for period in sheets.period_id:
            batch = sheets.filtered(lambda sheet, period=period: sheet.period_id == period)
            if not batch.framework_id.quota_ids:
                continue
            company = period.company_id
            # a cap (civ_quota_mode "block") is never exceeded, not even by the lock's decisions
            if company.civ_quota_mode == "warn" and company.civ_quota_at_lock == "record":
                breaches.update(self._sheet_breaches(batch, levels))
                continue
            capped = self._cap_batch(period, batch, levels, scores)
            for sheet_id, steps in capped.items():
                first_level = steps[0][0]
                notes[sheet_id] = self.env._(
                    "Capped at the lock from %(from)s to %(to)s: the points give %(from)s, but the quota "
                    "is exceeded (%(figures)s).",
                    **{
                        "from": first_level.code,
                        "to": levels[sheet_id].code,
                        "figures": "; ".join(f"{scope}: {message}" for _f, _t, scope, message in steps),
                    },
                )
        return notes, breaches

    @api.model
    def _cap_batch(self, period, batch, levels, scores):
        """The capping of one period's sheets: {sheet id: [(from level, to level, scope, figures)]}."""
        scope_keys = {sheet.id: self._sheet_scope_keys(sheet) for sheet in batch}
        capped = defaultdict(list)
        depth = max((len(framework._sorted_levels()) for framework in batch.framework_id), default=1)
        for _round in range(len(batch) * max(depth, 1) + 1):
            over = [
                (key, result)
                for key, result in self._period_check(
                    period, {sheet.id: levels.get(sheet.id) for sheet in batch}
                )
                if result["exceeded"]
            ]
            moved = False
            for key, result in over:
                level = result["level"]
                ranked = list(level.framework_id._sorted_levels())
                position = ranked.index(level) if level in ranked else len(ranked) - 1
                if position + 1 >= len(ranked):
                    continue
                lower = ranked[position + 1]
                candidates = sorted(
                    (
                        sheet
                        for sheet in batch
                        if levels.get(sheet.id) == level and key in scope_keys[sheet.id]
                    ),
                    key=lambda sheet: (scores[sheet.id], -sheet.id),
                )
                if not candidates:
                    continue
                quota = result["quota"]
                # a basis counting the lower level grows as people are moved: one at a time
                grows = quota.basis == "level_exact" and quota.basis_level_id == lower
                step = 1 if grows else result["excess"]
                for sheet in candidates[: max(step, 1)]:
                    levels[sheet.id] = lower
                    capped[sheet.id].append(
                        (level, lower, self._scope_name(period.company_id, key), result["message"])
                    )
                    moved = True
                break
            if not moved:
                break
        return capped

    # ------------------------------------------------------------------ the year
    @api.model
    def _annual_status(self, results):
        """The year-end quotas, per company and year, if the results were decided now with their
        current level (together with those already decided), from the quota service of the
        year-end framework (civ.framework._check_quota_records, as check_quotas): the same wording
        and figures as the monthly screens.

        The quotas are those of the year-end framework (the company's, else the framework most
        results use); when it has none, the company's year-end percentage is used as "the best level
        ≤ X% of those graded at the second level" over the agency (0: no check). Levels of other
        frameworks are matched by code (by rank when the code is unknown). The exceptional maximum
        applies when the agency is recognised as outstanding for the year (civ.annual.outstanding).
        Each regime is a population of its own (rule sets of staff categories, civ.category.rule): an
        A of a public employee never uses a civil servant's quota; a regime whose people have a rule
        set is classified with the quotas of the framework most of them use.

        :returns: [{"company", "year", "scope", "scope_id", "quota", "level", "count", "basis",
            "allowed", "percent", "max_percent", "excess", "exceeded", "message"}] — one per company,
            year, quota and scope; "exceeded" only when the results add one at the level of a quota
            exceeded in that scope.
        """
        Result = self.env["civ.annual.result"].sudo()
        groups = defaultdict(lambda: Result.browse())
        for result in results.sudo():
            groups[(result.company_id, result.year, result.regime)] |= result
        checks = []
        Outstanding = self.env["civ.annual.outstanding"].sudo()
        regime_names = dict(Result._fields["regime"]._description_selection(self.env))
        for (company, year, regime), group in groups.items():
            decided = Result.search(
                [
                    ("company_id", "=", company.id),
                    ("year", "=", year),
                    ("state", "=", "done"),
                    ("id", "not in", group.ids),
                    ("level_id", "!=", False),
                    ("regime", "=", regime),
                ]
            )
            everyone = decided | group.filtered("level_id")
            ruled = any(everyone.mapped("category_rule_id"))
            framework = self._annual_framework(company, everyone, ruled=ruled)
            quotas = framework.quota_ids if framework else None
            if framework and not quotas:
                quotas = self._annual_default_quota(company, framework)
            if not quotas:
                continue
            exceptional = bool(
                Outstanding.search_count([("company_id", "=", company.id), ("year", "=", year)], limit=1)
            )
            buckets = self._annual_buckets(framework, everyone)
            for key in sorted(buckets, key=lambda key: (key[0], key[1] or 0)):
                rows = buckets[key]
                for check in framework._check_quota_records(
                    quotas.filtered(lambda quota, scope=key[0]: quota.scope == scope),
                    [mapped for _result, mapped in rows],
                    exceptional=exceptional,
                ):
                    adds = any(result in group and mapped == check["level"] for result, mapped in rows)
                    check.update(
                        {
                            "company": company,
                            "year": year,
                            "scope": key[0],
                            "scope_id": key[1],
                            "exceeded": check["exceeded"] and adds,
                            "regime": regime,
                            "message": self.env._(
                                "%(scope)s %(year)s: %(figures)s",
                                scope=self._scope_name(company, key)
                                + (f" ({regime_names[regime]})" if ruled and regime else ""),
                                year=year,
                                figures=check["message"],
                            ),
                        }
                    )
                    checks.append(check)
        return checks

    @api.model
    def _annual_framework(self, company, results, ruled=False):
        """The framework whose quotas classify the year: the company's year-end framework, else the
        one most results use; the one most results use first when the results' people have a rule set
        of their staff category (`ruled`: the population of a regime with its own framework)."""
        framework = self.env["civ.framework"] if ruled else company.civ_annual_framework_id.sudo()
        if not framework and results:
            usage = defaultdict(int)
            for result in results:
                usage[result.framework_id or result.level_id.framework_id] += 1
            framework = max(usage, key=lambda fw: (usage[fw], fw.id))
        return framework

    @api.model
    def _annual_buckets(self, framework, results):
        """{scope key: [(result, its level mapped onto the framework's)]}: each result in the agency,
        its department and its group of similar duties (levels of other frameworks matched by code,
        by rank when the code is unknown)."""
        ranked = list(framework._sorted_levels())
        by_code = {(level.code or "").strip().upper(): level for level in ranked}
        buckets = defaultdict(list)
        for result in results:
            level = result.level_id
            mapped = by_code.get((level.code or "").strip().upper())
            if mapped is None:
                own = list(level.framework_id._sorted_levels())
                mapped = ranked[min(own.index(level), len(ranked) - 1)]
            keys = self._scope_keys(result.department_id.id, result.employee_id.sudo().civ_duty_group_id.id)
            for key in keys:
                buckets[key].append((result, mapped))
        return buckets

    @api.model
    def _annual_default_quota(self, company, framework):
        """The company's year-end percentage as a quota of the framework (not saved): the best level
        ≤ X% of those graded at the second level, over the agency; empty when 0."""
        ranked = framework._sorted_levels()
        if float_compare(company.civ_annual_quota_percent, 0.0, 2) <= 0 or len(ranked) < 2:
            return self.env["civ.quota"]
        return self.env["civ.quota"].new(
            {
                "framework_id": framework.id,
                "level_id": ranked[0].id,
                "basis": "level_exact",
                "basis_level_id": ranked[1].id,
                "max_percent": company.civ_annual_quota_percent,
                "scope": "company",
            }
        )
