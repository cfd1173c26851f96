from collections import defaultdict

from odoo import api, models

# the fields of a message that make its content (what it says, where it is, who wrote it)
CONTENT_FIELDS = frozenset(
    {
        "body",
        "subject",
        "attachment_ids",
        "model",
        "res_id",
        "message_type",
        "subtype_id",
        "author_id",
        "date",
    }
)


class MailMessage(models.Model):
    """The chatter of the evaluation's workflow records is evidence (see civ.chatter.mixin): a user
    (superuser code apart) creates, edits or deletes a message there only as its state allows."""

    _inherit = "mail.message"

    @api.model
    def _civ_check_evidence(self, targets, operation):
        """targets: [(model, res_id)] touched by `operation` ('create', 'write', 'unlink')."""
        by_model = defaultdict(set)
        for model, res_id in targets:
            if model and res_id and model in self.env and "_civ_chatter_state" in dir(self.env[model]):
                by_model[model].add(res_id)
        for model, ids in by_model.items():
            self.env[model].browse(ids).exists()._civ_check_chatter(operation)

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            self._civ_check_evidence(
                [(vals.get("model"), vals.get("res_id")) for vals in vals_list], "create"
            )
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and CONTENT_FIELDS.intersection(vals):
            messages = self.sudo()
            targets = [(message.model, message.res_id) for message in messages]
            if "model" in vals or "res_id" in vals:
                # moved onto another record: that one's chatter must take it
                targets += [
                    (vals.get("model", message.model), vals.get("res_id", message.res_id))
                    for message in messages
                ]
            self._civ_check_evidence(targets, "write")
        return super().write(vals)

    def unlink(self):
        if not self.env.su:
            self._civ_check_evidence([(message.model, message.res_id) for message in self.sudo()], "unlink")
        return super().unlink()
