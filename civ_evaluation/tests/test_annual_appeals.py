from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .annual_common import YEAR, B, CivAnnualCase

NOTICE = "civ_evaluation.action_report_civ_annual_notice"


@tagged("post_install", "-at_install", "civ_evaluation", "civ_year")
class TestAnnualAppeals(CivAnnualCase):
    """Year-end requests for review (Luật Viên chức 2025 art. 27; Nghị định 90/2020 art. 24 before
    1/7/2026): within the company's days after the publication, once per result, answered by the level
    that classified or its superior (never human resources alone) within 10 working days; the written
    notice cites the text of the person's regime, the deadline and to whom the request goes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._year(cls.staff, B, extra={"regime": "nd335"})
        cls._year(cls.staff2, B, extra={"regime": "nd90"})
        cls.Appeal = cls.env["civ.annual.appeal"]

    def _published_on_10_december(self):
        results = self._prepare()
        drafts = results[self.staff] | results[self.staff2]
        with freeze_time(f"{YEAR}-12-10 03:00:00"):
            self._decide(drafts.with_user(self.user_officer))
        return results[self.staff], results[self.staff2]

    def _file(self, result, user, reason="Xin xem xét lại kết quả"):
        return self.Appeal.with_user(user).create({"result_id": result.id, "reason": reason})

    def test_filed_within_five_days_of_the_publication(self):
        civil, public = self._published_on_10_december()
        self.assertEqual(self.company.civ_annual_appeal_days, 5)
        self.assertEqual(civil.appeal_deadline, date(YEAR, 12, 15))
        with freeze_time(f"{YEAR}-12-15 09:00:00"):
            appeal = self._file(civil, self.user_staff)
        self.assertEqual(appeal.state, "open")
        self.assertEqual(appeal.date_filed, date(YEAR, 12, 15))
        with (
            freeze_time(f"{YEAR}-12-16 09:00:00"),
            self.assertRaisesRegex(UserError, "until 15/12/2025, 5 days after its publication on 10/12/2025"),
        ):
            self._file(public, self.user_staff2)
        self.assertFalse(public.appeal_ids)

    def test_answered_by_the_level_that_classified_or_its_superior(self):
        civil, _public = self._published_on_10_december()
        with freeze_time(f"{YEAR}-12-11 09:00:00"):
            appeal = self._file(civil, self.user_staff)
        # the head of the agency classified the staff member; the city's leader is above the head
        self.assertEqual(appeal.decider_user_id, self.user_chairman)
        self.assertEqual(appeal.superior_user_id, self.user_superior)
        self.assertTrue(appeal.with_user(self.user_chairman).is_answerer)
        self.assertFalse(appeal.with_user(self.user_officer).is_answerer)
        # human resources see it but never answer alone
        self.assertEqual(self.Appeal.with_user(self.user_officer).search([("id", "=", appeal.id)]), appeal)
        with self.assertRaisesRegex(AccessError, "never human resources alone"):
            appeal.with_user(self.user_officer).action_reject("Giữ nguyên")
        # the decider reads the requests they answer
        to_answer = self.Appeal.with_user(self.user_chairman).search(
            [("state", "=", "open"), ("decider_user_id", "=", self.user_chairman.id)]
        )
        self.assertEqual(to_answer, appeal)
        # the superior may answer instead; then the answer is final
        appeal.with_user(self.user_superior).action_reject("Kết quả đúng quy định")
        self.assertEqual((appeal.state, appeal.decided_by_id), ("rejected", self.user_superior))
        with self.assertRaises(UserError):
            appeal.with_user(self.user_chairman).action_accept("Đổi ý")
        # one request per result, ever
        with (
            freeze_time(f"{YEAR}-12-12 09:00:00"),
            self.assertRaisesRegex(ValidationError, "one request per result"),
        ):
            self._file(civil, self.user_staff, "Lần hai")

    def test_answer_due_in_ten_working_days_then_overdue(self):
        civil, _public = self._published_on_10_december()
        self.assertEqual(self.company.civ_annual_appeal_answer_days, 10)
        # filed on Monday 15/12/2025: ten working days later, Monday 29/12/2025
        with freeze_time(f"{YEAR}-12-15 09:00:00"):
            appeal = self._file(civil, self.user_staff)
        self.assertEqual(appeal.date_due, date(YEAR, 12, 29))
        self.assertIn(self.user_chairman.partner_id, appeal.message_ids.partner_ids)
        with freeze_time(f"{YEAR}-12-29 09:00:00"):
            appeal.invalidate_recordset(["is_overdue"])
            self.assertFalse(appeal.is_overdue)
            self.assertFalse(self.Appeal.search([("is_overdue", "=", True)]))
        with freeze_time(f"{YEAR}-12-30 09:00:00"):
            appeal.invalidate_recordset(["is_overdue"])
            self.assertTrue(appeal.is_overdue)
            self.assertEqual(self.Appeal.search([("is_overdue", "=", True)]), appeal)
            self.assertEqual(self.Appeal._civ_remind_overdue(), 1)
            self.assertEqual(self.Appeal._civ_remind_overdue(), 0, "reminded once")
        self.assertTrue(any("overdue" in body for body in appeal.message_ids.mapped("body")))

    def test_the_notice_cites_the_regime_the_deadline_and_the_addressee(self):
        civil, public = self._published_on_10_december()
        report = self.env["ir.actions.report"]
        html, _kind = report._render_qweb_html(NOTICE, civil.ids)
        html = html.decode() if isinstance(html, bytes) else html
        self.assertIn("Căn cứ Nghị định số 335/2025/NĐ-CP;", html)
        self.assertNotIn("90/2020", html)
        self.assertIn("trong thời hạn 5 ngày kể từ ngày công bố kết quả (10/12/2025)", html)
        self.assertIn("chậm nhất đến hết ngày 15/12/2025", html)
        self.assertIn(f"Đề nghị gửi Ông/Bà {self.chairman.name}, Chủ tịch, người đã xếp loại", html)
        self.assertIn(f"hoặc cấp trên trực tiếp là Ông/Bà {self.superior.name}", html)
        self.assertIn("trong thời hạn 10 ngày làm việc", html)
        html, _kind = report._render_qweb_html(NOTICE, public.ids)
        html = html.decode() if isinstance(html, bytes) else html
        self.assertIn(
            "Căn cứ Nghị định số 90/2020/NĐ-CP, được sửa đổi, bổ sung bởi Nghị định số 48/2023/NĐ-CP;", html
        )
