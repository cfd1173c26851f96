from . import civ_evaluation_return_wizard
from . import civ_reopen_wizard
from . import civ_export_wizard
