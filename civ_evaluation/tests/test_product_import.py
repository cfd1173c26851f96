"""The Excel import of product lines (issue #11, item 7): exact lines from a good file, nothing from a
file with one wrong row (every problem listed with its worksheet and row), officers of the period's
company only, re-import without duplicates, and the template."""

import base64
import io
import logging
import time
from datetime import date
from unittest.mock import patch

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from .common import OFFICER, RpcMixin, make_company, make_user, nd335, read_workbook, sheet_values
from .cycle_common import CivCycleCase

_logger = logging.getLogger(__name__)

VI_HEADER = [
    "Mã cán bộ",
    "Họ và tên",
    "Tên sản phẩm",
    "Loại",
    "Hệ số",
    "Được giao",
    "Hoàn thành",
    "Đạt yêu cầu",
    "Đúng tiến độ",
    "Số lỗi lớn",
    "Số lần chậm",
    "Hạn",
    "Ngày hoàn thành",
    "Ghi chú",
    "Vượt yêu cầu",
]
EN_HEADER = [
    "Employee Code",
    "Employee",
    "Product / Work",
    "Type",
    "Coefficient",
    "Assigned",
    "Completed",
    "Meeting Requirements",
    "On Time",
    "Major Errors",
    "Delays",
    "Deadline",
    "Completed On",
    "Note",
    "Exceeding Requirements",
]


def workbook(sheets):
    """An .xlsx in memory: {worksheet title: [rows]} (the first row is the header)."""
    import openpyxl  # an Odoo requirement, imported where used

    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        worksheet = book.create_sheet(title)
        for row in rows:
            worksheet.append(row)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def row(
    code,
    name,
    product,
    type_code=None,
    weight=None,
    assigned=None,
    done=None,
    quality=None,
    on_time=None,
    errors=None,
    delays=None,
    deadline=None,
    done_on=None,
    note=None,
):
    return [
        code,
        name,
        product,
        type_code,
        weight,
        assigned,
        done,
        quality,
        on_time,
        errors,
        delays,
        deadline,
        done_on,
        note,
    ]


