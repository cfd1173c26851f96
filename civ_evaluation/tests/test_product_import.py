"""The Excel import of product lines (issue #11, item 7): exact lines from a good file, nothing from a
file with one wrong row (every problem listed with its worksheet and row), officers of the period's
company only, re-import without duplicates, and the template."""

import base64
import io
from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .cycle_common import QUIET, CivCycleCase

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
        cls.company.civ_framework_id = cls.env.ref("civ_evaluation.framework_nd335")
        cls.criterion = cls.env.ref("civ_evaluation.nd335_c_2_1")
        cls.product_type = cls.env["civ.product.type"].create(
            {"name": "Dự thảo văn bản quy phạm", "code": "VBQP", "weight": 2.0, "company_id": cls.company.id}
        )
        cls.staff.barcode = "10001"
        cls.staff2.write({"identification_id": "001090000123", "work_email": "hai@thunghiem.gov.vn"})
        cls.period = cls._open_period(cls)
        cls.sheet = cls._sheet(cls, cls.period, cls.staff)
        cls.sheet2 = cls._sheet(cls, cls.period, cls.staff2)
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
                    row(None, "Đỗ Thị Hai", "Hồ sơ thẩm định", None, "1,5", 4, 4, 4, 4),
                    row("hai@thunghiem.gov.vn", None, "Báo cáo tháng", None, None, 2, 1, 1, 0),
                ]
            }
        )

    def _period_products(self):
        return self.env["civ.evaluation.product"].search([("evaluation_id.period_id", "=", self.period.id)])

    def _products(self, sheet):
        return sheet.product_ids.sorted("sequence")


@tagged("post_install", "-at_install", "civ_evaluation")
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
        # one major error: the item's quality 4 → 3, b = 75 %, on the reviewer's points
        self.assertEqual(self.sheet.product_score_quality, 75.0)
        self.assertEqual(self.sheet.product_ids.error_count, 1)
        self.assertEqual(
            self.sheet.line_ids.filtered(lambda line: line.criterion_id == self.criterion).reviewer_points,
            round((100 + 75 + 100) / 3 * 0.7, 2),
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
        other = self.env["res.company"].create({"name": "UBND huyện Khác"})
        officer2 = new_test_user(
            self.env,
            context=QUIET,
            login="canbo_khac",
            groups="base.group_user,civ_evaluation.group_civ_officer",
            company_id=other.id,
            company_ids=[Command.set(other.ids)],
        )
        with self.assertRaises(AccessError):
            self._wizard(self._good_file(), user=officer2).action_import()
        # a period not open
        draft = self.Period.create({"company_id": self.company.id, "date_start": date(2026, 6, 1)})
        with self.assertRaises(UserError):
            self._wizard(self._good_file(), period=draft).action_import()
        self.assertFalse(self._period_products())

    # ------------------------------------------------------------------ the template
    def test_template(self):
        import openpyxl  # an Odoo requirement, imported where used

        wizard = (
            self.Wizard.with_user(self.user_officer)
            .with_context(active_model="civ.period", active_id=self.period.id)
            .create({})
        )
        self.assertEqual(wizard.period_id, self.period)
        action = wizard.action_download_template()
        self.assertEqual(action["url"], f"/web/content/{wizard.template_id.id}?download=true")
        self.assertEqual(wizard.template_id.name, "mau_nhap_san_pham_2026_05.xlsx")
        book = openpyxl.load_workbook(io.BytesIO(wizard.template_id.raw))
        self.assertEqual(book.sheetnames, ["Thường trực UBND", "Phòng Nội vụ"])
        ws = book["Phòng Nội vụ"]
        values = [[cell.value for cell in line] for line in ws.iter_rows()]
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
        ws = openpyxl.load_workbook(io.BytesIO(wizard.template_id.raw))["Phòng Nội vụ"]
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


@tagged("post_install", "-at_install", "civ_evaluation")
class TestProductImportOverRpc(ProductImportCase, HttpCase):
    def _call(self, model, method, *args, **kwargs):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def _refused(self, model, method, *args, **kwargs):
        with mute_logger("odoo.http"), self.assertRaises(JsonRpcException) as caught:
            self._call(model, method, *args, **kwargs)
        return caught.exception.args[0]

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


@tagged("post_install", "-at_install", "civ_evaluation")
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
        import openpyxl  # an Odoo requirement, imported where used

        wizard = (
            self.env["civ.export.wizard"]
            .with_user(self.user_officer)
            .create({"report_kind": "unit_list", "period_ids": [Command.set(self.period.ids)]})
        )
        wizard.action_export()
        ws = openpyxl.load_workbook(io.BytesIO(wizard.attachment_id.raw)).active
        values = [[cell.value for cell in line] for line in ws.iter_rows()]
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
                    "Có: Mất điện",
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
            cells(second)[0][1:8], ["Hồ sơ thẩm định", "", format_vi_number(1.5), "4", "4", "4", "4"]
        )
        self.assertEqual(format_vi_number(1.5), "1,5")
        self.assertIn(f"Khối lượng (a): {format_vi_number(87.5)}%", second.text_content())
        self.assertIn("Khối lượng (a): 87,5%", second.text_content())
        # a sheet without products: no table
        self.assertFalse(third.xpath(".//div[hasclass('o_civ_products')]"))
        self.assertNotIn("Khối lượng (a)", third.text_content())
