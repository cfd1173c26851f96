from collections import defaultdict

from odoo import models

from . import civ_product_scoring
from .civ_format import format_number


class CivEvaluationLevelRules(models.Model):
    """The rules beyond the points that decide a sheet's level, applied at the decision and at the
    lock (civ.evaluation._decision_results, _lock_decide): the conditions of the levels on the
    products (Quy định 366-QĐ/TW), then the recorded grounds of "Không hoàn thành nhiệm vụ"
    (Nghị định 335/2025, civ.discipline); before them, the level a calibration session gave (the
    rules still apply to it).
    """

    _inherit = "civ.evaluation"

    def _apply_level_rules(self, results):
        """The level rules beyond the points, in `results` ({sheet id: compute_score result}): the level
        of a closed calibration session, the conditions of the levels on the products (Quy định
        366-QĐ/TW), then the recorded grounds."""
        self._apply_collective_level(results)
        self._apply_calibration(results)
        self._apply_level_conditions(results)
        return self._apply_grounds(results)

    def _apply_level_conditions(self, results):
        """A level with conditions on the products (civ.level.product_conditions) is given only to a
        sheet whose products meet them; otherwise the next level whose conditions are met, with the
        reason in "level_reason". One read of the products of all the sheets concerned."""
        sheets = self.sudo().filtered(
            lambda sheet: sheet.id in results
            and any(sheet.framework_id.level_ids.mapped("product_conditions"))
        )
        if not sheets:
            return results
        items = defaultdict(list)
        for row in (
            self.env["civ.evaluation.product"]
            .sudo()
            .search_read(
                [("evaluation_id", "in", sheets.ids)],
                ["evaluation_id", "weight", "qty_assigned", "qty_quality", "qty_on_time", "qty_exceeded"],
                load="",
            )
        ):
            items[row["evaluation_id"]].append(row)
        for sheet in sheets:
            result = results[sheet.id]
            level = result.get("level")
            if not level:
                continue
            shares = civ_product_scoring.condition_shares(items[sheet.id])
            ranked = list(sheet.framework_id._sorted_levels())
            reasons = []
            for candidate in ranked[ranked.index(level) :] if level in ranked else []:
                failures = candidate._condition_failures(shares)
                if not failures:
                    break
                reasons.append(
                    self.env._(
                        "not %(level)s: %(failures)s", level=candidate.code, failures="; ".join(failures)
                    )
                )
            else:
                candidate = ranked[-1] if ranked else level
            if candidate != level:
                result["level"] = candidate
                result["level_reason"] = self.env._(
                    "%(level)s with %(score)s points (%(reasons)s).",
                    level=candidate.display_name,
                    score=format_number(self.env, result["total"], trim=True),
                    reasons="; ".join(reasons),
                )
        return results

    def _apply_grounds(self, results):
        """The recorded grounds (civ.discipline, counted, dated in the sheet's period: a disciplinary
        measure of reprimand or above in official duty, a conclusion of degradation, corruption or
        waste in the unit led) make the level the lowest of the framework whatever the points
        (Nghị định 335/2025). Changes `results` ({sheet id: compute_score result}) in place: "level"
        and "level_reason". One search for all the sheets."""
        sheets = self.sudo()
        if not sheets:
            return results
        periods = sheets.period_id
        grounds = self.env["civ.discipline"]._grounds_by_employee(
            sheets.employee_id.ids, min(periods.mapped("date_start")), max(periods.mapped("date_end"))
        )
        for sheet in sheets:
            result = results.get(sheet.id)
            period = sheet.period_id
            facts = grounds.get(sheet.employee_id.id, self.env["civ.discipline"]).filtered(
                lambda fact, period=period: period.date_start <= fact.date <= period.date_end
            )
            lowest = sheet.framework_id._sorted_levels()[-1:]
            if result is None or not facts or not lowest:
                continue
            result["level"] = lowest
            result["level_reason"] = self.env._(
                "%(level)s whatever the points (%(score)s): %(grounds)s.",
                level=lowest.display_name,
                score=format_number(self.env, result["total"], trim=True),
                grounds="; ".join(facts.mapped("display_name")),
            )
        return results

    def _apply_collective_level(self, results):
        """The level most members of a leadership collective chose at the deciding step (Hà Nội
        3251-QĐ/TU), in `results`: "level" and "level_reason"."""
        for sheet in self.sudo().filtered(lambda sheet: sheet.id in results):
            level = sheet.current_step_id.collective_level_id
            result = results[sheet.id]
            if not level or result.get("level") == level:
                continue
            result["level"] = level
            result["level_reason"] = self.env._(
                "%(level)s with %(score)s points, by the majority of the leadership collective.",
                level=level.display_name,
                score=format_number(self.env, result["total"], trim=True),
            )
        return results

    # ------------------------------------------------------------------ calibration
    def _calibration_proposals(self):
        """{sheet id: compute_score result} of sheets before their decision: the level their current
        points give with the level rules, the proposal a calibration session starts from (sudo)."""
        sheets = self.sudo()
        results = {
            sheet.id: sheet.framework_id.compute_score(sheet._points("reviewer_points")) for sheet in sheets
        }
        sheets._apply_level_conditions(results)
        return sheets._apply_grounds(results)

    def _apply_calibration(self, results):
        """The level a closed calibration session gave (civ.calibration.session), in `results` ({sheet
        id: compute_score result}): "level" and "level_reason" with the session and the head's comment.
        Applied before the products' conditions and the recorded grounds, which still lower it. One
        search for all the sheets; the latest session closed decides."""
        lines = (
            self.env["civ.calibration.line"]
            .sudo()
            .search(
                [
                    ("evaluation_id", "in", [sheet_id for sheet_id in results if sheet_id in self.ids]),
                    ("session_state", "=", "closed"),
                    ("new_level_id", "!=", False),
                ],
                order="id desc",
            )
        )
        done = set()
        for line in lines.sorted(lambda line: (line.session_id.date_closed, line.id), reverse=True):
            sheet_id = line.evaluation_id.id
            if sheet_id in done:
                continue
            done.add(sheet_id)
            result = results[sheet_id]
            if result.get("level") == line.new_level_id:
                continue
            result["level"] = line.new_level_id
            result["level_reason"] = self.env._(
                "%(level)s with %(score)s points, calibrated in %(session)s: %(comment)s",
                level=line.new_level_id.display_name,
                score=format_number(self.env, result["total"], trim=True),
                session=line.session_id.name,
                comment=line.comment or "",
            )
        return results
