"""Common layout of the Excel reports (Decree 30/2020 on administrative documents).

The Vietnamese texts of this package are the content of the official forms (titles, column headers,
the national title, signature blocks), not user-interface strings: they are kept as constants and are
not translated.

Every workbook is written with xlsxwriter in constant-memory mode (rows are flushed to disk as soon
as a later row is written), so the builders write strictly row after row: data is gathered first,
then written top to bottom.
"""

import io
import re
from dataclasses import dataclass
from datetime import date, timedelta

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

FONT_NAME = "Times New Roman"
FONT_SIZE = 12
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO = "Độc lập - Tự do - Hạnh phúc"
# Party bodies (Đảng ủy, Ban ...): the Party's name instead of the national title and motto
PARTY_TITLE = "ĐẢNG CỘNG SẢN VIỆT NAM"
# Decree 30/2020: national title 12-13 pt, motto and place/date 13-14 pt
MOTTO_SIZE = 13
PLACE_DATE_SIZE = 13
# page numbers: top centre, none on the first page
PAGE_HEADER = '&C&"Times New Roman"&12&P'
PLACE_DATE = "{place}, ngày {day} tháng {month} năm {year}"
PLACE_UNKNOWN = "……………"
PREPARER_TITLE = "NGƯỜI LẬP BIỂU"
PREPARER_HINT = "(Ký, ghi rõ họ tên)"
HEAD_TITLE = "THỦ TRƯỞNG CƠ QUAN"
HEAD_HINT = "(Ký, ghi rõ họ tên, đóng dấu)"
MONTH_TITLE = "Tháng {month:02d} năm {year}"
QUARTER_TITLE = "Quý {quarter} năm {year}"
MONTH_SHEET = "T{month:02d}-{year}"
QUARTER_SHEET = "Q{quarter}-{year}"
PERIOD_RANGE = "Từ ngày {start} đến ngày {end}"
UNITS_LABEL = "Đơn vị: {names}"
DEPARTMENTS_LABEL = "Phòng/ban: {names}"
NO_DEPARTMENT = "(Không thuộc phòng/ban)"

# print set-up: A4 landscape, margins of Decree 30/2020 (left 30 mm, right 15, top and bottom 20)
PAPER_A4 = 9
MARGINS_MM = {"left": 30.0, "right": 15.0, "top": 20.0, "bottom": 20.0}
MM_PER_INCH = 25.4

# ranks of the positions, to list heads before their staff
POSITION_RANK = {
    "agency_head": 0,
    "deputy_agency_head": 1,
    "unit_head": 2,
    "deputy_unit_head": 3,
    "staff": 4,
}

# rows read per ORM call
CHUNK_SIZE = 2000


@dataclass
class ReportScope:
    """What a report covers, prepared by the export wizard.

    env is the exporting user's environment restricted to the chosen companies (record rules apply
    to every search and read of sheets); domain selects the sheets."""

    env: object
    companies: object
    periods: object
    departments: object
    domain: list
    issuer: object
    today: date
    year: int = 0
    preparer: str = ""


def place_date(place, day):
    """'<place>, ngày 05 tháng 01 năm 2026': Decree 30/2020 writes a leading zero for days below 10
    and for the months January and February."""
    day_text = f"{day.day:02d}"
    month_text = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return PLACE_DATE.format(place=place or PLACE_UNKNOWN, day=day_text, month=month_text, year=day.year)


def agency_names(company):
    """(superior agency, issuing agency) for the left block of the header, upper case."""
    company = company.sudo()
    superior = company.civ_superior_agency_name or company.parent_id.name or ""
    return superior.upper(), (company.name or "").upper()


def quarter_of(date_start, date_end):
    """The quarter (1-4) when [date_start, date_end] is one calendar quarter, else 0."""
    if (
        date_end
        and date_start.day == 1
        and date_start.month % 3 == 1
        and date_end.year == date_start.year
        and date_end.month == date_start.month + 2
        and (date_end + timedelta(days=1)).day == 1
    ):
        return (date_start.month - 1) // 3 + 1
    return 0


