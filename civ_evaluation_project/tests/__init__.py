from . import test_demo_project
from . import test_project_tasks
from . import test_project_access
from . import test_coefficient_bounds
