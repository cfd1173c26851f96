from odoo import fields, models


class HrJob(models.Model):
    _inherit = "hr.job"

    civ_duty_group_id = fields.Many2one(
        "civ.duty.group",
        string="Group of Similar Duties",
        check_company=True,
        index=True,
        help="The group of similar duties (Nghị định 335/2025) of the people in this position: quotas "
        "per group of similar duties count them together. An employee may have their own group.",
    )
