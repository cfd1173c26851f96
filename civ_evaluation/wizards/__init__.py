from . import civ_evaluation_return_wizard
from . import civ_reopen_wizard
from . import civ_quota_override_wizard
