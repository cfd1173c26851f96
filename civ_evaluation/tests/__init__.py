from . import test_foundation
from . import test_company_settings
from . import test_review_chain
