"""Issue "Trust in the evidence", item 14: deciding many year-end results renders their written
notices in batches with the real PDF engine, and a notice that cannot be made never loses its
decision: the decision is kept (decided, sealed, the employee notified), the missing notice is
recorded on the result and reported to the decider, and made again by human resources (Retry the
Notice) or by the scheduled action."""

import io
import logging
import time
from contextlib import contextmanager
from unittest.mock import patch

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tools.pdf import PdfFileReader

from ..models import civ_annual_result
from .annual_common import YEAR, B, CivAnnualCase
from .common import make_employees, make_user

try:
    from PyPDF2.errors import EmptyFileError
except ImportError:  # Odoo on pypdf
    from pypdf.errors import EmptyFileError

_logger = logging.getLogger(__name__)
REPORT_LOGGER = "odoo.addons.base.models.ir_actions_report"
NOTICE_LOGGER = "odoo.addons.civ_evaluation.models.civ_annual_notice"


class _Records(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records = []

    def emit(self, record):
        self.records.append(record)


@contextmanager
def _captured(name):
    """The records logged on `name` while inside (kept out of the test log: asserted instead)."""
    logger, handler = logging.getLogger(name), _Records()
    propagate, level = logger.propagate, logger.level
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    try:
        yield handler.records
    finally:
        logger.removeHandler(handler)
        logger.propagate, logger.level = propagate, level


class NoticeCase(CivAnnualCase):
    @classmethod
    def _submitted(cls, count):
        """`count` results of YEAR awaiting the chairman's decision, written directly (as a
        submission leaves them): cheap, no monthly sheets."""
        employees = make_employees(
            cls.env,
            cls.company,
            [f"Chuyên viên Số {index:03d}" for index in range(count)],
            department=cls.section,
            job_title="Chuyên viên",
        )
        level = cls.levels["B"]
        return (
            cls.env["civ.annual.result"]
            .sudo()
            .with_context(tracking_disable=True)
            .create(
                [
                    {
                        "employee_id": employee.id,
                        "company_id": cls.company.id,
                        "year": YEAR,
                        "department_id": cls.section.id,
                        "job_title": "Chuyên viên",
                        "framework_id": cls.framework.id,
                        "months_evaluated": 12,
                        "months_worked": 12.0,
                        "average_score": B,
                        "proposed_level_id": level.id,
                        "level_id": level.id,
                        "state": "submitted",
                        "decider_employee_id": cls.chairman.id,
                    }
                    for employee in employees
                ]
            )
        )

    def _notices(self, results):
        """{result: its notice filed on the employee's record}."""
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .search([("res_model", "=", "hr.employee"), ("res_id", "in", results.employee_id.ids)])
        )
        by_employee = {attachment.res_id: attachment for attachment in attachments}
        return {result: by_employee.get(result.employee_id.id) for result in results}


