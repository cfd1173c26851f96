from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare

from .civ_framework import SCORE_DIGITS

COMPONENT_SELECTION = [
    ("quantity", "Quantity (a)"),
    ("quality", "Quality (b)"),
    ("progress", "Progress (c)"),
    ("unit_result", "Results of the Unit Led"),
    ("unit_organisation", "Organisation of the Unit's Work"),
]


class CivProductComponent(models.Model):
    """One component of the task results of a criteria group computed from products, with its
    weight: the group's percentage is the weighted mean of the components that apply to the person
    (see models/civ_product_scoring.py). Data of the framework, frozen with it once used."""

    _name = "civ.product.component"
    _inherit = ["civ.framework.part"]
    _description = "Component of the Task Results"
    _order = "group_id, sequence, id"

    _civ_structure_fields = frozenset({"group_id", "component", "weight", "applies_to"})

    group_id = fields.Many2one("civ.criteria.group", required=True, ondelete="cascade", index=True)
    framework_id = fields.Many2one("civ.framework", related="group_id.framework_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    component = fields.Selection(COMPONENT_SELECTION, required=True)
    weight = fields.Float(default=1.0, required=True, help="Relative weight of the component in the mean.")
    applies_to = fields.Selection(
        [("everyone", "Everyone"), ("staff", "Staff Only"), ("leaders", "Leaders Only")],
        required=True,
        default="everyone",
        help="Leaders are the people evaluated in a leading position (head or deputy of a unit or of "
        "the agency).",
    )

    def _civ_frameworks_of_vals(self, vals):
        if vals.get("group_id"):
            return self.env["civ.criteria.group"].browse(vals["group_id"]).framework_id
        return self.env["civ.framework"]

    @api.constrains("weight")
    def _check_weight(self):
        for component in self:
            if float_compare(component.weight, 0.0, SCORE_DIGITS) <= 0:
                raise ValidationError(
                    self.env._(
                        "The weight of a component of the task results must be positive (%s).",
                        component.group_id.display_name,
                    )
                )

    def _applies(self, leader):
        self.ensure_one()
        return self.applies_to in ("everyone", "leaders" if leader else "staff")
