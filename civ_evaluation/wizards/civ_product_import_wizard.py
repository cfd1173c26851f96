"""Excel import of the product lines of a period (issue #11, item 7): for agencies whose work is
tracked elsewhere. One worksheet per unit (its title is the department's name), one row per product
line; every row is checked first and nothing is imported when one row is wrong."""

import base64
import binascii
import io
import logging
import re
import unicodedata
import zipfile
from collections import defaultdict
from datetime import date, datetime

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

from ..models.civ_evaluation_product import LIMITS
from ..models.civ_format import format_number
from ..models.civ_numbers import NOT_WHOLE, TOO_LARGE, TOO_SMALL, parse_number
from ..reports.xlsx_common import NO_DEPARTMENT, POSITION_RANK, XLSX_MIMETYPE, sheet_name

_logger = logging.getLogger(__name__)

# the columns of a product line: (key, header of the template, other accepted headers). Headers are
# compared without case, accents or punctuation ("Hoàn thành" = "hoan thanh" = "HOÀN THÀNH:").
COLUMNS = [
    (
        "employee_code",
        "Mã cán bộ",
        ("Employee Code", "Code", "Mã", "Mã nhân viên", "Badge ID", "Identification No", "Email"),
    ),
    ("employee_name", "Họ và tên", ("Employee", "Employee Name", "Name of the Employee", "Họ tên")),
    (
        "name",
        "Tên sản phẩm",
        ("Product", "Product / Work", "Product Name", "Work", "Tên sản phẩm, công việc", "Sản phẩm"),
    ),
    ("type_code", "Loại", ("Type", "Type Code", "Mã loại")),
    ("weight", "Hệ số", ("Coefficient", "Weight")),
    ("qty_assigned", "Được giao", ("Assigned",)),
    ("qty_done", "Hoàn thành", ("Completed", "Done")),
    ("qty_quality", "Đạt yêu cầu", ("Meeting Requirements", "Quality")),
    ("qty_on_time", "Đúng tiến độ", ("On Time",)),
    ("error_count", "Số lỗi lớn", ("Major Errors", "Errors", "Lỗi lớn")),
    ("delay_count", "Số lần chậm", ("Delays", "Chậm")),
    ("date_deadline", "Hạn", ("Deadline", "Hạn hoàn thành")),
    ("date_done", "Ngày hoàn thành", ("Completed On", "Date Done")),
    ("note", "Ghi chú", ("Note", "Notes")),
    ("qty_exceeded", "Vượt yêu cầu", ("Exceeding Requirements", "Exceeded")),
]
QUANTITIES = ("weight", "qty_assigned", "qty_done", "qty_quality", "qty_on_time", "qty_exceeded")
COUNTS = ("error_count", "delay_count")
DATES = ("date_deadline", "date_done")
# a row of the template that nobody filled in: only the person's code and name
PERSON_KEYS = ("employee_code", "employee_name")
# the rows looked at to find the header row
HEADER_SEARCH_ROWS = 20
# errors listed in the message (the rest is counted)
MAX_ERRORS = 100
# What the import reads of a file, whatever the file declares: an .xlsx is a zip of XML parts that
# openpyxl parses (in read-only mode, lazily, row by row). The file and its parts once unzipped are
# measured before anything is parsed (a few hundred KB of shared strings may inflate to gigabytes);
# the worksheets' declared dimension is ignored (a 2 KB file may declare A1:XFD1048576, which
# openpyxl would pad every row to) and the rows and columns read are capped while reading.
MAX_FILE_SIZE = 10 * 1024 * 1024  # bytes of the .xlsx file
MAX_UNCOMPRESSED_SIZE = 20 * 1024 * 1024  # bytes of all its parts once unzipped
MAX_PARTS = 1_000  # files in the zip
MAX_ROWS_PER_SHEET = 10_000  # rows of a worksheet (its last row's number)
MAX_ROWS_PER_FILE = 20_000  # rows of all the worksheets
MAX_COLUMNS = 50  # columns read (the product line has 14)
MEGABYTE = 1024 * 1024


def _plain(text):
    """text without case, accents, punctuation or repeated spaces: 'Hoàn thành:' → 'hoan thanh'."""
    text = unicodedata.normalize("NFD", str(text or "")).replace("đ", "d").replace("Đ", "D")
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.casefold()).split())


