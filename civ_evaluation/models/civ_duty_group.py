from odoo import api, fields, models
from odoo.exceptions import UserError


class CivDutyGroup(models.Model):
    """A group of people with similar duties (nhóm nhiệm vụ tương đồng), set by human resources on
    job positions or employees. Nghị định 335/2025 limits "Hoàn thành xuất sắc" within one agency and
    within each such group: quotas whose scope is "Per Group of Similar Duties" count each group."""

    _name = "civ.duty.group"
    _description = "Group of Similar Duties"
    _order = "company_id, sequence, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=False)
    code = fields.Char()
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    active = fields.Boolean(default=True)
    note = fields.Text(help="Which duties the group covers.")
    job_ids = fields.One2many("hr.job", "civ_duty_group_id", string="Job Positions")

    _sql_constraints = [
        (
            "company_name_unique",
            "unique(company_id, name)",
            "A group of similar duties with this name already exists in the company.",
        ),
    ]

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used_by_decided_sheets(self):
        """A group of similar duties counted in a decided or locked month is part of its history (the
        quotas were counted per group, the seal covers it): archive it, never delete it."""
        used = (
            self.env["civ.evaluation"]
            .sudo()
            .search([("duty_group_id", "in", self.ids), ("state", "in", ("done", "locked"))], limit=1)
        )
        if used:
            raise UserError(
                self.env._(
                    "The group of similar duties %(group)s is on the decided evaluation %(sheet)s: "
                    "archive it instead of deleting it.",
                    group=used.duty_group_id.display_name,
                    sheet=used.display_name,
                )
            )
