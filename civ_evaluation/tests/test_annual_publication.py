from odoo.exceptions import AccessError
from odoo.tests import tagged

from .annual_common import YEAR, A, B, CivAnnualCase
from .common import make_company, make_person

NOTICE = "civ_evaluation.action_report_civ_annual_notice"


@tagged("post_install", "-at_install", "civ_evaluation", "civ_year")
class TestAnnualPublication(CivAnnualCase):
    """Issue 12, item 6: the decided results are published in the agency (levels for everyone, the
    points of others only when the company says so) and each person gets a written notice, filed
    on their employee record."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._locked_year({cls.staff: B, cls.staff2: A, cls.chairman: B})
        results = cls.Result.with_user(cls.user_officer).prepare_results(YEAR, cls.company)
        cls.results = results.with_user(cls.user_officer)
        cls.result = cls.results.filtered(lambda r: r.employee_id == cls.staff)
        cls.result2 = cls.results.filtered(lambda r: r.employee_id == cls.staff2)
        cls.Published = cls.env["civ.published.result"]

    def _published(self, user, kind="year"):
        return self.Published.with_user(user).search([("year", "=", YEAR), ("kind", "=", kind)])

    def test_notice_renders_with_the_level(self):
        self._decide(self.results, quota_reason="Sáng kiến cấp thành phố")
        html, _kind = self.env["ir.actions.report"]._render_qweb_html(NOTICE, self.result.ids)
        html = html.decode() if isinstance(html, bytes) else html
        self.assertIn("THÔNG BÁO", html)
        self.assertIn(f"xếp loại chất lượng cán bộ, công chức, viên chức năm {YEAR}", html)
        self.assertIn("Kính gửi: Ông/Bà Hoàng Văn Viên", html)
        self.assertIn(self.levels["B"].name, html)
        self.assertNotIn(self.levels["A"].name, html)
        self.assertIn("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", html)
        self.assertIn("Độc lập - Tự do - Hạnh phúc", html)
        self.assertIn(self.company.name.upper(), html)
        self.assertIn("THỦ TRƯỞNG CƠ QUAN", html)
        self.assertIn(self.chairman.name, html, "signed by the head who decided")
        # the employee reads their own notice; not someone else's
        own, _kind = (
            self.env["ir.actions.report"]
            .with_user(self.user_staff)
            ._render_qweb_html(NOTICE, self.result.ids)
        )
        self.assertIn(self.levels["B"].name, own.decode() if isinstance(own, bytes) else own)
        with self.assertRaises(AccessError):
            self.env["ir.actions.report"].with_user(self.user_staff)._render_qweb_html(
                NOTICE, self.result2.ids
            )
        # a Party body: the Party's name, no motto
        self.company.civ_party_body = True
        party, _kind = self.env["ir.actions.report"]._render_qweb_html(NOTICE, self.result.ids)
        party = party.decode() if isinstance(party, bytes) else party
        self.assertIn("ĐẢNG CỘNG SẢN VIỆT NAM", party)
        self.assertNotIn("Độc lập - Tự do - Hạnh phúc", party)

    def test_notice_filed_on_the_employee_record(self):
        Attachment = self.env["ir.attachment"].sudo()
        domain = [("res_model", "=", "hr.employee"), ("res_id", "=", self.staff.id)]
        self.assertFalse(Attachment.search(domain))
        self._decide(self.results, quota_reason="Sáng kiến cấp thành phố")
        notice = Attachment.search(domain)
        self.assertEqual(len(notice), 1)
        self.assertTrue(notice.name.startswith(f"Thông báo xếp loại năm {YEAR} - Hoàng Văn Viên."))
        self.assertIn(self.levels["B"].name, notice.raw.decode())
        # the head's notice, decided by the superior, is signed at the superior level
        head_notice = Attachment.search(
            [("res_model", "=", "hr.employee"), ("res_id", "=", self.chairman.id)]
        )
        self.assertIn("CẤP CÓ THẨM QUYỀN", head_notice.raw.decode())
        self.assertIn(self.superior.name, head_notice.raw.decode())
        # the employee receives it with the notification
        message = self.result.message_ids.filtered(lambda m: self.user_staff.partner_id in m.partner_ids)
        self.assertEqual(message.attachment_ids.name, notice.name)

    def test_published_list_levels_not_points_of_others(self):
        self.assertFalse(self._published(self.user_staff2), "nothing is published before the decision")
        self.results.action_submit(quota_reason="Sáng kiến cấp thành phố")
        self.assertFalse(self._published(self.user_staff2), "nor while awaiting the decision")
        self._decide_submitted()
        rows = self._published(self.user_staff2)
        # every decided result of the agency, those not classified included
        self.assertEqual(rows.employee_id, self.results.employee_id)
        self.assertEqual(rows.filtered("level_id").employee_id, self.staff | self.staff2 | self.chairman)
        self.assertTrue(all(rows.filtered(lambda row: not row.level_id).mapped("not_classified")))
        other = rows.filtered(lambda row: row.employee_id == self.staff)
        own = rows.filtered(lambda row: row.employee_id == self.staff2)
        self.assertEqual(other.level_id, self.levels["B"])
        self.assertFalse(other.score_visible)
        self.assertEqual(other.score, 0.0)
        self.assertTrue(own.score_visible)
        self.assertEqual(own.score, A)
        with self.assertRaises(AccessError):
            other.read(["raw_score"])
        # the company publishes the points
        self.company.civ_publish_points = True
        other.invalidate_recordset()
        self.assertTrue(other.score_visible)
        self.assertEqual(other.score, B)
        # the months only when the company publishes them
        self.assertFalse(self._published(self.user_staff2, "month"))
        self.company.civ_publish_monthly = True
        self.assertEqual(len(self._published(self.user_staff2, "month")), 36)
        # an employee of another agency reads nothing of this one
        other_company = make_company(self.env, "UBND huyện Khác")
        outsider, _employee = make_person(self.env, other_company, "Người ngoài", "nguoingoai_t")
        self.assertFalse(self._published(outsider))
        # the list loads for an employee
        views = self.Published.with_user(self.user_staff2).get_views([(False, "list"), (False, "search")])
        self.assertIn("score", views["views"]["list"]["arch"])

    def _decide_submitted(self):
        for user, group in self.results.sudo().grouped("decider_user_id").items():
            group.with_user(user).with_company(self.company).action_decide()
