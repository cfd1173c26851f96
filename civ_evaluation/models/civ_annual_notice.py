import logging

import psycopg2

from odoo import api, models
from odoo.exceptions import UserError

from .civ_annual_result import NOTICE_CHUNK_SIZE, NOTICE_NAME, NOTICE_REPORT, NOTICE_RETRY_LIMIT

_logger = logging.getLogger(__name__)


class CivAnnualNotice(models.Model):
    """The written notice of each decided year-end result (Nghị định 90/2020, art. 22): rendered in
    batches with the real PDF engine, filed on the employee's record, sent with the notification; a
    notice that fails never undoes its decision and is retried. A part of civ.annual.result."""

    _inherit = "civ.annual.result"

    def _render_notices(self):
        """The written notices of self in one rendering (one wkhtmltopdf run: the notices are the
        pages of one input, see report_annual_notice).

        :returns: {result id: (extension, content)}
        :raises: whatever the rendering raises, or UserError when the PDF cannot be split per result
            (a notice longer than a page: Odoo then returns one file for all)
        """
        Report = self.env["ir.actions.report"].sudo()
        streams, kind = Report._pre_render_qweb_pdf(NOTICE_REPORT, res_ids=self.ids)
        if kind != "pdf":
            # no PDF engine (test mode): the HTML of each notice
            contents = {}
            for result in self:
                html, _kind = Report._render_qweb_html(NOTICE_REPORT, result.ids)
                contents[result.id] = ("html", html.encode() if isinstance(html, str) else html)
            return contents
        contents = {}
        for result_id in self.ids:
            stream = (streams.get(result_id) or {}).get("stream")
            content = stream.getvalue() if stream else b""
            if not content.startswith(b"%PDF"):
                if len(self) == 1:
                    raise UserError(self.env._("The PDF engine made no valid file for this notice."))
                raise UserError(
                    self.env._(
                        "The PDF of %s notices could not be split into one file per result.", len(self)
                    )
                )
            contents[result_id] = ("pdf", content)
        return contents

    def _render_notices_safely(self):
        """_render_notices for NOTICE_CHUNK_SIZE results at a time; a chunk that fails is rendered
        one notice per run, and a notice that still fails is reported, never raised: the decision
        does not depend on its notice. Each rendering runs in a savepoint.

        :returns: ({result id: (extension, content)}, {result id: the error, as text})
        """
        contents, failures = {}, {}
        for start in range(0, len(self), NOTICE_CHUNK_SIZE):
            chunk = self[start : start + NOTICE_CHUNK_SIZE]
            singles = [chunk]
            if len(chunk) > 1:
                error = chunk._try_render_notices(contents)
                if error is None:
                    continue
                _logger.info("%s notices not rendered together (%s): one notice per run", len(chunk), error)
                singles = list(chunk)
            for result in singles:
                error = result._try_render_notices(contents)
                if error is not None:
                    failures[result.id] = error
        if failures:
            _logger.warning(
                "%s notice(s) of year-end results not made (ids %s): %s",
                len(failures),
                sorted(failures),
                next(iter(failures.values())),
            )
        return contents, failures

    def _try_render_notices(self, contents):
        """_render_notices into `contents`; the error as text if it fails (None if not)."""
        try:
            with self.env.cr.savepoint():
                contents.update(self._render_notices())
        except psycopg2.Error:
            # the database, not the notice: the decision cannot be taken either
            raise
        except Exception as error:
            # any failure of the PDF engine (wkhtmltopdf, PyPDF2, the system): reported, not raised
            text = str(error).strip() if isinstance(error, UserError) else f"{type(error).__name__}: {error}"
            return text[:1000]
        return None

    def _file_notices(self):
        """The written notice of each decided result of self (Nghị định 90/2020, art. 22; the QWeb
        report action_report_civ_annual_notice, Decree 30 layout), filed on the employee's record
        for the personnel file: NOTICE_CHUNK_SIZE notices per wkhtmltopdf run, one create of the
        attachments. A notice that cannot be made is recorded on its result (notice_missing,
        notice_error) for _retry_notices; one made clears them.

        :returns: ({result id: (file name, content)}, also sent to the employee with the notification;
            {result id: error text} of the notices missing)
        """
        results = self.sudo()
        contents, failures = results._render_notices_safely()
        failed = results.filtered(lambda result: result.id in failures)
        for error, group in failed.grouped(lambda result: failures[result.id]).items():
            group.write({"notice_missing": True, "notice_error": error})
        (results - failed).filtered("notice_missing").write({"notice_missing": False, "notice_error": False})
        notices, vals_list = {}, []
        for result in results - failed:
            kind, content = contents[result.id]
            name = NOTICE_NAME.format(year=result.year, name=result.employee_id.name, ext=kind)
            notices[result.id] = (name, content)
            vals_list.append(
                {
                    "name": name,
                    "raw": content,
                    "res_model": "hr.employee",
                    "res_id": result.employee_id.id,
                    "mimetype": "application/pdf" if kind == "pdf" else "text/html",
                    "description": self.env._("Notice of the year-end result %s", result.display_name),
                }
            )
        self.env["ir.attachment"].sudo().create(vals_list)
        return notices, failures

    def action_retry_notice(self):
        """Officers: make again the written notices that could not be made at the decision, file
        them and send them to the employees."""
        self._check_officer()
        results = self.filtered(lambda result: result.state == "done")
        results._check_workflow_access("notice")
        made, failures = results._retry_notices()
        if failures:
            message = self.env._(
                "%(made)s notice(s) made; %(missing)s still missing: %(error)s",
                made=made,
                missing=len(failures),
                error=next(iter(failures.values())),
            )
        else:
            message = self.env._("%s notice(s) made, filed and sent to the employees.", made)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Notices of the year-end results"),
                "message": message,
                "type": "warning" if failures else "success",
                "sticky": bool(failures),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _retry_notices(self):
        """Make the missing notices of self (decided results), file them and send each to its
        employee.

        :returns: (the number made, {result id: error text} of those still missing)
        """
        results = self.sudo().filtered(lambda result: result.state == "done" and result.notice_missing)
        if not results:
            return 0, {}
        notices, failures = results._file_notices()
        for result in results.filtered(lambda result: result.id in notices):
            result.message_post(
                body=self.env._("The written notice of your year-end classification for %s.", result.year),
                message_type="comment",
                subtype_xmlid="mail.mt_note",
                partner_ids=result.user_id.partner_id.ids,
                attachments=[notices[result.id]],
            )
        _logger.info("Year-end notices made again: %s, still missing: %s", len(notices), len(failures))
        return len(notices), failures

    @api.model
    def _civ_retry_missing_notices(self, limit=NOTICE_RETRY_LIMIT):
        """The scheduled action's part: make again the missing notices of the decided results."""
        missing = self.sudo().search(
            [("state", "=", "done"), ("notice_missing", "=", True)], order="id", limit=limit
        )
        return missing._retry_notices()
