"""Who may do what, over the real JSON-RPC endpoint (/web/dataset/call_kw), as a logged-in user with a
plain client would: an employee tries the scheduled actions, the lock, the officers' figures, points of
the wrong type, evidence after submission, the workflow fields and a forged request for review; the
officer, an administrator and the head of the agency, evaluated too, never decide nor correct their own
evaluation; records in someone else's name, cycles of facts and the shared catalogue are refused."""

import base64
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from .annual_common import YEAR, CivAnnualCase
from .common import MAY, OFFICER, RpcMixin, make_employee, make_user
from .cycle_common import CivCycleCase


@tagged("post_install", "-at_install", "civ_evaluation", "civ_access")
class TestAccessOverRpc(RpcMixin, CivCycleCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.period = cls._open_period()
        cls.sheet = cls._sheet(cls.period, cls.staff)
        cls.line = cls.sheet.line_ids.filtered(lambda line: line.criterion_id.code == "2.1")

    def test_employee_over_json_rpc(self):
        self.authenticate("nhanvien_t", "nhanvien_t")
        # 1. the crons: gone from the public surface, private ones refused
        for method in ("civ_cron_lock_periods", "_cron_lock_periods", "_civ_lock_periods"):
            self.assertIn(
                self._refused("civ.period", method, []),
                ("builtins.AttributeError", "odoo.exceptions.AccessError"),
            )
        self.assertEqual(self.period.state, "open")
        # 2. actions check access: an employee does not lock, even their own sheet
        for model, record in (("civ.evaluation", self.sheet), ("civ.period", self.period)):
            self.assertEqual(self._refused(model, "action_lock", [record.id]), "odoo.exceptions.AccessError")
        # 5. officer-only figures
        self.assertEqual(
            self._refused("civ.period", "read", [self.period.id], fields=["quota_check_html"]),
            "odoo.exceptions.AccessError",
        )
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
        self.assertEqual(
            self._refused("ir.attachment", "unlink", [attachment_id]), "odoo.exceptions.AccessError"
        )
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
        self.assertEqual(
            self._refused("civ.evaluation", "message_post", [self.sheet.id], body="sửa"),
            "odoo.exceptions.AccessError",
        )
        # the workflow fields of the sheet are not writable
        self._refused("civ.evaluation", "write", [self.sheet.id], {"state": "done", "final_score": 100})
        # and the employee cannot approve their own sheet
        self.assertEqual(
            self._refused("civ.evaluation", "action_approve", [self.sheet.id]), "odoo.exceptions.AccessError"
        )
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


@tagged("post_install", "-at_install", "civ_evaluation", "civ_access")
class TestOwnEvaluationOverRpc(RpcMixin, CivAnnualCase, HttpCase):
    """The officer, an administrator and the head of the agency are evaluated too: whatever their
    role, they never decide or correct their own evaluation."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the officer and the administrator are staff of the section
        cls.officer = make_employee(
            cls.env,
            cls.company,
            "Vũ Văn Tổ",
            user=cls.user_officer,
            department=cls.section,
            manager=cls.deputy,
        )
        cls.user_other_officer = make_user(
            cls.env, "canbo2_t", cls.company, OFFICER, name="Cán bộ tổ chức hai"
        )
        cls.admin = make_employee(
            cls.env, cls.company, "Quản trị", user=cls.user_admin, department=cls.section, manager=cls.deputy
        )
        for employee, score in (
            (cls.officer, 80.0),
            (cls.admin, 80.0),
            (cls.chairman, 80.0),
            (cls.staff, 92.0),
        ):
            cls._sheets(employee, dict.fromkeys(range(1, 13), score))
        results = (
            cls.Result.with_user(cls.user_other_officer)
            .with_company(cls.company)
            .prepare_results(YEAR, cls.company)
        )
        cls.result_of = {result.employee_id: result for result in results}

    def test_officers_and_administrators_do_not_touch_their_own_result(self):
        level_a = self.levels["A"]
        for user, employee in ((self.user_officer, self.officer), (self.user_admin, self.admin)):
            result = self.result_of[employee]
            self._as(user)
            with self.subTest(user=user.login):
                self.assertEqual(
                    self._refused(
                        "civ.annual.result", "write", [result.id], {"level_id": level_a.id, "note": "Tốt"}
                    ),
                    "odoo.exceptions.AccessError",
                )
                self.assertEqual(
                    self._refused("civ.annual.result", "action_submit", [result.id]),
                    "odoo.exceptions.AccessError",
                )
                # a colleague's is theirs to correct
                self._call(
                    "civ.annual.result", "write", [self.result_of[self.staff].id], {"note": "Đã kiểm tra"}
                )
        self.env.invalidate_all()
        self.assertEqual(self.result_of[self.officer].level_id, self.levels["B"])

    def test_the_head_does_not_decide_their_own_result(self):
        # misconfigured: the head of the agency set as the superior who decides the head
        self.company.civ_superior_employee_id = self.chairman
        result = self.result_of[self.chairman]
        result.with_user(self.user_other_officer).action_submit()
        self.assertEqual(result.decider_user_id, self.user_chairman)
        self._as(self.user_chairman)
        self.assertEqual(
            self._refused("civ.annual.result", "action_decide", [result.id]), "odoo.exceptions.AccessError"
        )
        self.assertEqual(result.state, "submitted")

    def test_the_officer_does_not_correct_their_own_sheet_or_facts(self):
        period = self.env["civ.period"].create(
            {"company_id": self.company.id, "date_start": MAY.replace(year=YEAR + 1)}
        )
        period.with_user(self.user_other_officer).action_open()
        own = self._sheet(period, self.officer)
        colleague = self._sheet(period, self.staff)
        self._as(self.user_officer)
        self.assertEqual(
            self._refused("civ.evaluation", "write", [own.id], {"job_title": "Trưởng phòng"}),
            "odoo.exceptions.AccessError",
        )
        self._call("civ.evaluation", "write", [colleague.id], {"job_title": "Chuyên viên chính"})
        # their own discipline and absences are recorded by someone else
        fact = self.env["civ.discipline"].create(
            {"employee_id": self.officer.id, "date": fields.Date.to_date(f"{YEAR}-03-01"), "kind": "warning"}
        )
        self.assertEqual(self._refused("civ.discipline", "unlink", [fact.id]), "odoo.exceptions.AccessError")
        self.assertEqual(
            self._refused(
                "civ.absence",
                "create",
                {
                    "employee_id": self.officer.id,
                    "kind": "maternity",
                    "date_from": f"{YEAR}-01-01",
                    "date_to": f"{YEAR}-06-30",
                },
            ),
            "odoo.exceptions.AccessError",
        )
        self.assertTrue(fact.exists())

    def test_requests_for_review_are_decided_by_someone_else_once_per_decision(self):
        result = self.result_of[self.officer]
        self._decide(result.with_user(self.user_other_officer))
        self._as(self.user_officer)
        appeal_id = self._call(
            "civ.annual.appeal", "create", {"result_id": result.id, "reason": "Xin xem lại"}
        )
        self.assertEqual(
            self._refused("civ.annual.appeal", "action_accept", [appeal_id], decision_note="Đồng ý"),
            "odoo.exceptions.AccessError",
        )
        self.assertEqual(result.state, "done")
        # nor another officer: human resources never decide alone; the level that classified does
        self._as(self.user_other_officer)
        self.assertEqual(
            self._refused("civ.annual.appeal", "action_reject", [appeal_id], decision_note="Kết quả đúng"),
            "odoo.exceptions.AccessError",
        )
        self._as(self.user_chairman)
        self._call("civ.annual.appeal", "action_reject", [appeal_id], decision_note="Kết quả đúng")
        # once per result
        self._as(self.user_officer)
        self.assertEqual(
            self._refused("civ.annual.appeal", "create", {"result_id": result.id, "reason": "Lần hai"}),
            "odoo.exceptions.ValidationError",
        )
        # and within the company's days after the decision
        staff_result = self.result_of[self.staff]
        self._decide(staff_result.with_user(self.user_officer), quota_reason="Sáng kiến")
        staff_result.sudo().date_done = fields.Datetime.now() - timedelta(days=6)
        self._as(self.user_staff)
        self.assertEqual(
            self._refused("civ.annual.appeal", "create", {"result_id": staff_result.id, "reason": "Muộn"}),
            "odoo.exceptions.UserError",
        )
        # a rejected request's chatter, and a decided result's, take nothing more
        self._as(self.user_officer)
        for model, res_id in (("civ.annual.appeal", appeal_id), ("civ.annual.result", result.id)):
            self.assertEqual(
                self._refused(
                    "mail.message",
                    "create",
                    {"model": model, "res_id": res_id, "body": "tệp", "message_type": "comment"},
                ),
                "odoo.exceptions.AccessError",
            )

    def test_records_in_someone_elses_name_and_cycles(self):
        self._as(self.user_officer)
        fact_id = self._call(
            "civ.discipline",
            "create",
            {
                "employee_id": self.staff.id,
                "date": f"{YEAR}-03-01",
                "kind": "reprimand",
                "recorded_by_id": self.user_chairman.id,
            },
        )
        fact = self.env["civ.discipline"].browse(fact_id)
        self.assertEqual(fact.recorded_by_id, self.user_officer)
        self.assertEqual(
            self._refused("civ.discipline", "write", [fact_id], {"recorded_by_id": self.user_chairman.id}),
            "odoo.exceptions.AccessError",
        )
        other_id = self._call(
            "civ.discipline",
            "create",
            {
                "employee_id": self.staff.id,
                "date": f"{YEAR}-03-01",
                "kind": "reprimand",
                "system": "party",
                "same_act_id": fact_id,
            },
        )
        self.assertEqual(
            self._refused("civ.discipline", "write", [fact_id], {"same_act_id": other_id}),
            "odoo.exceptions.ValidationError",
        )
        self.assertTrue(fact.counted)
        outstanding_id = self._call(
            "civ.annual.outstanding",
            "create",
            {
                "company_id": self.company.id,
                "year": YEAR,
                "reason": "Bằng khen",
                "recorded_by_id": self.user_chairman.id,
            },
        )
        self.assertEqual(
            self.env["civ.annual.outstanding"].browse(outstanding_id).recorded_by_id, self.user_officer
        )
        # the shared catalogue is the administrators'
        shared = self.env["civ.product.type"].create({"name": "Văn bản", "code": "VB", "company_id": False})
        self.assertEqual(
            self._refused("civ.product.type", "write", shared.ids, {"weight": 5}),
            "odoo.exceptions.AccessError",
        )
        self.assertEqual(
            self._refused("civ.product.type", "unlink", shared.ids), "odoo.exceptions.AccessError"
        )
        self.assertEqual(
            self._refused("civ.product.type", "create", {"name": "Chung", "company_id": False}),
            "odoo.exceptions.AccessError",
        )
        own_type = self._call(
            "civ.product.type", "create", {"name": "Của huyện", "company_id": self.company.id}
        )
        self._call("civ.product.type", "write", [own_type], {"weight": 2})
        self._as(self.user_admin)
        self._call("civ.product.type", "write", shared.ids, {"weight": 2})
        self.assertEqual(shared.weight, 2)