def month_title(date_start, date_end=None):
    """'Tháng 05 năm 2026' for a calendar month, 'Quý 2 năm 2026' for a calendar quarter (quarterly
    frameworks), else the range of dates."""
    if date_end is None or (
        date_start.day == 1 and (date_end.month, date_end.year) == (date_start.month, date_start.year)
    ):
        return MONTH_TITLE.format(month=date_start.month, year=date_start.year)
    if quarter := quarter_of(date_start, date_end):
        return QUARTER_TITLE.format(quarter=quarter, year=date_start.year)
    return PERIOD_RANGE.format(start=date_start.strftime("%d/%m/%Y"), end=date_end.strftime("%d/%m/%Y"))


def period_sheet_name(date_start, date_end=None):
    """The worksheet of a period: 'T05-2026' for a month, 'Q2-2026' for a quarter."""
    if quarter := quarter_of(date_start, date_end):
        return QUARTER_SHEET.format(quarter=quarter, year=date_start.year)
    return MONTH_SHEET.format(month=date_start.month, year=date_start.year)


def scope_subtitles(first_line, scope):
    """The subtitle lines of a report: `first_line` (month or year), the units, the departments."""
    return [
        first_line,
        UNITS_LABEL.format(names=", ".join(scope.companies.sudo().mapped("name"))),
        DEPARTMENTS_LABEL.format(names=", ".join(scope.departments.sudo().mapped("name")))
        if scope.departments
        else "",
    ]


def grouped_header(head_columns, group_titles, subheaders, tail_columns):
    """Columns and two header rows: the head and tail columns span both rows; each group title spans
    its subheaders (e.g. a level over Số lượng | Tỷ lệ, a month over Điểm | XL)."""
    columns = list(head_columns)
    header = [(0, col, 2, 1, text) for col, (text, _width) in enumerate(head_columns)]
    for title in group_titles:
        col = len(columns)
        header.append((0, col, 1, len(subheaders), title))
        for offset, (text, width) in enumerate(subheaders):
            header.append((1, col + offset, 1, 1, text))
            columns.append((text, width))
    for text, width in tail_columns:
        header.append((0, len(columns), 2, 1, text))
        columns.append((text, width))
    return columns, header


def sheet_name(text, used):
    """A valid, unique worksheet name (31 characters, no []:*?/\\)."""
    base = re.sub(r"[\[\]:*?/\\]", "-", text)[:31] or "Sheet"
    name, index = base, 2
    while name.lower() in used:
        suffix = f" ({index})"
        name = base[: 31 - len(suffix)] + suffix
        index += 1
    used.add(name.lower())
    return name


def chunks(ids, size=CHUNK_SIZE):
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def read_names(model, ids, fnames=("name",)):
    """{id: {field: value}} of referenced records, read once in chunks (sudo: only names of records
    referenced by sheets the user may read)."""
    records = model.sudo().with_context(active_test=False)
    values = {}
    ids = sorted({rid for rid in ids if rid})
    for chunk in chunks(ids, 5000):
        for row in records.browse(chunk).read(list(fnames), load=None):
            values[row["id"]] = row
    return values


class Decree30Worksheet(Worksheet):
    """A worksheet whose page header (the page number, top centre) is left out of the first page,
    as Decree 30/2020 asks: xlsxwriter writes no "different first page" flag, so it is added here
    (an empty firstHeader = nothing printed on page 1)."""

    def _write_header_footer(self):
        if not (self.header_footer_changed and self.header):
            return super()._write_header_footer()
        attributes = [("differentFirst", 1)]
        if not self.header_footer_scales:
            attributes.append(("scaleWithDoc", 0))
        if not self.header_footer_aligns:
            attributes.append(("alignWithMargins", 0))
        self._xml_start_tag("headerFooter", attributes)
        self._write_odd_header()
        if self.footer:
            self._write_odd_footer()
        self._xml_end_tag("headerFooter")
        return None


