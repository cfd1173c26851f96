from odoo import api, fields, models
from odoo.exceptions import AccessError

PROBLEM_KINDS = [
    ("department_without_head", "Department without a head"),
    ("no_manager", "Employee without a direct leader"),
    ("no_user", "Employee without a user"),
    ("chain", "Review chain incomplete"),
    ("out_of_scope", "Out of evaluation scope"),
]


class CivOrgCheckWizard(models.TransientModel):
    """The organisation check HR officers run before opening a month: everything in the organisation
    chart that would leave a sheet without its employee or without a reviewer."""

    _name = "civ.org.check.wizard"
    _description = "Organisation Check before Opening a Month"

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    line_ids = fields.One2many("civ.org.check.line", "wizard_id", string="Problems", readonly=True)
    problem_count = fields.Integer(compute="_compute_problem_count")

    @api.depends("line_ids.kind")
    def _compute_problem_count(self):
        for wizard in self:
            wizard.problem_count = len(wizard.line_ids.filtered(lambda line: line.kind != "out_of_scope"))

    @api.model_create_multi
    def create(self, vals_list):
        wizards = super().create(vals_list)
        wizards.action_check()
        return wizards

    def action_check(self):
        """(Re)compute the problems of the company's organisation (a few queries, whatever its size).
        Officers check the companies they are allowed on, nothing else."""
        for wizard in self:
            if not self.env.su and wizard.company_id not in self.env.user.company_ids:
                raise AccessError(
                    self.env._("You cannot check the organisation of %s.", wizard.company_id.sudo().name)
                )
            wizard.line_ids.unlink()
            wizard.write({"line_ids": [(0, 0, vals) for vals in wizard._problems()]})
        return self._reopen()

    def _problems(self):
        self.ensure_one()
        env = self.env
        company = self.company_id
        Employee = env["hr.employee"].sudo()
        departments = env["hr.department"].sudo().search([("company_id", "in", [company.id, False])])
        employees = Employee.search([("company_id", "=", company.id)])
        in_scope = employees.filtered("civ_evaluated")
        problems = [
            {
                "kind": "department_without_head",
                "department_id": department.id,
                "message": env._("Nobody is set as Manager (head) of this department."),
            }
            for department in departments.filtered(lambda d: not d.manager_id)
        ]
        for employee in in_scope:
            if not employee.parent_id and employee.civ_position != "agency_head":
                problems.append(
                    {
                        "kind": "no_manager",
                        "employee_id": employee.id,
                        "department_id": employee.department_id.id,
                        "message": env._("No Manager: the direct leader who assigns the work is unknown."),
                    }
                )
            if not employee.user_id:
                problems.append(
                    {
                        "kind": "no_user",
                        "employee_id": employee.id,
                        "department_id": employee.department_id.id,
                        "message": env._("No user: this person cannot fill in their own sheet."),
                    }
                )
        chain_problems = env["civ.review.policy"]._chain_problems(in_scope)
        for employee in in_scope.filtered(lambda e: e.id in chain_problems):
            problems.append(
                {
                    "kind": "chain",
                    "employee_id": employee.id,
                    "department_id": employee.department_id.id,
                    "message": "; ".join(chain_problems[employee.id]["notes"]),
                }
            )
        problems.extend(
            {
                "kind": "out_of_scope",
                "employee_id": employee.id,
                "department_id": employee.department_id.id,
                "message": env._("Not evaluated monthly (unticked on the employee form)."),
            }
            for employee in employees - in_scope
        )
        return problems

    @api.model
    def _civ_run_for_current_company(self):
        """The menu's server action: the check of the current company, already run."""
        return self.create({"company_id": self.env.company.id})._reopen()

    def _reopen(self):
        if len(self) != 1:
            return True
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Organisation Check"),
        }
