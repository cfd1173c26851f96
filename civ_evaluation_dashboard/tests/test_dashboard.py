"""The evaluation dashboard (Odoo's Dashboards app): shipped to officers only, its spreadsheet loads,
and its figures — read as the spreadsheet reads them, each data source's model, domain, grouping and
the month filter, with the officer's rights — equal the unit list's for the locked May of the test
district (5 decided: 2 A, 3 B; the vice-chairman not evaluated); the overdue steps per reviewer."""

import json
import re
from datetime import date, timedelta

from odoo.tests import HttpCase, tagged

from odoo.addons.civ_evaluation.tests.common import MAY, sheet_values
from odoo.addons.civ_evaluation.tests.cycle_common import LockedMayCase

DASHBOARD = "civ_evaluation_dashboard.spreadsheet_dashboard_civ_evaluation"
MONTH_FILTER = "civ-filter-month"
COMPANY_FILTER = "civ-filter-company"


@tagged("post_install", "-at_install", "civ_evaluation", "civ_dashboard")
class TestEvaluationDashboard(LockedMayCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dashboard = cls.env.ref(DASHBOARD)
        cls.data = json.loads(cls.dashboard.spreadsheet_data)

    def _figures(self, pivot_id, user, month=MAY, company=None):
        """{row value: {column value or None: count}} of a pivot of the dashboard, read as the
        spreadsheet does: its domain, the month filter on its date chain, the agency filter."""
        pivot = self.data["pivots"][pivot_id]
        domain = list(pivot["domain"])
        chain = pivot["fieldMatching"][MONTH_FILTER].get("chain")
        if chain:
            last = (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
            domain += [(chain, ">=", month), (chain, "<=", last)]
        if company:
            domain.append((pivot["fieldMatching"][COMPANY_FILTER]["chain"], "in", company.ids))
        rows = [row["fieldName"] for row in pivot["rows"]]
        columns = [column["fieldName"] for column in pivot["columns"]]
        groups = self.env[pivot["model"]].with_user(user)._read_group(domain, rows + columns, ["__count"])
        figures = {}
        for *keys, count in groups:
            row = keys[0]
            column = keys[1] if columns else None
            figures.setdefault(row, {})[column] = count
        return figures

    def _unit_list_levels(self):
        """{level code: people} and the total of the unit list of May (the Excel export)."""
        _wizard, workbook = self._export(self.user_officer, "unit_list", periods=self.period)
        values = sheet_values(workbook.worksheets[0])
        levels, total = {}, None
        for row in values:
            label = row[1] if len(row) > 1 else None
            if not isinstance(label, str):
                continue
            people = next((value for value in row[2:] if isinstance(value, str) and "người" in value), "")
            if label.startswith("Trong đó: ") and re.match(r"\d+ người \(", people):
                levels[label.removeprefix("Trong đó: ").split(" - ")[0]] = int(people.split()[0])
            if label == "Tổng cộng":
                total = int(people.split()[0])
        return levels, total

    def test_shipped_to_officers(self):
        self.assertEqual(self.dashboard.group_ids, self.env.ref("civ_evaluation.group_civ_officer"))
        Dashboard = self.env["spreadsheet.dashboard"]
        self.assertIn(self.dashboard, Dashboard.with_user(self.user_officer).search([]))
        self.assertNotIn(self.dashboard, Dashboard.with_user(self.user_staff).search([]))
        snapshot = self.dashboard.with_user(self.user_officer).get_readonly_dashboard()["snapshot"]
        self.assertEqual(set(snapshot["pivots"]), set(self.data["pivots"]))
        models = {pivot["model"] for pivot in snapshot["pivots"].values()}
        self.assertEqual(
            models,
            {"civ.evaluation", "civ.review.step", "civ.reviewer.profile", "civ.reference.distribution"},
        )
        # every pivot, chart and filter field exists
        for pivot in self.data["pivots"].values():
            Model = self.env[pivot["model"]]
            for fname in [g["fieldName"] for g in pivot["rows"] + pivot["columns"]]:
                self.assertIn(fname, Model._fields, pivot["name"])
            for measure in pivot["measures"]:
                self.assertTrue(measure["fieldName"] == "__count" or measure["fieldName"] in Model._fields)
            for match in pivot["fieldMatching"].values():
                if match.get("chain"):
                    Model._search([(match["chain"], "!=", False)])  # a path the ORM resolves

    def test_figures_equal_the_unit_list(self):
        levels, total = self._unit_list_levels()
        self.assertEqual((levels, total), ({"A": 2, "B": 3}, 6))
        decided = self._figures("2", self.user_officer, company=self.company)
        self.assertEqual({level.code: counts[None] for level, counts in decided.items()}, levels)
        per_status = self._figures("7", self.user_officer, company=self.company)
        self.assertEqual(sum(counts[None] for counts in per_status.values()), total)
        self.assertEqual({state: counts[None] for state, counts in per_status.items()}, {"locked": 6})
        per_unit = self._figures("1", self.user_officer, company=self.company)
        self.assertEqual(
            {unit.name: counts for unit, counts in per_unit.items()},
            {"Thường trực UBND": {"locked": 2}, "Phòng Nội vụ": {"locked": 4}},
        )
        # the year to date of a year with only May: the same levels
        year = self._figures("5", self.user_officer, company=self.company)
        self.assertEqual(list(year), [self.period])
        self.assertEqual({level.code: count for level, count in year[self.period].items()}, levels)
        # the officer of the city reads both agencies; the district's officer only theirs
        self.assertEqual(sum(c[None] for c in self._figures("7", self.user_city).values()), total + 2)
        self.assertEqual(sum(c[None] for c in self._figures("7", self.user_officer).values()), total)

    def test_overdue_steps_per_reviewer(self):
        june = date(2026, 6, 1)
        period = self._open_period(june)
        period.sudo().write({"review_deadline": date(2026, 6, 3), "decision_deadline": date(2026, 12, 31)})
        sheet = self._sheet(period, self.staff)
        self._set_points(sheet, self.user_staff, "self_points", self.SELF_90)
        sheet.with_user(self.user_staff).action_submit()
        overdue = self._figures("3", self.user_officer, month=june)
        self.assertEqual({user: counts[None] for user, counts in overdue.items()}, {self.user_deputy: 1})
        # once the deputy approved, the head's decision is not overdue (its deadline is later)
        sheet.with_user(self.user_deputy).action_approve()
        self.assertEqual(self._figures("3", self.user_officer, month=june), {})


@tagged("post_install", "-at_install", "civ_evaluation", "civ_dashboard", "civ_ui")
class TestDashboardTour(HttpCase, LockedMayCase):
    def test_officer_opens_the_dashboard(self):
        self.start_tour("/web", "civ_officer_dashboard", login=self.user_officer.login)
