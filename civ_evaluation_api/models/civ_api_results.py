from collections import defaultdict
from datetime import date

from odoo import api, models
from odoo.exceptions import UserError


class CivApiResults(models.AbstractModel):
    """The results an agency gives its HR database and the higher levels, in one shape for the API
    (/civ/api/v1/results) and the JSON Lines file of a period: the decided and locked months (person,
    identification, unit, period, the points of each level, final points, level, regime, seal status)
    and the year-end results. Superuser after the caller's checks, within the companies given; a few
    searches per page, whatever its size."""

    _name = "civ.api.results"
    _description = "Evaluation Results for Other Systems"

    @api.model
    def _month_domain(self, companies, period=None, unit=None, period_ids=None):
        domain = [("company_id", "in", companies.ids), ("state", "in", ("done", "locked"))]
        if period:
            start = date(int(period[:4]), int(period[5:7]), 1)
            domain += [("period_id.date_start", "<=", start), ("period_id.date_end", ">=", start)]
        if period_ids:
            domain.append(("period_id", "in", period_ids))
        if unit:
            domain.append(("department_id", "child_of", unit))
        return domain

    @api.model
    def _months(self, companies, period=None, unit=None, limit=100, offset=0, period_ids=None):
        """(count, [row]) of the decided and locked sheets of companies, in a stable order."""
        Sheet = self.env["civ.evaluation"].sudo()
        domain = self._month_domain(companies, period=period, unit=unit, period_ids=period_ids)
        count = Sheet.search_count(domain)
        sheets = Sheet.search_fetch(
            domain,
            [
                "employee_id",
                "department_id",
                "company_id",
                "period_id",
                "self_score",
                "final_score",
                "level_id",
                "regime",
                "state",
                "seal_hash",
            ],
            order="period_id, id",
            limit=limit,
            offset=offset,
        )
        steps = defaultdict(list)
        for step in (
            self.env["civ.review.step"]
            .sudo()
            .search_fetch(
                [("evaluation_id", "in", sheets.ids)],
                [
                    "evaluation_id",
                    "name",
                    "reviewer_employee_id",
                    "score",
                    "is_decision",
                    "state",
                    "sequence",
                ],
                order="evaluation_id, sequence, id",
            )
        ):
            steps[step.evaluation_id.id].append(step)
        sheets.employee_id.fetch(["name", "barcode", "identification_id"])
        sheets.period_id.fetch(["name", "date_start", "date_end", "seal_hash"])
        rows = [
            {
                "kind": "month",
                "sheet_id": sheet.id,
                "employee_id": sheet.employee_id.id,
                "person": sheet.employee_id.name,
                "badge": sheet.employee_id.barcode or None,
                "identification_id": sheet.employee_id.identification_id or None,
                "unit_id": sheet.department_id.id or None,
                "unit": sheet.department_id.name or None,
                "company_id": sheet.company_id.id,
                "period": sheet.period_id.name,
                "date_start": sheet.period_id.date_start.isoformat(),
                "date_end": sheet.period_id.date_end.isoformat(),
                "self_points": sheet.self_score,
                "levels": [
                    {
                        "step": step.name,
                        "reviewer": step.reviewer_employee_id.name or None,
                        "points": step.score,
                        "decides": step.is_decision,
                    }
                    for step in steps[sheet.id]
                    if step.state == "approved"
                ],
                "final_points": sheet.final_score,
                "level": sheet.level_id.code or None,
                "level_name": sheet.level_id.name or None,
                "regime": sheet.regime or None,
                "state": sheet.state,
                "sealed": bool(sheet.state == "locked" and sheet.seal_hash and sheet.period_id.seal_hash),
            }
            for sheet in sheets
        ]
        return count, rows

    @api.model
    def _years(self, companies, year=None, unit=None, limit=100, offset=0):
        """(count, [row]) of the decided year-end results of companies."""
        Result = self.env["civ.annual.result"].sudo()
        domain = [("company_id", "in", companies.ids), ("state", "=", "done")]
        if year:
            domain.append(("year", "=", year))
        if unit:
            domain.append(("department_id", "child_of", unit))
        count = Result.search_count(domain)
        results = Result.search_fetch(
            domain,
            [
                "employee_id",
                "department_id",
                "company_id",
                "year",
                "average_score",
                "months_evaluated",
                "proposed_level_id",
                "level_id",
                "regime",
                "state",
                "seal_hash",
            ],
            order="year, id",
            limit=limit,
            offset=offset,
        )
        results.employee_id.fetch(["name", "barcode", "identification_id"])
        rows = [
            {
                "kind": "year",
                "result_id": result.id,
                "employee_id": result.employee_id.id,
                "person": result.employee_id.name,
                "badge": result.employee_id.barcode or None,
                "identification_id": result.employee_id.identification_id or None,
                "unit_id": result.department_id.id or None,
                "unit": result.department_id.name or None,
                "company_id": result.company_id.id,
                "period": str(result.year),
                "date_start": date(result.year, 1, 1).isoformat(),
                "date_end": date(result.year, 12, 31).isoformat(),
                "months_evaluated": result.months_evaluated,
                "average_points": result.average_score,
                "proposed_level": result.proposed_level_id.code or None,
                "level": result.level_id.code or None,
                "level_name": result.level_id.name or None,
                "regime": result.regime or None,
                "state": result.state,
                "sealed": bool(result.seal_hash),
            }
            for result in results
        ]
        return count, rows

    @api.model
    def _check_unit(self, companies, unit):
        """The department id of the `unit` filter, when it is one of companies'."""
        department = self.env["hr.department"].sudo().browse(unit).exists()
        if not department or department.company_id not in companies:
            raise UserError(self.env._("No unit %s in the caller's companies.", unit))
        return department.id
