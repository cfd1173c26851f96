from odoo import fields, models


class CivQuota(models.Model):
    _name = "civ.quota"
    _description = "Level Quota"
    _order = "framework_id, sequence, id"

    framework_id = fields.Many2one(
        "civ.framework", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    level_id = fields.Many2one(
        "civ.level", required=True, ondelete="cascade",
        domain="[('framework_id', '=', framework_id)]",
        help="The level whose share is limited.",
    )
    basis = fields.Selection(
        [("evaluated", "Everyone Evaluated"), ("level_or_above", "Graded at a Level or Above")],
        required=True, default="evaluated",
        help="What the percentage is taken of: everyone evaluated in the scope, or only those graded "
        "at the basis level or above.",
    )
    basis_level_id = fields.Many2one(
        "civ.level", ondelete="restrict",
        domain="[('framework_id', '=', framework_id)]",
    )
    max_percent = fields.Float(string="Maximum %", required=True, default=100.0)
    exceptional_max_percent = fields.Float(
        string="Exceptional Maximum %",
        help="Maximum share where the unit itself is exceptionally outstanding. Defaults to the "
        "maximum %.",
    )
    scope = fields.Selection(
        [("department", "Per Department"), ("company", "Per Agency")],
        required=True, default="department",
    )
    note = fields.Text()
