from . import test_foundation
from . import test_company_settings
from . import test_demo_data
from . import test_review_chain
from . import test_framework
from . import test_framework_scoring
from . import test_org_check