class XlsxReport:
    """A workbook in constant-memory mode with the formats of the official forms."""

    def __init__(self):
        self.output = io.BytesIO()
        self.workbook = xlsxwriter.Workbook(
            self.output,
            {
                "constant_memory": True,
                "default_format_properties": {"font_name": FONT_NAME, "font_size": FONT_SIZE},
                # names and notes are data: never formulas, links or numbers
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
            },
        )
        self.used_names = set()
        self.formats = self._make_formats()

    def _make_formats(self):
        add = self.workbook.add_format
        cell = {"border": 1, "valign": "vcenter", "text_wrap": True}
        return {
            "plain": add({}),
            "agency_superior": add({"align": "center", "valign": "vcenter"}),
            "agency": add({"align": "center", "valign": "vcenter", "bold": True}),
            "national": add({"align": "center", "valign": "vcenter", "bold": True}),
            "motto": add(
                {
                    "align": "center",
                    "valign": "vcenter",
                    "bold": True,
                    "underline": 1,
                    "font_size": MOTTO_SIZE,
                }
            ),
            "place_date": add(
                {"align": "center", "valign": "vcenter", "italic": True, "font_size": PLACE_DATE_SIZE}
            ),
            "title": add(
                {"align": "center", "valign": "vcenter", "bold": True, "font_size": 14, "text_wrap": True}
            ),
            "subtitle": add({"align": "center", "valign": "vcenter", "italic": True}),
            "header": add(dict(cell, bold=True, align="center", bg_color="#D9D9D9")),
            "text": add(dict(cell)),
            "center": add(dict(cell, align="center")),
            "int": add(dict(cell, align="center", num_format="0")),
            "score": add(dict(cell, align="center", num_format="0.00")),
            "percent": add(dict(cell, align="center", num_format="0.0%")),
            "group": add(dict(cell, bold=True, bg_color="#F2F2F2")),
            "group_int": add(dict(cell, bold=True, bg_color="#F2F2F2", align="center", num_format="0")),
            "group_percent": add(
                dict(cell, bold=True, bg_color="#F2F2F2", align="center", num_format="0.0%")
            ),
            "total": add(dict(cell, bold=True)),
            "total_int": add(dict(cell, bold=True, align="center", num_format="0")),
            "total_score": add(dict(cell, bold=True, align="center", num_format="0.00")),
            "total_percent": add(dict(cell, bold=True, align="center", num_format="0.0%")),
            # quota breaches: red fill, dark red text (Excel's "bad" style)
            "breach": add(dict(cell, bg_color="#FFC7CE", font_color="#9C0006")),
            "breach_int": add(
                dict(cell, bg_color="#FFC7CE", font_color="#9C0006", align="center", num_format="0")
            ),
            "breach_percent": add(
                dict(cell, bg_color="#FFC7CE", font_color="#9C0006", align="center", num_format="0.0%")
            ),
            "sign_title": add({"align": "center", "bold": True}),
            "sign_hint": add({"align": "center", "italic": True}),
            "sign_name": add({"align": "center", "bold": True}),
        }

    def add_sheet(self, name, columns, scope, title, subtitles=()):
        """A worksheet with its print set-up, the Decree 30 header, the title lines and the column
        widths; the caller then writes the column headers with write_header()."""
        worksheet = self.workbook.add_worksheet(
            sheet_name(name, self.used_names), worksheet_class=Decree30Worksheet
        )
        sheet = ReportSheet(self, worksheet, columns)
        sheet.write_document_header(scope, title, subtitles)
        return sheet

    def close(self):
        self.workbook.close()
        return self.output.getvalue()


