"""The chatter of a sheet as evidence: its attachments and messages written by whom the sheet waits
for and frozen once it leaves the draft, whatever mail route is used (the ORM as an RPC client calls
it, and the real JSON-RPC endpoint and mail routes as an attacker with a plain client would), and
sealed with the month."""

import base64
import logging
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from ..models import civ_seal
from .common import RpcMixin
from .cycle_common import CivCycleCase


@tagged("post_install", "-at_install", "civ_evaluation", "civ_access")
class TestEvidence(CivCycleCase):
    """The evidence attached to a sheet through the ORM, as an RPC client would: written by whom the
    sheet waits for, frozen once decided."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.period = cls._open_period()

    def _attach(self, sheet, user, name="minh_chung.txt"):
        return (
            self.env["ir.attachment"]
            .with_user(user)
            .create(
                {
                    "name": name,
                    "datas": base64.b64encode(b"bang chung"),
                    "res_model": "civ.evaluation",
                    "res_id": sheet.id,
                }
            )
        )

    def test_evidence_is_frozen_after_submission(self):
        sheet = self._sheet(self.period, self.staff)
        evidence = self._attach(sheet, self.user_staff)
        sheet.with_user(self.user_staff).message_post(body="Minh chứng đính kèm")
        self._decide_sheet(sheet)
        # the employee can no longer replace, delete or add evidence, nor write in the chatter
        with self.assertRaises(AccessError):
            evidence.with_user(self.user_staff).write({"datas": base64.b64encode(b"khac")})
        with self.assertRaises(AccessError):
            evidence.with_user(self.user_staff).unlink()
        with self.assertRaises(AccessError):
            self._attach(sheet, self.user_staff, "moi.txt")
        with self.assertRaises(AccessError):
            sheet.with_user(self.user_staff).message_post(body="Sửa lại minh chứng")
        # past reviewers neither
        for reviewer in (self.user_deputy, self.user_head):
            with self.assertRaises(AccessError):
                evidence.with_user(reviewer).unlink()
            with self.assertRaises(AccessError):
                sheet.with_user(reviewer).message_post(body="Xoá minh chứng")
        self.assertTrue(evidence.exists())
        self.assertEqual(base64.b64decode(evidence.datas), b"bang chung")

    def test_scheduled_message_of_a_closed_chatter(self):
        Scheduled = self.env["mail.scheduled.message"]
        later = fields.Datetime.now() + timedelta(hours=1)
        sheet = self._sheet(self.period, self.staff)
        partner = self.user_staff.partner_id
        scheduled = Scheduled.with_user(self.user_staff).create(
            {
                "model": "civ.evaluation",
                "res_id": sheet.id,
                "body": "Gửi sau",
                "scheduled_date": later,
                "author_id": partner.id,
            }
        )
        other = Scheduled.create(
            {
                "model": "res.partner",
                "res_id": partner.id,
                "body": "Tin khác",
                "scheduled_date": later,
                "author_id": self.env.user.partner_id.id,
            }
        )
        self._decide_sheet(sheet)
        # nobody schedules a message on the decided sheet
        with self.assertRaises(AccessError):
            Scheduled.with_user(self.user_staff).create(
                {
                    "model": "civ.evaluation",
                    "res_id": sheet.id,
                    "body": "Thêm sau",
                    "scheduled_date": later,
                    "author_id": partner.id,
                }
            )
        # when due, the mail module's cron drops the sheet's and posts the others
        self.env.cr.execute(
            "UPDATE mail_scheduled_message SET scheduled_date = now() at time zone 'UTC' - interval '1 min' "
            "WHERE id IN %s",
            [tuple((scheduled | other).ids)],
        )
        Scheduled.invalidate_model()
        messages = len(sheet.message_ids)
        # (logging.INFO: Odoo names its level 25 "INFO" too)
        with self.assertLogs("odoo.addons.civ_evaluation.models.mail_scheduled_message", logging.INFO):
            Scheduled._post_messages_cron()
        self.assertFalse(scheduled.exists())
        self.assertFalse(other.exists())
        sheet.invalidate_recordset(["message_ids"])
        self.assertEqual(len(sheet.message_ids), messages)
        self.assertIn("Tin khác", "".join(partner.message_ids.mapped("body")))

    def test_write_follows_the_pending_step(self):
        sheet = self._sheet(self.period, self.staff)
        sheet.with_user(self.user_staff).action_submit()
        # the pending reviewer may attach and comment; the employee and the next reviewer may not
        self._attach(sheet, self.user_deputy, "nhan_xet.txt")
        with self.assertRaises(AccessError):
            self._attach(sheet, self.user_staff)
        with self.assertRaises(AccessError):
            self._attach(sheet, self.user_head)
        sheet.with_user(self.user_deputy).action_approve()
        with self.assertRaises(AccessError):
            self._attach(sheet, self.user_deputy, "sau.txt")
        self._attach(sheet, self.user_head, "quyet_dinh.txt")


@tagged("post_install", "-at_install", "civ_evaluation", "civ_access", "civ_seal")
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
