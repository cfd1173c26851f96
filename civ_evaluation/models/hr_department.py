from odoo import fields, models


class HrDepartment(models.Model):
    _inherit = "hr.department"

    civ_deputy_ids = fields.Many2many(
        "hr.employee",
        "civ_department_deputy_rel",
        "department_id",
        "employee_id",
        string="Deputy Heads",
        check_company=True,
        help="Deputy heads of this unit (cấp phó). In the leadership unit: the vice-chairmen.",
    )
    civ_is_leadership = fields.Boolean(
        string="Agency Leadership",
        help="The agency's leadership unit: its manager is the head of the agency (chairman), "
        "its deputies are the deputy heads of the agency (vice-chairmen).",
    )
