from odoo import fields, models


class CivApiCall(models.Model):
    """One call of the API: who, when, what, how many items and the outcome. Written by the
    controller for every call, refused ones included; read by the officers of the caller's
    companies, never written by anyone else."""

    _name = "civ.api.call"
    _description = "Call of the Evaluation API"
    _order = "id desc"

    user_id = fields.Many2one("res.users", string="Caller", readonly=True, index=True, ondelete="set null")
    company_id = fields.Many2one(
        "res.company", readonly=True, index=True, help="The caller's main company (empty: no valid key)."
    )
    method = fields.Char(readonly=True)
    path = fields.Char(readonly=True)
    status = fields.Integer(string="HTTP Status", readonly=True)
    item_count = fields.Integer(string="Items", readonly=True)
    outcome = fields.Char(readonly=True, help="What the call did, or why it was refused.")
    batch_id = fields.Many2one("civ.api.batch", readonly=True, index="btree_not_null", ondelete="set null")
    duration_ms = fields.Integer(string="Duration (ms)", readonly=True)
    remote_addr = fields.Char(string="Address", readonly=True)
