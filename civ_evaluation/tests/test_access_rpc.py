"""The holes of the trust issue driven through the real JSON-RPC endpoint, as a logged-in employee
with a plain client would (/web/dataset/call_kw)."""

import base64

from odoo.tests import HttpCase, tagged

from .common import RpcMixin
from .cycle_common import CivCycleCase


@tagged("post_install", "-at_install", "civ_evaluation")
class TestRpcHoles(RpcMixin, CivCycleCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.period = cls._open_period()
        cls.sheet = cls._sheet(cls.period, cls.staff)
        cls.line = cls.sheet.line_ids.filtered(lambda line: line.criterion_id.code == "2.1")

    def test_employee_over_json_rpc(self):
        self.authenticate("nhanvien_t", "nhanvien_t")
        # 1. the crons: gone from the public surface, private ones refused
        self._refused("civ.period", "civ_cron_lock_periods", [], today="2099-01-01")
        self.assertEqual(self._refused("civ.period", "_cron_lock_periods", []), "odoo.exceptions.AccessError")
        self._refused("civ.period", "_civ_lock_periods", [], today="2099-01-01")
        self.assertEqual(self.period.state, "open")
        # 2. actions check access: an employee does not lock, even their own sheet
        self._refused("civ.evaluation", "action_lock", [self.sheet.id])
        self._refused("civ.period", "action_lock", [self.period.id])
        # 5. officer-only figures
        self._refused("civ.period", "read", [self.period.id], fields=["quota_check_html"])
        self._refused("civ.annual.result", "quota_status", [])
        # 6. typed input: a clear error, nothing written
        self.assertEqual(
            self._refused("civ.evaluation.line", "write", [self.line.id], {"self_points": "nhiều"}),
            "odoo.exceptions.ValidationError",
        )
        self.assertTrue(self._call("civ.evaluation.line", "write", [self.line.id], {"self_points": "30"}))
        self.env.invalidate_all()
        self.assertEqual(self.line.self_points, 30.0)
        # 4. evidence: attach while a draft, then submit; afterwards neither add nor delete
        attachment_id = self._call(
            "ir.attachment",
            "create",
            {
                "name": "minh_chung.txt",
                "datas": base64.b64encode(b"x").decode(),
                "res_model": "civ.evaluation",
                "res_id": self.sheet.id,
            },
        )
        self._call("civ.evaluation", "action_submit", [self.sheet.id])
        self._refused("ir.attachment", "unlink", [attachment_id])
        self._refused(
            "ir.attachment",
            "create",
            {
                "name": "moi.txt",
                "datas": base64.b64encode(b"y").decode(),
                "res_model": "civ.evaluation",
                "res_id": self.sheet.id,
            },
        )
        self._refused("civ.evaluation", "message_post", [self.sheet.id], body="sửa")
        # the workflow fields of the sheet are not writable
        self._refused("civ.evaluation", "write", [self.sheet.id], {"state": "done", "final_score": 100})
        # and the employee cannot approve their own sheet
        self._refused("civ.evaluation", "action_approve", [self.sheet.id])
        self.env.invalidate_all()
        self.assertEqual(self.sheet.state, "review")
        self.assertEqual(self.sheet.current_reviewer_user_id, self.user_deputy)

    def test_forged_appeal_over_json_rpc(self):
        self.sheet.with_user(self.user_staff).action_submit()
        self.sheet.with_user(self.user_deputy).action_approve()
        self.sheet.with_user(self.user_head).action_approve()
        self.authenticate("nhanvien_t", "nhanvien_t")
        appeal_id = self.make_jsonrpc_request(
            "/web/dataset/call_kw/civ.appeal/create",
            {
                "model": "civ.appeal",
                "method": "create",
                "args": [{"evaluation_id": self.sheet.id, "reason": "Xin xem lại"}],
                "kwargs": {
                    "context": {
                        "default_state": "accepted",
                        "default_decided_by": self.user_staff.id,
                        "default_decision_note": "Tự duyệt",
                    }
                },
            },
        )
        appeal = self.env["civ.appeal"].browse(appeal_id)
        self.assertEqual(appeal.state, "open")
        self.assertFalse(appeal.decided_by)
        self.assertEqual(appeal.reviewer_user_id, self.user_head)
        self._refused("civ.appeal", "action_accept", [appeal_id])
        self.assertEqual(self.sheet.state, "done")
