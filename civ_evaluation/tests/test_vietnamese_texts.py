"""A Vietnamese agency reads Vietnamese only: the texts the system writes for the whole agency (period names,
chatter messages of automatic actions, the reasons stored on review steps) are in the company's language,
whoever triggers them (a cron, an English administrator), and numbers are written the Vietnamese way
(decimal comma, no "20.0", "≤" rather than "<=")."""

from lxml import etree

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger
from odoo.tools.safe_eval import safe_eval

from ..models.civ_format import format_number, format_percent, format_vi_number, number_formatter
from .common import MAY
from .cycle_common import CivCycleCase

VI = {"lang": "vi_VN"}


@tagged("post_install", "-at_install", "civ_evaluation", "civ_i18n")
class TestVietnameseTexts(CivCycleCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("vi_VN")
        # the translations of the labels stored in the database (selections), as `make run` loads them
        cls.env["ir.module.module"]._load_module_terms(["civ_evaluation"], ["vi_VN"])
        cls.company.partner_id.lang = "vi_VN"
        # whoever acts below works in English: the texts must still follow the company
        (cls.env.user | cls.user_officer).lang = "en_US"

    def test_period_name_and_messages_in_the_company_language(self):
        period = self.Period.with_context(lang="en_US").create(
            {"company_id": self.company.id, "date_start": MAY}
        )
        self.assertEqual(period.name, "Tháng 05/2026")
        created = period.message_ids.filtered(lambda message: "05/2026" in (message.body or ""))
        self.assertEqual(len(created), 1)
        self.assertIn("Đã tạo kỳ đánh giá Tháng 05/2026", created.body)
        self.assertNotIn("Evaluation Period", created.body)
        period.with_user(self.user_officer).action_open()
        bodies = " ".join(period.message_ids.mapped("body"))
        self.assertIn("Đã mở 6 phiếu đánh giá.", bodies)
        self.assertNotIn("evaluation sheets opened", bodies)
        # the lock, by an English-speaking officer, is told in the company's language too
        period.with_user(self.user_officer).action_lock()
        self.assertIn("Đã khóa kỳ đánh giá.", " ".join(period.message_ids.mapped("body")))
        # an English company keeps English names
        self.company.partner_id.lang = "en_US"
        june = self.Period.create({"company_id": self.company.id, "date_start": MAY.replace(month=6)})
        self.assertEqual(june.name, "Month 06/2026")

    def test_escalation_reasons_in_the_company_language(self):
        self.user_deputy.active = False
        period = self._open_period(MAY)
        sheet = self._sheet(period, self.staff)
        notes = " ".join(note for note in sheet.step_ids.mapped("vacancy_note") if note)
        self.assertIn(
            "Lãnh đạo trực tiếp (Phạm Thị Phó) không có tài khoản người dùng đang hoạt động: "
            "chuyển lên cấp trên",
            notes,
        )
        self.assertNotIn("escalated", notes)

    def test_quota_texts_in_words_and_vietnamese_numbers(self):
        level_a = self.framework.level_ids.filtered(lambda level: level.code == "A")
        level_b = self.framework.level_ids.filtered(lambda level: level.code == "B")
        self.framework.write(
            {
                "quota_ids": [
                    Command.create(
                        {
                            "level_id": level_a.id,
                            "basis": "evaluated",
                            "max_percent": 30.0,
                            "scope": "department",
                        }
                    )
                ]
            }
        )
        framework = self.framework.with_context(**VI)
        [result] = framework.check_quotas([level_a] + [level_b] * 6)
        self.assertEqual(result["message"], "1 A trên 7 được đánh giá = 14,3% ≤ 30% (tối đa 2)")
        [result] = framework.check_quotas([level_a] * 4 + [level_b] * 6)
        self.assertIn("40% > 30%", result["message"])
        # in English, the same figures
        [result] = self.framework.check_quotas([level_a] + [level_b] * 6)
        self.assertEqual(result["message"], "1 A of 7 evaluated = 14.3% ≤ 30% (at most 2 allowed)")

    def test_bounds_and_live_totals_with_the_decimal_comma(self):
        period = self._open_period(MAY)
        sheet = self._sheet(period, self.staff).with_user(self.user_staff).with_context(**VI)
        # refused (and rolled back, as the request's transaction would be)
        with self.assertRaisesRegex(UserError, r"phải từ 0 đến 10\.$"), self.env.cr.savepoint():
            self._set_points(sheet, self.user_staff.with_context(**VI), "self_points", {"1.1": 11})
        self.env.invalidate_all()
        sheet.with_context(**VI).write(
            {
                "line_ids": [
                    Command.update(
                        sheet.line_ids.filtered(lambda line: line.criterion_id.code == "1.1").id,
                        {"self_points": 9.5},
                    )
                ]
            }
        )
        table = sheet.with_context(**VI).live_group_summary
        self.assertIn("<td>9,50</td>", table)
        self.assertIn("<td>20,00</td>", table)
        self.assertNotIn("9.50", table)
        log = sheet.message_ids.filtered(lambda message: "→" in (message.body or ""))[:1]
        self.assertIn("0 → 9,5", log.body)

    def test_one_number_format(self):
        vi, en = self.env(context=dict(self.env.context, **VI)), self.env(context={"lang": "en_US"})
        self.assertEqual(format_number(vi, 86.5), "86,50")
        self.assertEqual(format_number(vi, 1234.5), "1.234,50")
        self.assertEqual(format_number(vi, 5.0, trim=True), "5")
        self.assertEqual(format_number(vi, 32.5, trim=True), "32,5")
        self.assertEqual(format_number(en, 32.5, trim=True), "32.5")
        self.assertEqual(format_percent(vi, 100 / 7), "14,3%")
        self.assertEqual(format_percent(vi, 30.0), "30%")
        # the Vietnamese documents, whatever the languages installed
        self.assertEqual(
            [format_vi_number(value) for value in (32.5, 90.0, -2, 0.0, None)], ["32,5", "90", "-2", "0", ""]
        )
        self.assertEqual(format_vi_number(100 / 7, 1), "14,3")
        # the formatter of many numbers (chatter notes of a whole agency), as Odoo's formatLang writes them
        values = (0.0, -0.001, 5.0, 32.5, 86.555, 1234.5, -1234567.891, 1e9, None)
        self.assertEqual(
            [number_formatter(vi)(value) for value in values],
            [
                "0,00",
                "-0,00",
                "5,00",
                "32,50",
                "86,56",
                "1.234,50",
                "-1.234.567,89",
                "1.000.000.000,00",
                "0,00",
            ],
        )
        self.assertEqual(
            [number_formatter(en, trim=True)(value) for value in values],
            ["0", "0", "5", "32.5", "86.56", "1,234.5", "-1,234,567.89", "1,000,000,000", "0"],
        )
        self.assertEqual([number_formatter(vi, digits=0)(value) for value in (1234.5, -0.4)], ["1.235", "0"])

    def test_list_headers_distinct_at_1366_px(self):
        """The score columns had the labels "Tổng điểm tự đánh giá", "Tổng điểm của người đánh giá",
        "Tổng điểm chính thức", all cut to "Tổng điểm ..." in a list: short distinct headers instead."""
        Sheet = self.env["civ.evaluation"].with_context(**VI)
        for view_ref, fnames in (
            ("civ_evaluation.civ_evaluation_view_list", ("self_score", "reviewer_score", "final_score")),
            ("civ_evaluation.civ_evaluation_view_list_review", ("self_score", "reviewer_score")),
        ):
            arch = etree.fromstring(Sheet.get_view(self.env.ref(view_ref).id, "list")["arch"])
            labels = [arch.xpath(f"//field[@name='{fname}']")[0].get("string") for fname in fnames]
            self.assertEqual(labels, ["Tự chấm", "Lãnh đạo chấm", "Kết quả"][: len(fnames)], view_ref)
        form_view = self.env.ref("civ_evaluation.civ_evaluation_view_form")
        form = etree.fromstring(Sheet.get_view(form_view.id)["arch"])
        lines = form.xpath("//field[@name='line_ids']/list")[0]
        labels = [
            lines.xpath(f"field[@name='{fname}']")[0].get("string")
            for fname in ("self_points", "previous_points", "reviewer_points", "final_points")
        ]
        self.assertEqual(labels, ["Tự chấm", "Cấp trước chấm", "Lãnh đạo chấm", "Kết quả"])
        # the criterion's name wraps instead of being cut
        self.assertIn("text-wrap", lines.xpath("field[@name='criterion_id']")[0].get("class"))

    def test_points_outside_the_limits_are_told_at_once(self):
        """#13 item 5: the grid says it as soon as the value is typed, the totals do not clamp it."""
        period = self._open_period(MAY)
        sheet = self._sheet(period, self.staff).with_user(self.user_staff).with_context(**VI)
        with mute_logger("odoo.tests.form.onchange"), Form(sheet) as form:
            with form.line_ids.edit(0) as line:
                line.self_points = 11
            self.assertFalse(form.live_level_id)
            self.assertIn("phải từ 0 đến 10", form.live_group_summary)
            with form.line_ids.edit(0) as line:
                line.self_points = 9
            self.assertNotIn("o_civ_out_of_bounds", form.live_group_summary)
        line = sheet.line_ids[0]
        self.assertEqual(line.self_points, 9)
        warning = line.with_context(**VI).new({"criterion_id": line.criterion_id.id, "self_points": 11})
        result = warning._onchange_points_bounds()
        self.assertIn("phải từ 0 đến 10", result["warning"]["message"])

    def test_analysis_chart_labels_are_the_departments_own_names(self):
        """#13 item 7: the analysis chart's axis reads "Phòng Nội vụ", not the department's full path."""
        period = self._open_period(MAY)
        action = period.with_user(self.user_officer).action_view_analysis()
        context = safe_eval(action["context"])
        Evaluation = self.env["civ.evaluation"].with_user(self.user_officer)
        names = [
            department.display_name
            for [department] in Evaluation.with_context(**context)._read_group(
                action["domain"], ["department_id"]
            )
        ]
        self.assertIn("Phòng Nội vụ", names)
        self.assertFalse([name for name in names if " / " in name])
        paths = [
            department.display_name
            for [department] in Evaluation._read_group(action["domain"], ["department_id"])
        ]
        self.assertIn("Thường trực UBND / Phòng Nội vụ", paths)
