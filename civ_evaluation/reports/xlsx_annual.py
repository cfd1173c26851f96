"""Year summary (bảng tổng hợp kết quả hằng tháng): one row per employee with the final score and
level of each month T1..T12, the average, and the year-end level where the year-end results
(civ.annual.result) give it."""

from collections import Counter

from odoo.tools import groupby

from .xlsx_common import (
    NO_DEPARTMENT,
    POSITION_RANK,
    XlsxReport,
    chunks,
    grouped_header,
    read_names,
    scope_subtitles,
)
from .xlsx_unit_list import is_decided

TITLE = "BẢNG TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI HẰNG THÁNG NĂM {year}"
SUBTITLE = "Năm {year}"
HEAD_COLUMNS = [("STT", 6), ("Họ và tên", 24), ("Chức vụ", 16), ("Phòng/ban", 18)]
MONTH_HEADER = "T{month}"
MONTH_SUBHEADERS = [("Điểm", 7), ("XL", 4)]
TAIL_COLUMNS = [
    ("Số tháng được xếp loại", 9),
    ("Điểm trung bình", 9),
    ("Xếp loại cả năm", 22),
    ("Ghi chú", 24),
]
FIRST_MONTH_COL = len(HEAD_COLUMNS)
COL_MONTHS = FIRST_MONTH_COL + 2 * 12
COL_AVERAGE = COL_MONTHS + 1
COL_YEAR_LEVEL = COL_MONTHS + 2
DEPARTMENT_BAND = "{name} ({count} người)"
COMPANY_BAND = "{name}"
TOTAL_LABEL = "Tổng cộng"
TOTAL_PEOPLE = "{count} người"
LEVEL_SUMMARY = "Trong đó (xếp loại cả năm): {level}"
LEVEL_TEXT = "{code} - {name}"
PROPOSED = "{level} (đề xuất)"
NOT_EVALUATED = "KĐG"  # month closed as not evaluated
NOTE_NOT_EVALUATED = "Không đánh giá: {months}"
NOTE_ANNUAL = "{note}"
NOT_CLASSIFIED = "Không xếp loại"
NOTE_NOT_CLASSIFIED = "Không xếp loại: {reason}"

FIELDS = [
    "period_id",
    "company_id",
    "department_id",
    "employee_id",
    "job_title",
    "civ_position",
    "final_score",
    "level_id",
    "state",
    "not_evaluated",
]


def _annual_results(env, year, company_ids):
    """{(company id, employee id): values} of the year-end results, when that model exists."""
    if "civ.annual.result" not in env:
        return {}
    Result = env["civ.annual.result"]
    if not Result.has_access("read"):
        return {}
    wanted = [
        "employee_id",
        "company_id",
        "level_id",
        "proposed_level_id",
        "state",
        "note",
        "not_classified",
        "not_classified_reason",
    ]
    fnames = [fname for fname in wanted if fname in Result._fields]
    if not {"employee_id", "year"} <= set(Result._fields):
        return {}
    domain = [("year", "=", year)]
    if "company_id" in Result._fields:
        domain.append(("company_id", "in", company_ids))
    results = {}
    for row in Result.search_read(domain, fnames, order="id", load=None):
        results[(row.get("company_id"), row["employee_id"])] = row
    return results


def _gather(scope):
    """{(company id, employee id): person} from the sheets of the year, read in chunks with the user's
    environment (record rules apply)."""
    Evaluation = scope.env["civ.evaluation"]
    periods = read_names(scope.env["civ.period"], scope.periods.ids, ("date_start", "date_end"))
    # a quarterly sheet fills the three months of its quarter, as the year-end counts it
    months_of = {
        pid: list(range(values["date_start"].month, (values["date_end"] or values["date_start"]).month + 1))
        if (values["date_end"] or values["date_start"]).year == values["date_start"].year
        else [values["date_start"].month]
        for pid, values in periods.items()
    }
    people = {}
    for chunk in chunks(Evaluation.search(scope.domain, order="id").ids):
        for row in Evaluation.browse(chunk).read(FIELDS, load=None):
            months = months_of.get(row["period_id"])
            if not months:
                continue
            key = (row["company_id"], row["employee_id"])
            person = people.setdefault(key, {"months": {}, "latest": 0, "not_evaluated": []})
            if months[-1] >= person["latest"]:
                # the latest month gives the department and the position shown
                person.update(
                    latest=months[-1],
                    department_id=row["department_id"],
                    job_title=row["job_title"],
                    civ_position=row["civ_position"],
                )
            for month in months:
                if row["not_evaluated"]:
                    person["months"][month] = (None, NOT_EVALUATED)
                    person["not_evaluated"].append(month)
                elif is_decided(row):
                    person["months"][month] = (row["final_score"], row["level_id"])
        Evaluation.invalidate_model()
    return people


def _layout():
    """Columns and the two header rows (months over Điểm | XL)."""
    titles = [MONTH_HEADER.format(month=month) for month in range(1, 13)]
    return grouped_header(HEAD_COLUMNS, titles, MONTH_SUBHEADERS, TAIL_COLUMNS)


