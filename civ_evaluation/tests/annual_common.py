"""Shared set-up of the year-end tests: the cycle tests' district (company, framework A ≥ 90, B ≥ 70,
C ≥ 50, D, six employees with users, an officer) with the twelve periods of YEAR, and a helper that
writes locked monthly sheets directly (sudo, state locked), as the lock of a month leaves them."""

from datetime import date, datetime

from odoo import Command
from odoo.tests import new_test_user

from .cycle_common import CivCycleCase

YEAR = 2025
# final scores giving each level of the test framework
A, B, C, D = 92.0, 80.0, 60.0, 40.0


class CivAnnualCase(CivCycleCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Result = cls.env["civ.annual.result"]
        cls.periods = cls._make_periods(cls.company, cls.framework)
        cls.levels = {level.code: level for level in cls.framework.level_ids}
        # the superior level, which decides the year of the head of the agency (the chairman)
        cls.superior_company = cls.env["res.company"].create({"name": "UBND thành phố Thử Nghiệm"})
        cls.user_superior = new_test_user(
            cls.env,
            login="chutich_tp_t",
            name="Chủ tịch Thành phố",
            groups="base.group_user",
            company_id=cls.superior_company.id,
            company_ids=[Command.set((cls.superior_company | cls.company).ids)],
        )
        cls.superior = cls.env["hr.employee"].create(
            {
                "name": "Chủ tịch Thành phố",
                "user_id": cls.user_superior.id,
                "company_id": cls.superior_company.id,
            }
        )
        cls.company.civ_superior_employee_id = cls.superior

    @classmethod
    def _make_periods(cls, company, framework, year=YEAR):
        Period = cls.env["civ.period"].sudo()
        periods = Period.create(
            [
                {"company_id": company.id, "framework_id": framework.id, "date_start": date(year, month, 1)}
                for month in range(1, 13)
            ]
        )
        return {period.date_start.month: period for period in periods}

    def _sheets(self, employee, scores, periods=None, not_evaluated=(), unlocked=(), locked_on=None):
        """Monthly sheets of `employee`: scores = {month: final score}; months in `not_evaluated` are
        locked as not evaluated, months in `unlocked` stay decided but not locked. The periods are
        locked on `locked_on` (default: the 28th of their month)."""
        periods = periods or self.periods
        vals = []
        for month, score in scores.items():
            period = periods[month]
            framework = period.framework_id
            skipped = month in not_evaluated
            vals.append(
                {
                    "period_id": period.id,
                    "employee_id": employee.id,
                    "company_id": period.company_id.id,
                    "framework_id": framework.id,
                    "state": "done" if month in unlocked else "locked",
                    "final_score": 0.0 if skipped else score,
                    "level_id": False if skipped else framework.level_for_score(score).id,
                    "not_evaluated": skipped,
                }
            )
        sheets = self.env["civ.evaluation"].sudo().create(vals)
        for month in scores:
            period = periods[month]
            if month not in unlocked and period.state != "locked":
                start = period.date_start
                period.sudo().write(
                    {
                        "state": "locked",
                        "date_locked": locked_on or datetime(start.year, start.month, 28),
                    }
                )
        return sheets

    def _year(self, employee, score_or_scores, months=None, **kwargs):
        """Sheets for `months` (default: the whole year) with one score for all, or a list of scores."""
        months = months or range(1, 13)
        if isinstance(score_or_scores, (int, float)):
            scores = dict.fromkeys(months, score_or_scores)
        else:
            scores = dict(zip(months, score_or_scores, strict=True))
        return self._sheets(employee, scores, **kwargs)

    def _decide(self, results, quota_reason=None):
        """Human resources submit the drafts (as the user of `results`), each decider decides
        (the head of the agency for the staff, the superior for the head)."""
        results.action_submit(quota_reason=quota_reason)
        for user, group in results.sudo().grouped("decider_user_id").items():
            group.with_user(user).with_company(group.company_id[:1]).action_decide()
        return results

    def _prepare(self, company=None, user=None, **settings):
        company = company or self.company
        if settings:
            company.write(settings)
        Result = self.Result.with_user(user or self.user_officer).with_company(company)
        results = Result.prepare_results(YEAR, company)
        return {result.employee_id: result for result in results}

    def _absence(self, employee, start, end, kind="sick"):
        return self.env["civ.absence"].create(
            {"employee_id": employee.id, "date_from": start, "date_to": end, "kind": kind}
        )
