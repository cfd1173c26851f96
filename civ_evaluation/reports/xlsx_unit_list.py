"""Per-unit monthly list (danh sách kết quả đánh giá, xếp loại): one row per sheet, grouped by
department, with the scores of each level of the chain, the level and notes."""

from collections import Counter, defaultdict

from odoo.tools import groupby

from ..models.civ_format import format_vi_number
from .xlsx_common import (
    NO_DEPARTMENT,
    POSITION_RANK,
    XlsxReport,
    chunks,
    month_title,
    period_sheet_name,
    read_names,
    scope_subtitles,
)

TITLE = "DANH SÁCH KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC"
COLUMNS = [
    ("STT", 6),
    ("Họ và tên", 26),
    ("Chức vụ", 20),
    ("Phòng/ban", 22),
    ("Điểm tự chấm", 10),
    ("Điểm lãnh đạo trực tiếp", 12),
    ("Điểm thủ trưởng quyết định", 13),
    ("Xếp loại", 26),
    ("Ghi chú", 34),
]
COL_SELF, COL_LEADER, COL_FINAL = 4, 5, 6
ROW_FORMATS = ["center", "text", "text", "text", "score", "score", "score", "text", "text"]
# frameworks computing the task results from products (Nghị định 335/2025): a, b, c and the points,
# after the head's decision, on the worksheets of the months where a sheet's framework uses products
PRODUCT_COLUMNS = [
    ("Khối lượng (a) %", 11),
    ("Chất lượng (b) %", 11),
    ("Tiến độ (c) %", 11),
    ("Điểm kết quả thực hiện nhiệm vụ", 14),
]
PRODUCT_FIELDS = [
    "product_score_quantity",
    "product_score_quality",
    "product_score_progress",
    "product_points",
]
DEPARTMENT_BAND = "{name} ({count} người)"
COMPANY_BAND = "{name}"
TOTAL_LABEL = "Tổng cộng"
TOTAL_PEOPLE = "{count} người"
AVERAGE_LABEL = "Điểm bình quân"
LEVEL_SUMMARY = "Trong đó: {level}"
NOT_EVALUATED_SUMMARY = "Không đánh giá"
PENDING_SUMMARY = "Chưa có kết quả"
LEVEL_TEXT = "{code} - {name}"
PEOPLE_PERCENT = "{count} người ({percent}%)"

# notes
NOTE_NOT_EVALUATED = "Không đánh giá"
NOTE_NOT_SUBMITTED = "không tự đánh giá trước khi khóa kỳ"
NOTE_NOT_DECIDED = "chưa được quyết định khi khóa kỳ"
NOTE_DECIDED_AT_DEADLINE = "Quyết định khi hết hạn (theo quy định khóa kỳ)"
NOTE_PENDING = {"draft": "Đang tự đánh giá", "review": "Đang xem xét, chưa có kết quả"}
NOTE_QUOTA = "Vượt tỷ lệ khống chế: {reason}"
NOTE_APPEAL = {
    "open": "Có kiến nghị đang xem xét",
    "accepted": "Kiến nghị được chấp nhận",
    "rejected": "Kiến nghị không được chấp nhận",
}
NOTE_APPEAL_OTHER = "Có kiến nghị"

SHEET_FIELDS = [
    "period_id",
    "company_id",
    "department_id",
    "employee_id",
    "job_title",
    "civ_position",
    "self_score",
    "final_score",
    "level_id",
    "state",
    "not_evaluated",
    "decided_at_deadline",
]
# fields that other parts of the addon may add to the sheet: shown when present
OPTIONAL_FIELDS = ["quota_reason", "not_evaluated_reason", "pre_lock_state"]


def is_decided(row):
    return row["state"] in ("done", "locked") and not row["not_evaluated"] and bool(row["level_id"])


def sheet_notes(row, appeals):
    """The notes of one sheet (Ghi chú)."""
    notes = []
    if row["not_evaluated"]:
        reason = row.get("not_evaluated_reason") or (
            NOTE_NOT_DECIDED if row["decided_at_deadline"] else NOTE_NOT_SUBMITTED
        )
        notes.append(f"{NOTE_NOT_EVALUATED}: {reason}")
    elif row["decided_at_deadline"]:
        notes.append(NOTE_DECIDED_AT_DEADLINE)
    elif row["state"] in NOTE_PENDING:
        notes.append(NOTE_PENDING[row["state"]])
    if row.get("quota_reason"):
        notes.append(NOTE_QUOTA.format(reason=row["quota_reason"]))
    for state in appeals:
        notes.append(NOTE_APPEAL.get(state, NOTE_APPEAL_OTHER))
    return "; ".join(notes)


