from odoo import models


class IrAttachment(models.Model):
    """The files of the evaluation's workflow records are evidence (see civ.chatter.mixin): a user
    (superuser code apart) adds, changes or removes one only as the record's state allows."""

    _inherit = "ir.attachment"

    def check(self, mode, values=None):
        result = super().check(mode, values)
        if mode != "read" and not self.env.su:
            targets = [(attachment.res_model, attachment.res_id) for attachment in self.sudo()]
            if values and values.get("res_model") and values.get("res_id"):
                targets.append((values["res_model"], values["res_id"]))
            self.env["mail.message"]._civ_check_evidence(targets, "create" if mode == "create" else "write")
        return result
