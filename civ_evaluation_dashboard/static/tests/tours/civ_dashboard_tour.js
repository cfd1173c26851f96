/** @odoo-module **/
// The HR officer opens the evaluation dashboard in the Dashboards app (started by
// tests/test_dashboard.py): the spreadsheet loads, its data sources answer, no error is shown.

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("civ_officer_dashboard", {
    url: "/web#action=spreadsheet_dashboard.ir_actions_dashboard_action",
    steps: () => [
        {
            content: "Open the evaluation dashboard",
            trigger: ".o_search_panel_category_value:contains('Evaluation of Cadres')",
            run: "click",
        },
        {
            content: "The evaluation dashboard is the active one",
            trigger: ".o_search_panel_category_value.active:contains('Evaluation of Cadres')",
        },
        {
            content: "The spreadsheet is rendered, without a loading error",
            trigger: ".o_spreadsheet_dashboard_action .o-spreadsheet canvas",
            run() {
                if (document.querySelector(".o_spreadsheet_dashboard_action .dashboard-loading-status.error")) {
                    throw new Error("The dashboard failed to load");
                }
            },
        },
    ],
});