@tagged("post_install", "-at_install", "civ_evaluation", "civ_pdf", "civ_year", "civ_reports")
class TestAnnualNoticesPdf(NoticeCase, HttpCase):
    """With the real PDF engine (wkhtmltopdf, force_report_rendering): the assets come from the
    test server (HttpCase sets web.base.url)."""

    def test_bulk_decision_renders_in_batches(self):
        Report = self.env.registry["ir.actions.report"]
        if self.env["ir.actions.report"].get_wkhtmltopdf_state() == "install":
            self.skipTest("wkhtmltopdf is not installed (make setup installs it)")
        results = self._submitted(120)
        runs = []
        run_wkhtmltopdf = Report._run_wkhtmltopdf

        def counted(report, bodies, *args, **kwargs):
            start = time.monotonic()
            content = run_wkhtmltopdf(report, bodies, *args, **kwargs)
            runs.append((len(bodies), time.monotonic() - start))
            return content

        start = time.monotonic()
        with patch.object(Report, "_run_wkhtmltopdf", counted), _captured(REPORT_LOGGER) as engine_log:
            action = (
                results.with_user(self.user_chairman)
                .with_context(force_report_rendering=True)
                .action_decide()
            )
        elapsed = time.monotonic() - start
        _logger.info(
            "120 notices with the real PDF engine: %s wkhtmltopdf runs (%s), rendering %.1f s, the "
            "whole decision %.1f s",
            len(runs),
            ", ".join(f"{seconds:.1f} s" for _bodies, seconds in runs),
            sum(seconds for _bodies, seconds in runs),
            elapsed,
        )
        # NOTICE_CHUNK_SIZE notices per run, each run one input (all the notices are its pages)
        size = civ_annual_result.NOTICE_CHUNK_SIZE
        self.assertEqual(len(runs), -(-120 // size))
        self.assertEqual({bodies for bodies, _seconds in runs}, {1})
        # the engine said nothing but that Debian's build ignores the page headers (no network error)
        for record in engine_log:
            if record.levelno >= logging.WARNING:
                self.assertIn("unpatched qt", record.getMessage())
                self.assertNotIn("error", record.getMessage().replace("unknown error", "").lower())
        self.assertEqual(action["params"]["type"], "success")
        self.assertEqual(set(results.mapped("state")), {"done"})
        self.assertFalse(results.sudo().filtered("notice_missing"))
        # one PDF per person, one page, naming that person: the i-th page went to the i-th result
        for result, notice in self._notices(results).items():
            self.assertTrue(notice, result.display_name)
            self.assertEqual(notice.mimetype, "application/pdf")
            reader = PdfFileReader(io.BytesIO(notice.raw))
            self.assertEqual(reader.numPages, 1)
            text = " ".join(reader.getPage(0).extractText().split())
            self.assertIn(result.employee_id.name, text)


@tagged("post_install", "-at_install", "civ_evaluation", "civ_year")
class TestAnnualNoticeFailure(NoticeCase):
    """A notice whose rendering fails (here: the PDF engine's empty file, as Debian's wkhtmltopdf
    gave for several inputs) does not undo its decision."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.results = cls._submitted(4)
        # the first two have users, to receive their notice
        for result in cls.results[:2]:
            login = f"chuyenvien{result.id}_t"
            result.employee_id.user_id = make_user(cls.env, login, cls.company, name=result.employee_id.name)

    @contextmanager
    def _failing(self, results):
        """The PDF engine fails on every rendering that includes one of `results`."""
        Report = self.env.registry["ir.actions.report"]
        pre_render = Report._pre_render_qweb_pdf
        failing = set(results.ids)

        def broken(report, report_ref, res_ids=None, data=None):
            if report_ref == civ_annual_result.NOTICE_REPORT and failing & set(res_ids or ()):
                raise EmptyFileError("Cannot read an empty file")
            return pre_render(report, report_ref, res_ids=res_ids, data=data)

        with patch.object(Report, "_pre_render_qweb_pdf", broken):
            yield

    def test_decision_kept_when_a_notice_fails(self):
        results = self.results
        bad, button, cron = results[0], results[0], results[1]
        with self._failing(bad | cron), self.assertLogs(NOTICE_LOGGER, "WARNING") as logs:
            action = results.with_user(self.user_chairman).action_decide()
        self.assertIn("2 notice(s) of year-end results not made", logs.output[0])
        # the decision stands: decided, sealed, each employee notified
        self.assertEqual(set(results.mapped("state")), {"done"})
        self.assertEqual(set(results.mapped("decided_by_id")), {self.user_chairman})
        self.assertTrue(all(results.sudo().mapped("seal_hash")))
        self.assertFalse(results._integrity_failures())
        for result in results:
            self.assertTrue(
                result.message_ids.filtered(lambda m: "Your year-end classification" in (m.body or "")),
                result.display_name,
            )
        # the missing notices are recorded (officers see why), the others filed
        notices = self._notices(results)
        self.assertFalse(notices[bad])
        self.assertFalse(notices[cron])
        self.assertTrue(notices[results[2]])
        self.assertTrue(notices[results[3]])
        officer_view = results.with_user(self.user_officer)
        self.assertEqual(officer_view.filtered("notice_missing"), bad | cron)
        self.assertIn("EmptyFileError: Cannot read an empty file", officer_view[0].notice_error)
        with self.assertRaises(AccessError):
            bad.with_user(bad.user_id).read(["notice_error"])
        # the decider is told
        self.assertEqual(action["params"]["type"], "warning")
        self.assertIn(bad.display_name, action["params"]["message"])
        self.assertIn("EmptyFileError", action["params"]["message"])

        # an officer retries one (the engine works again); an employee or the decider cannot
        with self.assertRaises(AccessError):
            button.with_user(self.user_chairman).action_retry_notice()
        action = button.with_user(self.user_officer).action_retry_notice()
        self.assertEqual(action["params"]["type"], "success")
        notice = self._notices(button)[button]
        self.assertTrue(notice)
        self.assertFalse(button.sudo().notice_missing)
        self.assertFalse(button.sudo().notice_error)
        sent = button.message_ids.filtered(lambda m: button.user_id.partner_id in m.partner_ids)
        self.assertIn(notice.name, sent.attachment_ids.mapped("name"))
        # the scheduled action retries the other: still failing, it stays recorded
        with self._failing(cron), self.assertLogs(NOTICE_LOGGER, "WARNING"):
            made, failures = self.Result._civ_retry_missing_notices()
        self.assertEqual((made, list(failures)), (0, [cron.id]))
        self.assertTrue(cron.sudo().notice_missing)
        made, failures = self.Result._civ_retry_missing_notices()
        self.assertEqual((made, failures), (1, {}))
        self.assertTrue(self._notices(cron)[cron])
        self.assertFalse(self.Result.sudo().search([("notice_missing", "=", True)]))
        # the seal is untouched by the notices
        self.assertFalse(results._integrity_failures())

    def test_batch_failure_falls_back_to_one_per_run(self):
        """A rendering of several notices that fails is done again one notice per run: only the
        notice that fails on its own is missing."""
        calls = []
        Report = self.env.registry["ir.actions.report"]
        pre_render = Report._pre_render_qweb_pdf
        bad = self.results[2]

        def spy(report, report_ref, res_ids=None, data=None):
            calls.append(list(res_ids))
            if bad.id in res_ids:
                raise EmptyFileError("Cannot read an empty file")
            return pre_render(report, report_ref, res_ids=res_ids, data=data)

        with patch.object(Report, "_pre_render_qweb_pdf", spy), self.assertLogs(NOTICE_LOGGER, "INFO"):
            notices, failures = self.results.sudo()._file_notices()
        self.assertEqual(calls, [self.results.ids] + [[result_id] for result_id in self.results.ids])
        self.assertEqual(set(notices), set((self.results - bad).ids))
        self.assertEqual(list(failures), [bad.id])
        self.assertTrue(bad.sudo().notice_missing)
