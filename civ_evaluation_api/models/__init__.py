from . import civ_evaluation_product
from . import civ_api_products
from . import civ_api_results
from . import civ_api_batch
from . import civ_api_call
from . import civ_period
