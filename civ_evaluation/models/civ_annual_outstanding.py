from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError


class CivAnnualOutstanding(models.Model):
    """The agency recognised as outstanding for a year (e.g. Hà Nội 3814-QĐ/TU: up to 40% of grade A
    instead of 30%): the exceptional maximum of the year-end framework's quotas applies to the
    agency's year-end results. Recorded by human resources with the reason."""

    _name = "civ.annual.outstanding"
    _description = "Outstanding Unit of the Year"
    _inherit = ["mail.thread"]
    _order = "year desc, company_id"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", required=True, index=True, tracking=True, default=lambda self: self.env.company
    )
    year = fields.Integer(required=True, tracking=True, aggregator=False)
    reason = fields.Text(
        required=True,
        tracking=True,
        help="Why the agency is recognised as outstanding for the year (e.g. the decision and its date).",
    )
    recorded_by_id = fields.Many2one(
        "res.users", string="Recorded by", readonly=True, default=lambda self: self.env.user
    )

    _sql_constraints = [
        (
            "company_year_unique",
            "unique(company_id, year)",
            "The agency is already recorded as outstanding for this year.",
        ),
    ]

    @api.depends("company_id", "year")
    def _compute_display_name(self):
        for record in self:
            record.display_name = f"{record.company_id.name or ''} {record.year or ''}".strip()

    @api.model_create_multi
    def create(self, vals_list):
        # recorded by whoever records it, never in someone else's name
        return super().create([dict(vals, recorded_by_id=self.env.uid) for vals in vals_list])

    def write(self, vals):
        if "recorded_by_id" in vals and not self.env.su:
            raise AccessError(self.env._("Who recorded the outstanding unit is set when it is recorded."))
        return super().write(vals)

    @api.constrains("year", "reason")
    def _check_values(self):
        for record in self:
            if not 1900 < record.year < 3000:
                raise ValidationError(self.env._("%s is not a valid year.", record.year))
            if not (record.reason or "").strip():
                raise ValidationError(
                    self.env._("Give the reason why the unit is recognised as outstanding.")
                )
