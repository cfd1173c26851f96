from odoo import api, fields, models

EXTERNAL_FIELDS = ("external_user_id", "external_source", "external_item_id")


class CivEvaluationProduct(models.Model):
    """A product line received from another system through the API: which system (the technical
    user that pushed it, and the source it names) and the system's own id of the item, the key of the
    upsert (see civ.api.products)."""

    _inherit = "civ.evaluation.product"

    source = fields.Selection(selection_add=[("api", "Other System")], ondelete={"api": "set default"})
    external_user_id = fields.Many2one(
        "res.users",
        string="Received From",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="restrict",
        help="The technical user of the system that pushed this item through the API.",
    )
    external_source = fields.Char(
        string="Source System", readonly=True, copy=False, help="The source system the item came from."
    )
    external_item_id = fields.Char(
        string="Item Id in the Source",
        readonly=True,
        copy=False,
        help="The source system's own id of the item.",
    )

    _sql_constraints = [
        (
            "external_item_unique",
            "unique(external_user_id, external_source, external_item_id)",
            "An item of a source system is loaded once.",
        ),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        # the key of a received item is the loader's (superuser, see civ.product.loader): a user who
        # sets it would take the place of an item the system has not sent yet (the write guard of
        # the core refuses it on write; default_* keys are cleaned by the workflow mixin)
        if not self.env.su:
            vals_list = [{k: v for k, v in vals.items() if k not in EXTERNAL_FIELDS} for vals in vals_list]
        return super().create(vals_list)
