from . import project_project
from . import project_task
from . import res_company
from . import res_config_settings
from . import civ_evaluation_product
from . import civ_evaluation
from . import civ_period
