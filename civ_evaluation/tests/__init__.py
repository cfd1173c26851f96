from . import test_foundation
from . import test_company_settings
from . import test_review_chain
from . import test_framework, test_framework_scoring
