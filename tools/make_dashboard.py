"""Writes civ_evaluation_dashboard/data/files/civ_evaluation_dashboard.json, the officers' evaluation
dashboard of Odoo's Dashboards app (spreadsheet_dashboard), from the definitions below: one place for
its data sources (the pivots' models, domains and groupings, which tests/test_dashboard.py checks
against the unit list) and its layout. Run it after changing them:

    python3 tools/make_dashboard.py
"""

import json
import pathlib

OUT = (
    pathlib.Path(__file__).resolve().parent.parent
    / "civ_evaluation_dashboard/data/files/civ_evaluation_dashboard.json"
)

# the sheets the unit list counts as decided (reports/xlsx_unit_list.py, is_decided)
DECIDED = [["state", "in", ["done", "locked"]], ["not_evaluated", "=", False], ["level_id", "!=", False]]

# global filters: the month (fixed period, this month by default), the year, the company, the unit
MONTH, YEAR, COMPANY, UNIT = (
    "civ-filter-month",
    "civ-filter-year",
    "civ-filter-company",
    "civ-filter-unit",
)
FILTERS = [
    {"id": MONTH, "type": "date", "label": "Month", "rangeType": "fixedPeriod", "defaultValue": "this_month"},
    {"id": YEAR, "type": "date", "label": "Year", "rangeType": "fixedPeriod", "defaultValue": "this_year",
     "disabledPeriods": ["month", "quarter"]},
    {"id": COMPANY, "type": "relation", "label": "Agency", "modelName": "res.company", "defaultValue": [],
     "defaultValueDisplayNames": []},
    {"id": UNIT, "type": "relation", "label": "Unit", "modelName": "hr.department", "defaultValue": [],
     "defaultValueDisplayNames": []},
]  # fmt: skip


def matching(date=None, company=None, unit=None, year=None):
    """fieldMatching of a data source: the chain of each global filter (none: not filtered)."""
    result = {}
    for filter_id, chain, kind in (
        (MONTH, date, "date"),
        (YEAR, year, "date"),
        (COMPANY, company, "many2one"),
        (UNIT, unit, "many2one"),
    ):
        result[filter_id] = (
            {"chain": chain, "type": kind, **({"offset": 0} if kind == "date" else {})} if chain else {}
        )
    return result


SHEET_MATCH = matching("period_id.date_start", "company_id", "department_id")
STEP_MATCH = matching(
    "evaluation_id.period_id.date_start", "evaluation_id.company_id", "evaluation_id.department_id"
)
PROFILE_MATCH = matching("date_start", "company_id", "reviewer_department_id")
YEAR_MATCH = matching(company="company_id", unit="department_id", year="period_id.date_start")

# the data sources: {id: (name, model, domain, rows, columns, measures, fieldMatching)}
PIVOTS = {
    "1": ("Sheets per Unit and Status", "civ.evaluation", [], ["department_id"], ["state"], ["__count"],
          SHEET_MATCH),
    "2": ("Levels Decided", "civ.evaluation", DECIDED, ["level_id"], [], ["__count", "final_score"],
          SHEET_MATCH),
    "3": ("Overdue Steps per Reviewer", "civ.review.step", [["is_overdue", "=", True]],
          ["reviewer_user_id"], [], ["__count"], STEP_MATCH),
    "4": ("Reviewer Profiles", "civ.reviewer.profile", [], ["reviewer_user_id"], [],
          ["sheet_count", "unchanged_share", "mean_change", "leniency_index"], PROFILE_MATCH),
    "5": ("Year to Date", "civ.evaluation", DECIDED, ["period_id"], ["level_id"], ["__count"], YEAR_MATCH),
    "6": ("Reference Distribution", "civ.reference.distribution", [["active", "=", True]], ["name"], [],
          ["share_1", "share_2", "share_3", "share_4"], matching()),
    "7": ("Sheets per Status", "civ.evaluation", [], ["state"], [], ["__count"], SHEET_MATCH),
}  # fmt: skip

AGGREGATORS = {
    "final_score": "avg",
    "unchanged_share": "avg",
    "mean_change": "avg",
    "leniency_index": "avg",
    "share_1": "avg",
    "share_2": "avg",
    "share_3": "avg",
    "share_4": "avg",
    "sheet_count": "sum",
}


def pivot(pivot_id, name, model, domain, rows, columns, measures, field_matching):
    return {
        "type": "ODOO",
        "id": pivot_id,
        "formulaId": pivot_id,
        "name": name,
        "model": model,
        "domain": domain,
        "context": {},
        "rows": [{"fieldName": fname} for fname in rows],
        "columns": [{"fieldName": fname} for fname in columns],
        "measures": [
            {
                "id": m if m == "__count" else f"{m}:{AGGREGATORS[m]}",
                "fieldName": m,
                **({} if m == "__count" else {"aggregator": AGGREGATORS[m]}),
            }
            for m in measures
        ],  # fmt: skip
        "sortedColumn": None,
        "fieldMatching": field_matching,
    }


