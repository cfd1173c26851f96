"""The printed sheet's layout (Decree 30/2020): Times New Roman (Liberation Serif where it is missing), page
numbers from page 2, rows never split across pages, agency names broken only between their parts, and a
Vietnamese file name."""

from lxml import html

from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval, time

from ..reports.civ_evaluation_report import agency_lines
from .cycle_common import LockedMayCase

REPORT = "civ_evaluation.action_report_civ_evaluation_sheet"


@tagged("post_install", "-at_install", "civ_evaluation")
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
