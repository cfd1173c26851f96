from . import test_demo_project
from . import test_project_tasks
from . import test_project_trust
from . import test_coefficient_bounds
