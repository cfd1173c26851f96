"""Aggregate for upward reporting (báo cáo tổng hợp): one row per company with its subtotals, one
row per department, the people per level (count and share), those not evaluated, and the quota
check of the framework (breaches filled in red)."""

from collections import Counter, defaultdict

from .xlsx_common import (
    NO_DEPARTMENT,
    XlsxReport,
    grouped_header,
    month_title,
    period_sheet_name,
    read_names,
    scope_subtitles,
)

TITLE = "BÁO CÁO TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC"
HEAD_COLUMNS = [("STT", 6), ("Đơn vị", 30), ("Tổng số người", 9), ("Số người được đánh giá, xếp loại", 11)]
LEVEL_HEADER = "Loại {code}\n{name}"
LEVEL_SUBHEADERS = [("Số lượng", 8), ("Tỷ lệ (%)", 8)]
TAIL_COLUMNS = [
    ("Số không đánh giá (nghỉ, mới tuyển …)", 11),
    ("Chưa có kết quả", 9),
    ("Kiểm tra tỷ lệ khống chế", 34),
    ("Ghi chú", 24),
]
TOTAL_LABEL = "TỔNG CỘNG"
QUOTA_EXCEEDED = "Vượt tỷ lệ: {message}"
QUOTA_OK = "Đạt: {message}"
NOTE_DEADLINE = "Quyết định khi hết hạn: {count}"
NOTE_QUOTA_REASON = "Vượt tỷ lệ có lý do: {count}"
NOTE_APPEALS = "Có kiến nghị: {count}"

# formats of a department row ("text"), a company row ("group") and the grand total ("total")
STYLES = {
    "text": {"text": "text", "int": "int", "percent": "percent"},
    "group": {"text": "group", "int": "group_int", "percent": "group_percent"},
    "total": {"text": "total", "int": "total_int", "percent": "total_percent"},
}

ROMAN = [
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
]


def roman(number):
    text = ""
    for value, letters in ROMAN:
        while number >= value:
            text += letters
            number -= value
    return text


