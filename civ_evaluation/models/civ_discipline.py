from odoo import fields, models

DISCIPLINE_KINDS = [
    ("reprimand", "Reprimand"),
    ("warning", "Warning"),
    ("demotion", "Salary Downgrade / Demotion"),
    ("dismissal", "Dismissal from Post"),
    ("discharge", "Discharge"),
    ("other", "Other"),
]


class CivDiscipline(models.Model):
    """A disciplinary action (Party or administrative) taken against an employee, entered by human
    resources. Any disciplinary action dated in a year makes the year-end proposal the lowest level
    (Nghị định 48/2023), when the company applies that rule."""

    _name = "civ.discipline"
    _description = "Disciplinary Action"
    _order = "date desc, id desc"

    employee_id = fields.Many2one("hr.employee", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(
        "res.company", related="employee_id.company_id", store=True, index=True, precompute=True)
    date = fields.Date(required=True, help="Date of the disciplinary decision.")
    kind = fields.Selection(DISCIPLINE_KINDS, required=True, default="reprimand")
    decision_number = fields.Char(help="Number of the disciplinary decision.")
    note = fields.Text()

    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for discipline in self:
            discipline.display_name = " ".join(
                part for part in (kinds.get(discipline.kind), discipline.decision_number,
                                  discipline.date and str(discipline.date)) if part)