def _first_rescoring_scores(env, sheet_ids):
    """{sheet id: score of its first re-scoring step (the direct leader), if that step approved}."""
    steps = env["civ.review.step"].search_read(
        [("evaluation_id", "in", sheet_ids), ("can_rescore", "=", True)],
        ["evaluation_id", "state", "score"],
        order="evaluation_id, sequence, id",
        load=None,
    )
    scores = {}
    for step in steps:
        sheet_id = step["evaluation_id"]
        if sheet_id in scores:
            continue
        scores[sheet_id] = step["score"] if step["state"] == "approved" else None
    return scores


def _appeal_states(env, sheet_ids):
    """{sheet id: [appeal states]} when requests for review exist in this database."""
    if "civ.appeal" not in env:
        return {}
    Appeal = env["civ.appeal"]
    if not Appeal.has_access("read") or "evaluation_id" not in Appeal._fields:
        return {}
    fnames = ["evaluation_id"] + (["state"] if "state" in Appeal._fields else [])
    states = defaultdict(list)
    for appeal in Appeal.search_read([("evaluation_id", "in", sheet_ids)], fnames, order="id", load=None):
        states[appeal["evaluation_id"]].append(appeal.get("state") or "")
    return states


def read_sheet_rows(scope, extra_fields=()):
    """The sheets of the scope as plain dicts, read in chunks with the user's environment (record
    rules apply), with the direct leader's score and the appeals."""
    Evaluation = scope.env["civ.evaluation"]
    fnames = SHEET_FIELDS + [f for f in OPTIONAL_FIELDS if f in Evaluation._fields] + list(extra_fields)
    ids = Evaluation.search(scope.domain, order="id").ids
    rows = []
    for chunk in chunks(ids):
        records = Evaluation.browse(chunk)
        leader = _first_rescoring_scores(scope.env, chunk)
        appeals = _appeal_states(scope.env, chunk)
        for row in records.read(fnames, load=None):
            row["leader_score"] = leader.get(row["id"])
            row["appeals"] = appeals.get(row["id"], [])
            rows.append(row)
        # keep the cache (and memory) flat on city-scale exports
        Evaluation.invalidate_model()
        scope.env["civ.review.step"].invalidate_model()
    return rows


def layout(with_products):
    """(columns, row formats, index of the level column) of a worksheet."""
    if not with_products:
        return COLUMNS, ROW_FORMATS, COLUMNS.index(("Xếp loại", 26))
    columns = COLUMNS[: COL_FINAL + 1] + PRODUCT_COLUMNS + COLUMNS[COL_FINAL + 1 :]
    formats = ROW_FORMATS[: COL_FINAL + 1] + ["score"] * len(PRODUCT_COLUMNS) + ROW_FORMATS[COL_FINAL + 1 :]
    return columns, formats, COL_FINAL + 1 + len(PRODUCT_COLUMNS)


def _product_frameworks(env, rows):
    """The ids of the frameworks of rows that compute task results from products."""
    ids = {row["framework_id"] for row in rows if row["framework_id"]}
    frameworks = env["civ.framework"].sudo().browse(ids)
    return set(frameworks.filtered(lambda framework: framework._product_groups()).ids)


def product_values(row, product_frameworks):
    """a, b, c (%) and the task result points of a sheet whose framework uses products, once submitted."""
    if row["framework_id"] not in product_frameworks or row["state"] == "draft" or row["not_evaluated"]:
        return [None] * len(PRODUCT_FIELDS)
    return [row[fname] for fname in PRODUCT_FIELDS]


