from odoo import api, fields, models
from odoo.exceptions import ValidationError

ABSENCE_KINDS = [
    ("maternity", "Maternity Leave"),
    ("sick", "Sick Leave"),
    ("study", "Study Leave"),
    ("other", "Other"),
]


class CivAbsence(models.Model):
    """A long absence of an employee, entered by human resources.

    Used by the year-end classification: maternity leave lets a person with fewer months evaluated
    still be classified on the time worked; other absences of several months cap the year-end level.
    """

    _name = "civ.absence"
    _inherit = ["civ.own.records.mixin"]
    _description = "Employee Absence (for the Year-end Classification)"
    _order = "date_from desc, id desc"

    employee_id = fields.Many2one("hr.employee", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(
        "res.company", related="employee_id.company_id", store=True, index=True, precompute=True
    )
    date_from = fields.Date(string="From", required=True)
    date_to = fields.Date(string="To", required=True)
    kind = fields.Selection(ABSENCE_KINDS, required=True, default="sick")
    note = fields.Text()

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for absence in self:
            if absence.date_to < absence.date_from:
                raise ValidationError(self.env._("An absence cannot end before it starts."))

    @api.depends("employee_id", "kind", "date_from", "date_to")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for absence in self:
            absence.display_name = self.env._(
                "%(kind)s %(start)s – %(end)s",
                kind=kinds.get(absence.kind, ""),
                start=absence.date_from or "",
                end=absence.date_to or "",
            )
