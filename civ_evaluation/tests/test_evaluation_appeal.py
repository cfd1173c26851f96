from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .cycle_common import CivCycleCase


@tagged("post_install", "-at_install", "civ_evaluation", "civ_cycle")
class TestEvaluationAppeal(CivCycleCase):
    """Requests for review: filed by the employee on a decided sheet, decided by the deciding reviewer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Appeal = cls.env["civ.appeal"]

    def setUp(self):
        super().setUp()
        self.period = self._open_period()
        self.sheet = self._sheet(self.period, self.staff)
        self._set_points(self.sheet, self.user_staff, "self_points", self.SELF_90)
        self.sheet.with_user(self.user_staff).action_submit()
        self._set_points(self.sheet, self.user_deputy, "reviewer_points", {"2.2": 22})
        self.sheet.with_user(self.user_deputy).action_approve()
        self.sheet.with_user(self.user_head).action_approve()
        self.assertEqual(self.sheet.state, "done")
        self.assertEqual(self.sheet.level_id.code, "B")

    def _file(self, reason="Đề nghị xem xét lại điểm chất lượng"):
        """File through the sheet's button and the small form, as the employee."""
        sheet = self.sheet.with_user(self.user_staff)
        self.assertTrue(sheet.can_appeal)
        action = sheet.action_request_review()
        form = Form(
            self.env[action["res_model"]].with_user(self.user_staff).with_context(**action["context"]),
            view=action["views"][0][0],
        )
        form.reason = reason
        return form.save()

    def _notified(self, appeal, text):
        messages = appeal.message_ids.filtered(lambda m: text in (m.body or ""))
        self.assertTrue(messages, text)
        return messages.partner_ids

    def test_file_and_accept(self):
        appeal = self._file()
        self.assertEqual(appeal.state, "open")
        self.assertEqual(appeal.evaluation_id, self.sheet)
        self.assertEqual(appeal.employee_id, self.staff)
        self.assertEqual(appeal.user_id, self.user_staff)
        self.assertEqual(appeal.reviewer_user_id, self.user_head)
        self.assertEqual(appeal.contested_level_id.code, "B")
        self.assertEqual(appeal.activity_ids.user_id, self.user_head)
        partners = self._notified(appeal, "requests a review")
        self.assertIn(self.user_head.partner_id, partners)
        self.assertEqual(self.sheet.appeal_count, 1)
        self.assertFalse(self.sheet.with_user(self.user_staff).can_appeal)
        # one open request at a time
        with self.assertRaises(UserError):
            self.Appeal.with_user(self.user_staff).create(
                {"evaluation_id": self.sheet.id, "reason": "Lần hai"}
            )

        # only the deciding reviewer decides
        for user in (self.user_staff, self.user_deputy, self.user_officer):
            with self.assertRaises(AccessError):
                appeal.with_user(user).action_accept()
        self.assertEqual(appeal.state, "open")

        appeal.with_user(self.user_head).action_accept(note="Sẽ xem xét lại tiêu chí 2.2")
        self.assertEqual(appeal.state, "accepted")
        self.assertEqual(appeal.decided_by, self.user_head)
        self.assertTrue(appeal.date_decided)
        self.assertFalse(appeal.activity_ids)
        partners = self._notified(appeal, "was accepted")
        self.assertIn(self.user_staff.partner_id, partners)
        self.assertIn(self.user_head.partner_id, partners)
        # the sheet is back at the decision step, with an activity for the head
        decision = self.sheet.step_ids.filtered("is_decision")
        self.assertEqual(self.sheet.state, "review")
        self.assertEqual(self.sheet.current_step_id, decision)
        self.assertEqual(decision.state, "pending")
        self.assertEqual(self.sheet.current_reviewer_user_id, self.user_head)
        self.assertTrue(self.sheet.activity_ids.filtered(lambda a: a.user_id == self.user_head))
        # the head re-scores and decides again; the employee may ask again about the new decision
        self._set_points(self.sheet, self.user_head, "reviewer_points", {"2.2": 32})
        self.sheet.with_user(self.user_head).action_approve()
        self.assertEqual(self.sheet.state, "done")
        self.assertEqual(self.sheet.level_id.code, "A")
        self.assertTrue(self.sheet.with_user(self.user_staff).can_appeal)

    def test_reject_with_note(self):
        appeal = self._file()
        with self.assertRaises(UserError):
            appeal.with_user(self.user_head).action_reject()
        self.assertEqual(appeal.state, "open")
        # the note written on the form, then the button
        appeal.with_user(self.user_head).write({"decision_note": "Điểm đã phản ánh đúng kết quả"})
        appeal.with_user(self.user_head).action_reject()
        self.assertEqual(appeal.state, "rejected")
        self.assertEqual(appeal.decision_note, "Điểm đã phản ánh đúng kết quả")
        self.assertEqual(appeal.decided_by, self.user_head)
        partners = self._notified(appeal, "was rejected")
        self.assertIn(self.user_staff.partner_id, partners)
        self.assertIn(self.user_head.partner_id, partners)
        self.assertEqual(self.sheet.state, "done")
        self.assertTrue(self.sheet.message_ids.filtered(lambda m: "rejected" in (m.body or "")))
        # one request per decision
        self.assertFalse(self.sheet.with_user(self.user_staff).can_appeal)
        with self.assertRaises(UserError):
            self.Appeal.with_user(self.user_staff).create({"evaluation_id": self.sheet.id, "reason": "Lại"})
        # decided, it cannot be decided again
        with self.assertRaises(UserError):
            appeal.with_user(self.user_head).action_accept()

    def test_only_the_employee_files_a_decided_sheet(self):
        for user in (self.user_head, self.user_deputy, self.user_officer):
            with self.assertRaises(AccessError):
                self.Appeal.with_user(user).create({"evaluation_id": self.sheet.id, "reason": "Thay mặt"})
            self.assertFalse(self.sheet.with_user(user).can_appeal)
        # not before the decision
        staff2_sheet = self._sheet(self.period, self.staff2)
        with self.assertRaises(UserError):
            self.Appeal.with_user(self.user_staff2).create(
                {"evaluation_id": staff2_sheet.id, "reason": "Sớm"}
            )
        # a reason is required
        with self.assertRaises(UserError):
            self.Appeal.with_user(self.user_staff).create({"evaluation_id": self.sheet.id, "reason": "  "})
        # the employee cannot set the outcome themselves
        appeal = self._file()
        with self.assertRaises(AccessError):
            appeal.with_user(self.user_staff).write({"state": "accepted"})
        with self.assertRaises(AccessError):
            appeal.with_user(self.user_staff).write({"decision_note": "Tự quyết"})
        with self.assertRaises(AccessError):
            appeal.with_user(self.user_head).write({"reason": "Sửa lý do"})
        self.assertEqual(appeal.state, "open")

    def test_access(self):
        appeal = self._file()
        for user in (self.user_staff, self.user_head, self.user_officer):
            self.assertEqual(self.Appeal.with_user(user).search([("id", "=", appeal.id)]), appeal)
        for user in (self.user_staff2, self.user_vice):
            self.assertFalse(self.Appeal.with_user(user).search([("id", "=", appeal.id)]))
            with self.assertRaises(AccessError):
                appeal.with_user(user).read(["reason"])
        # withdrawn by the employee while open, by nobody else
        with self.assertRaises(UserError):
            appeal.with_user(self.user_head).unlink()
        appeal.with_user(self.user_staff).unlink()
        self.assertFalse(appeal.exists())

    def test_not_after_lock(self):
        appeal = self._file()
        self.period.with_user(self.user_officer).action_lock()
        # the open request is closed with a note, both notified
        self.assertEqual(appeal.state, "rejected")
        self.assertTrue(appeal.closed_at_lock)
        self.assertIn("locked", appeal.decision_note)
        self.assertFalse(appeal.activity_ids)
        partners = self._notified(appeal, "locked before a decision")
        self.assertIn(self.user_staff.partner_id, partners)
        self.assertEqual(self.sheet.state, "locked")
        # nothing of it can change any more, not even with sudo
        for record in (appeal.with_user(self.user_head), appeal.sudo()):
            with self.assertRaises(UserError):
                record.write({"decision_note": "Sau khóa"})
            with self.assertRaises(UserError):
                record.unlink()
        with self.assertRaises(UserError):
            appeal.with_user(self.user_head).action_accept()
        # and no new request
        self.assertFalse(self.sheet.with_user(self.user_staff).can_appeal)
        with self.assertRaises(UserError):
            self.Appeal.with_user(self.user_staff).create({"evaluation_id": self.sheet.id, "reason": "Muộn"})
