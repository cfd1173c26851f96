from . import hr_department
from . import hr_employee
from . import res_company
from . import res_config_settings
from . import civ_review_policy
from . import civ_review_policy_step
