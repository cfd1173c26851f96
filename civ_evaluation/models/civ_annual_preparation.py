import logging
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.osv import expression
from odoo.tools import float_compare, float_round

from . import civ_regime
from .civ_annual_result import (
    ANNUAL_REMINDER_ACTIVITY,
    MONTH_DIGITS,
    PREPARE_CHUNK_SIZE,
    _fmt_months,
    _months_covered,
    _months_in_year,
    _year_bounds,
)
from .civ_arguments import ids_argument, year_argument
from .civ_period import QUIET_CONTEXT
from .civ_workflow_mixin import OFFICER

_logger = logging.getLogger(__name__)


class CivAnnualPreparation(models.Model):
    """The preparation of the year-end results from the locked months (the facts of each person, the
    proposal under the company's rules) and its calendar (the daily scheduled action: reminders,
    preparation, notices to retry). A part of civ.annual.result."""

    _inherit = "civ.annual.result"

    @api.model
    @api.returns("self")
    def prepare_results(self, year, companies=None):
        """Create or refresh the draft year-end results of `year` for the companies (default: the
        current company), from the locked monthly sheets. Decided results are never touched; a draft
        whose level was changed by human resources keeps that level (and its note).

        :param int year: the year to classify (a whole number between 1900 and 3000)
        :param companies: res.company records, one id or a list of ids (the user's companies only)
        :returns: the results created or refreshed (their ids over RPC: @api.returns)
        """
        self._check_officer()
        year = year_argument(self.env, year)
        Company = self.env["res.company"]
        if companies is None:
            companies = self.env.company
        else:
            companies = Company.browse(
                ids_argument(self.env, "res.company", companies, self.env._("A company"))
            )
        if not self.env.su:
            outside = companies - self.env.user.company_ids
            if outside:
                raise AccessError(
                    self.env._(
                        "You cannot prepare the year-end results of the companies %s: they are not among "
                        "yours.",
                        ", ".join(str(company_id) for company_id in outside.ids),
                    )
                )
        Result = self.sudo().with_context(**QUIET_CONTEXT)
        ids = []
        for company in companies.sudo():
            ids += Result._prepare_company(company, year).ids
        return self.browse(ids)

    def _prepare_company(self, company, year):
        """Prepare one company's year (sudo, batched by employees)."""
        now = fields.Datetime.now()
        employees = self._annual_employees(company, year)
        _logger.info("Year-end %s of %s: preparing %s results", year, company.name, len(employees))
        prepared_ids = []
        for start in range(0, len(employees), PREPARE_CHUNK_SIZE):
            chunk = employees[start : start + PREPARE_CHUNK_SIZE]
            facts = self._annual_facts(chunk, company, year)
            existing = {
                result.employee_id.id: result
                for result in self.search(
                    [("company_id", "=", company.id), ("year", "=", year), ("employee_id", "in", chunk.ids)]
                )
            }
            create_vals = []
            for employee in chunk:
                result = existing.get(employee.id)
                if result and result.state != "draft":
                    continue
                vals = self._annual_proposal(company, facts[employee.id])
                if not vals["regime"]:
                    vals["regime"] = civ_regime.CATEGORY_REGIMES.get(employee.civ_category or "cong_chuc")
                vals.update(
                    {
                        "date_prepared": now,
                        "department_id": employee.department_id.id,
                        "job_title": employee.job_title or employee.job_id.name or False,
                    }
                )
                if not result:
                    vals.update(
                        {
                            "employee_id": employee.id,
                            "company_id": company.id,
                            "year": year,
                            "level_id": vals["proposed_level_id"],
                        }
                    )
                    create_vals.append(vals)
                    continue
                # keep a level chosen by human resources, unless it belongs to another framework now
                if result.level_id == result.proposed_level_id or (
                    result.level_id and result.level_id.framework_id.id != vals["framework_id"]
                ):
                    vals["level_id"] = vals["proposed_level_id"]
                result.write(vals)
                prepared_ids.append(result.id)
            prepared_ids += self.create(create_vals).ids
            self.env.flush_all()
            self.env.invalidate_all()
        company.write({"civ_annual_prepared_year": year, "civ_annual_prepared_date": now})
        return self.browse(prepared_ids)

    @api.model
    def _annual_employees(self, company, year):
        """Who gets a result: the active employees of the company in scope of the evaluation, and
        those who already have a draft result of the year."""
        in_scope = (
            self.env["hr.employee"]
            .sudo()
            .search([("company_id", "=", company.id), ("civ_evaluated", "=", True)], order="id")
        )
        drafts = (
            self.sudo()
            .search([("company_id", "=", company.id), ("year", "=", year), ("state", "=", "draft")])
            .employee_id
        )
        return (in_scope | drafts.filtered(lambda employee: employee.company_id == company)).sorted("id")

    @api.model
    def _identity_peers(self, employees):
        """The employee records whose monthly sheets, absences and disciplinary actions count for
        each employee: the employee itself and, when the company matches persons (the default), the
        employee records (of any company, archived included) with the same user or work contact.

        :returns: {employee id: set of employee ids}
        """
        employees = employees.sudo()
        peers = {employee.id: {employee.id} for employee in employees}
        persons = employees.filtered(lambda e: e.company_id.civ_annual_identity == "person")
        users = persons.user_id.ids
        contacts = persons.work_contact_id.ids
        if not users and not contacts:
            return peers
        domains = []
        if users:
            domains.append([("user_id", "in", users)])
        if contacts:
            domains.append([("work_contact_id", "in", contacts)])
        others = self.env["hr.employee"].sudo().with_context(active_test=False).search(expression.OR(domains))
        by_user, by_contact = defaultdict(set), defaultdict(set)
        for other in others:
            if other.user_id:
                by_user[other.user_id.id].add(other.id)
            if other.work_contact_id:
                by_contact[other.work_contact_id.id].add(other.id)
        for employee in persons:
            if employee.user_id:
                peers[employee.id] |= by_user[employee.user_id.id]
            if employee.work_contact_id:
                peers[employee.id] |= by_contact[employee.work_contact_id.id]
        return peers

    @api.model
    def _annual_facts(self, employees, company, year):
        """What the proposal of each employee is made of, read in a handful of queries for the whole
        batch: the locked monthly sheets of the year (every company), the absences and the
        disciplinary actions.

        :returns: {employee id: {"months": {month: [(final score, level id), ...]}, "not_evaluated",
            "pending", "other_company": sets of months, "latest_framework", "latest_company": of the
            latest month evaluated (ids or False),
            "absence_months", "maternity_months": floats, "disciplines": [dict, ...]}}
        """
        first, last = _year_bounds(year)
        peers = self._identity_peers(employees)
        all_ids = sorted(set().union(*peers.values())) if peers else []
        sheets = (
            self.env["civ.evaluation"]
            .sudo()
            .search_read(
                [
                    ("employee_id", "in", all_ids),
                    ("period_id.date_start", ">=", first),
                    ("period_id.date_start", "<=", last),
                ],
                [
                    "employee_id",
                    "company_id",
                    "period_id",
                    "framework_id",
                    "state",
                    "not_evaluated",
                    "final_score",
                    "level_id",
                    "regime",
                    "category_rule_id",
                ],
                load="",
            )
        )
        periods = {
            period["id"]: period
            for period in self.env["civ.period"]
            .sudo()
            .browse({sheet["period_id"] for sheet in sheets})
            .read(["date_start", "date_end", "period_kind"], load="")
        }
        absences = (
            self.env["civ.absence"]
            .sudo()
            .search_read(
                [("employee_id", "in", all_ids), ("date_from", "<=", last), ("date_to", ">=", first)],
                ["employee_id", "date_from", "date_to", "kind"],
                load="",
            )
        )
        # the grounds that count (ND 48: not a violation already used before, one act counted once)
        disciplines = (
            self.env["civ.discipline"]
            .sudo()
            .search_read(
                [
                    ("employee_id", "in", all_ids),
                    ("date", ">=", first),
                    ("date", "<=", last),
                    ("counted_any", "=", True),
                ],
                ["employee_id", "date", "kind", "ground", "counted", "decision_number", "display_name"],
                order="date, id",
                load="",
            )
        )
        sheets_of, absences_of, disciplines_of = defaultdict(list), defaultdict(list), defaultdict(list)
        for sheet in sheets:
            sheets_of[sheet["employee_id"]].append(sheet)
        for absence in absences:
            absences_of[absence["employee_id"]].append(absence)
        for discipline in disciplines:
            disciplines_of[discipline["employee_id"]].append(discipline)

        facts = {}
        for employee in employees:
            own = peers[employee.id]
            months = defaultdict(list)
            not_evaluated, pending, pending_q4, other_company = set(), set(), set(), set()
            latest = None
            on_rolls = []
            for sheet in (s for eid in own for s in sheets_of[eid]):
                period = periods[sheet["period_id"]]
                on_rolls.append((period["date_start"], period["date_end"] or period["date_start"]))
                covered = set(_months_in_year(period["date_start"], period["date_end"], year))
                if sheet["state"] != "locked":
                    if period["period_kind"] == "quarter" and period["date_start"].month == 10:
                        pending_q4 |= covered
                    pending |= covered
                    continue
                if sheet["not_evaluated"]:
                    not_evaluated |= covered
                    continue
                for month in covered:
                    months[month].append((sheet["final_score"], sheet["level_id"] or False))
                if sheet["company_id"] != company.id:
                    other_company |= covered
                key = (period["date_start"], sheet["id"])
                if latest is None or key > latest[0]:
                    latest = (
                        key,
                        sheet["framework_id"],
                        sheet["company_id"],
                        sheet["regime"],
                        sheet["category_rule_id"],
                    )
            own_absences = [a for eid in own for a in absences_of[eid]]
            # time actually worked: the months on the rolls (a sheet, evaluated or not) less absences
            absent_on_rolls = [
                (max(start, a["date_from"]), min(end, a["date_to"]))
                for start, end in on_rolls
                for a in own_absences
                if a["date_from"] <= end and a["date_to"] >= start
            ]
            facts[employee.id] = {
                "year": year,
                "worked_months": max(
                    _months_covered(on_rolls, year) - _months_covered(absent_on_rolls, year), 0.0
                ),
                "months": dict(months),
                "not_evaluated": not_evaluated - months.keys(),
                "pending": pending - months.keys() - not_evaluated,
                "pending_q4": pending_q4 - months.keys() - not_evaluated,
                "other_company": other_company,
                "latest_framework": latest[1] if latest else False,
                "latest_company": latest[2] if latest else False,
                # the regime and rule set of the latest month evaluated govern the year
                "regime": latest[3] if latest else False,
                "category_rule": latest[4] if latest else False,
                "absence_months": _months_covered(
                    [(a["date_from"], a["date_to"]) for a in own_absences if a["kind"] != "maternity"], year
                ),
                "maternity_months": _months_covered(
                    [(a["date_from"], a["date_to"]) for a in own_absences if a["kind"] == "maternity"], year
                ),
                "disciplines": [d for eid in own for d in disciplines_of[eid]],
            }
        return facts

    @api.model
    def _annual_proposal(self, company, facts):
        """The proposal from one person's facts and the company's rules.

        :returns: the values of the result's preparation fields (framework, counts, average,
            not-classified flag and reason, proposed level, explanation)
        """
        Framework = self.env["civ.framework"].sudo()
        months = facts["months"]
        count = len(months)
        month_scores = [sum(score for score, _level in rows) / len(rows) for rows in months.values()]
        average = float_round(sum(month_scores) / count, precision_digits=2) if count else 0.0
        framework = (
            company.civ_annual_framework_id
            or Framework.browse(facts["latest_framework"])
            or company.civ_framework_id
        ).sudo()
        lines = []
        not_classified, reason = False, False
        regime = facts.get("regime") or False
        rule = self.env["civ.category.rule"].sudo().browse(facts.get("category_rule") or ())
        # the regime's year-end rules (civ_regime), as the person's rule set has them
        basis = rule.year_end_basis or civ_regime.year_end_basis(regime)
        discipline_rule = rule.discipline_rule or civ_regime.discipline_rule(regime)
        disciplines = [
            fact for fact in facts["disciplines"] if discipline_rule == "any" or fact.get("counted", True)
        ]
        min_months = company.civ_annual_min_months
        maternity = facts["maternity_months"]
        worked = facts.get("worked_months", float(count))
        latest_company = facts["latest_company"]
        if not count:
            not_classified, reason = True, self.env._("No month evaluated in the year.")
        elif latest_company and latest_company != company.id:
            # transferred away: the agency of the latest month classifies the whole year
            not_classified = True
            reason = self.env._(
                "Transferred: the latest month was evaluated in %s, which classifies the year.",
                self.env["res.company"].sudo().browse(latest_company).name,
            )
        elif basis == "time_worked":
            # Nghị định 335/2025, art. 21.3: no minimum of months, classified on the time worked
            lines.append(
                self.env._(
                    "Classified on the points of the %(worked)s months actually worked (%(text)s).",
                    worked=_fmt_months(self.env, worked),
                    text=rule.legal_text or civ_regime.legal_text(regime),
                )
            )
        elif float_compare(worked, min_months, MONTH_DIGITS) < 0:
            # Nghị định 90/2020, art. 2(3): the months actually worked, not only the months evaluated
            if (
                company.civ_annual_maternity_exception
                and maternity > 0
                and float_compare(worked + maternity, min_months, MONTH_DIGITS) >= 0
            ):
                lines.append(
                    self.env._(
                        "%(count)s months evaluated and %(maternity)s months of maternity leave: classified "
                        "on the time worked.",
                        count=count,
                        maternity=_fmt_months(self.env, maternity),
                    )
                )
            else:
                not_classified = True
                reason = self.env._(
                    "%(worked)s months worked (%(count)s months evaluated), fewer than the %(min)s "
                    "required (Nghị định 90/2020, art. 2(3)).",
                    worked=_fmt_months(self.env, worked),
                    count=count,
                    min=min_months,
                )
        if not not_classified and not framework:
            not_classified, reason = True, self.env._("No year-end framework: set one in the settings.")
        level = self.env["civ.level"]
        if not not_classified:
            ranked = framework._sorted_levels()
            if company.civ_annual_rule == "level_count":
                level = self._level_by_count(framework, months)
                lines.append(
                    self.env._(
                        "Months at each level over %(count)s months → %(level)s.",
                        count=count,
                        level=level.display_name or "-",
                    )
                )
            else:
                level = framework.level_for_score(average) or ranked[-1:]
                lines.append(
                    self.env._(
                        "Average %(average)s over %(count)s months → %(level)s.",
                        average=format(average, ".2f"),
                        count=count,
                        level=level.display_name or "-",
                    )
                )
            if basis != "time_worked":
                level = self._apply_absence_cap(company, ranked, level, facts, lines)
            if company.civ_annual_discipline_lowest and disciplines and ranked:
                level = ranked[-1]
                lines.append(
                    self.env._(
                        "Disciplinary action in the year (%(actions)s): %(level)s.",
                        actions=", ".join(d["display_name"] for d in disciplines),
                        level=level.display_name,
                    )
                )
        if not_classified:
            lines.append(self.env._("Not classified: %s", reason))
        if facts["other_company"]:
            lines.append(
                self.env._("%s months evaluated in another agency are counted.", len(facts["other_company"]))
            )
        pending_note = self._pending_rule_note(company, facts)
        if pending_note:
            lines.append(pending_note)
        return {
            "framework_id": framework.id,
            "months_evaluated": count,
            "months_worked": worked,
            "months_not_evaluated": len(facts["not_evaluated"]),
            "months_pending": len(facts["pending"]),
            "months_other_company": len(facts["other_company"]),
            "average_score": average,
            "absence_months": facts["absence_months"],
            "maternity_months": maternity,
            "has_discipline": bool(disciplines),
            "regime": regime,
            "category_rule_id": rule.id,
            "not_classified": not_classified,
            "not_classified_reason": reason,
            "proposed_level_id": level.id,
            "explanation": "\n".join(lines),
            "pending_rule_note": pending_note,
            "waits_for_lock": self._waits_for_lock(company, facts),
        }

    @api.model
    def _unlocked_months(self, company, facts):
        """(the months of one person's year not locked yet, those of them folded into the year: the
        fourth quarter of a quarterly leader when the company folds it, KL 198-KL/TW)."""
        pending = set(facts.get("pending") or ())
        folded = set(facts.get("pending_q4") or ()) if company.civ_annual_fold_q4 else set()
        return pending, folded

    @api.model
    def _waits_for_lock(self, company, facts):
        """Whether the company's rule makes this person's result wait for the lock of its months."""
        pending, folded = self._unlocked_months(company, facts)
        return company.civ_annual_pending_rule == "wait" and bool(pending - folded)

    @api.model
    def _pending_rule_note(self, company, facts):
        """The company's rule on the months not locked yet, as it applies to one person's year (shown
        on the result), or False when every month is locked."""
        pending, folded = self._unlocked_months(company, facts)
        if not pending:
            return False
        year = facts.get("year")
        names = ", ".join(
            f"{month:02d}/{year}" if year else f"{month:02d}" for month in sorted(pending - folded)
        )
        parts = []
        if folded:
            parts.append(
                self.env._(
                    "The fourth quarter has no grade of its own: it is folded into the year "
                    "(KL 198-KL/TW, company rule)."
                )
            )
        if pending - folded:
            if company.civ_annual_pending_rule == "wait":
                parts.append(
                    self.env._(
                        "Waiting for the lock of %(months)s before the decision (company rule).", months=names
                    )
                )
            else:
                parts.append(
                    self.env._(
                        "Classified on the months locked; not locked yet, left out: %(months)s.",
                        months=names,
                    )
                )
        return " ".join(parts)

    @api.model
    def _apply_absence_cap(self, company, ranked, level, facts, lines):
        """Absent at least the company's cap months (maternity apart): not above the cap level."""
        cap_months = company.civ_annual_absence_cap_months
        absent = facts["absence_months"]
        if (
            not level
            or float_compare(cap_months, 0.0, MONTH_DIGITS) <= 0
            or (float_compare(absent, cap_months, MONTH_DIGITS) < 0)
        ):
            return level
        code = (company.civ_annual_absence_cap_code or "").strip().upper()
        cap = ranked.filtered(lambda lvl: (lvl.code or "").strip().upper() == code)[:1]
        if not cap:
            lines.append(
                self.env._(
                    "Absent %(months)s months, but the framework has no level %(code)s: no cap applied.",
                    months=_fmt_months(self.env, absent),
                    code=code or "-",
                )
            )
            return level
        if list(ranked).index(level) < list(ranked).index(cap):
            lines.append(
                self.env._(
                    "Absent %(months)s months: at most %(level)s.",
                    months=_fmt_months(self.env, absent),
                    level=cap.display_name,
                )
            )
            return cap
        return level

    @api.model
    def _level_by_count(self, framework, months):
        """Rule 'months at each level': the best level L of the framework such that at least
        L.annual_min_months months are at L or better; the lowest level otherwise. Monthly levels are
        matched to the year-end framework by code (by rank when the code is unknown); a month with two
        sheets counts with its best-scored one."""
        ranked = list(framework._sorted_levels())
        if not any(level.annual_min_months for level in ranked):
            raise UserError(
                self.env._(
                    "The year-end rule counts the months at each level, but no level of %s says how many "
                    "months it needs: set them on the framework's levels.",
                    framework.display_name,
                )
            )
        index_of_code = {(level.code or "").strip().upper(): index for index, level in enumerate(ranked)}
        Level = self.env["civ.level"].sudo()
        ranks = []
        for rows in months.values():
            _score, level_id = max(rows, key=lambda row: row[0])
            if not level_id:
                continue
            month_level = Level.browse(level_id)
            index = index_of_code.get((month_level.code or "").strip().upper())
            if index is None:
                own = list(month_level.framework_id._sorted_levels())
                index = min(own.index(month_level), len(ranked) - 1)
            ranks.append(index)
        for index, level in enumerate(ranked):
            reached = sum(1 for rank in ranks if rank <= index)
            if level.annual_min_months > 0 and reached >= level.annual_min_months:
                return level
        return ranked[-1]

    @api.model
    def _cron_prepare_year_end(self, batch=1):
        """Daily: the year-end calendar of each company (civ_annual_deadline): the reminders before
        the deadline, then the preparation of the drafts in the deadline's month (see
        _civ_prepare_year_end). Only the scheduler (superuser) runs it; the day is today in Vietnam
        (the crons' user has no time zone)."""
        self.env["civ.period"]._check_cron_caller()
        today = self.env["civ.period"]._civ_today()
        self._civ_year_end_reminders(today=today)
        self.env["civ.annual.appeal"]._civ_remind_overdue(today=today)
        self._civ_retry_missing_notices()
        self._civ_prepare_year_end(today=today, batch=batch)

    @api.model
    def _civ_year_end_due(self, today, companies=None):
        """[(company, year)] whose preparation window is open on `today`: from the company's
        preparation day of the deadline's month (December of the year for the 15 December deadline,
        January of the following year for the 15 January one) to the end of that month."""
        Company = self.env["res.company"].sudo()
        domain = [("civ_annual_prepare_day", ">", 0), ("civ_annual_prepare_day", "<=", today.day)]
        if companies is not None:
            domain.append(("id", "in", companies.ids))
        due = []
        for deadline, (month, year) in (("12-15", (12, today.year)), ("01-15", (1, today.year - 1))):
            if today.month == month:
                due.extend(
                    (company, year)
                    for company in Company.search(
                        domain + [("civ_annual_deadline", "=", deadline)], order="id"
                    )
                )
        return due

    @api.model
    def _civ_prepare_year_end(self, today=None, batch=1, companies=None):
        """Prepare the draft results of the companies whose window is open (_civ_year_end_due) and
        not prepared yet, or prepared before a month of the year was locked (November is usually
        locked in December). `batch` companies per call; the progress is reported to the
        scheduler, which calls again while companies remain."""
        today = self.env["civ.period"]._civ_today(today)
        by_year = defaultdict(lambda: self.env["res.company"])
        for company, year in self._civ_year_end_due(today, companies):
            by_year[year] |= company
        todo = [
            (company, year)
            for year, group in sorted(by_year.items())
            for company in self._companies_to_prepare(group, year)
        ]
        Result = self.sudo().with_context(**QUIET_CONTEXT)
        for company, year in todo[:batch]:
            try:
                with self.env.cr.savepoint():
                    Result._prepare_company(company, year)
            except UserError as error:
                _logger.warning("Year-end %s of %s not prepared: %s", year, company.name, error)
                company.write(
                    {"civ_annual_prepared_year": year, "civ_annual_prepared_date": fields.Datetime.now()}
                )
        done = min(batch, len(todo))
        self.env["ir.cron"]._notify_progress(done=done, remaining=len(todo) - done)

    @api.model
    def _civ_year_end_reminders(self, today=None, companies=None):
        """From company.civ_annual_reminder_days days before the year-end deadline until the
        deadline, remind whoever has not acted: the officers of the company while results of the
        year are drafts, the decider while results await their decision. A reminder is one activity
        per person, company and year, on the first of their pending results (never two open ones).

        :returns: the number of reminder activities created
        """
        today = self.env["civ.period"]._civ_today(today)
        domain = [("civ_annual_reminder_days", ">", 0)]
        if companies is not None:
            domain.append(("id", "in", companies.ids))
        due = {}
        for company in self.env["res.company"].sudo().search(domain):
            for year in (today.year, today.year - 1):
                deadline = company._civ_annual_deadline_date(year)
                if deadline - timedelta(days=company.civ_annual_reminder_days) <= today <= deadline:
                    due[(company.id, year)] = deadline
        if not due:
            return 0
        pending = self.sudo().search(
            expression.OR(
                [
                    [
                        ("company_id", "=", company_id),
                        ("year", "=", year),
                        ("state", "in", ("draft", "submitted")),
                    ]
                    for company_id, year in due
                ]
            ),
            order="id",
        )
        if not pending:
            return 0
        officers = (
            self.env["res.users"]
            .sudo()
            .search(
                [("groups_id", "in", self.env.ref(OFFICER).id), ("company_ids", "in", pending.company_id.ids)]
            )
        )
        targets = defaultdict(lambda: self.browse())
        for result in pending:
            key = (result.company_id.id, result.year)
            if result.state == "submitted":
                if result.decider_user_id:
                    targets[(*key, result.decider_user_id.id, "decide")] |= result
                continue
            for officer in officers:
                if result.company_id in officer.company_ids:
                    targets[(*key, officer.id, "submit")] |= result
        reminder_type = self.env.ref(ANNUAL_REMINDER_ACTIVITY)
        existing = {
            (activity.res_id, activity.user_id.id)
            for activity in self.env["mail.activity"]
            .sudo()
            .search_fetch(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", pending.ids),
                    ("activity_type_id", "=", reminder_type.id),
                ],
                ["res_id", "user_id"],
            )
        }
        reminded = {(result_id, user_id) for result_id, user_id in existing}
        model_id = self.env["ir.model"]._get_id(self._name)
        vals_list = []
        for (company_id, year, user_id, kind), results in targets.items():
            if any((result.id, user_id) in reminded for result in results):
                continue
            deadline = due[(company_id, year)]
            figures = {"count": len(results), "year": year, "deadline": deadline.strftime("%d/%m/%Y")}
            if kind == "decide":
                summary = self.env._(
                    "Year-end classification: %(count)s result(s) of %(year)s to decide by %(deadline)s",
                    **figures,
                )
            else:
                summary = self.env._(
                    "Year-end classification: %(count)s result(s) of %(year)s to check and submit by "
                    "%(deadline)s",
                    **figures,
                )
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": results[0].id,
                    "activity_type_id": reminder_type.id,
                    "user_id": user_id,
                    "date_deadline": deadline,
                    "summary": summary,
                    "automated": True,
                }
            )
        self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(vals_list)
        _logger.info("Year-end reminders: %s activities", len(vals_list))
        return len(vals_list)

    @api.model
    def _companies_to_prepare(self, companies, year):
        """The companies whose drafts of `year` are missing or older than the last month locked."""
        first, last = _year_bounds(year)
        latest_lock = dict(
            self.env["civ.period"]
            .sudo()
            ._read_group(
                [
                    ("company_id", "in", companies.ids),
                    ("state", "=", "locked"),
                    ("date_start", ">=", first),
                    ("date_start", "<=", last),
                ],
                ["company_id"],
                ["date_locked:max"],
            )
        )
        return companies.filtered(
            lambda company: company.civ_annual_prepared_year != year
            or (
                latest_lock.get(company)
                and company.civ_annual_prepared_date
                and latest_lock[company] > company.civ_annual_prepared_date
            )
        )
