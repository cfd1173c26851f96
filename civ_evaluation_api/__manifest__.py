{
    "name": "Đánh giá CBCCVC - API kết nối (sản phẩm vào, kết quả ra)",
    "summary": "A documented, versioned HTTP API for the agency's document and task systems: work items "
    "in as the products of the evaluation sheets, decided results out (Nghị định 335/2025 art. 26.1)",
    "version": "18.0.1.0.0",
    "category": "Human Resources/Evaluation",
    "website": "https://github.com/civ-evaluation/civ_evaluation",
    "author": "civ_evaluation developers",
    "license": "LGPL-3",
    "installable": True,
    "auto_install": False,
    "depends": ["civ_evaluation"],
    "data": [
        "security/civ_evaluation_api_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron.xml",
        "views/civ_api_batch_views.xml",
        "views/civ_api_call_views.xml",
        "views/civ_period_views.xml",
        "views/menus.xml",
    ],
}
