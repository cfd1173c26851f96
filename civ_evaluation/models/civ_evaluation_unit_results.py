from collections import defaultdict

from odoo import models

from .hr_employee import AGENCY_POSITIONS


class CivEvaluationUnitResults(models.Model):
    """The results of the unit a leader leads (Nghị định 335/2025, art. 15: 100% when everyone led has
    at least the points of "Hoàn thành nhiệm vụ", 50% otherwise), for the task results computed from
    products of the heads and deputies of units and of the agency: who is in whose unit, with which
    points and level. A deputy with units directed (hr.employee.civ_directed_department_ids) is judged
    on those units only. A part of civ.evaluation, read in a few queries for a whole agency."""

    _inherit = "civ.evaluation"

    def _civ_is_leader(self):
        self.ensure_one()
        return bool(self.civ_position) and self.civ_position != "staff"

    def _civ_unit_levels(self):
        """{leader's sheet id: [civ.level of each person of the unit they lead, in the same period]}
        (see _civ_unit_standing)."""
        return {
            sheet_id: [level for level, _score in standing]
            for sheet_id, standing in self._civ_unit_standing().items()
        }

    def _civ_unit_standing(self):
        """{leader's sheet id: [(civ.level, points) of each person of the unit they lead, in the same
        period]}: the decided level and points, else the latest points and the level they give. The
        unit of a head or deputy of a unit is that unit and its sub-units; of the head or a deputy of
        the agency, the whole agency; of a deputy with units directed, those units and their
        sub-units. Batched: one search of the units led, one read of the sheets per period (the whole
        agency's when one of its leaders is among self)."""
        leaders = self.sudo().filtered(lambda sheet: sheet._civ_is_leader())
        units_of = leaders._civ_units_led()
        leaders_by_period = defaultdict(list)
        for sheet in leaders:
            leaders_by_period[sheet.period_id].append(sheet)
        level_of = self._civ_level_reader()
        result = {}
        for period, period_leaders in leaders_by_period.items():
            agency_wide = any(
                sheet.civ_position in AGENCY_POSITIONS and not units_of[sheet.employee_id.id]
                for sheet in period_leaders
            )
            unit_ids = set().union(*(units_of[sheet.employee_id.id] for sheet in period_leaders))
            if not (agency_wide or unit_ids):
                continue
            everyone, by_unit = self._civ_unit_members(period, None if agency_wide else unit_ids, level_of)
            for sheet in period_leaders:
                if units_of[sheet.employee_id.id]:
                    # {sheet id: level}: a person of nested units counted once
                    unit = dict(
                        entry for unit_id in units_of[sheet.employee_id.id] for entry in by_unit[unit_id]
                    ).items()
                elif sheet.civ_position in AGENCY_POSITIONS:
                    unit = everyone
                else:
                    continue
                result[sheet.id] = [standing for other_id, standing in unit if other_id != sheet.id]
        return result

    def _civ_units_led(self):
        """{employee id: ids of the departments they head or deputise} for the leaders of units of
        self (one search); for a deputy with units directed, those units instead (and for a deputy of
        the agency, instead of the whole agency)."""
        units_of = defaultdict(set)
        deputies = self.filtered(
            lambda sheet: sheet.civ_position in ("deputy_unit_head", "deputy_agency_head")
        ).employee_id.filtered("civ_directed_department_ids")
        for deputy in deputies:
            units_of[deputy.id] = set(deputy.civ_directed_department_ids.ids)
        employees = (
            self.filtered(lambda sheet: sheet.civ_position not in AGENCY_POSITIONS).employee_id - deputies
        )
        if employees:
            for department in (
                self.env["hr.department"]
                .sudo()
                .search_fetch(
                    ["|", ("manager_id", "in", employees.ids), ("civ_deputy_ids", "in", employees.ids)],
                    ["manager_id", "civ_deputy_ids"],
                )
            ):
                for employee in (department.manager_id | department.civ_deputy_ids) & employees:
                    units_of[employee.id].add(department.id)
        return units_of

    def _civ_level_reader(self):
        """A function giving the (level, points) a sheet stands at: the decided ones, else its latest
        points and the level they give (the frameworks' levels sorted once)."""
        ranked = {}

        def level_of(sheet):
            if sheet.state in ("done", "locked"):
                return sheet.level_id, sheet.final_score
            score = sheet.reviewer_score if sheet.state == "review" else sheet.self_score
            framework = sheet.framework_id
            if framework not in ranked:
                ranked[framework] = framework._sorted_levels()
            return framework._level_among(ranked[framework], score), score

        return level_of

    def _civ_unit_members(self, period, unit_ids, level_of):
        """The evaluated people of period, read once: ([(sheet id, (level, points))] of everyone read,
        {department id: [(sheet id, (level, points))] of the department and its sub-units}); only the
        people of the departments unit_ids (and their sub-units) unless unit_ids is None."""
        domain = [("period_id", "=", period.id), ("not_evaluated", "=", False)]
        if unit_ids is not None:
            domain.append(("department_id", "child_of", list(unit_ids)))
        members = (
            self.sudo()
            .with_context(active_test=False)
            .search_fetch(
                domain,
                [
                    "state",
                    "level_id",
                    "final_score",
                    "reviewer_score",
                    "self_score",
                    "framework_id",
                    "department_id",
                ],
            )
        )
        paths = {
            department.id: department.parent_path
            for department in members.department_id.with_context(active_test=False)
        }
        everyone, by_unit = [], defaultdict(list)
        for member in members:
            entry = (member.id, level_of(member))
            everyone.append(entry)
            for unit_id in (paths.get(member.department_id.id) or "").split("/"):
                if unit_id:
                    by_unit[int(unit_id)].append(entry)
        return everyone, by_unit
