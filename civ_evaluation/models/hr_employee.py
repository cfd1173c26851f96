from odoo import api, fields, models
from odoo.exceptions import UserError

CIV_CATEGORIES = [
    ("can_bo", "Cadre"),
    ("cong_chuc", "Civil Servant"),
    ("vien_chuc", "Public Employee"),
    ("hop_dong", "Contract Worker"),
]

# The positions that decide which review chain applies to a person (see civ.review.policy).
CIV_POSITIONS = [
    ("staff", "Staff"),
    ("deputy_unit_head", "Deputy Head of Unit"),
    ("unit_head", "Head of Unit"),
    ("deputy_agency_head", "Deputy Head of Agency"),
    ("agency_head", "Head of Agency"),
]
# the positions that lead the whole agency (the others lead the units they head or deputise)
AGENCY_POSITIONS = ("agency_head", "deputy_agency_head")


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    civ_category = fields.Selection(
        CIV_CATEGORIES, string="Staff Category", default="cong_chuc", groups="hr.group_hr_user"
    )
    civ_evaluated = fields.Boolean(
        string="Monthly Evaluation",
        default=True,
        groups="hr.group_hr_user",
        help="In scope of the monthly evaluation: a sheet is opened for this person every period.",
    )
    civ_managed_department_ids = fields.One2many(
        "hr.department", "manager_id", string="Headed Units", groups="hr.group_hr_user"
    )
    civ_deputy_department_ids = fields.Many2many(
        "hr.department",
        "civ_department_deputy_rel",
        "employee_id",
        "department_id",
        string="Deputy Head of Units",
        groups="hr.group_hr_user",
    )
    civ_position_override = fields.Selection(
        CIV_POSITIONS,
        string="Position (override)",
        groups="hr.group_hr_user",
        help="Set only when the position computed from the organisation chart is not right.",
    )
    civ_directed_department_ids = fields.Many2many(
        "hr.department",
        "civ_employee_directed_department_rel",
        "employee_id",
        "department_id",
        string="Units Directed",
        groups="hr.group_hr_user",
        check_company=True,
        help="For a deputy: the units or fields assigned to them (sub-units of their unit, or the "
        "departments a deputy head of the agency directs). Their unit result counts only the people "
        "of these units (Decree 335/2025: deputies are judged on what is assigned to them); empty: "
        "the whole unit they deputise, or the whole agency.",
    )
    civ_position = fields.Selection(
        CIV_POSITIONS,
        string="Evaluation Position",
        compute="_compute_civ_position",
        store=True,
        groups="hr.group_hr_user",
        help="Computed from the departments: head (manager) or deputy of a unit, or of the "
        "agency's leadership unit. Decides which review chain applies.",
    )

    @api.depends(
        "civ_position_override",
        "civ_managed_department_ids.civ_is_leadership",
        "civ_deputy_department_ids.civ_is_leadership",
    )
    def _compute_civ_position(self):
        for employee in self:
            employee.civ_position = employee.civ_position_override or employee._civ_structural_position()

    def _civ_structural_position(self):
        """The position the department structure gives, highest first."""
        self.ensure_one()
        headed = self.civ_managed_department_ids
        deputy_of = self.civ_deputy_department_ids
        if any(headed.mapped("civ_is_leadership")):
            return "agency_head"
        if any(deputy_of.mapped("civ_is_leadership")):
            return "deputy_agency_head"
        if headed:
            return "unit_head"
        if deputy_of:
            return "deputy_unit_head"
        return "staff"

    civ_duty_group_override_id = fields.Many2one(
        "civ.duty.group",
        string="Group of Similar Duties (override)",
        groups="hr.group_hr_user",
        check_company=True,
        help="Set only when the person's group of similar duties is not the one of their job position.",
    )
    civ_duty_group_id = fields.Many2one(
        "civ.duty.group",
        string="Group of Similar Duties",
        compute="_compute_civ_duty_group_id",
        store=True,
        index=True,
        groups="hr.group_hr_user",
        help="The group of people with similar duties (Nghị định 335/2025) the person's evaluation is "
        "counted in for quotas per group: their own group if set, else their job position's.",
    )

    @api.depends("civ_duty_group_override_id", "job_id.civ_duty_group_id")
    def _compute_civ_duty_group_id(self):
        for employee in self:
            employee.civ_duty_group_id = (
                employee.civ_duty_group_override_id or employee.job_id.civ_duty_group_id
            )

    civ_evaluation_ids = fields.One2many(
        "civ.evaluation", "employee_id", string="Evaluation Sheets", groups="hr.group_hr_user"
    )
    civ_evaluation_count = fields.Integer(
        string="Evaluations", compute="_compute_civ_evaluation_count", groups="hr.group_hr_user"
    )

    def _compute_civ_evaluation_count(self):
        counts = dict(
            self.env["civ.evaluation"]._read_group(
                [("employee_id", "in", self.ids)], ["employee_id"], ["__count"]
            )
        )
        for employee in self:
            employee.civ_evaluation_count = counts.get(employee, 0)

    def action_civ_view_evaluations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("civ_evaluation.action_civ_evaluation_all")
        action["domain"] = [("employee_id", "=", self.id)]
        action["context"] = {"search_default_group_period": 0}
        return action

    civ_absence_ids = fields.One2many(
        "civ.absence",
        "employee_id",
        string="Absences",
        groups="hr.group_hr_user",
        help="Long absences (maternity, sickness, study...) used by the year-end classification.",
    )
    civ_discipline_ids = fields.One2many(
        "civ.discipline", "employee_id", string="Disciplinary Actions", groups="hr.group_hr_user"
    )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_in_evaluations(self):
        """Evaluation sheets keep who was evaluated and who reviewed: such an employee is archived,
        not deleted, so that past months and their exports never change."""
        Sheet, Step = self.env["civ.evaluation"].sudo(), self.env["civ.review.step"].sudo()
        if Sheet.search_count([("employee_id", "in", self.ids)], limit=1) or Step.search_count(
            [("reviewer_employee_id", "in", self.ids)], limit=1
        ):
            raise UserError(
                self.env._("These employees are in evaluation sheets: archive them instead of deleting them.")
            )

    def write(self, vals):
        result = super().write(vals)
        if "user_id" in vals:
            self._civ_sync_users()
        return result

    def _civ_sync_users(self):
        """Follow a change of user on the sheets not locked yet: the employee's own sheets and the
        review steps still to come. Locked months keep who they were."""
        employees = self.sudo()
        user_of = {employee.id: employee.user_id for employee in employees}
        sheets = (
            self.env["civ.evaluation"]
            .sudo()
            .search([("employee_id", "in", employees.ids), ("state", "!=", "locked")])
        )
        for sheet in sheets:
            if sheet.user_id != user_of[sheet.employee_id.id]:
                sheet.write({"user_id": user_of[sheet.employee_id.id].id})
        steps = (
            self.env["civ.review.step"]
            .sudo()
            .search(
                [
                    ("reviewer_employee_id", "in", employees.ids),
                    ("state", "in", ("waiting", "pending")),
                    ("evaluation_id.state", "!=", "locked"),
                ]
            )
        )
        for step in steps:
            if step.reviewer_user_id != user_of[step.reviewer_employee_id.id]:
                step.write({"reviewer_user_id": user_of[step.reviewer_employee_id.id].id})

    def _civ_leader_user_ids(self):
        """{employee id: ids of the users who lead the employee's work}: the reviewers of the
        employee's review chain (civ.review.policy._resolve_chains) and the users of every manager
        above them (see _civ_manager_user_ids). Who may assign work to a person and set what their
        evaluation is computed from (the coefficient of a task, its deadline). Sudo, batched."""
        employees = self.sudo().with_context(active_test=False)
        chains = self.env["civ.review.policy"].sudo()._resolve_chains(employees)
        leaders = employees._civ_manager_user_ids()
        for employee in employees:
            leaders[employee.id] |= {
                getattr(step["reviewer_user_id"], "id", step["reviewer_user_id"])
                for step in chains.get(employee.id, ())
                if step.get("reviewer_user_id")
            }
        return leaders

    def _civ_manager_user_ids(self):
        """{employee id: ids of the users of every manager above the employee} (Manager, the
        Manager's Manager...; a cycle of managers stops at the first repeat). Sudo, one read of the
        managers per level."""
        employees = self.sudo().with_context(active_test=False)
        leaders = {employee.id: set() for employee in employees}
        current = {employee.id: employee.parent_id for employee in employees}
        seen = {employee.id: {employee.id} for employee in employees}
        while any(current.values()):
            managers = self.env["hr.employee"].sudo().union(*current.values()).with_context(active_test=False)
            managers.fetch(["user_id", "parent_id"])
            following = {}
            for employee_id, manager in current.items():
                if not manager or manager.id in seen[employee_id]:
                    continue
                seen[employee_id].add(manager.id)
                if manager.user_id:
                    leaders[employee_id].add(manager.user_id.id)
                following[employee_id] = manager.parent_id
            current = following
        return leaders
