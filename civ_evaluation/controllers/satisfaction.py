from markupsafe import escape
from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request


class CivSatisfactionController(http.Controller):
    """The public link of a citizens' satisfaction channel (its QR code on the desk): each visit
    starts one answer of the channel's survey, without login, within the channel's limit per client."""

    @http.route(
        "/civ/satisfaction/<string:token>", type="http", auth="public", methods=["GET"], sitemap=False
    )
    def civ_satisfaction_start(self, token, **kwargs):
        channel = (
            request.env["civ.satisfaction.channel"].sudo().search([("access_token", "=", token)], limit=1)
            if token and len(token) <= 64
            else None
        )
        if not channel or not channel.survey_id.active:
            raise NotFound()
        try:
            answer = channel._start_answer(request.httprequest.remote_addr)
        except UserError as error:
            return request.make_response(
                f"<html><body><p>{escape(error.args[0])}</p></body></html>",
                headers=[("Content-Type", "text/html; charset=utf-8")],
                status=429,
            )
        return request.redirect(answer.get_start_url(), local=True)