HEADERS = {_plain(label): key for key, header, others in COLUMNS for label in (header, *others)}


def worksheet_key(text):
    """The worksheet title a department gets (Excel's 31 characters, no []:*?/\\), compared
    without case and repeated spaces."""
    title = re.sub(r"[\[\]:*?/\\]", "-", unicodedata.normalize("NFC", str(text or "")))[:31]
    return " ".join(title.split()).casefold()


class CivProductImportWizard(models.TransientModel):
    """Import the product lines of an open period from an Excel file (.xlsx): one worksheet per unit
    whose title is the department's name (as in the template), one row per product line with the
    columns of the product line. All-or-nothing: every row is checked first, every problem is listed
    with its worksheet and row, and the lines are created in one batch only when no row is wrong."""

    _name = "civ.product.import.wizard"
    _description = "Import Products and Work from Excel"

    period_id = fields.Many2one(
        "civ.period",
        required=True,
        domain="[('state', '=', 'open')]",
        help="The open period whose sheets receive the product lines.",
    )
    company_id = fields.Many2one(related="period_id.company_id")
    file = fields.Binary(
        string="Excel File",
        attachment=False,
        help="An .xlsx workbook: one worksheet per unit, titled with the department's name (the "
        "template's worksheets), its first row the column headers (Vietnamese or English), then one "
        "row per product line. The person is found by the code column (badge ID, identification "
        "number or work e-mail) or, without a code, by their exact name. Limits: a file of at most "
        f"{MAX_FILE_SIZE // MEGABYTE} MB ({MAX_UNCOMPRESSED_SIZE // MEGABYTE} MB unzipped), "
        f"{MAX_ROWS_PER_SHEET:,} rows per worksheet, {MAX_ROWS_PER_FILE:,} rows per file, the first "
        f"{MAX_COLUMNS} columns. Formulas are read as the values saved with the file, never computed.",
    )
    file_name = fields.Char()
    state = fields.Selection(
        [("choose", "Choose"), ("done", "Done")], default="choose", required=True, readonly=True
    )
    imported_count = fields.Integer(string="Lines Imported", readonly=True)
    replaced_count = fields.Integer(string="Lines Replaced", readonly=True)
    sheet_count = fields.Integer(string="Sheets", readonly=True)
    template_id = fields.Many2one("ir.attachment", readonly=True)
    template_name = fields.Char(related="template_id.name")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        if (
            "period_id" in fields_list
            and context.get("active_model") == "civ.period"
            and context.get("active_id")
        ):
            period = self.env["civ.period"].browse(context["active_id"]).exists()
            if period.state == "open":
                values["period_id"] = period.id
        return values

    def unlink(self):
        # the templates live as long as their wizard (transient records are vacuumed)
        self.env["ir.attachment"].sudo().search(
            [("res_model", "=", self._name), ("res_id", "in", self.ids)]
        ).unlink()
        return super().unlink()

    # ------------------------------------------------------------------ the gate
    def _check_import_access(self):
        """Officers of the period's company, on an open period (the period's gate, action
        'import_products'): checked again on the server whatever the form showed."""
        self.ensure_one()
        period = self.period_id
        if not period:
            raise UserError(self.env._("Choose the period."))
        # the period's gate: its record rules (the companies of the user) and its table
        period._check_workflow_access("import_products")
        return period

    # ------------------------------------------------------------------ the people and the sheets
    def _period_sheets(self, period):
        """The sheets of the period (sudo, after the gate), with their employees and departments."""
        return self.env["civ.evaluation"].sudo().search([("period_id", "=", period.id)])

    @api.model
    def _employee_code(self, employee, hr_user=False):
        """The code written in the template: the badge ID, else the identification number, else the
        work e-mail. The first two are the Employees app's private data (hr.group_hr_user): other
        users get the work e-mail."""
        if hr_user:
            return employee.barcode or employee.identification_id or employee.work_email or ""
        return employee.work_email or ""

    @api.model
    def _department_label(self, department):
        return department.name if department else NO_DEPARTMENT

    # ------------------------------------------------------------------ template
    def action_download_template(self):
        """An .xlsx with one worksheet per unit of the period (the departments of its sheets still in
        self-assessment or review), the column headers and one row per person (code and name)."""
        self.ensure_one()
        period = self._check_import_access()
        import xlsxwriter  # an Odoo requirement, imported where used

        sheets = self._period_sheets(period).filtered(
            lambda sheet: sheet.state in ("draft", "review") and sheet.uses_products
        )
        if not sheets:
            raise UserError(
                self.env._(
                    "No sheet of %s computes its task results from products in self-assessment or review.",
                    period.display_name,
                )
            )
        reveal = self.env.user.has_group("hr.group_hr_user")
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(
            output, {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
        )
        header = workbook.add_format({"bold": True, "bg_color": "#D9D9D9", "border": 1, "text_wrap": True})
        text = workbook.add_format({"num_format": "@"})
        used = set()
        by_department = defaultdict(list)
        for sheet in sheets:
            by_department[sheet.department_id].append(sheet)
        for department in sorted(by_department, key=lambda dept: (dept.complete_name or "", dept.id)):
            worksheet = workbook.add_worksheet(sheet_name(self._department_label(department), used))
            for col, (_key, label, _others) in enumerate(COLUMNS):
                worksheet.write(0, col, label, header)
                worksheet.set_column(col, col, 30 if col in (1, 2) else 14)
            worksheet.freeze_panes(1, 0)
            people = sorted(
                by_department[department],
                key=lambda sheet: (
                    POSITION_RANK.get(sheet.civ_position, 9),
                    sheet.employee_id.name or "",
                    sheet.id,
                ),
            )
            for row, sheet in enumerate(people, start=1):
                worksheet.write_string(row, 0, self._employee_code(sheet.employee_id, reveal), text)
                worksheet.write_string(row, 1, sheet.employee_id.name or "")
        workbook.close()
        name = f"mau_nhap_san_pham_{period.date_start:%Y_%m}.xlsx"
        attachment = self.env["ir.attachment"].create(
            {
                "name": name,
                "raw": output.getvalue(),
                "mimetype": XLSX_MIMETYPE,
                "res_model": self._name,
                "res_id": self.id,
            }
        )
        self.template_id = attachment
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "download",
        }

    # ------------------------------------------------------------------ reading the file
    def _unreadable(self, error):
        """The one message of a file that is not a readable workbook, whatever went wrong in it."""
        return UserError(
            self.env._(
                "%(file)s is not a readable Excel workbook (.xlsx): %(error)s",
                file=self.file_name or self.env._("The file"),
                error=str(error) or type(error).__name__,
            )
        )

    def _too_large(self, problem):
        """The message of a file beyond a limit of the import (problem: which, and the limit)."""
        return UserError(
            self.env._(
                "Nothing was imported from %(file)s: %(problem)s",
                file=self.file_name or self.env._("the file"),
                problem=problem,
            )
        )

    def _file_content(self):
        """The bytes of the file, checked before openpyxl parses anything: its size, and the size of its
        parts once unzipped as the zip declares them (zipfile never inflates a part beyond its
        declared size: a part that lies fails its CRC check)."""
        if not self.file:
            raise UserError(self.env._("Choose the Excel file to import."))
        too_large = self.env._(
            "the file is larger than %(limit)s MB, the most the import reads.",
            limit=MAX_FILE_SIZE // MEGABYTE,
        )
        # base64 takes 4 characters per 3 bytes: a text twice the limit is not decoded at all
        if len(self.file) > 2 * MAX_FILE_SIZE:
            raise self._too_large(too_large)
        try:
            content = base64.b64decode(self.file)
        except (binascii.Error, ValueError) as error:
            raise self._unreadable(error) from error
        if len(content) > MAX_FILE_SIZE:
            raise self._too_large(too_large)
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                parts = archive.infolist()
        except MemoryError:
            raise
        except Exception as error:  # not a zip, or a damaged one
            raise self._unreadable(error) from error
        if len(parts) > MAX_PARTS:
            raise self._too_large(
                self.env._(
                    "the workbook holds more than %(limit)s parts, the most the import reads.",
                    limit=format_number(self.env, MAX_PARTS, trim=True),
                )
            )
        if sum(part.file_size for part in parts) > MAX_UNCOMPRESSED_SIZE:
            raise self._too_large(
                self.env._(
                    "once unzipped, the workbook would take more than %(limit)s MB, the most the import "
                    "reads (an .xlsx file is a zip of its worksheets and texts).",
                    limit=MAX_UNCOMPRESSED_SIZE // MEGABYTE,
                )
            )
        return content

    def _read_file(self, errors):
        """The rows of the file (see _read_rows); any problem of the file itself, found when it is
        opened or later while its rows are read (openpyxl parses the worksheets lazily), is one clear
        message. Formulas are read as the values saved with the file (data_only), never computed:
        a formula without a saved value is an empty cell, never its text."""
        import openpyxl  # an Odoo requirement, imported where used

        content = self._file_content()
        try:
            workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            try:
                return self._read_rows(workbook, errors)
            finally:
                workbook.close()
        except (UserError, MemoryError):
            raise
        except Exception as error:  # whatever a malformed part raises (XML, zip, openpyxl's own)
            _logger.info("Product import: %s is not a readable workbook", self.file_name, exc_info=True)
            raise self._unreadable(error) from error

    def _read_rows(self, workbook, errors):
        """[(worksheet title, row number, {column key: value})] of every worksheet with data; the
        problems of the headers go into errors. At most MAX_COLUMNS columns are read, and
        MAX_ROWS_PER_SHEET rows per worksheet and MAX_ROWS_PER_FILE in all: beyond, the file is
        refused."""
        rows = []
        total = 0
        for worksheet in workbook.worksheets:
            # the dimension the file declares is not trusted: only the rows and cells it holds are read
            worksheet.reset_dimensions()
            columns = None
            for number, values in enumerate(
                worksheet.iter_rows(
                    min_row=1,
                    max_row=MAX_ROWS_PER_SHEET + 1,
                    min_col=1,
                    max_col=MAX_COLUMNS + 1,
                    values_only=True,
                ),
                start=1,
            ):
                total += 1
                if number > MAX_ROWS_PER_SHEET:
                    raise self._too_large(
                        self.env._(
                            "the worksheet %(sheet)s has more than %(limit)s rows, the most the import reads "
                            "in a worksheet.",
                            sheet=worksheet.title,
                            limit=format_number(self.env, MAX_ROWS_PER_SHEET, trim=True),
                        )
                    )
                if total > MAX_ROWS_PER_FILE:
                    raise self._too_large(
                        self.env._(
                            "the file has more than %(limit)s rows, the most the import reads in a file.",
                            limit=format_number(self.env, MAX_ROWS_PER_FILE, trim=True),
                        )
                    )
                cells = list(values)
                if columns is None:
                    if number > HEADER_SEARCH_ROWS:
                        break
                    keys = [
                        HEADERS.get(_plain(value)) if value not in (None, "") else None for value in cells
                    ]
                    if "name" not in keys:
                        continue
                    if any(value not in (None, "") for value in cells[MAX_COLUMNS:]):
                        errors.append(
                            self.env._(
                                "Worksheet %(sheet)s, row %(row)s: more than %(limit)s columns, the most the "
                                "import reads.",
                                sheet=worksheet.title,
                                row=number,
                                limit=MAX_COLUMNS,
                            )
                        )
                    keys, cells = keys[:MAX_COLUMNS], cells[:MAX_COLUMNS]
                    unknown = [
                        str(value)
                        for value, key in zip(cells, keys, strict=True)
                        if key is None and value not in (None, "")
                    ]
                    if unknown:
                        errors.append(
                            self.env._(
                                "Worksheet %(sheet)s, row %(row)s: unknown columns %(columns)s.",
                                sheet=worksheet.title,
                                row=number,
                                columns=", ".join(unknown),
                            )
                        )
                    if not {"employee_code", "employee_name"} & set(keys):
                        errors.append(
                            self.env._(
                                "Worksheet %(sheet)s, row %(row)s: a column of the person is missing "
                                "(Mã cán bộ or Họ và tên).",
                                sheet=worksheet.title,
                                row=number,
                            )
                        )
                    columns = keys
                    continue
                row = {}
                for key, cell in zip(columns, cells, strict=False):
                    if key and key not in row:
                        value = cell.strip() if isinstance(cell, str) else cell
                        row[key] = value if value not in (None, "") else None
                if not any(value is not None for value in row.values()):
                    continue
                # a template row nobody filled in: only the person
                if all(row.get(key) is None for key in row if key not in PERSON_KEYS):
                    continue
                rows.append((worksheet.title, number, row))
        return rows

    # ------------------------------------------------------------------ values
    def _date(self, value):
        """value as a date (a date cell, or text dd/mm/yyyy or yyyy-mm-dd), or None."""
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
                try:
                    return datetime.strptime(value, pattern).date()
                except ValueError:
                    continue
        return None

    def _indexes(self, period, sheets):
        """Lookups of the people (by code, by name), the departments (by worksheet title), the types
        of products (by code) and the sheets (by employee)."""
        employees = (
            self.env["hr.employee"]
            .sudo()
            .with_context(active_test=False)
            .search([("company_id", "=", period.company_id.id)])
        )
        by_code = defaultdict(set)
        by_name = defaultdict(set)
        for employee in employees:
            for code in (employee.barcode, employee.identification_id, employee.work_email):
                if code:
                    by_code[code.strip().casefold()].add(employee.id)
            by_name[" ".join((employee.name or "").split()).casefold()].add(employee.id)
        departments = defaultdict(set)
        for department in sheets.department_id:
            departments[worksheet_key(self._department_label(department))].add(department.id)
        if any(not sheet.department_id for sheet in sheets):
            departments[worksheet_key(NO_DEPARTMENT)].add(False)
        types = defaultdict(set)
        for product_type in (
            self.env["civ.product.type"]
            .sudo()
            .search([("company_id", "in", (False, period.company_id.id)), ("code", "!=", False)])
        ):
            types[product_type.code.strip().casefold()].add(product_type)
        return {
            "by_code": by_code,
            "by_name": by_name,
            "departments": departments,
            "types": types,
            "sheets": {sheet.employee_id.id: sheet for sheet in sheets},
        }

    def _row_values(self, row, sheet, types, problems):
        """The values of one product line from a row; its problems go into problems."""
        env = self.env
        vals = {"evaluation_id": sheet.id, "source": "import"}
        name = row.get("name")
        if name is None:
            problems.append(env._("the product's name (Tên sản phẩm) is missing"))
        else:
            vals["name"] = str(name)
        if row.get("type_code") is not None:
            code = str(row["type_code"]).strip()
            found = types.get(code.casefold(), set())
            # the company's own type before a shared one
            own = [ptype for ptype in found if ptype.company_id]
            found = own or list(found)
            if len(found) != 1:
                problems.append(env._("no type of product with the code %s", code))
            elif not found[0]._is_allowed_for(sheet):
                problems.append(
                    env._("the type %s is not in the catalogue of the person's job position", code)
                )
            else:
                vals["product_type_id"] = found[0].id
        vals.update(self._row_numbers(row, sheet, problems))
        # the coefficient is the catalogue's: an import never overrides it (a reviewer may, on the sheet,
        # with the reason)
        catalogue = env["civ.product.type"].browse(vals.get("product_type_id")).weight or 1.0
        if "weight" in vals and float_compare(vals["weight"], catalogue, precision_digits=4) != 0:
            problems.append(
                env._(
                    "the coefficient (Hệ số) %(weight)s is not the catalogue's %(catalogue)s: only a "
                    "reviewer may change it, on the sheet, with the reason",
                    weight=format_number(env, vals["weight"], trim=True),
                    catalogue=format_number(env, catalogue, trim=True),
                )
            )
        vals.update(self._row_dates(row, problems))
        if row.get("note") is not None:
            vals["note"] = str(row["note"])
        return vals

    def _row_numbers(self, row, sheet, problems):
        """The quantities, errors and delays of a row, checked like the product line's constraints."""
        env = self.env
        labels = {key: header for key, header, _others in COLUMNS}
        vals = {}
        for fname in (*QUANTITIES, *COUNTS):
            value = row.get(fname)
            if value is None:
                continue
            # the parser of the product lines (civ_numbers), with the lines' bounds; an empty cell was
            # left out above, a boolean cell (TRUE, FALSE) is no number
            number, problem = parse_number(
                value, integer=fname in COUNTS, minimum=0, maximum=LIMITS[fname], empty=None
            )
            label = labels[fname]
            if problem == TOO_SMALL:
                problems.append(env._("%(column)s cannot be negative", column=label))
            elif problem == TOO_LARGE:
                problems.append(
                    env._(
                        "%(column)s cannot be more than %(limit)s: %(value)s",
                        column=label,
                        limit=format_number(env, LIMITS[fname], trim=True),
                        value=value,
                    )
                )
            elif problem == NOT_WHOLE or (problem and fname in COUNTS):
                problems.append(
                    env._("%(column)s is not a whole number: %(value)s", column=label, value=value)
                )
            elif problem:
                problems.append(env._("%(column)s is not a number: %(value)s", column=label, value=value))
            else:
                vals[fname] = number
        if "weight" in vals and float_compare(vals["weight"], 0.0, precision_digits=4) <= 0:
            problems.append(env._("the coefficient (Hệ số) must be positive"))
        assigned = vals.get("qty_assigned", 1.0)
        done = vals.get("qty_done", 0.0)
        if float_compare(done, assigned, precision_digits=4) > 0:
            problems.append(env._("more completed than assigned"))
        if float_compare(vals.get("qty_quality", 0.0), done, precision_digits=4) > 0:
            problems.append(env._("more meeting the requirements than completed"))
        if float_compare(vals.get("qty_on_time", 0.0), done, precision_digits=4) > 0:
            problems.append(env._("more completed on time than completed"))
        if float_compare(vals.get("qty_exceeded", 0.0), vals.get("qty_quality", 0.0), precision_digits=4) > 0:
            problems.append(env._("more exceeding the requirements than meeting them"))
        if sheet.state == "draft" and (vals.get("error_count") or vals.get("delay_count")):
            problems.append(
                env._(
                    "errors and delays are recorded by the reviewers: they can be imported only for sheets "
                    "in review"
                )
            )
        return vals

    def _row_dates(self, row, problems):
        labels = {key: header for key, header, _others in COLUMNS}
        vals = {}
        for fname in DATES:
            value = row.get(fname)
            if value is None:
                continue
            day = self._date(value)
            if day is None:
                problems.append(
                    self.env._(
                        "%(column)s is not a date (dd/mm/yyyy): %(value)s", column=labels[fname], value=value
                    )
                )
            else:
                vals[fname] = day
        return vals

    def _row_sheet(self, row, department_ids, indexes, problems):
        """The sheet a row goes to (the person by code or name, their sheet in the period, still open
        to products, in the worksheet's unit), or None with the problems."""
        env = self.env
        by_code, by_name, sheet_by_employee = indexes["by_code"], indexes["by_name"], indexes["sheets"]
        Employee = env["hr.employee"].sudo().with_context(active_test=False)
        employee_ids = set()
        code, name = row.get("employee_code"), row.get("employee_name")
        if isinstance(code, float) and code == int(code):
            code = int(code)
        if code is not None:
            employee_ids = by_code.get(str(code).strip().casefold(), set())
            if not employee_ids:
                problems.append(env._("no employee with the code %s", code))
        elif name is not None:
            employee_ids = by_name.get(" ".join(str(name).split()).casefold(), set())
            if not employee_ids:
                problems.append(env._("no employee named %s", name))
        else:
            problems.append(env._("the person is missing (Mã cán bộ or Họ và tên)"))
        if len(employee_ids) > 1:
            problems.append(
                env._(
                    "several employees match %s: give the person's code", code if code is not None else name
                )
            )
        sheet = None
        if len(employee_ids) == 1:
            employee = Employee.browse(next(iter(employee_ids)))
            sheet = sheet_by_employee.get(employee.id)
            if not sheet:
                problems.append(env._("%s has no evaluation sheet in this period", employee.name))
            elif sheet.with_env(env)._civ_is_own():
                # the import records quantities, errors and delays: never on one's own evaluation
                problems.append(
                    env._("the sheet of %s is your own: someone else imports its products", employee.name)
                )
                sheet = None
            elif sheet.state not in ("draft", "review"):
                problems.append(
                    env._(
                        "the sheet of %(employee)s is %(state)s: its products no longer change",
                        employee=employee.name,
                        state=dict(sheet._fields["state"]._description_selection(env))[sheet.state],
                    )
                )
                sheet = None
            elif not sheet.uses_products:
                problems.append(
                    env._(
                        "the framework of the sheet of %s does not compute the task results from products",
                        employee.name,
                    )
                )
                sheet = None
            elif len(department_ids) == 1 and sheet.department_id.id != next(iter(department_ids)):
                problems.append(
                    env._(
                        "%(employee)s belongs to %(department)s in this period, not to this worksheet's unit",
                        employee=employee.name,
                        department=self._department_label(sheet.department_id),
                    )
                )
        return sheet

    def _prepare_lines(self, period, rows, errors):
        """The values of the product lines of every row (and the sheets concerned); the problems of
        each row go into errors, with the worksheet and the row."""
        env = self.env
        indexes = self._indexes(period, self._period_sheets(period))
        departments, types = indexes["departments"], indexes["types"]
        vals_list = []
        for title, number, row in rows:
            problems = []
            department_ids = departments.get(worksheet_key(title), set())
            if not department_ids:
                problems.append(
                    env._(
                        "no unit of the period is named like this worksheet (the worksheet's title must be "
                        "the department's name)"
                    )
                )
            elif len(department_ids) > 1:
                problems.append(env._("several units of the period are named like this worksheet"))
            sheet = self._row_sheet(row, department_ids, indexes, problems)
            if sheet:
                vals = self._row_values(row, sheet, types, problems)
            if problems:
                errors.append(
                    env._(
                        "Worksheet %(sheet)s, row %(row)s: %(problems)s.",
                        sheet=title,
                        row=number,
                        problems="; ".join(problems),
                    )
                )
            elif sheet:
                vals["sequence"] = len(vals_list) + 1
                vals_list.append(vals)
        return vals_list

    # ------------------------------------------------------------------ the import
    def action_import(self):
        """Check every row of the file, then create all the product lines at once (source
        'import'), replacing the unconfirmed imported lines of the same sheets; nothing is imported
        when a row is wrong: the message lists every problem with its worksheet and row."""
        self.ensure_one()
        period = self._check_import_access()
        errors = []
        rows = self._read_file(errors)
        vals_list = self._prepare_lines(period, rows, errors)
        if not errors and not vals_list:
            errors.append(
                self.env._(
                    "The file has no product line: each worksheet needs a header row with the columns of "
                    "the product line (at least Tên sản phẩm and Mã cán bộ or Họ và tên)."
                )
            )
        if errors:
            more = len(errors) - MAX_ERRORS
            listed = errors[:MAX_ERRORS] + ([self.env._("… and %s more problems.", more)] if more > 0 else [])
            raise UserError(
                self.env._(
                    "Nothing was imported from %(file)s:\n%(errors)s",
                    file=self.file_name or self.env._("the file"),
                    errors="\n".join(listed),
                )
            )
        Product = self.env["civ.evaluation.product"].sudo()
        sheets = self.env["civ.evaluation"].sudo().browse({vals["evaluation_id"] for vals in vals_list})
        # re-importing the same file does not add the lines twice: the lines imported before into
        # these sheets are replaced, unless a reviewer has confirmed them
        previous = Product.search(
            [("evaluation_id", "in", sheets.ids), ("source", "=", "import"), ("confirmed", "=", False)]
        )
        replaced = len(previous)
        previous.unlink()
        Product.create(vals_list)
        company_env = period._civ_company_env()
        period.sudo().message_post(
            body=company_env._(
                "%(count)s product lines imported from %(file)s by %(user)s into %(sheets)s sheets "
                "(%(replaced)s imported lines replaced).",
                count=len(vals_list),
                file=self.file_name or "-",
                user=self.env.user.name,
                sheets=len(sheets),
                replaced=replaced,
            )
        )
        _logger.info(
            "Product import by %s into period %s: %s lines, %s sheets, %s replaced",
            self.env.user.login,
            period.id,
            len(vals_list),
            len(sheets),
            replaced,
        )
        self.write(
            {
                "state": "done",
                "imported_count": len(vals_list),
                "replaced_count": replaced,
                "sheet_count": len(sheets),
                "file": False,
            }
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Import Products (Excel)"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
        }