# the scorecards' values (sheet "Data"): label, formula
DATA = [
    ("Sheets", '=PIVOT.VALUE(7,"__count")'),
    ("In self-assessment", '=PIVOT.VALUE(7,"__count","state","draft")'),
    ("In review", '=PIVOT.VALUE(7,"__count","state","review")'),
    ("Decided", '=PIVOT.VALUE(7,"__count","state","done")'),
    ("Locked", '=PIVOT.VALUE(7,"__count","state","locked")'),
    ("Overdue steps", '=PIVOT.VALUE(3,"__count")'),
]

# the dashboard's blocks: (row, title, pivot id); each pivot table spills below its title
BLOCKS = [
    (9, "Progress of the month: sheets per unit and status", "1"),
    (60, "Levels decided this month", "2"),
    (70, "Reference distribution (%)", "6"),
    (78, "Overdue steps per reviewer", "3"),
    (120, "Reviewer profiles (locked months)", "4"),
    (170, "Year to date: levels decided per month", "5"),
]


def cell_name(col, row):
    return f"{chr(ord('A') + col)}{row}"


def scorecard(figure_id, x, title, key):
    return {
        "id": figure_id,
        "x": x,
        "y": 40,
        "width": 180,
        "height": 100,
        "tag": "chart",
        "data": {
            "type": "scorecard",
            "title": {"text": title, "bold": True, "color": "#434343"},
            "background": "#EFF6FF",
            "keyValue": key,
            "baselineMode": "text",
            "baselineColorUp": "#00A04A",
            "baselineColorDown": "#DC6965",
            "humanize": False,
        },
    }


def chart(figure_id, x, y, title, chart_type, model, domain, group_by, field_matching):
    return {
        "id": figure_id,
        "x": x,
        "y": y,
        "width": 480,
        "height": 300,
        "tag": "chart",
        "data": {
            "type": chart_type,
            "title": {"text": title},
            "background": "#FFFFFF",
            "legendPosition": "top",
            "metaData": {"groupBy": group_by, "measure": "__count", "order": None, "resModel": model,
                         "mode": chart_type.removeprefix("odoo_")},
            "searchParams": {"comparison": None, "context": {}, "domain": domain, "groupBy": group_by,
                             "orderBy": []},
            "verticalAxisPosition": "left",
            "stacked": False,
            "fieldMatching": field_matching,
        },
    }  # fmt: skip


def sheet(sheet_id, name, cells, figures, rows=200, cols=12, widths=None):
    return {
        "id": sheet_id,
        "name": name,
        "colNumber": cols,
        "rowNumber": rows,
        "rows": {},
        "cols": {str(col): {"size": size} for col, size in enumerate(widths or [])},
        "merges": [],
        "cells": cells,
        "styles": {},
        "formats": {},
        "borders": {},
        "conditionalFormats": [],
        "figures": figures,
        "tables": [],
        "areGridLinesVisible": False,
        "isVisible": True,
        "headerGroups": {"ROW": [], "COL": []},
        "dataValidationRules": [],
        "comments": {},
    }


def build():
    cells = {
        "A1": {
            "content": '=_t("Monthly evaluation of cadres, civil servants and public employees")',
            "style": 1,
        }
    }
    for row, title, pivot_id in BLOCKS:
        cells[f"A{row}"] = {"content": f'=_t("{title}")', "style": 2}
        cells[f"A{row + 1}"] = {"content": f"=PIVOT({pivot_id})"}
    figures = [
        scorecard(f"civ-score-{index}", 10 + index * 190, label, f"Data!B{index + 1}")
        for index, (label, _formula) in enumerate(DATA)
    ]
    figures += [
        chart("civ-chart-states", 10, 160, "Sheets per status", "odoo_pie", "civ.evaluation", [], ["state"],
              SHEET_MATCH),
        chart("civ-chart-levels", 500, 160, "Levels decided", "odoo_bar", "civ.evaluation", DECIDED,
              ["level_id"], SHEET_MATCH),
    ]  # fmt: skip
    # the charts take rows 3 to 8 (about 23 px a row): the first block starts below them
    data_cells = {}
    for index, (label, formula) in enumerate(DATA, start=1):
        data_cells[f"A{index}"] = {"content": f'=_t("{label}")'}
        data_cells[f"B{index}"] = {"content": formula}
    return {
        "version": 21,
        "sheets": [
            sheet("civ-dashboard", "Dashboard", cells, figures, widths=[260, 110, 110, 110, 110, 110, 110]),
            dict(sheet("civ-data", "Data", data_cells, [], rows=20, cols=4), isVisible=False),
        ],
        "styles": {
            "1": {"textColor": "#01666b", "bold": True, "fontSize": 16},
            "2": {"textColor": "#434343", "bold": True, "fontSize": 11},
        },  # fmt: skip
        "formats": {},
        "borders": {},
        "revisionId": "START_REVISION",
        "uniqueFigureIds": True,
        "settings": {},
        "pivots": {pivot_id: pivot(pivot_id, *definition) for pivot_id, definition in PIVOTS.items()},
        "pivotNextId": len(PIVOTS) + 1,
        "customTableStyles": {},
        "odooVersion": 12,
        "globalFilters": FILTERS,
        "lists": {},
        "listNextId": 1,
    }


if __name__ == "__main__":
    OUT.write_text(json.dumps(build(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written {OUT}")
