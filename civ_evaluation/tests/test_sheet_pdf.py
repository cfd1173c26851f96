"""The printed evaluation sheet: its figures (one column per level of the chain, the remarks, the
signatures, the same figures as the Excel unit list, who may print it) and its layout (Decree 30/2020:
Times New Roman, Liberation Serif where it is missing, page numbers from page 2, rows never split
across pages, agency names broken only between their parts, and a Vietnamese file name)."""

from lxml import html

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval, time

from ..reports.civ_evaluation_report import agency_lines
from .common import data_rows
from .cycle_common import LockedMayCase

REPORT = "civ_evaluation.action_report_civ_evaluation_sheet"


@tagged("post_install", "-at_install", "civ_evaluation", "civ_reports")
class TestEvaluationSheetPdf(LockedMayCase):
    def _render(self, user, sheets):
        content, kind = self.env["ir.actions.report"].with_user(user)._render_qweb_html(REPORT, sheets.ids)
        self.assertEqual(kind, "html")
        return html.fromstring(content)

    @staticmethod
    def _text(node, xpath):
        return [" ".join(el.text_content().split()) for el in node.xpath(xpath)]

    def test_sheet_numbers(self):
        report = self.env.ref(REPORT)
        self.assertEqual(report.binding_model_id.model, "civ.evaluation")
        self.assertEqual(report.report_type, "qweb-pdf")
        doc = self._render(self.user_staff, self.staff_sheet)
        self.assertEqual(len(doc.xpath("//div[hasclass('article')]")), 1)
        self.assertEqual(self._text(doc, "//div[hasclass('o_civ_superior')]"), ["UBND THÀNH PHỐ HÀ NỘI"])
        self.assertEqual(self._text(doc, "//div[hasclass('o_civ_agency')]"), ["UBND QUẬN THỬ NGHIỆM"])
        self.assertIn("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", doc.text_content())
        self.assertTrue(self._text(doc, "//div[hasclass('o_civ_place_date')]")[0].startswith("Hà Nội, ngày"))
        self.assertEqual(self._text(doc, "//td[hasclass('o_civ_employee')]"), ["Hoàng Văn Viên"])
        self.assertEqual(self._text(doc, "//td[hasclass('o_civ_job')]"), ["Chuyên viên"])
        self.assertEqual(self._text(doc, "//td[hasclass('o_civ_department')]"), ["Phòng Nội vụ"])
        self.assertEqual(self._text(doc, "//div[hasclass('o_civ_period')]"), ["Tháng 05 năm 2026"])

        # one column per level of the chain, under its reviewer's title and name
        heads = doc.xpath("//th[hasclass('o_civ_level_head')]")
        self.assertEqual(
            [self._text(th, ".//div[hasclass('o_civ_level_reviewer')]") for th in heads],
            [["Phạm Thị Phó"], ["Lê Văn Trưởng"]],
        )
        self.assertEqual(
            [self._text(th, ".//div[hasclass('o_civ_level_title')]") for th in heads],
            [["Phó trưởng phòng"], ["Trưởng phòng"]],
        )
        steps = self.staff_sheet.step_ids.sorted("sequence")
        self.assertEqual(
            [self._text(th, ".//div[hasclass('o_civ_level_step')]") for th in heads],
            [[steps[0].name], [steps[1].name]],
        )
        self.assertNotIn("Điểm lãnh đạo chấm", doc.text_content())
        # group subtotals: self / direct leader / head / final
        groups = doc.xpath("//tr[hasclass('o_civ_group')]")
        self.assertEqual(len(groups), 4)
        cells = [[" ".join(td.text_content().split()) for td in row.xpath("td")] for row in groups]
        self.assertEqual(cells[0], ["I", "Ý thức tổ chức kỷ luật", "20", "20", "20", "20", "20"])
        self.assertEqual(cells[1], ["II", "Kết quả thực hiện nhiệm vụ", "70", "65", "60", "60", "60"])
        self.assertEqual(cells[2], ["III", "Điểm thưởng", "10", "5", "5", "5", "5"])
        self.assertEqual(cells[3], ["IV", "Điểm trừ", "-10", "0", "0", "-2", "-2"])
        lines = doc.xpath("//tr[hasclass('o_civ_line')]")
        self.assertEqual(len(lines), 6)
        line = [" ".join(td.text_content().split()) for td in lines[3].xpath("td")]
        # the direct leader's remark on the criterion, under the leader's name
        self.assertEqual(
            line, ["2.2", "Chất lượng Phạm Thị Phó: Còn 2 việc chưa hoàn thành", "35", "32", "27", "27", "27"]
        )
        line = [" ".join(td.text_content().split()) for td in lines[5].xpath("td")]
        self.assertEqual(line, ["4.1", "Vi phạm", "-10", "0", "0", "-2", "-2"])
        total = [" ".join(td.text_content().split()) for td in doc.xpath("//tr[hasclass('o_civ_total')]/td")]
        self.assertEqual(total[2:], ["100", "90", "85", "83", "83"])
        self.assertIn("B - Hoàn thành tốt nhiệm vụ", self._text(doc, "//p[hasclass('o_civ_level')]")[0])
        self.assertIn(
            "Hoàn thành tốt công việc được giao.", self._text(doc, "//div[hasclass('o_civ_comments')]")[0]
        )
        # signatures: the person and each step of the chain
        self.assertEqual(
            self._text(doc, "//div[hasclass('o_civ_signer')]"),
            ["Hoàng Văn Viên", "Phạm Thị Phó", "Lê Văn Trưởng"],
        )

    def test_pdf_and_excel_give_the_same_level_figures(self):
        """The direct leader's column of the Excel unit list and the PDF's column of that level agree
        (85), and so do the final points (83); each level's remark prints under its reviewer."""
        doc = self._render(self.user_officer, self.staff_sheet)
        total = [" ".join(td.text_content().split()) for td in doc.xpath("//tr[hasclass('o_civ_total')]/td")]
        _wizard, wb = self._export(self.user_officer, "unit_list", periods=self.period)
        staff = next(row for row in data_rows(wb.active) if row[1] == "Hoàng Văn Viên")
        self.assertEqual(staff[4:7], [90, 85, 83])
        self.assertEqual(total[3:], ["90", "85", "83", "83"])
        deputy_step = self.staff_sheet.step_ids.sorted("sequence")[0]
        self.assertEqual(deputy_step.score, staff[5])
        self.assertEqual(sum(deputy_step.point_ids.mapped("points")), 85)
        # the direct leader's remark, kept after the head re-scored, under the leader's name
        self.assertEqual(
            self._text(doc, "//div[hasclass('o_civ_remark')]"), ["Phạm Thị Phó: Còn 2 việc chưa hoàn thành"]
        )

    def test_bulk_and_rights(self):
        sheets = self._sheet(self.period, self.staff) | self._sheet(self.period, self.vice)
        doc = self._render(self.user_officer, sheets)
        self.assertEqual(len(doc.xpath("//div[hasclass('article')]")), 2)
        self.assertIn("Không đánh giá", doc.text_content())
        # a colleague cannot print someone else's sheet
        with self.assertRaises(AccessError):
            self._render(self.user_staff2, self.staff_sheet)