class Stats:
    """Counts of one department or one company."""

    __slots__ = ("total", "levels", "not_evaluated", "pending", "deadline", "quota_reason", "appeals")

    def __init__(self):
        self.total = self.not_evaluated = self.pending = self.deadline = 0
        self.quota_reason = self.appeals = 0
        self.levels = Counter()

    @property
    def evaluated(self):
        return sum(self.levels.values())

    def add(self, other):
        for name in ("total", "not_evaluated", "pending", "deadline", "quota_reason", "appeals"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.levels.update(other.levels)


def _gather(scope):
    """{period id: {department id: Stats}} with the user's environment (record rules apply)."""
    env = scope.env
    Evaluation = env["civ.evaluation"]
    stats = defaultdict(lambda: defaultdict(Stats))
    groups = Evaluation._read_group(
        scope.domain,
        ["period_id", "department_id", "level_id", "not_evaluated", "decided_at_deadline"],
        ["__count"],
    )
    for period, department, level, not_evaluated, at_deadline, count in groups:
        dept = stats[period.id][department.id]
        dept.total += count
        if not_evaluated:
            dept.not_evaluated += count
        elif level:
            dept.levels[level.id] += count
            if at_deadline:
                dept.deadline += count
        else:
            dept.pending += count
    optional = []
    if "quota_reason" in Evaluation._fields:
        optional.append(("quota_reason", [("quota_reason", "!=", False)]))
    if "appeal_ids" in Evaluation._fields:
        optional.append(("appeals", [("appeal_ids", "!=", False)]))
    for attribute, extra in optional:
        for period, department, count in Evaluation._read_group(
            scope.domain + extra, ["period_id", "department_id"], ["__count"]
        ):
            setattr(stats[period.id][department.id], attribute, count)
    return stats


def _quota_checks(env, period_ids):
    """{period id: {(scope, id): [check_quotas result, ...]}} from each period's quota service
    (civ.quota.service._period_check): the same figures as the period form and the decisions, counted on the
    whole period whatever the rows the user may read."""
    checks = {}
    for period in env["civ.period"].sudo().browse(sorted(period_ids)):
        by_scope = defaultdict(list)
        if env["civ.quota.service"]._has_quotas(period):
            for key, result in env["civ.quota.service"]._period_check(period):
                by_scope[key].append(result)
        checks[period.id] = by_scope
    return checks


def _quota_text(results):
    """(text, exceeded level ids) of the quota results of one row."""
    lines, exceeded = [], set()
    for result in results:
        if result["exceeded"]:
            exceeded.add(result["level"].id)
            lines.append(QUOTA_EXCEEDED.format(message=result["message"]))
        else:
            lines.append(QUOTA_OK.format(message=result["message"]))
    return "\n".join(lines), exceeded


def _notes(stats):
    notes = []
    if stats.deadline:
        notes.append(NOTE_DEADLINE.format(count=stats.deadline))
    if stats.quota_reason:
        notes.append(NOTE_QUOTA_REASON.format(count=stats.quota_reason))
    if stats.appeals:
        notes.append(NOTE_APPEALS.format(count=stats.appeals))
    return "; ".join(notes)


def _layout(levels, month_frameworks):
    """(level codes, columns, header cells) of one month: a pair of columns per level code, best
    first (the frameworks of the month usually share the codes A-D)."""
    columns_by_code = {}
    for level in sorted(levels.values(), key=lambda lv: (lv["sequence"], lv["code"] or "")):
        if level["framework_id"] in month_frameworks:
            columns_by_code.setdefault(level["code"], level)
    codes = list(columns_by_code)
    titles = [LEVEL_HEADER.format(code=code, name=columns_by_code[code]["name"]) for code in codes]
    columns, header = grouped_header(HEAD_COLUMNS, titles, LEVEL_SUBHEADERS, TAIL_COLUMNS)
    return codes, columns, header


def _write_stats(sheet, codes, levels, label, number, row_stats, quota_results, style):
    """One row: counts, the share of each level, the quota check of the scope (breaches in red)."""
    by_code = Counter()
    for lid, count in row_stats.levels.items():
        by_code[levels[lid]["code"] if lid in levels else None] += count
    quota, exceeded = _quota_text(quota_results)
    exceeded_codes = {levels[lid]["code"] for lid in exceeded if lid in levels}
    plain = STYLES[style]
    evaluated = row_stats.evaluated
    values = [number, label, row_stats.total, evaluated]
    formats = [plain["int"], plain["text"], plain["int"], plain["int"]]
    for code in codes:
        count = by_code.get(code, 0)
        breach = code in exceeded_codes
        values += [count, count / evaluated if evaluated else None]
        formats += [
            "breach_int" if breach else plain["int"],
            "breach_percent" if breach else plain["percent"],
        ]
    values += [row_stats.not_evaluated, row_stats.pending, quota, _notes(row_stats)]
    formats += [plain["int"], plain["int"], "breach" if exceeded else plain["text"], plain["text"]]
    sheet.write_row(values, formats)


def build(scope):
    """The workbook (bytes) and the number of department rows written."""
    env = scope.env
    stats = _gather(scope)
    period_ids = set(stats) | set(scope.periods.ids)
    periods = read_names(
        env["civ.period"], period_ids, ("company_id", "framework_id", "date_start", "date_end")
    )
    companies = read_names(env["res.company"], [p["company_id"] for p in periods.values()])
    departments = read_names(env["hr.department"], [d for by_dept in stats.values() for d in by_dept])
    framework_ids = {p["framework_id"] for p in periods.values() if p["framework_id"]}
    frameworks = env["civ.framework"].sudo().with_context(active_test=False).browse(sorted(framework_ids))
    levels = read_names(
        env["civ.level"], frameworks.level_ids.ids, ("code", "name", "sequence", "framework_id")
    )

    def department_name(dept_id):
        return departments[dept_id]["name"] if dept_id else NO_DEPARTMENT

    by_month = defaultdict(list)
    for period_id, period in periods.items():
        by_month[(period["date_start"], period["date_end"])].append(period_id)

    report = XlsxReport()
    written = 0
    for date_start, date_end in sorted(by_month):
        month_periods = sorted(
            by_month[(date_start, date_end)],
            key=lambda pid: (companies[periods[pid]["company_id"]]["name"] or "", pid),
        )
        codes, columns, header = _layout(levels, {periods[pid]["framework_id"] for pid in month_periods})
        subtitles = scope_subtitles(month_title(date_start, date_end), scope)
        sheet = report.add_sheet(period_sheet_name(date_start, date_end), columns, scope, TITLE, subtitles)
        sheet.write_header(header, height=30)
        grand = Stats()
        checks = _quota_checks(env, month_periods)
        for company_index, period_id in enumerate(month_periods, start=1):
            period = periods[period_id]
            by_scope = checks[period_id]
            # the agency row: the agency's quotas and those of its groups of similar duties
            company_checks = list(by_scope.get(("company", None), []))
            for key in sorted(k for k in by_scope if k[0] == "duty_group"):
                company_checks += by_scope[key]
            by_dept = stats.get(period_id, {})
            company_stats = Stats()
            for dept_stats in by_dept.values():
                company_stats.add(dept_stats)
            grand.add(company_stats)
            _write_stats(
                sheet,
                codes,
                levels,
                (companies[period["company_id"]]["name"] or "").upper(),
                roman(company_index),
                company_stats,
                company_checks,
                "group",
            )
            ordered = sorted(by_dept, key=lambda did: (department_name(did), did))
            for dept_index, dept_id in enumerate(ordered, start=1):
                _write_stats(
                    sheet,
                    codes,
                    levels,
                    department_name(dept_id),
                    dept_index,
                    by_dept[dept_id],
                    by_scope.get(("department", dept_id), []),
                    "text",
                )
                written += 1
        _write_stats(sheet, codes, levels, TOTAL_LABEL, "", grand, [], "total")
        sheet.write_signatures(scope.preparer)
    return report.close(), written
