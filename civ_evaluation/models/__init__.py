from . import civ_review_policy, civ_review_policy_step, hr_department, hr_employee
