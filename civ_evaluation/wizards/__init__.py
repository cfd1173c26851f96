from . import civ_org_check_wizard
from . import civ_org_check_line
