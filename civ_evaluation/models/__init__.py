from . import hr_department, hr_employee
