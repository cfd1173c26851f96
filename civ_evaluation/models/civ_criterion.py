from odoo import fields, models


class CivCriterion(models.Model):
    _name = "civ.criterion"
    _description = "Evaluation Criterion"
    _order = "framework_id, group_sequence, sequence, id"

    group_id = fields.Many2one(
        "civ.criteria.group", required=True, ondelete="cascade", index=True
    )
    framework_id = fields.Many2one(
        related="group_id.framework_id", store=True, index=True, string="Framework"
    )
    group_kind = fields.Selection(related="group_id.kind", string="Group Kind")
    group_sequence = fields.Integer(related="group_id.sequence", store=True, string="Group Sequence")
    sequence = fields.Integer(default=10)
    code = fields.Char(required=True)
    name = fields.Char(required=True)
    guidance = fields.Text(help="How to score this criterion.")
    min_points = fields.Float(
        string="Minimum Points", help="Lowest points (negative for a deduction criterion)."
    )
    max_points = fields.Float(string="Maximum Points", help="Highest points (0 for a deduction criterion).")