def build(scope):
    """The workbook (bytes) and the number of sheet rows written."""
    rows = read_sheet_rows(scope, ["framework_id", *PRODUCT_FIELDS])
    env = scope.env
    product_frameworks = _product_frameworks(env, rows)
    employees = read_names(env["hr.employee"], [row["employee_id"] for row in rows])
    departments = read_names(
        env["hr.department"], [row["department_id"] for row in rows], ("name", "complete_name")
    )
    levels = read_names(env["civ.level"], [row["level_id"] for row in rows], ("code", "name", "sequence"))
    companies = read_names(env["res.company"], [row["company_id"] for row in rows])
    periods = read_names(env["civ.period"], [row["period_id"] for row in rows], ("date_start", "date_end"))

    def department_name(dept_id, fname="name"):
        return departments[dept_id][fname] if dept_id else NO_DEPARTMENT

    def sort_key(row):
        return (
            companies[row["company_id"]]["name"] or "",
            row["company_id"],
            department_name(row["department_id"], "complete_name"),
            row["department_id"] or 0,
            POSITION_RANK.get(row["civ_position"], 9),
            employees[row["employee_id"]]["name"] or "",
            row["id"],
        )

    # one worksheet per month (the periods of the month of every chosen company)
    by_month = defaultdict(list)
    for row in rows:
        period = periods[row["period_id"]]
        by_month[(period["date_start"], period["date_end"])].append(row)
    months = sorted(by_month) or sorted({(p.date_start, p.date_end) for p in scope.periods})

    report = XlsxReport()
    written = 0
    for date_start, date_end in months:
        month_rows = sorted(by_month.get((date_start, date_end), []), key=sort_key)
        subtitles = scope_subtitles(month_title(date_start, date_end), scope)
        with_products = any(row["framework_id"] in product_frameworks for row in month_rows)
        columns, formats, level_col = layout(with_products)
        sheet = report.add_sheet(period_sheet_name(date_start, date_end), columns, scope, TITLE, subtitles)
        sheet.write_header()
        several_companies = len({row["company_id"] for row in month_rows}) > 1
        number = 0
        for company_id, company_rows in groupby(month_rows, key=lambda row: row["company_id"]):
            if several_companies:
                sheet.write_band(
                    COMPANY_BAND.format(name=(companies[company_id]["name"] or "").upper()), "total"
                )
            for dept_id, dept_rows in groupby(company_rows, key=lambda row: row["department_id"]):
                sheet.write_band(
                    DEPARTMENT_BAND.format(
                        name=department_name(dept_id, "complete_name"), count=len(dept_rows)
                    )
                )
                for row in dept_rows:
                    number += 1
                    decided = is_decided(row)
                    level = levels.get(row["level_id"]) if decided else None
                    sheet.write_row(
                        [
                            number,
                            employees[row["employee_id"]]["name"],
                            row["job_title"] or "",
                            department_name(dept_id),
                            row["self_score"]
                            if row["state"] != "draft" and not row["not_evaluated"]
                            else None,
                            row["leader_score"] if not row["not_evaluated"] else None,
                            row["final_score"] if decided else None,
                            *(product_values(row, product_frameworks) if with_products else []),
                            LEVEL_TEXT.format(code=level["code"], name=level["name"]) if level else "",
                            sheet_notes(row, row["appeals"]),
                        ],
                        formats,
                    )
        written += number
        _write_totals(sheet, month_rows, levels, len(columns), level_col)
        sheet.write_signatures(scope.preparer)
    return report.close(), written


def _average(values):
    values = [value for value in values if value is not None]
    return round(sum(values) / len(values), 2) if values else None


def _write_totals(sheet, rows, levels, ncols, level_col):
    """Totals: people, average scores, and the people per level (share of those decided)."""
    decided = [row for row in rows if is_decided(row)]
    blank = [None] * ncols
    values = list(blank)
    values[1] = TOTAL_LABEL
    values[2] = TOTAL_PEOPLE.format(count=len(rows))
    formats = ["total"] * ncols
    sheet.write_row(values, formats)

    values = list(blank)
    values[1] = AVERAGE_LABEL
    values[COL_SELF] = _average(
        [row["self_score"] for row in rows if row["state"] != "draft" and not row["not_evaluated"]]
    )
    values[COL_LEADER] = _average([row["leader_score"] for row in rows if not row["not_evaluated"]])
    values[COL_FINAL] = _average([row["final_score"] for row in decided])
    average_formats = list(formats)
    average_formats[COL_SELF : COL_FINAL + 1] = ["total_score"] * 3
    sheet.write_row(values, average_formats)

    counts = Counter(row["level_id"] for row in decided)
    ranked = sorted(counts, key=lambda lid: (levels[lid]["sequence"], levels[lid]["code"] or "", lid))
    summary = [
        (LEVEL_TEXT.format(code=levels[lid]["code"], name=levels[lid]["name"]), counts[lid]) for lid in ranked
    ]
    summary.append((NOT_EVALUATED_SUMMARY, sum(1 for row in rows if row["not_evaluated"])))
    summary.append(
        (PENDING_SUMMARY, sum(1 for row in rows if not row["not_evaluated"] and not is_decided(row)))
    )
    for label, count in summary:
        values = list(blank)
        values[1] = LEVEL_SUMMARY.format(level=label)
        percent = (
            count * 100.0 / len(decided)
            if decided and label not in (NOT_EVALUATED_SUMMARY, PENDING_SUMMARY)
            else None
        )
        values[level_col] = (
            PEOPLE_PERCENT.format(count=count, percent=format_vi_number(percent, 1))
            if (percent is not None)
            else (TOTAL_PEOPLE.format(count=count))
        )
        sheet.write_row(values, formats)
