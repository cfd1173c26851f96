/** @odoo-module **/
// The HR officer opens the organisation check from the menu: it has run already (started by
// tests/test_ui_org_check.py, data created there).

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("civ_officer_org_check", {
    url: "/web",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the evaluation app",
            trigger: ".o_app[data-menu-xmlid='civ_evaluation.menu_civ_root']",
            run: "click",
        },
        {
            content: "Open the Configuration menu",
            trigger: ".o_menu_sections .dropdown-toggle:contains('Configuration')",
            run: "click",
        },
        {
            content: "Open the organisation check",
            trigger: ".dropdown-item[data-menu-xmlid='civ_evaluation.menu_civ_org_check']",
            run: "click",
        },
        {
            content: "The check has run: it counts the problems",
            trigger: ".modal .alert-warning .o_field_widget[name=problem_count]:contains('1')",
        },
        {
            content: "The problem is listed, its text wrapped in full",
            trigger: ".modal .o_data_row .o_data_cell.text-wrap[name=message]:contains('Nobody is left to review')",
        },
        {
            content: "Close",
            trigger: ".modal-footer button:contains('Close')",
            run: "click",
        },
        {
            content: "Closed",
            trigger: "body:not(:has(.modal))",
        },
    ],
});
