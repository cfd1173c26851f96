from . import (
    civ_criteria_group,
    civ_criterion,
    civ_framework,
    civ_framework_part,
    civ_level,
    civ_quota,
    hr_department,
    hr_employee,
    ir_ui_menu,
)
