from odoo import api, fields, models


class SurveyUserInput(models.Model):
    """The answers of the evaluation's surveys: a colleague's feedback closes its request when done,
    a citizen's answer belongs to a satisfaction channel; once the sheet's month is locked its
    colleagues' answers are evidence and nobody changes them (superuser included)."""

    _inherit = "survey.user_input"

    civ_feedback_request_ids = fields.One2many("civ.feedback.request", "user_input_id", readonly=True)
    civ_channel_id = fields.Many2one(
        "civ.satisfaction.channel", string="Satisfaction Channel", readonly=True, index="btree_not_null"
    )
    civ_client_key = fields.Char(
        readonly=True,
        help="A keyed hash of the client's address, for the public survey's limits (not the address).",
    )

    def _civ_check_not_locked(self):
        requests = self.sudo().civ_feedback_request_ids
        if requests:
            requests.evaluation_id._check_not_locked()

    def write(self, vals):
        self._civ_check_not_locked()
        return super().write(vals)

    def unlink(self):
        self._civ_check_not_locked()
        return super().unlink()

    def _mark_done(self):
        result = super()._mark_done()
        if self.sudo().civ_feedback_request_ids:
            self.env["civ.feedback.request"].sudo()._answered(self)
        return result


class SurveyUserInputLine(models.Model):
    _inherit = "survey.user_input.line"

    @api.model_create_multi
    def create(self, vals_list):
        inputs = self.env["survey.user_input"].browse(
            {vals.get("user_input_id") for vals in vals_list} - {None, False}
        )
        inputs._civ_check_not_locked()
        return super().create(vals_list)

    def write(self, vals):
        self.user_input_id._civ_check_not_locked()
        return super().write(vals)

    def unlink(self):
        self.user_input_id._civ_check_not_locked()
        return super().unlink()
