{
    "name": "Đánh giá CBCCVC - Bảng điều khiển (Dashboards)",
    "summary": "The officers' evaluation dashboard in Odoo's Dashboards app: progress of the month, "
    "levels against the reference, overdue steps, reviewer profiles, year to date",
    "version": "18.0.1.0.0",
    "category": "Human Resources/Evaluation",
    "website": "https://github.com/civ-evaluation/civ_evaluation",
    "author": "civ_evaluation developers",
    "license": "LGPL-3",
    "installable": True,
    "auto_install": True,
    "depends": ["civ_evaluation", "spreadsheet_dashboard"],
    "data": [
        "data/dashboards.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "civ_evaluation_dashboard/static/tests/tours/*.js",
        ],
    },
}