class ReportSheet:
    """Writes one worksheet strictly top to bottom (constant-memory mode)."""

    def __init__(self, report, worksheet, columns):
        self.report = report
        self.ws = worksheet
        self.formats = report.formats
        self.columns = columns  # [(header text, width)]
        self.ncols = len(columns)
        self.row = 0
        self.header_first = self.header_last = 0
        for index, (_header, width) in enumerate(columns):
            worksheet.set_column(index, index, width)
        worksheet.set_paper(PAPER_A4)
        worksheet.set_landscape()
        worksheet.fit_to_pages(1, 0)
        worksheet.center_horizontally()
        worksheet.set_margins(**{side: mm / MM_PER_INCH for side, mm in MARGINS_MM.items()})
        worksheet.set_header(PAGE_HEADER)

    # ------------------------------------------------------------------ low-level writing
    def fmt(self, name):
        return self.formats[name]

    def merge(self, row, first_col, last_col, value, fmt):
        if last_col > first_col:
            self.ws.merge_range(row, first_col, row, last_col, value, self.fmt(fmt))
        else:
            self.ws.write(row, first_col, value, self.fmt(fmt))

    def _halves(self):
        """Column spans of the left and right blocks of the header and of the signatures."""
        left_last = max(0, self.ncols * 2 // 5 - 1)
        right_first = min(self.ncols - 1, left_last + 1 + (self.ncols - left_last - 1) // 4)
        return (0, left_last), (right_first, self.ncols - 1)

    def write_document_header(self, scope, title, subtitles):
        (l0, l1), (r0, r1) = self._halves()
        superior, agency = agency_names(scope.issuer)
        place = scope.issuer.sudo().city
        if scope.issuer.sudo().civ_party_body:
            # a Party body: the Party's name (underlined) on the right, no motto
            lines = (
                [(superior, "agency_superior", PARTY_TITLE, "motto"), (agency, "agency", "", "plain")]
                if superior
                else [(agency, "agency", PARTY_TITLE, "motto")]
            )
        elif superior:
            lines = [
                (superior, "agency_superior", NATIONAL_TITLE, "national"),
                (agency, "agency", NATIONAL_MOTTO, "motto"),
            ]
        else:
            lines = [(agency, "agency", NATIONAL_TITLE, "national"), ("", "plain", NATIONAL_MOTTO, "motto")]
        for left, left_fmt, right, right_fmt in lines:
            self.merge(self.row, l0, l1, left, left_fmt)
            self.merge(self.row, r0, r1, right, right_fmt)
            self.row += 1
        self.merge(self.row, r0, r1, place_date(place, scope.today), "place_date")
        self.row += 2
        self.ws.set_row(self.row, 36)
        self.merge(self.row, 0, self.ncols - 1, title, "title")
        self.row += 1
        for line in subtitles:
            if line:
                self.merge(self.row, 0, self.ncols - 1, line, "subtitle")
                self.row += 1
        self.row += 1

    def write_header(self, cells=None, height=32):
        """The column headers. cells: [(row offset, col, row span, col span, text)] for headers over
        several rows (merged cells); default: one row with the columns' headers. The header rows are
        frozen and repeated on every printed page."""
        if cells is None:
            cells = [(0, col, 1, 1, header) for col, (header, _width) in enumerate(self.columns)]
        nrows = max(offset + rows for offset, _col, rows, _cols, _text in cells)
        first = self.row
        # cover map: (row offset, col) -> text of the cell starting there ('' for merged parts)
        starts = {(offset, col): text for offset, col, _rows, _cols, text in cells}
        header = self.fmt("header")
        for offset in range(nrows):
            self.ws.set_row(first + offset, height)
            for col in range(self.ncols):
                self.ws.write(first + offset, col, starts.get((offset, col), ""), header)
        # register the merged areas without rewriting cells (rows already flushed in constant memory)
        for offset, col, rows, cols, _text in cells:
            if rows > 1 or cols > 1:
                self.ws.merge.append([first + offset, col, first + offset + rows - 1, col + cols - 1])
        self.header_first, self.header_last = first, first + nrows - 1
        self.ws.repeat_rows(self.header_first, self.header_last)
        self.ws.freeze_panes(self.header_last + 1, 0)
        self.row = self.header_last + 1

    def write_row(self, values, formats):
        """One row: values and format names, one per column (None = an empty bordered cell)."""
        for col, (value, fmt) in enumerate(zip(values, formats, strict=True)):
            if value is None or value is False:
                self.ws.write_blank(self.row, col, None, self.fmt(fmt))
            else:
                self.ws.write(self.row, col, value, self.fmt(fmt))
        self.row += 1

    def write_band(self, text, fmt="group", height=None):
        """A row merged across the table (a department or company header, a note)."""
        if height:
            self.ws.set_row(self.row, height)
        self.merge(self.row, 0, self.ncols - 1, text, fmt)
        self.row += 1

    def write_signatures(self, preparer=""):
        """NGƯỜI LẬP BIỂU on the left, THỦ TRƯỞNG CƠ QUAN on the right."""
        (l0, l1), (r0, r1) = self._halves()
        self.row += 1
        for left, right, fmt in (
            (PREPARER_TITLE, HEAD_TITLE, "sign_title"),
            (PREPARER_HINT, HEAD_HINT, "sign_hint"),
        ):
            self.merge(self.row, l0, l1, left, fmt)
            self.merge(self.row, r0, r1, right, fmt)
            self.row += 1
        self.row += 4
        if preparer:
            self.merge(self.row, l0, l1, preparer, "sign_name")
            self.row += 1
