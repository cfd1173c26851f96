import logging

from odoo import api, models
from odoo.exceptions import AccessError

_logger = logging.getLogger(__name__)


def _is_evidence_chatter(env, model_name):
    """Whether the records of `model_name` have the evaluation's evidence chatter (civ.chatter.mixin)."""
    model = env.get(model_name) if model_name else None
    return model is not None and hasattr(model, "_civ_check_chatter")


class MailScheduledMessage(models.Model):
    """Scheduled messages on the evaluation's workflow records: scheduling one needs a chatter that
    takes messages now, and one whose chatter closed before it was due (the sheet decided, the month
    locked) is dropped by the mail module's cron, never posted and never blocking the others."""

    _inherit = "mail.scheduled.message"

    @api.model
    def _check(self, values=None):
        result = super()._check(values=values)
        if self.env.su:
            return result
        targets = [(message.model, message.res_id) for message in self.sudo()]
        if values:
            targets.append((values.get("model"), values.get("res_id")))
        for model_name, res_id in targets:
            if _is_evidence_chatter(self.env, model_name) and res_id:
                self.env[model_name].browse(res_id)._civ_check_chatter("create")
        return result

    def _post_message(self, raise_exception=True):
        if not self.env.context.get("civ_drop_closed_chatter"):
            return super()._post_message(raise_exception=raise_exception)
        dropped = self.browse()
        for message in self.sudo():
            if not _is_evidence_chatter(self.env, message.model):
                continue
            record = self.env[message.model].browse(message.res_id).with_user(message.create_uid)
            try:
                record._civ_check_chatter("create")
            except AccessError:
                dropped |= message
        if dropped:
            _logger.info(
                "Scheduled messages %s dropped: the chatter of their evaluation record is closed",
                dropped.ids,
            )
            dropped.sudo().unlink()
        return super(MailScheduledMessage, self - dropped)._post_message(raise_exception=raise_exception)

    @api.model
    def _post_messages_cron(self, limit=50):
        cron = super(MailScheduledMessage, self.with_context(civ_drop_closed_chatter=True))
        return cron._post_messages_cron(limit=limit)
