"""The year-end tests' class, over the builders of common.py: the cycle tests' district (company,
framework A >= 90, B >= 70, C >= 50, D, six employees with users, an officer) with the twelve periods of
YEAR and the superior level that decides the head of the agency, and helpers that write locked monthly
sheets directly (sudo, state locked), as the lock of a month leaves them."""

from datetime import datetime

from .common import make_company, make_person, make_year_periods
from .cycle_common import CivCycleCase

YEAR = 2025
# final scores giving each level of the test framework
A, B, C, D = 92.0, 80.0, 60.0, 40.0


class CivAnnualCase(CivCycleCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Result = cls.env["civ.annual.result"]
        cls.periods = make_year_periods(cls.env, cls.company, cls.framework, YEAR)
        cls.levels = {level.code: level for level in cls.framework.level_ids}
        # the superior level, which decides the year of the head of the agency (the chairman)
        cls.superior_company = make_company(cls.env, "UBND thành phố Thử Nghiệm")
        cls.user_superior, cls.superior = make_person(
            cls.env,
            cls.superior_company,
            "Chủ tịch Thành phố",
            "chutich_tp_t",
            companies=cls.superior_company | cls.company,
        )
        cls.company.civ_superior_employee_id = cls.superior

    @classmethod
    def _locked_year(cls, scores):
        """A locked sheet of every month of YEAR for each employee of scores ({employee: final
        score}), the periods locked (without a date of lock)."""
        cls.env["civ.evaluation"].sudo().create(
            [
                {
                    "period_id": period.id,
                    "employee_id": employee.id,
                    "company_id": cls.company.id,
                    "framework_id": cls.framework.id,
                    "state": "locked",
                    "final_score": score,
                    "level_id": cls.framework.level_for_score(score).id,
                }
                for period in cls.periods.values()
                for employee, score in scores.items()
            ]
        )
        cls.env["civ.period"].browse([p.id for p in cls.periods.values()]).sudo().write({"state": "locked"})

    @classmethod
    def _sheets(
        cls, employee, scores, periods=None, not_evaluated=(), unlocked=(), locked_on=None, extra=None
    ):
        """Monthly sheets of `employee`: scores = {month: final score}; months in `not_evaluated` are
        locked as not evaluated, months in `unlocked` stay decided but not locked. The periods are
        locked on `locked_on` (default: the 28th of their month); `extra`: more values of every sheet
        (e.g. its regime)."""
        periods = periods or cls.periods
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
                    **(extra or {}),
                }
            )
        sheets = cls.env["civ.evaluation"].sudo().create(vals)
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

    @classmethod
    def _year(cls, employee, score_or_scores, months=None, **kwargs):
        """Sheets for `months` (default: the whole year) with one score for all, or a list of scores."""
        months = months or range(1, 13)
        if isinstance(score_or_scores, (int, float)):
            scores = dict.fromkeys(months, score_or_scores)
        else:
            scores = dict(zip(months, score_or_scores, strict=True))
        return cls._sheets(employee, scores, **kwargs)

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
