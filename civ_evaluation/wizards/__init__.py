from . import civ_org_check_wizard
from . import civ_org_check_line
from . import civ_evaluation_return_wizard
from . import civ_reopen_wizard
from . import civ_annual_prepare_wizard
from . import civ_annual_confirm_wizard
from . import civ_quota_override_wizard
from . import civ_export_wizard
