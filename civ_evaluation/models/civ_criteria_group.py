from odoo import fields, models


class CivCriteriaGroup(models.Model):
    _name = "civ.criteria.group"
    _description = "Criteria Group"
    _order = "framework_id, sequence, id"

    framework_id = fields.Many2one(
        "civ.framework", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    code = fields.Char(required=True)
    name = fields.Char(required=True)
    description = fields.Text()
    kind = fields.Selection(
        [("standard", "Standard"), ("bonus", "Bonus"), ("deduction", "Deduction")],
        required=True, default="standard",
        help="Standard groups make up the maximum score; bonus groups add on top of it (within the "
        "ceiling); deduction groups take points off.",
    )
    max_points = fields.Float(
        string="Maximum Points",
        help="Highest subtotal of the group (0 for a deduction group).",
    )
    min_points = fields.Float(
        string="Minimum Points",
        help="Lowest subtotal of the group: 0 for standard and bonus groups, the largest deduction "
        "(a negative number) for a deduction group.",
    )
    criterion_ids = fields.One2many("civ.criterion", "group_id", string="Criteria")
