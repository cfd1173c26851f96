/** @odoo-module **/
// #13 item 5: a point outside its criterion's limits is told at once (started by tests/test_ui_tours.py).

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("civ_employee_out_of_range", {
    url: "/web",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the evaluation app",
            trigger: ".o_app[data-menu-xmlid='civ_evaluation.menu_civ_root']",
            run: "click",
        },
        {
            content: "Open my sheet of the month",
            trigger: ".o_list_view .o_data_row:contains('Hoàng Văn Viên') .o_data_cell[name=employee_id]",
            run: "click",
        },
        {
            content: "Edit the first criterion's self points (0 to 10)",
            trigger: ".o_field_widget[name=line_ids] .o_data_row:first .o_data_cell[name=self_points]",
            run: "click",
        },
        {
            content: "Type 11 points",
            trigger: ".o_field_widget[name=line_ids] .o_data_row .o_field_widget[name=self_points] input",
            run: "edit 11",
        },
        {
            content: "Leave the cell",
            trigger: ".o_form_view .oe_title",
            run: "click",
        },
        {
            content: "The limits are told at once",
            trigger: ".modal:contains('Points outside the limits'):contains('must be between 0 and 10')",
        },
        {
            content: "Close the message",
            trigger: ".modal .modal-footer button",
            run: "click",
        },
        {
            content: "The running totals say it too, without a level",
            trigger: ".o_field_widget[name=live_group_summary] .o_civ_out_of_bounds:contains('must be between 0 and 10')",
        },
        {
            content: "Correct the points",
            trigger: ".o_field_widget[name=line_ids] .o_data_row:first .o_data_cell[name=self_points]",
            run: "click",
        },
        {
            content: "Type 9 points",
            trigger: ".o_field_widget[name=line_ids] .o_data_row .o_field_widget[name=self_points] input",
            run: "edit 9",
        },
        {
            content: "Leave the cell again",
            trigger: ".o_form_view .oe_title",
            run: "click",
        },
        {
            content: "The totals count the 9 points",
            trigger: ".o_field_widget[name=live_self_score]:contains('9.00')",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_view .o_form_saved",
        },
    ],
});
