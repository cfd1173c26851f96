"""Values of the printable personal evaluation sheet (phiếu đánh giá, QWeb PDF)."""

from odoo import api, fields, models

from ..models.civ_format import format_vi_number
from .xlsx_common import (
    HEAD_HINT,
    NATIONAL_MOTTO,
    NATIONAL_TITLE,
    PREPARER_HINT,
    agency_names,
    month_title,
    place_date,
    quarter_of,
)

TITLE = "PHIẾU ĐÁNH GIÁ, XẾP LOẠI CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC HẰNG THÁNG"
QUARTER_TITLE = "PHIẾU ĐÁNH GIÁ, XẾP LOẠI CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC HẰNG QUÝ"
SELF_SIGNER = "NGƯỜI TỰ ĐÁNH GIÁ"
REVIEW_SIGNER = "LÃNH ĐẠO TRỰC TIẾP"
DECISION_SIGNER = "NGƯỜI QUYẾT ĐỊNH XẾP LOẠI"
LEVEL_TEXT = "{code} - {name}"
NOT_EVALUATED = "Không đánh giá"
PENDING = "Chưa có kết quả"
LABELS = {
    "label_employee": "Họ và tên:",
    "label_job": "Chức vụ:",
    "label_department": "Phòng/ban:",
    "label_company": "Cơ quan, đơn vị:",
    "label_period": "Kỳ đánh giá:",
    "col_number": "TT",
    "col_criterion": "Tiêu chí đánh giá",
    "col_max": "Điểm tối đa",
    "col_self": "Điểm tự chấm",
    "col_final": "Điểm kết quả",
    "total": "TỔNG ĐIỂM",
    "label_level": "Xếp loại: ",
    "label_comments": "Nhận xét, đánh giá của lãnh đạo:",
    "label_collective": "Ý kiến của tập thể: ",
    "label_feedback": "Ý kiến của đồng nghiệp: ",
    "feedback": "{answered}/{asked} phiếu, điểm bình quân {score}%",
    # products and work (Nghị định 335/2025)
    "label_products": "Sản phẩm, công việc trong kỳ:",
    "col_product": "Tên sản phẩm, công việc",
    "col_type": "Loại",
    "col_weight": "Hệ số quy đổi",
    "col_assigned": "Được giao",
    "col_done": "Hoàn thành",
    "col_quality": "Đạt yêu cầu",
    "col_on_time": "Đúng tiến độ",
    "col_errors": "Lỗi lớn",
    "col_delays": "Số lần chậm",
    "col_cause": "Nguyên nhân khách quan",
}
PRODUCT_SCORES = (
    "Khối lượng (a): {a}%; Chất lượng (b): {b}%; Tiến độ (c): {c}%; Điểm kết quả thực hiện nhiệm vụ: {points}"
)
OBJECTIVE_CAUSE = "Có"
OBJECTIVE_CAUSE_ERRORS = "lỗi"
OBJECTIVE_CAUSE_DELAYS = "chậm"
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


def points(value):
    """Points as printed on the form: 32,5 rather than 32.50; 90 rather than 90.00."""
    return format_vi_number(value)


