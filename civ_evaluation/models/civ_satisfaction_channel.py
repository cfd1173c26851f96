import base64
import hashlib
import hmac
import uuid
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError


class CivSatisfactionChannel(models.Model):
    """Where citizens and businesses tell how satisfied they are with a person's service (TP.HCM QĐ
    19/2025): a public link and its QR code per person or per service desk (one-stop desk), opening
    the channel's satisfaction survey without login, one answer per visit, a limit of answers per
    client and hour. The answers of a period fill the criteria scored by citizens' satisfaction
    (civ.criterion.points_source) on the sheets of the channel's people."""

    _name = "civ.satisfaction.channel"
    _description = "Citizens' Satisfaction Channel"
    _inherit = ["mail.thread"]
    _order = "company_id, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True, help="The person or the desk, as citizens see it.")
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    survey_id = fields.Many2one(
        "survey.survey",
        string="Satisfaction Survey",
        required=True,
        domain="[('survey_type', '=', 'civ_satisfaction')]",
        tracking=True,
        help="A public survey whose answers are scored: an answer reaching its success score is satisfied.",
    )
    employee_ids = fields.Many2many(
        "hr.employee",
        "civ_satisfaction_channel_employee_rel",
        "channel_id",
        "employee_id",
        string="People Served by the Channel",
        check_company=True,
        help="Each of them gets the channel's answers (a desk served by several people gives its answers "
        "to each).",
    )
    access_token = fields.Char(
        required=True, copy=False, readonly=True, default=lambda self: uuid.uuid4().hex
    )
    max_answers_per_hour = fields.Integer(
        string="Answers per Client and Hour",
        default=3,
        help="The answers accepted per hour from one client address (a basic limit against abuse).",
    )
    url = fields.Char(string="Public Link", compute="_compute_url")
    qr_code = fields.Binary(string="QR Code", compute="_compute_qr_code")
    answer_count = fields.Integer(string="Answers", compute="_compute_answer_count")

    _sql_constraints = [("token_unique", "unique(access_token)", "The link of a channel is unique.")]

    @api.depends("access_token")
    def _compute_url(self):
        for channel in self:
            channel.url = f"{channel.get_base_url()}/civ/satisfaction/{channel.access_token}"

    @api.depends("url")
    def _compute_qr_code(self):
        for channel in self:
            png = self.env["ir.actions.report"].barcode("QR", channel.url, width=300, height=300)
            channel.qr_code = base64.b64encode(png)

    def _compute_answer_count(self):
        groups = (
            self.env["survey.user_input"]
            .sudo()
            ._read_group(
                [("civ_channel_id", "in", self.ids), ("state", "=", "done")], ["civ_channel_id"], ["__count"]
            )
        )
        counts = {channel.id: count for channel, count in groups}
        for channel in self:
            channel.answer_count = counts.get(channel.id, 0)

    def action_new_link(self):
        """A new link (the old one and its QR code stop working), e.g. after abuse."""
        self.check_access("write")
        for channel in self:
            channel.write({"access_token": uuid.uuid4().hex})
            channel.message_post(body=self.env._("New public link."))
        return True

    # ------------------------------------------------------------------ public side (sudo)
    @api.model
    def _client_key(self, channel, address):
        """A keyed hash of the client's address for the channel: the limits work, no address is kept."""
        secret = self.env["ir.config_parameter"].sudo().get_param("database.secret") or ""
        return hmac.new(secret.encode(), f"{channel.id}|{address}".encode(), hashlib.sha256).hexdigest()[:32]

    def _start_answer(self, address):
        """A new answer of the channel's survey for a visitor (sudo), or a UserError past the limit."""
        self.ensure_one()
        channel = self.sudo()
        key = self._client_key(channel, address or "")
        recent = (
            self.env["survey.user_input"]
            .sudo()
            .search_count(
                [
                    ("civ_channel_id", "=", channel.id),
                    ("civ_client_key", "=", key),
                    ("create_date", ">=", fields.Datetime.now() - timedelta(hours=1)),
                ]
            )
        )
        if channel.max_answers_per_hour and recent >= channel.max_answers_per_hour:
            raise UserError(self.env._("Thank you: your answers have been received. Please try again later."))
        return channel.survey_id._create_answer(
            user=self.env.ref("base.public_user"),
            check_attempts=False,
            civ_channel_id=channel.id,
            civ_client_key=key,
        )

    @api.model
    def _period_answers(self, employees, date_start, date_end):
        """{employee id: (answers, satisfied, average score %)} of the answers completed between the
        dates on the channels of the employees (one search of the channels, one read of the answers)."""
        channels = self.sudo().with_context(active_test=False).search([("employee_ids", "in", employees.ids)])
        if not channels:
            return {}
        rows = (
            self.env["survey.user_input"]
            .sudo()
            .search_read(
                [
                    ("civ_channel_id", "in", channels.ids),
                    ("state", "=", "done"),
                    ("test_entry", "=", False),
                    ("end_datetime", ">=", fields.Datetime.to_datetime(date_start)),
                    ("end_datetime", "<", fields.Datetime.to_datetime(date_end) + timedelta(days=1)),
                ],
                ["civ_channel_id", "scoring_success", "scoring_percentage"],
                load="",
            )
        )
        per_channel = {}
        for row in rows:
            count, satisfied, total = per_channel.get(row["civ_channel_id"], (0, 0, 0.0))
            per_channel[row["civ_channel_id"]] = (
                count + 1, satisfied + int(row["scoring_success"]), total + row["scoring_percentage"]
            )  # fmt: skip
        result = {}
        for channel in channels:
            figures = per_channel.get(channel.id)
            if not figures:
                continue
            for employee in channel.employee_ids & employees:
                count, satisfied, total = result.get(employee.id, (0, 0, 0.0))
                result[employee.id] = (count + figures[0], satisfied + figures[1], total + figures[2])
        return {
            employee_id: (count, satisfied, total / count if count else 0.0)
            for employee_id, (count, satisfied, total) in result.items()
        }
