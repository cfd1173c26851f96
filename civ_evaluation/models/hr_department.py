from odoo import api, fields, models
from odoo.exceptions import UserError


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

    @api.ondelete(at_uninstall=False)
    def _unlink_except_in_evaluations(self):
        """Evaluation sheets keep the department they were opened in: a department used by a sheet
        is archived, not deleted, so that past months and their exports never change."""
        if self.env["civ.evaluation"].sudo().search_count([("department_id", "in", self.ids)], limit=1):
            raise UserError(
                self.env._(
                    "These departments are used by evaluation sheets: archive them instead of deleting them."
                )
            )
