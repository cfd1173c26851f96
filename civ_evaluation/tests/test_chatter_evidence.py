"""Trust in the evidence (issue "Trust in the evidence", items 7-10), tried the way an attacker with a
plain JSON-RPC client would: the chatter of a sheet frozen once it leaves the draft, whatever mail
route is used, and sealed with the month; nobody acts on their own evaluation whatever their role;
records in someone else's name, cycles and the shared catalogue refused."""

import base64
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, tagged

from ..models import civ_seal
from .annual_common import YEAR, CivAnnualCase
from .common import MAY, OFFICER, RpcMixin, make_employee, make_user
from .cycle_common import CivCycleCase


@tagged("post_install", "-at_install", "civ_evaluation")
class TestEvidenceOverRpc(RpcMixin, CivCycleCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.period = cls._open_period()
        cls.sheet = cls._sheet(cls.period, cls.staff)

    def _post(self, body, files=()):
        """The employee posts evidence through the chatter's own route, with files uploaded first."""
        attachment_ids = [
            self._call(
                "ir.attachment",
                "create",
                {
                    "name": name,
                    "datas": base64.b64encode(content).decode(),
                    "res_model": "civ.evaluation",
                    "res_id": self.sheet.id,
                },
            )
            for name, content in files
        ]
        return self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "civ.evaluation",
                "thread_id": self.sheet.id,
                "post_data": {"body": body, "message_type": "comment", "attachment_ids": attachment_ids},
            },
        )

    def _evidence_message(self):
        return self.env["mail.message"].search(
            [
                ("model", "=", "civ.evaluation"),
                ("res_id", "=", self.sheet.id),
                ("body", "ilike", "Minh chứng"),
            ],
            order="id desc",
            limit=1,
        )

    def test_the_chatter_is_frozen_when_the_sheet_leaves_the_draft(self):
        self._as(self.user_staff)
        self._post("<p>Minh chứng: báo cáo tháng 5</p>", [("bao_cao.txt", b"bao cao")])
        message = self._evidence_message()
        # in self-assessment the employee still corrects their evidence
        self._call(
            "mail.message", "write", [message.id], {"body": "<p>Minh chứng: báo cáo tháng 5 (sửa)</p>"}
        )
        self._call("civ.evaluation", "action_submit", [self.sheet.id])
        refused = "odoo.exceptions.AccessError"
        self.assertEqual(
            self._refused("mail.message", "write", [message.id], {"body": "<p>đã sửa</p>"}), refused
        )
        self.assertEqual(self._refused("mail.message", "unlink", [message.id]), refused)
        self.assertEqual(
            self._route_refused(
                "/mail/message/update_content",
                {"message_id": message.id, "body": "sửa", "attachment_ids": []},
            ),
            "odoo.exceptions.UserError",
        )
        # a new message straight into the table, with a file made for the composer
        pending = self._call(
            "ir.attachment",
            "create",
            {
                "name": "moi.txt",
                "datas": base64.b64encode(b"moi").decode(),
                "res_model": "mail.compose.message",
                "res_id": 0,
            },
        )
        self.assertEqual(
            self._refused(
                "mail.message",
                "create",
                {
                    "model": "civ.evaluation",
                    "res_id": self.sheet.id,
                    "body": "<p>thêm</p>",
                    "message_type": "comment",
                    "attachment_ids": [Command.link(pending)],
                },
            ),
            refused,
        )
        attachment = message.attachment_ids
        self.assertEqual(self._refused("ir.attachment", "write", attachment.ids, {"datas": "eA=="}), refused)
        self.assertEqual(self._refused("ir.attachment", "unlink", attachment.ids), refused)
        # in review the reviewer adds to the evidence, and cannot change the employee's
        self._as(self.user_deputy)
        self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "civ.evaluation",
                "thread_id": self.sheet.id,
                "post_data": {"body": "Đã kiểm tra minh chứng", "message_type": "comment"},
            },
        )
        self.assertEqual(self._refused("mail.message", "write", [message.id], {"body": "x"}), refused)
        self._call("civ.evaluation", "action_approve", [self.sheet.id])
        self._as(self.user_head)
        self._call("civ.evaluation", "action_approve", [self.sheet.id])
        # decided: nobody adds anything, by any route
        for user in (self.user_staff, self.user_head):
            self._as(user)
            self._route_refused(
                "/mail/message/post",
                {"thread_model": "civ.evaluation", "thread_id": self.sheet.id, "post_data": {"body": "muộn"}},
            )
            self._refused(
                "mail.message",
                "create",
                {
                    "model": "civ.evaluation",
                    "res_id": self.sheet.id,
                    "body": "muộn",
                    "message_type": "comment",
                },
            )
        self.env.invalidate_all()
        self.assertIn("(sửa)", message.body)
        self.assertEqual(message.attachment_ids.raw, b"bao cao")

    def test_the_seal_covers_the_evidence(self):
        self._as(self.user_staff)
        self._post("<p>Minh chứng: hồ sơ</p>", [("ho_so.txt", b"ho so")])
        self._call("civ.evaluation", "action_submit", [self.sheet.id])
        self.period.with_user(self.user_officer).action_lock()
        self.assertTrue(self.sheet.sudo().seal_hash.startswith(f"{civ_seal.SEAL_VERSION}$"))
        self.assertFalse(self.period._integrity_failures())
        message = self._evidence_message()
        cr = self.env.cr
        checks = [
            ("UPDATE mail_message SET body = '<p>khác</p>' WHERE id = %s", [message.id]),
            ("UPDATE ir_attachment SET checksum = 'x' WHERE id = %s", message.attachment_ids.ids),
            (
                "INSERT INTO mail_message (model, res_id, message_type, body, date) "
                "VALUES ('civ.evaluation', %s, 'comment', 'thêm', now())",
                [self.sheet.id],
            ),
        ]
        for query, params in checks:
            with self.subTest(query=query), cr.savepoint(flush=False) as savepoint:
                cr.execute(query, params)
                self.assertEqual(self.period._integrity_failures(), self.sheet)
                savepoint.rollback()
        self.assertFalse(self.period._integrity_failures())

    def test_months_sealed_under_the_first_rules_stay_verifiable(self):
        self.period.with_user(self.user_officer).action_lock()
        # the month as a release before civ-seal-2 sealed it: bare hashes over the first rules' content
        cr = self.env.cr
        ids = self.period.evaluation_ids.sorted("id").ids
        previous = ""
        contents = civ_seal.sheet_contents(cr, ids, civ_seal.LEGACY_VERSION)
        for sheet_id in ids:
            previous = civ_seal.digest(previous, contents[sheet_id], civ_seal.LEGACY_VERSION)
            cr.execute("UPDATE civ_evaluation SET seal_hash = %s WHERE id = %s", [previous, sheet_id])
        cr.execute("UPDATE civ_period SET seal_hash = %s WHERE id = %s", [previous, self.period.id])
        self.env.invalidate_all()
        self.assertNotIn("$", previous)
        self.assertFalse(self.period._integrity_failures())
        cr.execute("UPDATE civ_evaluation SET final_score = 99 WHERE id = %s", [self.sheet.id])
        self.assertEqual(self.period._integrity_failures(), self.sheet)

    def test_duty_groups_of_decided_months_are_kept(self):
        group = self.env["civ.duty.group"].create(
            {"name": "Tham mưu tổng hợp", "company_id": self.company.id}
        )
        self.sheet.sudo().duty_group_id = group
        self.period.with_user(self.user_officer).action_lock()
        with self.assertRaises(Exception) as caught, self.env.cr.savepoint():
            group.unlink()
        self.assertIn("archive it", str(caught.exception))
        group.active = False
        self.assertEqual(self.sheet.duty_group_id, group)
        # the link is sealed
        self.env.cr.execute("UPDATE civ_evaluation SET duty_group_id = NULL WHERE id = %s", [self.sheet.id])
        self.assertEqual(self.period._integrity_failures(), self.sheet)


@tagged("post_install", "-at_install", "civ_evaluation")
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
        self._as(self.user_other_officer)
        self._call("civ.annual.appeal", "action_reject", [appeal_id], decision_note="Kết quả đúng")
        # once per decision
        self._as(self.user_officer)
        self.assertEqual(
            self._refused("civ.annual.appeal", "create", {"result_id": result.id, "reason": "Lần hai"}),
            "odoo.exceptions.UserError",
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
