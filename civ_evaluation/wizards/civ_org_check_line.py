from odoo import fields, models

from .civ_org_check_wizard import PROBLEM_KINDS


class CivOrgCheckLine(models.TransientModel):
    _name = "civ.org.check.line"
    _description = "Organisation Check: Problem"
    _order = "kind, department_id, employee_id"

    wizard_id = fields.Many2one("civ.org.check.wizard", required=True, ondelete="cascade")
    kind = fields.Selection(PROBLEM_KINDS, required=True)
    employee_id = fields.Many2one("hr.employee")
    department_id = fields.Many2one("hr.department")
    message = fields.Char(required=True)
