from . import test_foundation, test_review_chain
