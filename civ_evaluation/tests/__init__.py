from . import test_foundation, test_framework, test_framework_scoring