def agency_lines(name, width=22):
    """The parts of an agency's name between which the printed header may break a line (each printed
    unbroken): as few parts as the width allows, as even as possible, so that "ỦY BAN NHÂN DÂN QUẬN LONG
    BIÊN" prints as "ỦY BAN NHÂN DÂN" over "QUẬN LONG BIÊN", never "... QUẬN LONG" over "BIÊN"."""
    words = _glued_words(name or "")
    if len(" ".join(words)) <= width:
        return [" ".join(words)] if words else []
    count = -(-len(" ".join(words)) // width)  # lines needed at least
    best = None
    for cuts in _cuts(len(words), count):
        bounds = zip((0, *cuts), (*cuts, len(words)), strict=True)
        parts = [" ".join(words[start:end]) for start, end in bounds]
        longest = max(len(part) for part in parts)
        if best is None or longest < best[0]:
            best = (longest, parts)
    return best[1] if best else [" ".join(words)]


# words printed on one line: "THÀNH PHỐ", not "THÀNH" over "PHỐ"
GLUED = (
    "ỦY BAN",
    "UỶ BAN",
    "NHÂN DÂN",
    "THÀNH PHỐ",
    "HỒ CHÍ MINH",
    "HÀ NỘI",
    "ĐÀ NẴNG",
    "HẢI PHÒNG",
    "CẦN THƠ",
)


def _glued_words(name):
    words = name.split()
    glued = []
    index = 0
    while index < len(words):
        for group in GLUED:
            size = len(group.split())
            if " ".join(words[index : index + size]).upper() == group:
                glued.append(" ".join(words[index : index + size]))
                index += size
                break
        else:
            glued.append(words[index])
            index += 1
    return glued


def _cuts(size, count):
    """Every way to cut a list of `size` items into `count` non-empty parts (the inner cut positions)."""
    if count <= 1:
        yield ()
        return
    for first in range(1, size - count + 2):
        for rest in _cuts(size - first, count - 1):
            yield (first, *(first + cut for cut in rest))


class ReportCivEvaluationSheet(models.AbstractModel):
    _name = "report.civ_evaluation.report_evaluation_sheet"
    _description = "Printable Evaluation Sheet"

    @api.model
    def _get_report_values(self, docids, data=None):
        sheets = self.env["civ.evaluation"].browse(docids)
        # the user's own rights: only sheets they may read are printed
        sheets.check_access("read")
        today = fields.Date.context_today(self)
        return {
            "doc_ids": docids,
            "doc_model": "civ.evaluation",
            "docs": sheets,
            "sheet_values": {sheet.id: self._sheet_values(sheet, today) for sheet in sheets},
            "texts": {
                "national_title": NATIONAL_TITLE,
                "national_motto": NATIONAL_MOTTO,
                "title": TITLE,
                "sign_hint": PREPARER_HINT,
                "head_hint": HEAD_HINT,
                **LABELS,
            },
        }

    def _sheet_values(self, sheet, today):
        """The numbers and texts of one sheet. Group subtotals and totals come from the framework's
        scoring (the same clamping as the stored scores)."""
        framework = sheet.framework_id.sudo()
        lines = sheet.line_ids.sorted(lambda line: (line.sequence, line.id))
        show_reviewer = sheet.state != "draft" and not sheet.not_evaluated
        decided = sheet.state in ("done", "locked") and not sheet.not_evaluated
        scored = {
            fname: framework.compute_score({line.criterion_id.id: line[fname] for line in lines})
            for fname in ("self_points", "final_points")
        }
        # one column per step of the chain: the points that level gave (civ.review.step.point, the
        # same source as the Excel unit list's per-level scores), under its reviewer's title and name
        levels = []
        for column in sheet._level_columns() if show_reviewer else []:
            step = column["step"]
            reviewer = step.reviewer_employee_id
            by_criterion = {
                line.criterion_id.id: column["values"][line.id][0]
                for line in lines
                if line.id in column["values"]
            }
            levels.append(
                {
                    **column,
                    "title": reviewer.job_title or reviewer.job_id.name or "",
                    "scored": framework.compute_score(by_criterion) if by_criterion else None,
                }
            )
        groups = []
        for index, group in enumerate(framework.group_ids.sorted(lambda g: (g.sequence, g.id))):
            group_lines = lines.filtered(lambda line, group=group: line.criterion_id.sudo().group_id == group)
            if not group_lines:
                continue
            deduction = group.kind == "deduction"
            groups.append(
                {
                    "number": ROMAN[index] if index < len(ROMAN) else str(index + 1),
                    "name": group.name,
                    "max": points(group.min_points if deduction else group.max_points),
                    "self": points(scored["self_points"]["group_scores"].get(group.id)),
                    "levels": [
                        points(level["scored"]["group_scores"].get(group.id)) if level["scored"] else ""
                        for level in levels
                    ],
                    "final": points(scored["final_points"]["group_scores"].get(group.id)) if decided else "",
                    "lines": [
                        {
                            "code": line.criterion_id.sudo().code or "",
                            "name": line.criterion_id.sudo().name,
                            "max": points(
                                line.criterion_id.sudo().min_points
                                if deduction
                                else line.criterion_id.sudo().max_points
                            ),
                            "self": points(line.self_points),
                            "levels": [
                                points(level["values"][line.id][0]) if line.id in level["values"] else ""
                                for level in levels
                            ],
                            "final": points(line.final_points) if decided else "",
                            "note": line.note or "",
                            # each level's own remark on the criterion, under its reviewer's name
                            "remarks": [
                                {"reviewer": level["reviewer"], "remark": level["values"][line.id][1]}
                                for level in levels
                                if line.id in level["values"] and level["values"][line.id][1]
                            ],
                        }
                        for line in group_lines
                    ],
                }
            )
        steps = sheet.step_ids.sudo().sorted(lambda step: (step.sequence, step.id))
        employee = sheet.employee_id.sudo()
        products = sheet.sudo().product_ids.sorted(lambda product: (product.sequence, product.id))
        superior, agency = agency_names(sheet.company_id)
        if sheet.not_evaluated:
            level = NOT_EVALUATED
        elif decided and sheet.level_id:
            level = LEVEL_TEXT.format(code=sheet.level_id.sudo().code, name=sheet.level_id.sudo().name)
        else:
            level = PENDING
        signers = [{"title": SELF_SIGNER, "step": "", "name": employee.name}] + [
            {
                "title": DECISION_SIGNER if step.is_decision else REVIEW_SIGNER,
                "step": step.name,
                "name": step.reviewer_employee_id.name or step.reviewer_user_id.name or "",
            }
            for step in steps
        ]
        return {
            "superior": superior,
            "superior_lines": agency_lines(superior),
            "agency": agency,
            "agency_lines": agency_lines(agency),
            "place_date": place_date(sheet.company_id.sudo().city, today),
            "period": month_title(sheet.period_id.sudo().date_start, sheet.period_id.sudo().date_end),
            "title": QUARTER_TITLE
            if quarter_of(sheet.period_id.sudo().date_start, sheet.period_id.sudo().date_end)
            else TITLE,
            "employee": employee.name,
            "job_title": sheet.job_title or "",
            "department": sheet.department_id.sudo().name or "",
            "company": sheet.company_id.sudo().name,
            "groups": groups,
            "max_total": points(framework.max_total),
            "self_total": points(scored["self_points"]["total"]),
            "levels": [
                {
                    "name": level["name"],
                    "title": level["title"],
                    "reviewer": level["reviewer"],
                    "total": points(level["total"]) if level["total"] is not None else "",
                }
                for level in levels
            ],
            "level_width": 11 if len(levels) <= 3 else 40 // len(levels),
            "final_total": points(sheet.final_score) if decided else "",
            "level": level,
            "comments": [
                {
                    "step": step.name,
                    "reviewer": step.reviewer_employee_id.name or step.reviewer_user_id.name or "",
                    "comment": step.comment,
                }
                for step in steps
                if step.comment
            ],
            "collective_opinion": sheet.collective_opinion or "",
            "feedback": LABELS["feedback"].format(
                answered=sheet.feedback_answered_count,
                asked=sheet.feedback_count,
                score=points(sheet.feedback_score),
            )
            if sheet.feedback_count
            else "",
            "signers": signers,
            "sign_width": 100 // len(signers),
            "products": [
                self._product_values(number, product) for number, product in enumerate(products, start=1)
            ],
            "product_scores": PRODUCT_SCORES.format(
                a=points(sheet.product_score_quantity),
                b=points(sheet.product_score_quality),
                c=points(sheet.product_score_progress),
                points=points(sheet.product_points),
            )
            if products
            else "",
        }

    def _product_values(self, number, product):
        """One product line as printed: quantities with the form's number format."""
        cause = ""
        if product.objective_cause or product.objective_cause_delays:
            what = " + ".join(
                label
                for label, confirmed in (
                    (OBJECTIVE_CAUSE_ERRORS, product.objective_cause),
                    (OBJECTIVE_CAUSE_DELAYS, product.objective_cause_delays),
                )
                if confirmed
            )
            note = product.objective_cause_note
            cause = f"{OBJECTIVE_CAUSE} ({what}): {note}" if note else f"{OBJECTIVE_CAUSE} ({what})"
        return {
            "number": number,
            "name": product.name,
            "type": product.product_type_id.name or "",
            "weight": points(product.weight),
            "assigned": points(product.qty_assigned),
            "done": points(product.qty_done),
            "quality": points(product.qty_quality),
            "on_time": points(product.qty_on_time),
            "errors": str(product.error_count),
            "delays": str(product.delay_count),
            "cause": cause,
        }