class ProductImportCase(CivCycleCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.civ_framework_id = nd335(cls.env)
        cls.criterion = cls.env.ref("civ_evaluation.nd335_c_2_1")
        cls.product_type = cls.env["civ.product.type"].create(
            {"name": "Dự thảo văn bản quy phạm", "code": "VBQP", "weight": 2.0, "company_id": cls.company.id}
        )
        cls.appraisal_type = cls.env["civ.product.type"].create(
            {"name": "Hồ sơ thẩm định", "code": "HSTD", "weight": 1.5, "company_id": cls.company.id}
        )
        cls.staff.barcode = "10001"
        cls.staff2.write({"identification_id": "001090000123", "work_email": "hai@thunghiem.gov.vn"})
        cls.period = cls._open_period()
        cls.sheet = cls._sheet(cls.period, cls.staff)
        cls.sheet2 = cls._sheet(cls.period, cls.staff2)
        cls.Wizard = cls.env["civ.product.import.wizard"]

    def _wizard(self, content, user=None, period=None, file_name="san_pham.xlsx"):
        return self.Wizard.with_user(user or self.user_officer).create(
            {
                "period_id": (period or self.period).id,
                "file": base64.b64encode(content),
                "file_name": file_name,
            }
        )

    def _import(self, content, user=None):
        wizard = self._wizard(content, user)
        wizard.action_import()
        return wizard

    def _good_file(self, header=None):
        header = header or VI_HEADER
        return workbook(
            {
                "Phòng Nội vụ": [
                    header,
                    row(
                        10001,
                        "Hoàng Văn Viên",
                        "Dự thảo quyết định",
                        "vbqp",
                        None,
                        10,
                        9,
                        8,
                        9,
                        deadline=date(2026, 5, 20),
                        done_on="18/05/2026",
                        note="Đã trình",
                    ),
                    # the template's row of a person nobody filled in
                    row(None, "Phạm Thị Phó", None),
                    # no code: found by the exact name; the work e-mail is a code too
                    # the coefficient of the catalogue, written again: accepted
                    row(None, "Đỗ Thị Hai", "Hồ sơ thẩm định", "HSTD", "1,5", 4, 4, 4, 4),
                    row("hai@thunghiem.gov.vn", None, "Báo cáo tháng", None, None, 2, 1, 1, 0),
                ]
            }
        )

    def _period_products(self):
        return self.env["civ.evaluation.product"].search([("evaluation_id.period_id", "=", self.period.id)])

    def _products(self, sheet):
        return sheet.product_ids.sorted("sequence")


@tagged("post_install", "-at_install", "civ_evaluation", "civ_products")
class TestProductImport(ProductImportCase):
    # ------------------------------------------------------------------ a good file
    def test_good_file_imports_the_exact_lines(self):
        wizard = self._import(self._good_file())
        self.assertEqual(
            (wizard.state, wizard.imported_count, wizard.sheet_count, wizard.replaced_count),
            ("done", 3, 2, 0),
        )
        [line] = self._products(self.sheet)
        self.assertEqual(
            (
                line.name,
                line.product_type_id,
                line.weight,
                line.qty_assigned,
                line.qty_done,
                line.qty_quality,
                line.qty_on_time,
                line.date_deadline,
                line.date_done,
                line.note,
                line.source,
                line.confirmed,
            ),
            (
                "Dự thảo quyết định",
                self.product_type,
                2.0,
                10,
                9,
                8,
                9,
                date(2026, 5, 20),
                date(2026, 5, 18),
                "Đã trình",
                "import",
                False,
            ),
        )
        # a, b, c and the task points of the sheet: 90 / 80 / 90 % → 60.67 of 70
        self.assertEqual(
            (
                self.sheet.product_score_quantity,
                self.sheet.product_score_quality,
                self.sheet.product_score_progress,
                self.sheet.product_points,
            ),
            (90.0, 80.0, 90.0, 60.67),
        )
        task_line = self.sheet.line_ids.filtered(lambda line: line.criterion_id == self.criterion)
        self.assertEqual(task_line.self_points, 60.67)
        lines = self._products(self.sheet2)
        self.assertEqual(lines.mapped("name"), ["Hồ sơ thẩm định", "Báo cáo tháng"])
        self.assertEqual(lines.mapped("weight"), [1.5, 1.0])
        self.assertEqual(set(lines.mapped("source")), {"import"})
        # quantity (1.5 × 4 + 1) / (1.5 × 4 + 2) = 87.5 %, quality the same, progress 6 / 8 = 75 %
        self.assertEqual(
            (
                self.sheet2.product_score_quantity,
                self.sheet2.product_score_quality,
                self.sheet2.product_score_progress,
            ),
            (87.5, 87.5, 75.0),
        )
        self.assertEqual(self.sheet2.product_points, round((87.5 + 87.5 + 75.0) / 3 * 0.7, 2))
        self.assertFalse(self._sheet(self.period, self.deputy).product_ids)
        self.assertIn("3 product lines imported", self.period.message_ids[:1].body)

    def test_reimport_replaces_instead_of_duplicating(self):
        self._import(self._good_file())
        typed = (
            self.env["civ.evaluation.product"]
            .with_user(self.user_staff)
            .create(
                {
                    "evaluation_id": self.sheet.id,
                    "name": "Việc tự nhập",
                    "qty_assigned": 1,
                    "qty_done": 1,
                    "qty_quality": 1,
                    "qty_on_time": 1,
                }
            )
        )
        # the same file with English headers
        wizard = self._import(self._good_file(EN_HEADER))
        self.assertEqual((wizard.imported_count, wizard.replaced_count), (3, 3))
        self.assertEqual(
            sorted(self.sheet.product_ids.mapped("name")), ["Dự thảo quyết định", "Việc tự nhập"]
        )
        self.assertTrue(typed.exists(), "the lines typed by the employee stay")
        self.assertEqual(len(self.sheet2.product_ids), 2)

    def test_errors_and_delays_only_for_sheets_in_review(self):
        content = workbook(
            {
                "Phòng Nội vụ": [
                    VI_HEADER,
                    row("10001", None, "Dự thảo quyết định", None, None, 4, 4, 4, 4, errors=1),
                ]
            }
        )
        with self.assertRaises(UserError) as caught:
            self._import(content)
        self.assertIn("row 2", str(caught.exception))
        self.assertIn("errors and delays are recorded by the reviewers", str(caught.exception))
        self.sheet.with_user(self.user_staff).action_submit()
        self._import(content)
        # one major error cuts 25% of one of the 4 products: quality 4 → 3.75, b = 93.75 %, on the
        # reviewer's points
        self.assertEqual(self.sheet.product_score_quality, 93.75)
        self.assertEqual(self.sheet.product_ids.error_count, 1)
        self.assertEqual(
            self.sheet.line_ids.filtered(lambda line: line.criterion_id == self.criterion).reviewer_points,
            round((100 + 93.75 + 100) / 3 * 0.7, 2),
        )

    # ------------------------------------------------------------------ a file with wrong rows
    def test_one_bad_row_imports_nothing_and_lists_every_problem(self):
        self._sheet(self.period, self.deputy).sudo().write({"state": "done"})
        content = workbook(
            {
                "Phòng Nội vụ": [
                    VI_HEADER,
                    row("10001", "Hoàng Văn Viên", "Dự thảo quyết định", None, None, 10, 9, 8, 9),
                    row("10001", None, "Báo cáo", None, None, 2, 3, 1, 1),
                    row("XYZ", None, "Báo cáo", None, None, 1, 1, 1, 1),
                    row(
                        None,
                        "Đỗ Thị Hai",
                        "Tờ trình",
                        "KHONGCO",
                        None,
                        "nhiều",
                        -1,
                        0,
                        0,
                        deadline="32/13/2026",
                    ),
                    row(None, "Phạm Thị Phó", "Kế hoạch", None, None, 1, 1, 1, 1),
                    row(None, "Nguyễn Văn Chủ", "Chỉ đạo", None, None, 1, 1, 1, 1),
                    row("10001", None, None, None, None, 1, 1, 1, 1),
                ],
                "Phòng Không Có": [VI_HEADER, row("10001", None, "Báo cáo", None, None, 1, 1, 1, 1)],
            }
        )
        with self.assertRaises(UserError) as caught:
            self._import(content)
        message = str(caught.exception)
        self.assertNotIn("Phòng Nội vụ, row 2:", message)
        for expected in (
            "Worksheet Phòng Nội vụ, row 3: more completed than assigned.",
            "Worksheet Phòng Nội vụ, row 4: no employee with the code XYZ.",
            "Worksheet Phòng Nội vụ, row 5: no type of product with the code KHONGCO; Được giao is not a "
            "number: nhiều; Hoàn thành cannot be negative; Hạn is not a date (dd/mm/yyyy): 32/13/2026.",
            "Worksheet Phòng Nội vụ, row 6: the sheet of Phạm Thị Phó is Decided: its products no longer "
            "change.",
            "Worksheet Phòng Nội vụ, row 7: Nguyễn Văn Chủ belongs to Thường trực UBND in this period, not "
            "to this worksheet's unit.",
            "Worksheet Phòng Nội vụ, row 8: the product's name (Tên sản phẩm) is missing.",
            "Worksheet Phòng Không Có, row 2: no unit of the period is named like this worksheet",
        ):
            self.assertIn(expected, message)
        self.assertFalse(self._period_products())
        self.assertEqual(self.sheet.self_score, 0.0)

    def test_types_of_another_job_position_are_refused(self):
        job = self.env["hr.job"].create({"name": "Thanh tra viên", "company_id": self.company.id})
        self.env["civ.product.type"].create(
            {
                "name": "Kết luận thanh tra",
                "code": "KLTT",
                "job_ids": [Command.set(job.ids)],
                "company_id": self.company.id,
            }
        )
        content = workbook(
            {
                "Phòng Nội vụ": [
                    VI_HEADER,
                    row("10001", None, "Kết luận thanh tra số 1", "KLTT", None, 1, 1, 1, 1),
                ]
            }
        )
        with self.assertRaises(UserError) as caught:
            self._import(content)
        self.assertIn(
            "Worksheet Phòng Nội vụ, row 2: the type KLTT is not in the catalogue of the person's "
            "job position.",
            str(caught.exception),
        )
        self.assertFalse(self.sheet.product_ids)
        self.staff.job_id = job
        self._import(content)
        self.assertEqual(self.sheet.product_ids.product_type_id.code, "KLTT")

    def test_messages_in_the_users_language(self):
        self.env["res.lang"]._activate_lang("vi_VN")
        content = workbook({"Phòng Nội vụ": [VI_HEADER, row("XYZ", None, "Báo cáo", None, None, 1, 1, 1, 1)]})
        # the web client and RPC clients send the user's language in the context
        wizard = self._wizard(content).with_context(lang="vi_VN")
        with self.assertRaises(UserError) as caught:
            wizard.action_import()
        message = str(caught.exception)
        self.assertIn("Không nhập dữ liệu nào từ san_pham.xlsx", message)
        self.assertIn("Trang tính Phòng Nội vụ, dòng 2: không có cán bộ nào có mã XYZ.", message)

    def test_not_an_excel_file(self):
        with self.assertRaises(UserError):
            self._import(b"not a workbook")

    # ------------------------------------------------------------------ who
    def test_only_officers_of_the_company_on_an_open_period(self):
        with self.assertRaises(AccessError):
            self._wizard(self._good_file(), user=self.user_staff)
        wizard = self._wizard(self._good_file())
        # the public method called directly (as over RPC) by someone else
        with self.assertRaises(AccessError):
            wizard.with_user(self.user_staff).action_import()
        with self.assertRaises(AccessError):
            wizard.with_user(self.user_head).action_download_template()
        # an officer of another agency
        other = make_company(self.env, "UBND huyện Khác")
        officer2 = make_user(self.env, "canbo_khac", other, OFFICER)
        with self.assertRaises(AccessError):
            self._wizard(self._good_file(), user=officer2).action_import()
        # a period not open
        draft = self.Period.create({"company_id": self.company.id, "date_start": date(2026, 6, 1)})
        with self.assertRaises(UserError):
            self._wizard(self._good_file(), period=draft).action_import()
        self.assertFalse(self._period_products())

    def test_an_officer_never_imports_onto_their_own_sheet(self):
        self.user_staff.groups_id |= self.env.ref("civ_evaluation.group_civ_officer")
        with self.assertRaises(UserError) as caught:
            self._import(self._good_file(), user=self.user_staff)
        self.assertIn(
            "Worksheet Phòng Nội vụ, row 2: the sheet of Hoàng Văn Viên is your own: someone else imports "
            "its products.",
            str(caught.exception),
        )
        self.assertFalse(self._period_products())

    # ------------------------------------------------------------------ the template
    def test_template(self):
        wizard = (
            self.Wizard.with_user(self.user_officer)
            .with_context(active_model="civ.period", active_id=self.period.id)
            .create({})
        )
        self.assertEqual(wizard.period_id, self.period)
        action = wizard.action_download_template()
        self.assertEqual(action["url"], f"/web/content/{wizard.template_id.id}?download=true")
        self.assertEqual(wizard.template_id.name, "mau_nhap_san_pham_2026_05.xlsx")
        book = read_workbook(wizard.template_id)
        self.assertEqual(book.sheetnames, ["Thường trực UBND", "Phòng Nội vụ"])
        ws = book["Phòng Nội vụ"]
        values = sheet_values(ws)
        self.assertEqual(values[0], VI_HEADER)
        # heads first; the officer is no Employees officer: the work e-mail, never the private codes
        self.assertEqual(
            [line[:2] for line in values[1:]],
            [
                [self.head.work_email, "Lê Văn Trưởng"],
                [self.deputy.work_email, "Phạm Thị Phó"],
                [self.staff.work_email, "Hoàng Văn Viên"],
                ["hai@thunghiem.gov.vn", "Đỗ Thị Hai"],
            ],
        )
        self.assertTrue(self.staff.work_email)
        self.assertEqual(book["Thường trực UBND"]["B2"].value, "Nguyễn Văn Chủ")
        # an Employees officer gets the badge ID
        self.user_officer.groups_id = [Command.link(self.env.ref("hr.group_hr_user").id)]
        wizard.action_download_template()
        ws = read_workbook(wizard.template_id)["Phòng Nội vụ"]
        self.assertEqual([ws["A4"].value, ws["A5"].value], ["10001", "001090000123"])
        # the filled template imports back
        ws["C4"] = "Dự thảo quyết định"
        for column, value in zip("FGHI", (2, 2, 2, 2), strict=True):
            ws[f"{column}4"] = value
        output = io.BytesIO()
        ws.parent.save(output)
        self._import(output.getvalue())
        self.assertEqual(self.sheet.product_ids.mapped("name"), ["Dự thảo quyết định"])
        self.assertEqual(self.sheet.product_score_quantity, 100.0)


@tagged("post_install", "-at_install", "civ_evaluation", "civ_products", "civ_access")
class TestProductImportOverRpc(RpcMixin, ProductImportCase, HttpCase):
    def test_employee_cannot_import_over_json_rpc(self):
        content = base64.b64encode(self._good_file()).decode()
        wizard = self._wizard(self._good_file())
        self.authenticate("nhanvien_t", "nhanvien_t")
        vals = {"period_id": self.period.id, "file": content, "file_name": "x.xlsx"}
        refused = "odoo.exceptions.AccessError"
        self.assertEqual(self._refused("civ.product.import.wizard", "create", vals), refused)
        self.assertEqual(
            self._refused("civ.product.import.wizard", "action_import", [wizard.id]),
            "odoo.exceptions.AccessError",
        )
        self.assertEqual(
            self._refused("civ.product.import.wizard", "action_download_template", [wizard.id]),
            "odoo.exceptions.AccessError",
        )
        # the reviewer of the sheets is no officer either
        self.authenticate("truongphong_t", "truongphong_t")
        self.assertEqual(
            self._refused("civ.product.import.wizard", "action_import", [wizard.id]),
            "odoo.exceptions.AccessError",
        )
        self.assertFalse(self._period_products())
        # the officer can
        self.authenticate("canbotccb_t", "canbotccb_t")
        self._call("civ.product.import.wizard", "action_import", [wizard.id])
        self.env.invalidate_all()
        self.assertEqual(len(self._period_products()), 3)


@tagged("post_install", "-at_install", "civ_evaluation", "civ_products", "civ_reports")
class TestProductReports(ProductImportCase):
    """The reports of the products (issue #11, item 8): a, b, c and the task points in the Excel unit
    list, the product lines and a, b, c on the printed sheet."""

    REPORT = "civ_evaluation.action_report_civ_evaluation_sheet"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        wizard = cls.Wizard.with_user(cls.user_officer).create(
            {"period_id": cls.period.id, "file": base64.b64encode(cls._good_file(cls)), "file_name": "a.xlsx"}
        )
        wizard.action_import()
        cls.sheet.product_ids.sudo().write({"objective_cause": True, "objective_cause_note": "Mất điện"})
        cls.sheet.with_user(cls.user_staff).action_submit()

    def test_unit_list_shows_a_b_c_and_points(self):
        wizard = (
            self.env["civ.export.wizard"]
            .with_user(self.user_officer)
            .create({"report_kind": "unit_list", "period_ids": [Command.set(self.period.ids)]})
        )
        wizard.action_export()
        values = sheet_values(read_workbook(wizard.attachment_id).active)
        header = next(line for line in values if line[0] == "STT")
        self.assertEqual(
            header,
            [
                "STT",
                "Họ và tên",
                "Chức vụ",
                "Phòng/ban",
                "Điểm tự chấm",
                "Điểm lãnh đạo trực tiếp",
                "Điểm thủ trưởng quyết định",
                "Khối lượng (a) %",
                "Chất lượng (b) %",
                "Tiến độ (c) %",
                "Điểm kết quả thực hiện nhiệm vụ",
                "Xếp loại",
                "Ghi chú",
            ],
        )
        rows = {line[1]: line for line in values if isinstance(line[0], int)}
        # submitted: its figures; still in self-assessment: none yet (like the self score)
        self.assertEqual(rows["Hoàng Văn Viên"][4], 60.67)
        self.assertEqual(rows["Hoàng Văn Viên"][7:11], [90, 80, 90, 60.67])
        self.assertEqual(rows["Đỗ Thị Hai"][7:11], [None, None, None, None])
        self.assertEqual(rows["Hoàng Văn Viên"][12], "Đang xem xét, chưa có kết quả")
        # the level summary moved with the level column
        self.assertIn("Trong đó: Chưa có kết quả", [line[1] for line in values])
        summary = next(line for line in values if line[1] == "Trong đó: Chưa có kết quả")
        self.assertEqual(summary[11], "6 người")

    def test_printed_sheet_lists_the_products(self):
        from lxml import html

        from ..models.civ_format import format_vi_number

        content, _kind = (
            self.env["ir.actions.report"]
            .with_user(self.user_staff)
            ._render_qweb_html(self.REPORT, self.sheet.ids)
        )
        self.assertIn("Dự thảo quyết định", html.fromstring(content).text_content())
        content, _kind = self.env["ir.actions.report"]._render_qweb_html(
            self.REPORT, (self.sheet | self.sheet2 | self._sheet(self.period, self.deputy)).ids
        )
        doc = html.fromstring(content)
        articles = doc.xpath("//div[hasclass('article')]")
        self.assertEqual(len(articles), 3)
        first, second, third = articles

        def cells(article):
            return [
                [" ".join(td.text_content().split()) for td in tr.xpath("./td")]
                for tr in article.xpath(".//tr[hasclass('o_civ_product')]")
            ]

        self.assertEqual(
            cells(first),
            [
                [
                    "1",
                    "Dự thảo quyết định",
                    "Dự thảo văn bản quy phạm",
                    "2",
                    "10",
                    "9",
                    "8",
                    "9",
                    "0",
                    "0",
                    "Có (lỗi): Mất điện",
                ]
            ],
        )
        [scores] = first.xpath(".//p[hasclass('o_civ_product_scores')]")
        self.assertEqual(
            scores.text_content(),
            (
                f"Khối lượng (a): {format_vi_number(90.0)}%; Chất lượng (b): {format_vi_number(80.0)}%; "
                f"Tiến độ (c): {format_vi_number(90.0)}%; Điểm kết quả thực hiện nhiệm vụ: "
                f"{format_vi_number(60.67)}"
            ),
        )
        self.assertEqual(
            cells(second)[0][1:8],
            ["Hồ sơ thẩm định", "Hồ sơ thẩm định", format_vi_number(1.5), "4", "4", "4", "4"],
        )
        self.assertEqual(format_vi_number(1.5), "1,5")
        self.assertIn(f"Khối lượng (a): {format_vi_number(87.5)}%", second.text_content())
        self.assertIn("Khối lượng (a): 87,5%", second.text_content())
        # a sheet without products: no table
        self.assertFalse(third.xpath(".//div[hasclass('o_civ_products')]"))
        self.assertNotIn("Khối lượng (a)", third.text_content())


def rezip(content, replace=None, extra=None):
    """content (an .xlsx) with some parts replaced ({name: bytes or a function of the old bytes}) and
    others added ({name: bytes})."""
    import zipfile

    replace = replace or {}
    source = zipfile.ZipFile(io.BytesIO(content))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            new = replace.get(info.filename, data)
            archive.writestr(info.filename, new(data) if callable(new) else new)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return output.getvalue()


def zip_part(content, name):
    import zipfile

    return zipfile.ZipFile(io.BytesIO(content)).read(name)


def zip_of(parts):
    """A zip of {name: bytes}."""
    import zipfile

    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return output.getvalue()


def with_sheet_xml(content, edit):
    """content with the XML of its first worksheet edited (edit: bytes → bytes)."""
    return rezip(content, {"xl/worksheets/sheet1.xml": edit})


@tagged("post_install", "-at_install", "civ_evaluation", "civ_products")
class TestProductImportLimits(ProductImportCase):
    """What the import reads of a file (issue "Trust in the evidence", item 12): files built to cost
    minutes of CPU or gigabytes of memory, malformed workbooks and formulas get one clear message,
    fast, and nothing is imported."""

    def _refused(self, content, *expected):
        with self.assertRaises(UserError) as caught:
            self._import(content)
        message = str(caught.exception)
        for text in expected:
            self.assertIn(text, message)
        self.assertFalse(self._period_products())
        return message

    def test_declared_dimension_is_not_trusted(self):
        """A 2 KB file declaring A1:XFD1048576 (openpyxl's read-only mode pads every row to 16,384
        cells and adds every row up to 1,048,576) is read as what it holds, in well under a second."""
        import re

        content = with_sheet_xml(
            self._good_file(),
            lambda xml: re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', xml),
        )
        self.assertLess(len(content), 10_000)
        started = time.perf_counter()
        wizard = self._import(content)
        elapsed = time.perf_counter() - started
        _logger.info("a file declaring A1:XFD1048576 imported in %.3f s", elapsed)
        self.assertLess(elapsed, 5)
        self.assertEqual(wizard.imported_count, 3)
        # with a cell in the last row of the sheet too: refused at the limit of rows, as fast
        content = with_sheet_xml(
            content,
            lambda xml: xml.replace(
                b"</sheetData>",
                b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>',
            ),
        )
        started = time.perf_counter()
        with self.assertRaises(UserError) as caught:
            self._import(content)
        elapsed = time.perf_counter() - started
        _logger.info("a file with a cell in XFD1048576 refused in %.3f s", elapsed)
        self.assertLess(elapsed, 5)
        self.assertIn(
            "the worksheet Phòng Nội vụ has more than 10,000 rows, the most the import reads in a worksheet.",
            str(caught.exception),
        )
        self.assertEqual(len(self._period_products()), 3, "the first import stays as it was")

    def test_rows_and_columns_are_capped(self):
        from ..wizards import civ_product_import_wizard as wizard_module

        self.assertEqual(
            (wizard_module.MAX_ROWS_PER_SHEET, wizard_module.MAX_ROWS_PER_FILE, wizard_module.MAX_COLUMNS),
            (10_000, 20_000, 50),
        )
        lines = [row("10001", None, f"Báo cáo {n}", None, None, 1, 1, 1, 1) for n in range(4)]
        content = workbook({"Phòng Nội vụ": [VI_HEADER, *lines[:2]], "Thường trực UBND": [VI_HEADER, *lines]})
        with patch.object(wizard_module, "MAX_ROWS_PER_SHEET", 4):
            self._refused(content, "the worksheet Thường trực UBND has more than 4 rows")
        with patch.object(wizard_module, "MAX_ROWS_PER_FILE", 7):
            self._refused(content, "the file has more than 7 rows, the most the import reads in a file.")
        # a header beyond the 50th column
        wide = [*VI_HEADER, *[None] * (50 - len(VI_HEADER)), "Cột thêm"]
        self._refused(
            workbook({"Phòng Nội vụ": [wide, lines[0]]}),
            "Worksheet Phòng Nội vụ, row 1: more than 50 columns, the most the import reads.",
        )
        # 50 columns, the last ones empty: read
        self._import(workbook({"Phòng Nội vụ": [[*VI_HEADER, *[None] * 36], lines[0]]}))
        self.assertEqual(len(self._period_products()), 1)

    def test_shared_strings_bomb_is_refused_before_parsing(self):
        """~200 MB of shared strings in a few hundred KB: refused from the sizes the zip declares."""
        import zipfile

        import xlsxwriter  # an Odoo requirement, imported where used

        output = io.BytesIO()
        book = xlsxwriter.Workbook(output)
        book.add_worksheet("Phòng Nội vụ").write_row(0, 0, VI_HEADER)
        book.close()
        source = zipfile.ZipFile(io.BytesIO(output.getvalue()))
        bomb = io.BytesIO()
        with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
            for info in source.infolist():
                if info.filename != "xl/sharedStrings.xml":
                    archive.writestr(info, source.read(info.filename))
                    continue
                with archive.open(info.filename, "w", force_zip64=True) as part:
                    part.write(
                        b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml'
                        b'/2006/main">'
                    )
                    chunk = b"<si><t>x</t></si>" * 60_000
                    for _ in range(200):
                        part.write(chunk)
                    part.write(b"</sst>")
        content = bomb.getvalue()
        self.assertLess(len(content), 1_000_000)
        self.assertGreater(
            sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(content)).infolist()), 2e8
        )
        started = time.perf_counter()
        self._refused(
            content,
            "Nothing was imported from san_pham.xlsx: once unzipped, the workbook would take more than 20 MB",
        )
        self.assertLess(time.perf_counter() - started, 5)

    def test_file_size_is_capped(self):
        self._refused(
            b"PK" + b"\0" * (10 * 1024 * 1024),
            "Nothing was imported from san_pham.xlsx: the file is larger than 10 MB, the most the import "
            "reads.",
        )

    def test_unreadable_files_get_one_clear_message(self):
        good = self._good_file()
        # with its dimension first, so that openpyxl opens the workbook and parses the rows only later
        header = (
            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b'<dimension ref="A1:B2"/><sheetData>'
        )
        first_row = (
            '<row r="1"><c r="A1" t="inlineStr"><is><t>Tên sản phẩm</t></is></c>'
            '<c r="B1" t="inlineStr"><is><t>Họ và tên</t></is></c></row>'
        ).encode()
        for label, content in (
            ("not a zip", b"not a workbook"),
            ("a zip of something else", rezip(good, extra={"x.txt": b"x"})[:200]),
            ("malformed [Content_Types].xml", rezip(good, {"[Content_Types].xml": b"<Types"})),
            ("malformed workbook.xml", rezip(good, {"xl/workbook.xml": b"<workbook"})),
            ("malformed styles", rezip(good, {"xl/styles.xml": b"<<"})),
            # the worksheets are parsed lazily, row by row: broken after its first rows
            (
                "truncated worksheet",
                rezip(good, {"xl/worksheets/sheet1.xml": header + first_row + b'<row r="2"><c'}),
            ),
            # a shared string that does not exist (IndexError while the rows are read)
            (
                "missing shared string",
                rezip(
                    good,
                    {
                        "xl/worksheets/sheet1.xml": header
                        + first_row
                        + b'<row r="2"><c r="A2" t="s"><v>99</v></c>'
                        b"</row></sheetData></worksheet>"
                    },
                ),
            ),
            ("empty workbook.xml", rezip(good, {"xl/workbook.xml": b""})),
            ("no workbook.xml", zip_of({"[Content_Types].xml": zip_part(good, "[Content_Types].xml")})),
        ):
            with self.subTest(label):
                self._refused(content, "san_pham.xlsx is not a readable Excel workbook (.xlsx): ")

    def test_formulas_are_read_as_their_saved_values_never_their_text(self):
        # saved by openpyxl: formulas without a computed value (as a file never opened in Excel)
        content = workbook(
            {
                "Phòng Nội vụ": [
                    VI_HEADER,
                    row("10001", None, "=1+1", None, None, 4, 4, 4, 4),
                ]
            }
        )
        self._refused(content, "Worksheet Phòng Nội vụ, row 2: the product's name (Tên sản phẩm) is missing.")
        content = workbook(
            {
                "Phòng Nội vụ": [
                    VI_HEADER,
                    row("10001", None, "Báo cáo", None, "=1/0", 4, "=2+2", 0, 0, note='=HYPERLINK("x")'),
                ]
            }
        )
        self._import(content)
        [line] = self.sheet.product_ids
        self.assertEqual((line.name, line.weight, line.qty_done, line.note), ("Báo cáo", 1.0, 0.0, False))
        # saved by Excel (here xlsxwriter, which saves the values given): the values
        import xlsxwriter  # an Odoo requirement, imported where used

        output = io.BytesIO()
        book = xlsxwriter.Workbook(output)
        sheet = book.add_worksheet("Phòng Nội vụ")
        sheet.write_row(0, 0, VI_HEADER)
        sheet.write_row(1, 0, ["10001", None])
        sheet.write_formula(1, 2, '="Báo cáo "&"tháng"', None, "Báo cáo tháng")
        sheet.write_row(1, 5, [10, 9])
        sheet.write_formula(1, 7, "=G2-1", None, 8)
        sheet.write_formula(1, 8, "=G2", None, 9)
        sheet.write_formula(1, 13, '="=1+1"', None, "")
        book.close()
        self._import(output.getvalue())
        [line] = self.sheet.product_ids
        self.assertEqual(
            (line.name, line.qty_assigned, line.qty_done, line.qty_quality, line.qty_on_time, line.note),
            ("Báo cáo tháng", 10.0, 9.0, 8.0, 9.0, False),
        )

    def test_the_coefficient_is_the_catalogues(self):
        content = workbook(
            {
                "Phòng Nội vụ": [
                    VI_HEADER,
                    row("10001", None, "Dự thảo", "VBQP", 3, 1, 1, 1, 1),
                    row("10001", None, "Báo cáo", None, "1,5", 1, 1, 1, 1),
                ]
            }
        )
        self._refused(
            content,
            "Worksheet Phòng Nội vụ, row 2: the coefficient (Hệ số) 3 is not the catalogue's 2: only a "
            "reviewer may change it, on the sheet, with the reason.",
            "Worksheet Phòng Nội vụ, row 3: the coefficient (Hệ số) 1.5 is not the catalogue's 1: only a "
            "reviewer may change it, on the sheet, with the reason.",
        )
        self.assertFalse(self.sheet.product_ids)

    def test_exceeding_requirements_column(self):
        content = workbook(
            {
                "Phòng Nội vụ": [
                    VI_HEADER,
                    row("10001", None, "Nhiệm vụ", None, None, 10, 10, 8, 10) + [3],
                ]
            }
        )
        self._import(content)
        self.assertEqual(self.sheet.product_ids.qty_exceeded, 3.0)
        content = workbook(
            {
                "Phòng Nội vụ": [
                    VI_HEADER,
                    row("10001", None, "Nhiệm vụ 2", None, None, 10, 10, 8, 10) + [9],
                ]
            }
        )
        with self.assertRaisesRegex(UserError, "row 2: more exceeding the requirements than meeting them"):
            self._import(content)
        self.assertEqual(len(self.sheet.product_ids), 1)

    def test_numbers_beyond_the_bounds_of_a_line(self):
        """The coefficient 1e308 used to crash the import (OverflowError); counts beyond PostgreSQL's
        integer too. Every problem of each row, with the column's header."""
        self.sheet.with_user(self.user_staff).action_submit()
        content = workbook(
            {
                "Phòng Nội vụ": [
                    VI_HEADER,
                    row("10001", None, "Báo cáo 1", None, 1e308, 4, 4, 4, 4),
                    row("10001", None, "Báo cáo 2", None, "1e308", 4, 4, 4, 4, errors=10**12, delays=2**31),
                    row("10001", None, "Báo cáo 3", None, None, 2_000_000, "1 000 001", 0, 0, errors=1.5),
                    row("10001", None, "Báo cáo 4", None, "inf", 4, 4, 4, 4, delays=True),
                ]
            }
        )
        self._refused(
            content,
            "Worksheet Phòng Nội vụ, row 2: Hệ số cannot be more than 1,000: 1e+308.",
            "Worksheet Phòng Nội vụ, row 3: Hệ số cannot be more than 1,000: 1e308; Số lỗi lớn cannot be "
            "more than 1,000: 1000000000000; Số lần chậm cannot be more than 1,000: 2147483648.",
            "Worksheet Phòng Nội vụ, row 4: Được giao cannot be more than 1,000,000: 2000000; Hoàn thành "
            "cannot be more than 1,000,000: 1 000 001; Số lỗi lớn is not a whole number: 1.5.",
            "Worksheet Phòng Nội vụ, row 5: Hệ số is not a number: inf; Số lần chậm is not a whole number: "
            "True.",
        )
        # at the limits (the coefficient of the catalogue's type)
        self.env["civ.product.type"].create(
            {"name": "Đề án lớn", "code": "DA", "weight": 1000, "company_id": self.company.id}
        )
        self._import(
            workbook(
                {
                    "Phòng Nội vụ": [
                        VI_HEADER,
                        row(
                            "10001",
                            None,
                            "Đề án",
                            "DA",
                            1000,
                            "1 000 000",
                            1,
                            1,
                            1,
                            errors=1000,
                            delays="1000",
                        ),
                    ]
                }
            )
        )
        [line] = self.sheet.product_ids
        self.assertEqual(
            (line.weight, line.qty_assigned, line.error_count, line.delay_count), (1000, 1e6, 1000, 1000)
        )

    def test_the_help_states_the_limits(self):
        from ..wizards import civ_product_import_wizard as wizard_module

        view = self.env.ref("civ_evaluation.civ_product_import_wizard_view_form")
        help_text = self.Wizard._fields["file"].help
        for text in (
            f"{wizard_module.MAX_FILE_SIZE // 2**20} MB",
            f"{wizard_module.MAX_UNCOMPRESSED_SIZE // 2**20} MB unzipped",
            f"{wizard_module.MAX_ROWS_PER_SHEET:,} rows per worksheet",
            f"{wizard_module.MAX_ROWS_PER_FILE:,} rows per file",
            f"the first {wizard_module.MAX_COLUMNS} columns",
        ):
            self.assertIn(text, help_text)
            self.assertIn(text, " ".join(view.arch.split()))