@tagged("post_install", "-at_install", "civ_evaluation", "civ_reports")
class TestSheetPdfLayout(LockedMayCase):
    def _render(self, sheets):
        content, _kind = self.env["ir.actions.report"]._render_qweb_html(REPORT, sheets.ids)
        return html.fromstring(content)

    def test_file_name_is_vietnamese(self):
        report = self.env.ref(REPORT)
        name = safe_eval(report.print_report_name, {"object": self.staff_sheet, "time": time})
        self.assertEqual(name, "Phiếu đánh giá - Hoàng Văn Viên - Tháng 05-2026")

    def test_font_page_numbers_and_rows(self):
        doc = self._render(self.staff_sheet)
        [article] = doc.xpath("//div[hasclass('article')]")
        style = article.get("style")
        self.assertIn("'Times New Roman', 'Liberation Serif'", style)
        self.assertLess(style.index("Times New Roman"), style.index("Liberation Serif"))
        css = " ".join(article.xpath(".//style/text()"))
        self.assertRegex(css, r"table tr, [^{]*td \{ page-break-inside: avoid; \}")
        self.assertIn("thead { display: table-header-group; }", css)
        # one page header per sheet (Odoo moves it to wkhtmltopdf's header), the number hidden on page 1
        [header] = doc.xpath("//div[hasclass('header')]")
        [number] = header.xpath(".//div[hasclass('o_civ_page_number')]")
        self.assertEqual(len(number.xpath(".//span[hasclass('page')]")), 1)
        self.assertIn("visibility: hidden", number.get("style"))
        self.assertIn("sitepage", header.text_content())
        sheets = self._sheet(self.period, self.staff) | self._sheet(self.period, self.head)
        doc = self._render(sheets)
        self.assertEqual(len(doc.xpath("//div[hasclass('header')]")), 2)

    def test_agency_name_broken_between_its_parts(self):
        self.assertEqual(
            agency_lines("ỦY BAN NHÂN DÂN QUẬN LONG BIÊN"), ["ỦY BAN NHÂN DÂN", "QUẬN LONG BIÊN"]
        )
        self.assertEqual(
            agency_lines("ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI"), ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ HÀ NỘI"]
        )
        self.assertEqual(agency_lines("UBND QUẬN THỬ NGHIỆM"), ["UBND QUẬN THỬ NGHIỆM"])
        self.assertEqual(agency_lines(""), [])
        for line in agency_lines("SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG THÀNH PHỐ HỒ CHÍ MINH"):
            self.assertLessEqual(len(line), 22)
            self.assertFalse(line.endswith("THÀNH"), line)
        self.company.name = "Ủy ban nhân dân huyện Thử Nghiệm"
        doc = self._render(self.staff_sheet)
        [agency] = doc.xpath("//div[hasclass('o_civ_agency')]")
        parts = agency.xpath("./span[hasclass('o_civ_nowrap')]")
        self.assertEqual([part.text for part in parts], ["ỦY BAN NHÂN DÂN", "HUYỆN THỬ NGHIỆM"])
        self.assertIn("white-space: nowrap", " ".join(doc.xpath("//style/text()")))
        self.assertEqual(" ".join(agency.text_content().split()), "ỦY BAN NHÂN DÂN HUYỆN THỬ NGHIỆM")