def _level_text(level):
    return LEVEL_TEXT.format(code=level["code"], name=level["name"])


def _year_end(result, levels):
    """(year-end level text, level id counted in the totals, note) from a civ.annual.result row: the
    decided level, or the proposal (marked) while the result is not decided yet."""
    if not result:
        return "", None, ""
    notes = []
    if result.get("not_classified_reason"):
        notes.append(NOTE_NOT_CLASSIFIED.format(reason=result["not_classified_reason"]))
    if result.get("note"):
        notes.append(NOTE_ANNUAL.format(note=result["note"]))
    note = "; ".join(notes)
    if result.get("not_classified"):
        return NOT_CLASSIFIED, None, note
    decided = result.get("state", "done") == "done"
    level_id = result.get("level_id") or result.get("proposed_level_id")
    if level_id not in levels:
        return "", None, note
    text = _level_text(levels[level_id])
    if decided:
        return text, level_id, note
    return PROPOSED.format(level=text), None, note


def _month_values(person, levels):
    """The 24 month cells and the scores of the months graded."""
    values, scores = [], []
    for month in range(1, 13):
        score, level = person["months"].get(month, (None, None))
        if isinstance(level, int):
            scores.append(score)
            values += [score, levels[level]["code"] if level in levels else ""]
        else:
            values += [None, level or None]
    return values, scores


def build(scope):
    """The workbook (bytes) and the number of employee rows written."""
    env = scope.env
    people = _gather(scope)
    annual = _annual_results(env, scope.year, scope.companies.ids)
    employees = read_names(env["hr.employee"], [key[1] for key in people])
    departments = read_names(
        env["hr.department"], [p["department_id"] for p in people.values()], ("name", "complete_name")
    )
    companies = read_names(env["res.company"], [key[0] for key in people])
    level_ids = {
        value[1] for p in people.values() for value in p["months"].values() if isinstance(value[1], int)
    }
    for result in annual.values():
        level_ids |= {result.get("level_id"), result.get("proposed_level_id")}
    levels = read_names(env["civ.level"], level_ids, ("code", "name", "sequence"))

    def department_name(dept_id, fname="name"):
        return departments[dept_id][fname] if dept_id else NO_DEPARTMENT

    def sort_key(key):
        person = people[key]
        return (
            companies[key[0]]["name"] or "",
            key[0],
            department_name(person["department_id"], "complete_name"),
            person["department_id"] or 0,
            POSITION_RANK.get(person["civ_position"], 9),
            employees[key[1]]["name"] or "",
            key[1],
        )

    columns, header = _layout()
    formats = ["center", "text", "text", "text"] + ["score", "center"] * 12 + ["int", "score", "text", "text"]
    report = XlsxReport()
    subtitles = scope_subtitles(SUBTITLE.format(year=scope.year), scope)
    sheet = report.add_sheet(f"Năm {scope.year}", columns, scope, TITLE.format(year=scope.year), subtitles)
    sheet.write_header(header, height=24)
    keys = sorted(people, key=sort_key)
    several_companies = len({key[0] for key in keys}) > 1
    number = 0
    year_levels = Counter()
    for company_id, company_keys in groupby(keys, key=lambda key: key[0]):
        if several_companies:
            sheet.write_band(COMPANY_BAND.format(name=(companies[company_id]["name"] or "").upper()), "total")
        for dept_id, dept_keys in groupby(company_keys, key=lambda key: people[key]["department_id"]):
            sheet.write_band(
                DEPARTMENT_BAND.format(name=department_name(dept_id, "complete_name"), count=len(dept_keys))
            )
            for key in dept_keys:
                number += 1
                person = people[key]
                months, scores = _month_values(person, levels)
                average = round(sum(scores) / len(scores), 2) if scores else None
                year_level, counted, note = _year_end(annual.get(key) or annual.get((None, key[1])), levels)
                if counted:
                    year_levels[counted] += 1
                notes = [note] if note else []
                if person["not_evaluated"]:
                    notes.insert(
                        0,
                        NOTE_NOT_EVALUATED.format(
                            months=", ".join(
                                MONTH_HEADER.format(month=m) for m in sorted(person["not_evaluated"])
                            )
                        ),
                    )
                sheet.write_row(
                    [number, employees[key[1]]["name"], person["job_title"] or "", department_name(dept_id)]
                    + months
                    + [len(scores), average, year_level, "; ".join(notes)],
                    formats,
                )

    blank = [None] * len(columns)
    total_formats = ["total"] * len(columns)
    values = list(blank)
    values[1], values[2] = TOTAL_LABEL, TOTAL_PEOPLE.format(count=number)
    sheet.write_row(values, total_formats)
    for level_id in sorted(year_levels, key=lambda lid: (levels[lid]["sequence"], levels[lid]["code"] or "")):
        values = list(blank)
        values[1] = LEVEL_SUMMARY.format(level=_level_text(levels[level_id]))
        values[COL_YEAR_LEVEL] = TOTAL_PEOPLE.format(count=year_levels[level_id])
        sheet.write_row(values, total_formats)
    sheet.write_signatures(scope.preparer)
    return report.close(), number
