/** @odoo-module **/
// Browser tours of civ_evaluation, started by tests/test_ui_tours.py (data created there).

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

const openApp = [
    stepUtils.showAppsMenuItem(),
    {
        content: "Open the evaluation app",
        trigger: ".o_app[data-menu-xmlid='civ_evaluation.menu_civ_root']",
        run: "click",
    },
];

function openMenu(xmlid, label) {
    return [
        {
            content: "Open the Evaluation menu",
            trigger: ".o_menu_sections .dropdown-toggle:contains('Evaluation')",
            run: "click",
        },
        {
            content: `Open ${label}`,
            trigger: `.dropdown-item[data-menu-xmlid='${xmlid}']`,
            run: "click",
        },
    ];
}

// (a) the employee fills in the month and submits it
registry.category("web_tour.tours").add("civ_employee_self_assessment", {
    url: "/web",
    steps: () => [
        ...openApp,
        {
            content: "My sheet of the month is listed",
            trigger: ".o_list_view .o_data_row:contains('Hoàng Văn Viên') .o_data_cell[name=employee_id]",
            run: "click",
        },
        {
            content: "The deadline is shown",
            trigger: ".o_form_view .o_field_widget[name=self_deadline]",
        },
        {
            content: "Edit the first criterion's self points",
            trigger: ".o_field_widget[name=line_ids] .o_data_row:first .o_data_cell[name=self_points]",
            run: "click",
        },
        {
            content: "Enter 10 points",
            trigger: ".o_field_widget[name=line_ids] .o_data_row .o_field_widget[name=self_points] input",
            run: "edit 10",
        },
        {
            content: "Go to the second criterion",
            trigger: ".o_field_widget[name=line_ids] .o_data_row:eq(1) .o_data_cell[name=self_points]",
            run: "click",
        },
        {
            content: "Enter 8 points",
            trigger: ".o_field_widget[name=line_ids] .o_data_row:eq(1) .o_field_widget[name=self_points] input",
            run: "edit 8",
        },
        {
            content: "Leave the line",
            trigger: ".o_form_view .oe_title",
            run: "click",
        },
        {
            content: "The running total follows the points",
            trigger: ".o_field_widget[name=live_self_score]:contains('18.00')",
        },
        {
            content: "The group totals follow the points",
            trigger: ".o_field_widget[name=live_group_summary] td:contains('18.00')",
        },
        {
            content: "Submit",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_submit]",
            run: "click",
        },
        {
            content: "Confirm the submission",
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The sheet is in review",
            trigger: ".o_statusbar_status [aria-checked='true']:contains('In Review')",
        },
        {
            content: "The current reviewer is shown",
            trigger: ".o_field_widget[name=current_reviewer_user_id]:contains('Phạm Thị Phó')",
        },
    ],
});

// (b) the reviewer re-scores a sheet waiting for them and approves it
registry.category("web_tour.tours").add("civ_reviewer_rescore_approve", {
    url: "/web",
    steps: () => [
        ...openApp,
        ...openMenu("civ_evaluation.menu_civ_evaluation_to_review", "To Review"),
        {
            content: "The sheet waiting for me is listed with its self score",
            trigger: ".o_list_view .o_data_row:contains('Hoàng Văn Viên'):contains('90.00') .o_data_cell[name=employee_id]",
            run: "click",
        },
        {
            content: "The previous level's points are shown",
            trigger: ".o_field_widget[name=line_ids] th[data-name=previous_points]",
        },
        {
            content: "Re-score the first criterion",
            trigger: ".o_field_widget[name=line_ids] .o_data_row:first .o_data_cell[name=reviewer_points]",
            run: "click",
        },
        {
            content: "Give 5 points instead of 10",
            trigger: ".o_field_widget[name=line_ids] .o_data_row .o_field_widget[name=reviewer_points] input",
            run: "edit 5",
        },
        {
            content: "Leave the line",
            trigger: ".o_form_view .oe_title",
            run: "click",
        },
        {
            content: "The reviewer total follows",
            trigger: ".o_field_widget[name=live_reviewer_score]:contains('85.00')",
        },
        {
            content: "Approve",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_approve_check]:contains('Approve')",
            run: "click",
        },
        {
            content: "The sheet went on to the unit head",
            trigger: ".o_field_widget[name=current_reviewer_user_id]:contains('Lê Văn Trưởng')",
        },
    ],
});

