from . import test_foundation
from . import test_company_settings
from . import test_review_chain
from . import test_framework, test_framework_scoring
from . import test_evaluation_period
from . import test_evaluation_cycle
from . import test_evaluation_lock
from . import test_evaluation_access
from . import test_export
