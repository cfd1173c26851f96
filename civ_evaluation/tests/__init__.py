from . import test_foundation
from . import test_company_settings
