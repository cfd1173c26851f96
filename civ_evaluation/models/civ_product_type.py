import math

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare

from .civ_format import format_number
from .civ_framework import SCORE_DIGITS
from .civ_numbers import MAX_WEIGHT


class CivProductType(models.Model):
    """The catalogue of products and work per job position (danh mục sản phẩm theo vị trí việc làm),
    with each one's conversion coefficient to standard units: configured by HR, picked on the
    product lines of the sheets."""

    _name = "civ.product.type"
    _description = "Type of Product or Work"
    _inherit = ["mail.thread"]
    _order = "sequence, name, id"

    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True, tracking=True)
    code = fields.Char(tracking=True)
    uom_name = fields.Char(
        string="Unit", translate=True, help="What one unit of this product is (a document, a file, a case)."
    )
    weight = fields.Float(
        string="Conversion Coefficient",
        default=1.0,
        required=True,
        tracking=True,
        help="Standard units per unit of this product (đã quy đổi): 1 for an ordinary product, "
        f"more for a heavier one; at most {MAX_WEIGHT:,}.",
    )
    job_ids = fields.Many2many(
        "hr.job",
        string="Job Positions",
        help="The job positions whose people produce it (vị trí việc làm). Empty: every position.",
    )
    description = fields.Text()
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company",
        default=lambda self: self.env.company,
        tracking=True,
        help="Empty: shared by every company.",
    )

    _sql_constraints = [
        (
            "code_company_unique",
            "unique(code, company_id)",
            "Two types of products of the same company cannot share a code.",
        ),
    ]

    @api.constrains("weight")
    def _check_weight(self):
        for product_type in self:
            weight = product_type.weight
            # the bound first: float_compare overflows on an infinite or huge value
            if not (math.isfinite(weight) and weight <= MAX_WEIGHT):
                raise ValidationError(
                    self.env._(
                        "The conversion coefficient of %(type)s cannot be more than %(limit)s.",
                        type=product_type.display_name,
                        limit=format_number(self.env, MAX_WEIGHT, trim=True),
                    )
                )
            if float_compare(weight, 0.0, SCORE_DIGITS) <= 0:
                raise ValidationError(
                    self.env._(
                        "The conversion coefficient of %s must be positive.", product_type.display_name
                    )
                )

    def _is_allowed_for(self, sheet):
        """Whether the person of sheet may report this type: shared or of the sheet's company, and of
        no job position in particular or of the person's (the form offers only those; the product
        lines and the import check it)."""
        self.ensure_one()
        product_type, sheet = self.sudo(), sheet.sudo()
        if product_type.company_id and product_type.company_id != sheet.company_id:
            return False
        return not product_type.job_ids or sheet.employee_id.job_id in product_type.job_ids

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        used = (
            self.env["civ.evaluation.product"]
            .sudo()
            .search_count([("product_type_id", "in", self.ids)], limit=1)
        )
        if used:
            raise UserError(
                self.env._(
                    "These types of products are used on evaluation sheets: archive them instead of "
                    "deleting them."
                )
            )
