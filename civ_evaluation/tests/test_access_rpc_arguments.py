"""Issue "Trust in the evidence", item 13: every public method that takes arguments, called over the
real JSON-RPC endpoint (/web/dataset/call_kw) with JSON values of the wrong kind, answers a clear
Odoo error (never a ValueError, TypeError, AttributeError or a marshalling error, never a traceback
logged at ERROR level) and, called well, answers plain JSON values (ids, not records)."""

import logging

from odoo.tests import HttpCase, get_db_name, tagged
from odoo.tests.common import JsonRpcException

from .annual_common import YEAR, B, CivAnnualCase
from .common import RpcMixin

CLEAR_ERRORS = {
    "odoo.exceptions.UserError",
    "odoo.exceptions.ValidationError",
    "odoo.exceptions.AccessError",
    "odoo.exceptions.MissingError",
}
# JSON values of the wrong kind for a text, a year, a number, a list of ids, a mapping
NOT_TEXT = (["x"], {"y": 1}, 12)
NOT_A_YEAR = ("abc", [YEAR], {"y": 1}, True, 2026.5, 1900, 3000, None)


@tagged("post_install", "-at_install", "civ_evaluation", "civ_access")
class TestRpcArguments(RpcMixin, CivAnnualCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._locked_year({cls.staff: B, cls.staff2: B})
        cls.results = cls.Result.with_user(cls.user_officer).prepare_results(YEAR, cls.company)
        cls.result = cls.results.filtered(lambda r: r.employee_id == cls.staff)
        cls.level_b = cls.levels["B"]
        cls.criterion = cls.framework.criterion_ids[0]

    # ------------------------------------------------------------------ helpers
    def _refused(self, model, method, *args, **kwargs):
        """The call fails with a clear Odoo error, logged by odoo.http as a warning, not a traceback."""
        with self.assertLogs("odoo.http", level=logging.WARNING) as logs:
            with self.assertRaises(JsonRpcException) as caught:
                self._call(model, method, *args, **kwargs)
        self.assertIn(caught.exception.args[0], CLEAR_ERRORS, f"{model}.{method}{args}{kwargs}")
        errors = [record.getMessage() for record in logs.records if record.levelno >= logging.ERROR]
        self.assertFalse(errors, f"{model}.{method}{args}{kwargs} logged a traceback")
        return caught.exception

    def _assert_plain(self, value):
        """Only JSON's own values (a record would come back as its repr text)."""
        if isinstance(value, dict):
            for key, item in value.items():
                self.assertIsInstance(key, str)
                self._assert_plain(item)
        elif isinstance(value, list):
            for item in value:
                self._assert_plain(item)
        else:
            self.assertTrue(
                value is None or isinstance(value, (bool, int, float)) or not str(value).startswith("civ."),
                value,
            )

    # ------------------------------------------------------------------ year-end results
    def test_prepare_results(self):
        self.authenticate("canbotccb_t", "canbotccb_t")
        Result = "civ.annual.result"
        for year in NOT_A_YEAR:
            error = self._refused(Result, "prepare_results", year)
            self.assertEqual(error.args[0], "odoo.exceptions.UserError", year)
        for companies in ("abc", [True], [{"id": 1}], {"y": 1}, [0]):
            self._refused(Result, "prepare_results", YEAR, companies)
        # a company that is not the officer's (or does not exist): refused
        for company_id in (self.superior_company.id, 999999):
            error = self._refused(Result, "prepare_results", YEAR, [company_id])
            self.assertEqual(error.args[0], "odoo.exceptions.AccessError")
        # the issue's own call: plain ids for one of the officer's companies, else a clear error
        if 3 in self.user_officer.company_ids.ids:
            self.assertTrue(
                all(isinstance(rid, int) for rid in self._call(Result, "prepare_results", 2026, [3]))
            )
        else:
            self.assertEqual(
                self._refused(Result, "prepare_results", 2026, [3]).args[0], "odoo.exceptions.AccessError"
            )
        # well called: the ids of the results prepared, as JSON numbers (also as text digits)
        ids = self._call(Result, "prepare_results", YEAR, [self.company.id])
        self.assertEqual(sorted(ids), sorted(self.results.ids))
        self.assertEqual(sorted(self._call(Result, "prepare_results", str(YEAR))), sorted(self.results.ids))
        # and over XML-RPC, which refuses to marshal records
        ids = self.xmlrpc_object.execute_kw(
            get_db_name(),
            self.user_officer.id,
            "canbotccb_t",
            Result,
            "prepare_results",
            [YEAR, self.company.id],
        )
        self.assertEqual(sorted(ids), sorted(self.results.ids))

    def test_submit_and_decide_reasons(self):
        self.authenticate("canbotccb_t", "canbotccb_t")
        for reason in NOT_TEXT:
            error = self._refused("civ.annual.result", "action_submit", self.results.ids, quota_reason=reason)
            self.assertEqual(error.args[0], "odoo.exceptions.UserError")
            self._refused("civ.annual.result", "action_submit", self.results.ids, reason)
        self.assertEqual(set(self.results.mapped("state")), {"draft"})
        self.assertTrue(
            self._call("civ.annual.result", "action_submit", self.results.ids, quota_reason="Lý do")
        )
        self.authenticate("chutich_t", "chutich_t")
        staff_results = self.results.filtered(lambda r: r.decider_user_id == self.user_chairman)
        for reason in NOT_TEXT:
            self._refused("civ.annual.result", "action_decide", staff_results.ids, quota_reason=reason)
        self.assertEqual(set(staff_results.mapped("state")), {"submitted"})
        answer = self._call("civ.annual.result", "action_decide", staff_results.ids)
        self._assert_plain(answer)
        self.assertEqual(answer["tag"], "display_notification")
        self.env.invalidate_all()
        self.assertEqual(set(staff_results.mapped("state")), {"done"})
        # the retry of the notices is the officers'
        self._refused("civ.annual.result", "action_retry_notice", staff_results.ids)

    def test_annual_appeal_notes(self):
        self._decide(self.results.with_user(self.user_officer), quota_reason="Lý do")
        appeal = (
            self.env["civ.annual.appeal"]
            .with_user(self.user_staff)
            .create({"result_id": self.result.id, "reason": "Xin xem lại"})
        )
        # the level that classified answers (the head of the agency)
        self.authenticate("chutich_t", "chutich_t")
        for method in ("action_accept", "action_reject"):
            for note in NOT_TEXT:
                self._refused("civ.annual.appeal", method, appeal.ids, note)
                self._refused("civ.annual.appeal", method, appeal.ids, decision_note=note)
        self.assertEqual(appeal.state, "open")
        self.assertTrue(self._call("civ.annual.appeal", "action_reject", appeal.ids, "Đã xem xét"))
        self.assertEqual(appeal.state, "rejected")

    # ------------------------------------------------------------------ monthly sheets and requests
    def test_sheet_and_appeal_notes(self):
        period = self._open_period()
        sheet = self._sheet(period, self.staff)
        sheet.with_user(self.user_staff).action_submit()
        self.authenticate("photruongphong_t", "photruongphong_t")
        for value in NOT_TEXT:
            error = self._refused("civ.evaluation", "action_approve", sheet.ids, quota_reason=value)
            self.assertEqual(error.args[0], "odoo.exceptions.UserError")
            self._refused("civ.evaluation", "action_return", sheet.ids, value)
            self._refused("civ.evaluation", "action_return", sheet.ids, reason=value)
        # no reason at all: asked for, not a TypeError about a missing argument
        self._refused("civ.evaluation", "action_return", sheet.ids)
        self.assertEqual(sheet.state, "review")
        self.assertTrue(self._call("civ.evaluation", "action_return", sheet.ids, "Bổ sung minh chứng"))
        self.assertEqual(sheet.state, "draft")
        sheet.with_user(self.user_staff).action_submit()
        sheet.with_user(self.user_deputy).action_approve()
        sheet.with_user(self.user_head).action_approve()
        appeal = (
            self.env["civ.appeal"]
            .with_user(self.user_staff)
            .create({"evaluation_id": sheet.id, "reason": "Xin xem lại"})
        )
        self.authenticate("truongphong_t", "truongphong_t")
        for method in ("action_accept", "action_reject"):
            for note in NOT_TEXT:
                self._refused("civ.appeal", method, appeal.ids, note)
                self._refused("civ.appeal", method, appeal.ids, note=note)
        self.assertEqual(appeal.state, "open")
        self.assertTrue(self._call("civ.appeal", "action_reject", appeal.ids, "Giữ nguyên"))
        self.assertEqual(appeal.state, "rejected")

    # ------------------------------------------------------------------ the scoring and quota services
    def test_framework_services(self):
        self.authenticate("nhanvien_t", "nhanvien_t")
        Framework, ids = "civ.framework", self.framework.ids
        cid = self.criterion.id
        for points in ("abc", [1], {"x": 1}, {str(cid): "nhiều"}, {str(cid): [1]}, {str(cid): True}):
            self._refused(Framework, "compute_score", ids, points)
        self._refused(Framework, "compute_score", [], {})
        self._refused(Framework, "compute_score", self.env["civ.framework"].search([]).ids, {})
        score = self._call(Framework, "compute_score", ids, {str(cid): 5})
        self._assert_plain(score)
        self.assertEqual(score["total"], self.framework.compute_score({cid: 5})["total"])
        self.assertEqual(score["level"], self.framework.compute_score({cid: 5})["level"].id)
        self.assertIsInstance(self._call(Framework, "compute_score", ids, {})["level"], (int, bool))

        for score_value in ("abc", [1], None, True):
            self._refused(Framework, "level_for_score", ids, score_value)
        self.assertEqual(self._call(Framework, "level_for_score", ids, 80), self.level_b.id)

        level_ids = [self.level_b.id, self.level_b.id, False]
        for levels in ("abc", {"a": 1}, ["x"], [True], [[1]], 3):
            self._refused(Framework, "check_quotas", ids, levels)
            self._refused(Framework, "quota_exceeded_after", ids, levels, self.level_b.id)
        self._refused(Framework, "check_quotas", ids, level_ids, exceptional="yes")
        self._refused(Framework, "quota_exceeded_after", ids, level_ids, "B")
        checks = self._call(Framework, "check_quotas", ids, level_ids)
        self._assert_plain(checks)
        self.assertEqual(len(checks), len(self.framework.quota_ids))
        self.assertTrue(all(isinstance(check["quota"], int) for check in checks))
        self._assert_plain(self._call(Framework, "quota_exceeded_after", ids, level_ids, self.levels["A"].id))

        for products in ("abc", {"a": 1}, [1], [{"qty_assigned": "nhiều"}], [{"objective_cause": "có"}]):
            self._refused(Framework, "compute_product_score", ids, products)
        self._refused(Framework, "compute_product_score", ids, [], leader="yes")
        self._refused(Framework, "compute_product_score", ids, [], True, ["x"])
        self._refused(Framework, "compute_product_score", ids, [], organisation_percent="100")
        item = {"weight": 1, "qty_assigned": 10, "qty_done": 9, "qty_quality": 8, "qty_on_time": 9}
        product_score = self._call(
            Framework, "compute_product_score", ids, [item], True, [self.level_b.id], 100
        )
        self._assert_plain(product_score)

        for other in ("B", [1], {"id": 1}, True):
            self._refused("civ.level", "is_at_least", self.level_b.ids, other)
        self._refused("civ.level", "is_at_least", [], self.level_b.id)
        self.assertTrue(self._call("civ.level", "is_at_least", self.levels["A"].ids, self.level_b.id))
        self.assertFalse(self._call("civ.level", "is_at_least", self.level_b.ids, self.levels["A"].id))