// (c) the HR officer creates and opens a month
registry.category("web_tour.tours").add("civ_officer_open_month", {
    url: "/web",
    steps: () => [
        ...openApp,
        ...openMenu("civ_evaluation.menu_civ_period", "Periods"),
        {
            content: "New period",
            trigger: ".o_control_panel .o_list_button_add",
            run: "click",
        },
        {
            content: "Month starting on 1 June 2026",
            trigger: ".o_form_view .o_field_widget[name=date_start] input",
            run: "edit 06/01/2026",
        },
        {
            content: "Leave the date",
            trigger: ".o_form_view .oe_title",
            run: "click",
        },
        {
            content: "The organisation check is offered before opening",
            trigger: ".o_statusbar_buttons button[name=action_check_organisation]",
        },
        {
            content: "Open the month",
            trigger: ".o_statusbar_buttons button[name=action_open]:contains('Open')",
            run: "click",
        },
        {
            content: "Confirm",
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The month is open",
            trigger: ".o_statusbar_status [aria-checked='true']:contains('Open')",
        },
        {
            content: "Its sheets are counted",
            trigger: ".oe_stat_button[name=action_view_evaluations] .o_stat_value:contains('6')",
        },
        {
            content: "Export the month to Excel",
            trigger: ".o_statusbar_buttons button:contains('Export to Excel')",
            run: "click",
        },
        {
            content: "The wizard preselects the month",
            trigger: ".modal .o_field_widget[name=period_ids] .o_tag:contains('06/2026')",
        },
        {
            content: "Export",
            trigger: ".modal-footer button[name=action_export]",
            run: "click",
        },
        {
            content: "Close the wizard once the file is built",
            trigger: ".modal-footer button.btn-secondary:not([disabled])",
            run: "click",
        },
        {
            content: "The wizard is closed",
            trigger: "body:not(:has(.modal))",
        },
    ],
});

// (d) two reviewers score differently: the head sees the direct leader's points and remark next to
// their own, and both stay visible once the head has decided
registry.category("web_tour.tours").add("civ_levels_side_by_side", {
    url: "/web",
    steps: () => [
        ...openApp,
        ...openMenu("civ_evaluation.menu_civ_evaluation_to_review", "To Review"),
        {
            content: "Open the sheet the direct leader approved",
            trigger: ".o_list_view .o_data_row:contains('Hoàng Văn Viên') .o_data_cell[name=employee_id]",
            run: "click",
        },
        {
            content: "Re-score 2.1 (the direct leader gave 25)",
            trigger: ".o_field_widget[name=line_ids] .o_data_row:contains('Khối lượng') .o_data_cell[name=reviewer_points]",
            run: "click",
        },
        {
            content: "Give 30",
            trigger: ".o_field_widget[name=line_ids] .o_data_row .o_field_widget[name=reviewer_points] input",
            run: "edit 30",
        },
        {
            content: "Leave the line",
            trigger: ".o_form_view .oe_title",
            run: "click",
        },
        {
            content: "Open the points of each level",
            trigger: ".o_notebook .nav-link:contains('Points of Each Level')",
            run: "click",
        },
        {
            content: "The direct leader's 25 and remark next to the 30 being entered",
            trigger: ".o_civ_level_points tr:contains('Khối lượng'):contains('25'):contains('30'):contains('Còn 2 việc chưa hoàn thành')",
        },
        {
            content: "Decide",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_approve_check]:contains('Decide')",
            run: "click",
        },
        {
            content: "Confirm the decision",
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "Decided",
            trigger: ".o_statusbar_status button[aria-checked=true]:contains('Decided')",
        },
        {
            content: "Both levels stay visible after the decision",
            trigger: ".o_civ_level_points tr:contains('Khối lượng'):contains('25'):contains('30'):contains('Còn 2 việc chưa hoàn thành')",
        },
    ],
});

// (e) bulk approval from the list: a confirmation with the count, then the result
registry.category("web_tour.tours").add("civ_bulk_approve", {
    url: "/web",
    steps: () => [
        ...openApp,
        ...openMenu("civ_evaluation.menu_civ_evaluation_to_review", "To Review"),
        {
            content: "The sheets waiting for me are listed",
            trigger: ".o_list_view .o_data_row:contains('Đỗ Thị Hai')",
        },
        {
            content: "Select them all",
            trigger: ".o_list_view thead .o_list_record_selector input",
            run: "click",
        },
        {
            content: "Approve / Decide",
            trigger: ".o_list_selection_container button[name=action_bulk_approve]",
            run: "click",
        },
        {
            content: "The confirmation gives the count",
            trigger: ".modal .o_civ_bulk_confirm .o_field_widget[name=approve_count]:contains('2')",
        },
        {
            content: "Confirm",
            trigger: ".modal .modal-footer button[name=action_confirm]",
            run: "click",
        },
        {
            content: "The result: 2 approved",
            trigger: ".modal .o_civ_bulk_result .o_field_widget[name=approved_count]:contains('2')",
        },
        {
            content: "Close",
            trigger: ".modal .modal-footer button:contains('Close')",
            run: "click",
        },
        {
            content: "Back to the list",
            trigger: "body:not(:has(.modal)) .o_list_view",
        },
    ],
});
