from odoo import fields, models


class CivLevel(models.Model):
    _name = "civ.level"
    _description = "Evaluation Level"
    _order = "framework_id, sequence, id"

    framework_id = fields.Many2one(
        "civ.framework", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10, help="Rank of the level: the best level comes first.")
    code = fields.Char(required=True, help="Short code, e.g. A, B, C, D.")
    name = fields.Char(required=True)
    min_score = fields.Float(
        string="Minimum Score", help="A total at or above this score reaches the level (inclusive)."
    )
    description = fields.Text()
