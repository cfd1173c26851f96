from odoo import api, models
from odoo.exceptions import AccessError, UserError

# what the chatter of a workflow record allows, by the record's state (see _civ_chatter_state):
# - open: as the mail module has it (the author edits their message, whoever may write posts);
# - append: the messages and files already there are frozen (they are the evidence a reviewer used);
#   who may write the record adds new ones;
# - closed: frozen, nothing added by users (the system still notes what it does).
CHATTER_STATES = ("open", "append", "closed")


class CivChatterMixin(models.AbstractModel):
    """The chatter of the evaluation's workflow records (sheets, year-end results, requests for
    review) is part of their evidence: once the record has left its first state, no mail route
    changes what was there (mail.message.create/write/unlink, /mail/message/post,
    /mail/message/update_content, ir.attachment), and the seal of a month covers it (civ_seal).
    The checks are in mail.message and ir.attachment (models/mail_message.py, ir_attachment.py) and
    here, for the mail module's routes; superuser code (the workflow itself) is not limited."""

    _name = "civ.chatter.mixin"
    _description = "Evaluation Chatter (Evidence)"
    _inherit = ["mail.thread"]

    def _civ_chatter_state(self):
        """{record id: one of CHATTER_STATES}; the models say which state gives which."""
        return dict.fromkeys(self.ids, "open")

    def _civ_check_chatter(self, operation):
        """Raise unless the current user may `operation` ('create' a message or a file, 'write' or
        'unlink' one) in the chatter of every record of self."""
        if self.env.su or not self:
            return
        states = self.sudo()._civ_chatter_state()
        for record in self.sudo():
            state = states.get(record.id, "open")
            if state == "closed" or (state == "append" and operation != "create"):
                raise AccessError(
                    self.env._(
                        "The messages and files of %(record)s are part of its evidence: they no longer "
                        "change%(more)s.",
                        record=record.display_name,
                        more=self.env._(", and nothing is added to them") if state == "closed" else "",
                    )
                )
        if operation == "create":
            # following a record is not the right to add to its evidence: writing it is
            self.check_access("write")

    def message_post(self, **kwargs):
        """Posting in the chatter (and attaching to it) needs the right to write the record, followers
        included (the mail module lets followers post anywhere), while its chatter takes messages."""
        self._civ_check_chatter("create")
        return super().message_post(**kwargs)

    @api.model
    def _get_thread_with_access(self, thread_id, mode="read", **kwargs):
        # the mail module's routes (post, upload) ask for the thread before posting as superuser
        thread = super()._get_thread_with_access(thread_id, mode=mode, **kwargs)
        if thread and mode != "read" and not self.env.su:
            if thread.sudo()._civ_chatter_state().get(thread.id) == "closed":
                return self.browse()
        return thread

    def _check_can_update_message_content(self, messages):
        # /mail/message/update_content edits as superuser after this check
        result = super()._check_can_update_message_content(messages)
        if not self.env.su and self.sudo()._civ_chatter_state().get(self.id, "open") != "open":
            raise UserError(
                self.env._(
                    "The messages of %s are part of its evidence: they can no longer be edited.",
                    self.sudo().display_name,
                )
            )
        return result
