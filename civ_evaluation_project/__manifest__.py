{
    "name": "Đánh giá CBCCVC - Nhiệm vụ từ Dự án (Project)",
    "summary": "Monthly evaluation by products and work: load the tasks of Odoo Project as the "
    "products of the evaluation sheets (Nghị định 335/2025)",
    "version": "18.0.1.1.0",
    "category": "Human Resources/Evaluation",
    "website": "https://github.com/civ-evaluation/civ_evaluation",
    "author": "civ_evaluation developers",
    "license": "LGPL-3",
    "installable": True,
    "auto_install": False,
    "depends": ["civ_evaluation", "project"],
    "data": [
        "security/ir.model.access.csv",
        "security/civ_evaluation_project_security.xml",
        "views/project_project_views.xml",
        "views/project_task_views.xml",
        "views/civ_evaluation_views.xml",
        "views/res_config_settings_views.xml",
    ],
    "demo": [
        "demo/civ_project_demo.xml",
    ],
    "post_init_hook": "post_init_hook",
}
