{
    "name": "Đánh giá cán bộ, công chức, viên chức hằng tháng",
    "summary": "Monthly evaluation of Vietnamese cadres, civil servants and public employees: "
    "self-assessment, review chains, locking, year-end classification, Excel reports",
    "version": "18.0.1.0.0",
    "category": "Human Resources/Evaluation",
    "website": "https://github.com/civ-evaluation/civ_evaluation",
    "author": "civ_evaluation developers",
    "license": "LGPL-3",
    "application": True,
    "installable": True,
    "depends": ["hr", "mail"],
    "data": [
        "security/civ_evaluation_security.xml",
        "security/ir.model.access.csv",
        "data/civ_framework_data.xml",
        "views/hr_employee_views.xml",
        "views/hr_department_views.xml",
        "views/menus.xml",
        "views/res_config_settings_views.xml",
        "views/civ_framework_views.xml",
        "data/civ_review_policy_data.xml",
        "views/civ_review_policy_views.xml",
    ],
    "demo": [
        "demo/civ_demo_district.xml",
    ],
}
