from . import hr_department
from . import hr_employee
from . import res_company
from . import res_config_settings
from . import (
    civ_criteria_group,
    civ_criterion,
    civ_framework,
    civ_framework_part,
    civ_level,
    civ_quota,
)
from . import civ_review_policy, civ_review_policy_step
from . import civ_bulk_create_mixin
from . import civ_period
from . import civ_evaluation
from . import civ_evaluation_line
from . import civ_review_step
