"""The Excel exports: the unit list, the aggregate of agencies and departments, the year summary (the
printed sheet: test_sheet_pdf.py)."""

from datetime import date

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from ..reports.xlsx_annual import _year_end
from ..reports.xlsx_unit_list import sheet_notes
from .common import data_rows, header_row, sheet_texts, sheet_values
from .cycle_common import LockedMayCase

JUNE = date(2026, 6, 1)
RED = "FFFFC7CE"


@tagged("post_install", "-at_install", "civ_evaluation", "civ_reports")
class TestExportUnitList(LockedMayCase):
    def test_unit_list_content(self):
        wizard, wb = self._export(self.user_officer, "unit_list", periods=self.period)
        self.assertEqual(wb.sheetnames, ["T05-2026"])
        ws = wb.active
        values = sheet_values(ws)
        texts = sheet_texts(ws)
        # Decree 30 header: superior over the agency (upper case, the agency bold), national title
        self.assertEqual(ws["A1"].value, "UBND THÀNH PHỐ HÀ NỘI")
        self.assertEqual(ws["A2"].value, "UBND QUẬN THỬ NGHIỆM")
        self.assertTrue(ws["A2"].font.b)
        self.assertIn("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", texts)
        self.assertIn("Độc lập - Tự do - Hạnh phúc", texts)
        today = fields.Date.context_today(wizard)
        self.assertTrue(any(t.startswith(f"Hà Nội, ngày {today.day:02d} tháng ") for t in texts))
        self.assertIn("DANH SÁCH KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC", texts)
        self.assertIn("Tháng 05 năm 2026", texts)
        # Vietnamese column headers, frozen and repeated on each printed page
        header = header_row(ws)
        self.assertEqual(
            values[header - 1],
            [
                "STT",
                "Họ và tên",
                "Chức vụ",
                "Phòng/ban",
                "Điểm tự chấm",
                "Điểm lãnh đạo trực tiếp",
                "Điểm thủ trưởng quyết định",
                "Xếp loại",
                "Ghi chú",
            ],
        )
        self.assertEqual(ws.freeze_panes, f"A{header + 1}")
        self.assertEqual(ws.print_title_rows, f"${header}:${header}")
        # print set-up: A4 landscape, fit to width, Decree 30 margins, Times New Roman
        self.assertEqual(ws.page_setup.orientation, "landscape")
        self.assertEqual(int(ws.page_setup.paperSize), 9)
        # fit to one page wide (1 is the default width, left out of the file), any number of pages high
        self.assertIn(ws.page_setup.fitToWidth, (None, 1))
        self.assertEqual(int(ws.page_setup.fitToHeight), 0)
        self.assertTrue(ws.sheet_properties.pageSetUpPr.fitToPage)
        self.assertAlmostEqual(ws.page_margins.left * 25.4, 30.0, places=1)
        self.assertAlmostEqual(ws.page_margins.right * 25.4, 15.0, places=1)
        self.assertAlmostEqual(ws.page_margins.top * 25.4, 20.0, places=1)
        self.assertEqual(ws.cell(header, 1).font.name, "Times New Roman")
        # Decree 30: motto and place/date at 13 pt; page numbers top centre, none on page 1
        motto = next(
            cell for row in ws.iter_rows() for cell in row if cell.value == "Độc lập - Tự do - Hạnh phúc"
        )
        self.assertEqual(motto.font.sz, 13)
        self.assertTrue(motto.font.b)
        place = next(
            cell
            for row in ws.iter_rows()
            for cell in row
            if isinstance(cell.value, str) and cell.value.startswith("Hà Nội, ngày")
        )
        self.assertEqual(place.font.sz, 13)
        self.assertIn("&P", ws.oddHeader.center.text)
        self.assertTrue(ws.HeaderFooter.differentFirst)
        self.assertFalse(ws.firstHeader.center.text)
        self.assertFalse(ws.oddFooter.center.text)

        # one row per sheet, grouped by department (leadership first, heads before staff)
        rows = data_rows(ws)
        self.assertEqual(len(rows), 6)
        self.assertEqual(wizard.row_count, 6)
        self.assertEqual([row[0] for row in rows], [1, 2, 3, 4, 5, 6])
        self.assertEqual(
            [row[1] for row in rows],
            [
                "Nguyễn Văn Chủ",
                "Trần Thị Phó",
                "Lê Văn Trưởng",
                "Phạm Thị Phó",
                "Hoàng Văn Viên",
                "Đỗ Thị Hai",
            ],
        )
        self.assertIn("Thường trực UBND (2 người)", texts)
        self.assertIn("Thường trực UBND / Phòng Nội vụ (4 người)", texts)
        staff = rows[4]
        self.assertEqual(
            staff[2:8], ["Chuyên viên", "Phòng Nội vụ", 90, 85, 83, "B - Hoàn thành tốt nhiệm vụ"]
        )
        # the vice-chairman never submitted: no scores, a note
        vice = rows[1]
        self.assertEqual(vice[4:8], [None, None, None, None])
        self.assertIn("Không đánh giá", vice[8])
        self.assertEqual(rows[2][6:8], [91, "A - Hoàn thành xuất sắc nhiệm vụ"])

        # totals and signatures
        self.assertIn("Tổng cộng", texts)
        self.assertIn("6 người", texts)
        self.assertIn("Trong đó: A - Hoàn thành xuất sắc nhiệm vụ", texts)
        self.assertIn("2 người (40%)", texts)  # 2 A of the 5 decided
        average = next(row for row in values if row[1] == "Điểm bình quân")
        self.assertEqual(average[6], round((88 + 91 + 80 + 83 + 95) / 5, 2))
        for text in ("NGƯỜI LẬP BIỂU", "THỦ TRƯỞNG CƠ QUAN", "(Ký, ghi rõ họ tên, đóng dấu)"):
            self.assertIn(text, texts)

    def test_notes(self):
        self.assertEqual(
            sheet_notes(
                {
                    "not_evaluated": True,
                    "decided_at_deadline": False,
                    "state": "draft",
                    "not_evaluated_reason": "Nghỉ thai sản",
                },
                [],
            ),
            "Không đánh giá: Nghỉ thai sản",
        )
        self.assertEqual(
            sheet_notes({"not_evaluated": True, "decided_at_deadline": True, "state": "review"}, []),
            "Không đánh giá: chưa được quyết định khi khóa kỳ",
        )
        self.assertEqual(
            sheet_notes(
                {
                    "not_evaluated": False,
                    "decided_at_deadline": True,
                    "state": "done",
                    "quota_reason": "Thành tích đột xuất",
                },
                ["open"],
            ),
            "Quyết định khi hết hạn (theo quy định khóa kỳ); Vượt tỷ lệ khống chế: Thành tích đột xuất; "
            "Có kiến nghị đang xem xét",
        )
        self.assertEqual(
            sheet_notes({"not_evaluated": False, "decided_at_deadline": False, "state": "review"}, []),
            "Đang xem xét, chưa có kết quả",
        )
        if "quota_reason" in self.Evaluation._fields:
            # the reason given to exceed a quota (from the decision workflow) is read from the sheet
            sheet = self._sheet(self.period, self.staff2)
            self.env.cr.execute(
                "UPDATE civ_evaluation SET quota_reason = %s WHERE id = %s", ["Thành tích đột xuất", sheet.id]
            )
            sheet.invalidate_recordset()
            _wizard, wb = self._export(self.user_officer, "unit_list", periods=self.period)
            row = next(row for row in data_rows(wb.active) if row[1] == "Đỗ Thị Hai")
            self.assertIn("Vượt tỷ lệ khống chế: Thành tích đột xuất", row[8])

    def test_appeals_shown(self):
        if "civ.appeal" not in self.env:
            self.skipTest("requests for review (civ.appeal) are not on this branch yet")
        sheet = self._sheet(self.period, self.staff)
        # the month is locked: the request is written directly (its workflow is tested elsewhere)
        self.env.cr.execute(
            "INSERT INTO civ_appeal (evaluation_id, company_id, reason, state) VALUES (%s, %s, %s, %s)",
            [sheet.id, self.company.id, "Đề nghị xem xét lại điểm", "accepted"],
        )
        self.env.invalidate_all()
        _wizard, wb = self._export(self.user_officer, "unit_list", periods=self.period)
        row = next(row for row in data_rows(wb.active) if row[1] == "Hoàng Văn Viên")
        self.assertIn("Kiến nghị được chấp nhận", row[8])
        _wizard, wb = self._export(self.user_officer, "aggregate", periods=self.period)
        section = next(row for row in sheet_values(wb.active) if row[1] == "Phòng Nội vụ")
        self.assertIn("Có kiến nghị: 1", section[15])

    def test_department_filter_and_rpc_attachment(self):
        wizard, wb = self._export(
            self.user_officer, "unit_list", periods=self.period, departments=self.section
        )
        rows = data_rows(wb.active)
        self.assertEqual(
            [row[1] for row in rows], ["Lê Văn Trưởng", "Phạm Thị Phó", "Hoàng Văn Viên", "Đỗ Thị Hai"]
        )
        # the attachment can be read back by its author (over RPC: read attachment_id, then its datas)
        attachment = wizard.attachment_id.with_user(self.user_officer)
        self.assertTrue(attachment.datas)
        self.assertEqual(
            attachment.mimetype, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        # the file goes with its wizard
        wizard.sudo().unlink()
        self.assertFalse(attachment.exists())

    def test_open_from_sheets_and_period(self):
        sheets = self._sheet(self.period, self.staff) | self._sheet(self.period, self.head)
        wizard = (
            self.env["civ.export.wizard"]
            .with_user(self.user_officer)
            .with_context(active_model="civ.evaluation", active_ids=sheets.ids)
            .create({})
        )
        self.assertEqual(wizard.period_ids, self.period)
        self.assertEqual(wizard.department_ids, self.section)
        self.assertEqual(wizard.company_ids, self.company)
        wizard = (
            self.env["civ.export.wizard"]
            .with_user(self.user_officer)
            .with_context(active_model="civ.period", active_id=self.period.id, active_ids=self.period.ids)
            .create({"report_kind": "annual"})
        )
        self.assertEqual(wizard.period_ids, self.period)
        self.assertEqual(wizard.year, 2026)
        self.assertFalse(wizard.department_ids)

    def test_wizard_form(self):
        Wizard = (
            self.env["civ.export.wizard"]
            .with_user(self.user_officer)
            .with_context(active_model="civ.period", active_id=self.period.id, active_ids=self.period.ids)
        )
        form = Form(Wizard)
        self.assertEqual(form.report_kind, "unit_list")
        self.assertEqual(form.period_ids[:], self.period)
        form.report_kind = "annual"
        self.assertEqual(form.year, 2026)
        wizard = form.save()
        action = wizard.action_export()
        self.assertEqual(action["url"], f"/web/content/{wizard.attachment_id.id}?download=true")
        self.assertEqual(wizard.attachment_id.name, "ket_qua_danh_gia_nam_2026.xlsx")

    def test_only_officers_export(self):
        with self.assertRaises(AccessError):
            self.env["civ.export.wizard"].with_user(self.user_staff).create({"report_kind": "unit_list"})
        with self.assertRaises(UserError):
            self.env["civ.export.wizard"].with_user(self.user_officer).create(
                {"report_kind": "unit_list"}
            ).action_export()

    def test_multi_company(self):
        # an officer of one agency: another agency's sheets never get into the file
        with self.assertRaises(AccessError):
            self._export(
                self.user_officer, "unit_list", periods=self.period | self.period2, companies=self.company2
            )
        _wizard, wb = self._export(self.user_officer, "unit_list", periods=self.period | self.period2)
        names = [row[1] for row in data_rows(wb.active)]
        self.assertEqual(len(names), 6)
        self.assertNotIn("Bùi Văn Ngoài", names)
        with self.assertRaises(UserError):
            self._export(self.user_officer, "unit_list", periods=self.period2)
        _wizard, wb = self._export(self.user_officer, "aggregate", periods=self.period | self.period2)
        texts = sheet_texts(wb.active)
        self.assertNotIn("UBND HUYỆN BÊN CẠNH", texts)

        # the city's officer, allowed on both, gets both agencies in one file
        both = self.company | self.company2
        _wizard, wb = self._export(
            self.user_city,
            "unit_list",
            periods=self.period | self.period2,
            companies=both,
            context={"allowed_company_ids": both.ids},
        )
        ws = wb.active
        names = [row[1] for row in data_rows(ws)]
        self.assertEqual(len(names), 8)
        self.assertIn("Bùi Văn Ngoài", names)
        self.assertIn("Hoàng Văn Viên", names)
        texts = sheet_texts(ws)
        self.assertIn("UBND HUYỆN BÊN CẠNH", texts)
        self.assertIn("UBND QUẬN THỬ NGHIỆM", texts)
        # a city officer limited (by the company switcher) to one agency sees only that one
        _wizard, wb = self._export(
            self.user_city,
            "unit_list",
            periods=self.period | self.period2,
            context={"allowed_company_ids": self.company2.ids},
        )
        self.assertEqual([row[1] for row in data_rows(wb.active)], ["Bùi Văn Ngoài", "Lý Thị Khác"])

    def test_party_body_header(self):
        self.company.civ_party_body = True
        _wizard, wb = self._export(self.user_officer, "unit_list", periods=self.period)
        texts = sheet_texts(wb.active)
        self.assertIn("ĐẢNG CỘNG SẢN VIỆT NAM", texts)
        self.assertNotIn("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", texts)
        self.assertNotIn("Độc lập - Tự do - Hạnh phúc", texts)


@tagged("post_install", "-at_install", "civ_evaluation", "civ_reports")
class TestExportAggregate(LockedMayCase):
    def test_aggregate_counts_and_quotas(self):
        _wizard, wb = self._export(self.user_officer, "aggregate", periods=self.period)
        ws = wb.active
        header = header_row(ws)
        values = sheet_values(ws)
        top, sub = values[header - 1], values[header]
        self.assertEqual(top[:4], ["STT", "Đơn vị", "Tổng số người", "Số người được đánh giá, xếp loại"])
        self.assertEqual(top[4], "Loại A\nHoàn thành xuất sắc nhiệm vụ")
        self.assertEqual(top[6], "Loại B\nHoàn thành tốt nhiệm vụ")
        self.assertEqual(sub[4:6], ["Số lượng", "Tỷ lệ (%)"])
        self.assertEqual(
            top[12:16],
            [
                "Số không đánh giá (nghỉ, mới tuyển …)",
                "Chưa có kết quả",
                "Kiểm tra tỷ lệ khống chế",
                "Ghi chú",
            ],
        )
        self.assertEqual(ws.freeze_panes, f"A{header + 2}")
        self.assertIn(
            f"{ws.cell(header, 5).coordinate}:{ws.cell(header, 6).coordinate}",
            {str(rng) for rng in ws.merged_cells.ranges},
        )

        company_row = values[header + 1]
        self.assertEqual(company_row[:4], ["I", "UBND QUẬN THỬ NGHIỆM", 6, 5])
        self.assertEqual(company_row[4], 2)
        self.assertAlmostEqual(company_row[5], 0.4)
        self.assertEqual(company_row[6], 3)
        self.assertAlmostEqual(company_row[7], 0.6)
        self.assertEqual(company_row[12:14], [1, 0])
        # the agency quota (A <= 20% of those graded B or above): 2 of 5 exceeds it, filled in red
        self.assertIn("Vượt tỷ lệ", company_row[14])
        quota_cell = ws.cell(header + 2, 15)
        self.assertEqual(quota_cell.fill.fgColor.rgb, RED)
        self.assertEqual(ws.cell(header + 2, 5).fill.fgColor.rgb, RED)
        self.assertEqual(ws.cell(header + 2, 5).number_format, "0")
        self.assertEqual(ws.cell(header + 2, 6).number_format, "0.0%")

        rows = {row[1]: (index, row) for index, row in enumerate(values, start=1) if isinstance(row[0], int)}
        self.assertEqual(set(rows), {"Thường trực UBND", "Phòng Nội vụ"})
        index, section = rows["Phòng Nội vụ"]
        self.assertEqual(section[2:8], [4, 4, 2, 0.5, 2, 0.5])
        self.assertIn("Vượt tỷ lệ", section[14])  # A <= 30% per department: 2 of 4
        self.assertEqual(ws.cell(index, 15).fill.fgColor.rgb, RED)
        index, leadership = rows["Thường trực UBND"]
        self.assertEqual(leadership[2:8], [2, 1, 0, 0.0, 1, 1.0])
        self.assertEqual(leadership[12], 1)
        self.assertTrue(leadership[14].startswith("Đạt"))
        self.assertNotEqual(ws.cell(index, 15).fill.fgColor.rgb, RED)

        total = next(row for row in values if row[1] == "TỔNG CỘNG")
        self.assertEqual(total[2:8], [6, 5, 2, 0.4, 3, 0.6])
        texts = sheet_texts(ws)
        self.assertIn("BÁO CÁO TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC", texts)
        self.assertIn("THỦ TRƯỞNG CƠ QUAN", texts)

    def test_aggregate_two_companies(self):
        both = self.company | self.company2
        _wizard, wb = self._export(
            self.user_city,
            "aggregate",
            periods=self.period | self.period2,
            companies=both,
            context={"allowed_company_ids": both.ids},
        )
        values = sheet_values(wb.active)
        companies = {row[1]: row for row in values if row[0] in ("I", "II")}
        self.assertEqual(set(companies), {"UBND QUẬN THỬ NGHIỆM", "UBND HUYỆN BÊN CẠNH"})
        self.assertEqual(companies["UBND HUYỆN BÊN CẠNH"][2:4], [2, 1])
        # the second agency's sheet still in self-assessment counts as "no result yet"
        self.assertEqual(companies["UBND HUYỆN BÊN CẠNH"][13], 1)
        total = next(row for row in values if row[1] == "TỔNG CỘNG")
        self.assertEqual(total[2:4], [8, 6])


@tagged("post_install", "-at_install", "civ_evaluation", "civ_reports")
class TestExportAnnual(LockedMayCase):
    def test_year_end_level(self):
        levels = {1: {"code": "A", "name": "Xuất sắc"}, 2: {"code": "B", "name": "Tốt"}}
        self.assertEqual(_year_end(None, levels), ("", None, ""))
        self.assertEqual(
            _year_end({"state": "done", "level_id": 1, "proposed_level_id": 2, "note": "Lý do"}, levels),
            ("A - Xuất sắc", 1, "Lý do"),
        )
        self.assertEqual(
            _year_end({"state": "draft", "level_id": False, "proposed_level_id": 2}, levels),
            ("B - Tốt (đề xuất)", None, ""),
        )
        self.assertEqual(
            _year_end(
                {"state": "done", "not_classified": True, "not_classified_reason": "Công tác dưới 6 tháng"},
                levels,
            ),
            ("Không xếp loại", None, "Không xếp loại: Công tác dưới 6 tháng"),
        )

    def test_year_end_results_shown(self):
        if "civ.annual.result" not in self.env:
            self.skipTest("the year-end results (civ.annual.result) are not on this branch yet")
        Result = self.env["civ.annual.result"].sudo()
        base = {"company_id": self.company.id, "year": 2026}
        if "framework_id" in Result._fields:
            base["framework_id"] = self.framework.id
        Result.create(
            [
                dict(
                    base,
                    employee_id=self.staff.id,
                    level_id=self.level["B"].id,
                    proposed_level_id=self.level["B"].id,
                ),
                dict(
                    base,
                    employee_id=self.chairman.id,
                    level_id=self.level["A"].id,
                    proposed_level_id=self.level["A"].id,
                ),
            ]
        )
        # the staff member's result is decided, the chairman's still a proposal
        self.env.cr.execute(
            "UPDATE civ_annual_result SET state = 'done' WHERE employee_id = %s AND year = 2026",
            [self.staff.id],
        )
        Result.invalidate_model()
        _wizard, wb = self._export(self.user_officer, "annual", year=2026)
        rows = {row[1]: row for row in data_rows(wb.active)}
        self.assertEqual(rows["Hoàng Văn Viên"][30], "B - Hoàn thành tốt nhiệm vụ")
        self.assertEqual(rows["Nguyễn Văn Chủ"][30], "A - Hoàn thành xuất sắc nhiệm vụ (đề xuất)")
        self.assertIsNone(rows["Lê Văn Trưởng"][30])
        texts = sheet_texts(wb.active)
        self.assertIn("Trong đó (xếp loại cả năm): B - Hoàn thành tốt nhiệm vụ", texts)

    def test_annual_months(self):
        june = self._open_period(JUNE)
        self._decide(june, self.staff, 92.0, "A")
        self._decide(june, self.vice, 78.5, "B")
        _wizard, wb = self._export(self.user_officer, "annual", year=2026)
        ws = wb.active
        self.assertEqual(wb.sheetnames, ["Năm 2026"])
        header = header_row(ws)
        values = sheet_values(ws)
        top, sub = values[header - 1], values[header]
        self.assertEqual(top[4], "T1")
        self.assertEqual(top[4 + 2 * 11], "T12")
        self.assertEqual(sub[4:6], ["Điểm", "XL"])
        self.assertEqual(
            top[28:32], ["Số tháng được xếp loại", "Điểm trung bình", "Xếp loại cả năm", "Ghi chú"]
        )
        rows = {row[1]: row for row in data_rows(ws)}
        self.assertEqual(len(rows), 6)
        staff = rows["Hoàng Văn Viên"]
        may, jun = 4 + 2 * 4, 4 + 2 * 5
        self.assertEqual(staff[may : may + 2], [83, "B"])
        self.assertEqual(staff[jun : jun + 2], [92, "A"])
        self.assertEqual(staff[28:30], [2, 87.5])
        vice = rows["Trần Thị Phó"]
        self.assertEqual(vice[may : may + 2], [None, "KĐG"])
        self.assertEqual(vice[jun : jun + 2], [78.5, "B"])
        self.assertEqual(vice[28:30], [1, 78.5])
        self.assertIn("T5", vice[31])
        # June sheets still in self-assessment give no score
        head = rows["Lê Văn Trưởng"]
        self.assertEqual(head[jun : jun + 2], [None, None])
        self.assertEqual(head[28:30], [1, 91])
        with self.assertRaises(UserError):
            self._export(self.user_officer, "annual", year=2025)
