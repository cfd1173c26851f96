"""Values of the minutes of a calibration session (biên bản họp hiệu chỉnh kết quả đánh giá, QWeb
PDF, Decree 30/2020 layout): the session's figures (civ.calibration.session._distribution_rows, the
same as its form), the levels changed with the head's comment, the people discussed."""

from odoo import api, fields, models

from ..models.civ_format import format_vi_number
from .xlsx_common import NATIONAL_MOTTO, NATIONAL_TITLE, agency_names, place_date

# The texts of the minutes are the content of an official document (Vietnamese), not UI strings.
TITLE = "BIÊN BẢN"
SUBTITLE = "Họp hiệu chỉnh kết quả đánh giá, xếp loại chất lượng {period}"
LABELS = {
    "label_session": "Phiên họp:",
    "label_units": "Đơn vị:",
    "label_date": "Ngày họp:",
    "label_chair": "Người lập biên bản:",
    "label_distribution": "I. Phân bố mức xếp loại so với tỷ lệ tham chiếu và hạn mức",
    "label_changes": "II. Các trường hợp điều chỉnh mức xếp loại",
    "label_discussed": "III. Các trường hợp đã thảo luận",
    "label_note": "IV. Nội dung, kết luận của phiên họp",
    "col_number": "TT",
    "col_level": "Mức xếp loại",
    "col_proposed": "Đề xuất",
    "col_calibrated": "Sau hiệu chỉnh",
    "col_reference": "Tham chiếu (%)",
    "col_employee": "Họ và tên",
    "col_department": "Đơn vị",
    "col_points": "Điểm",
    "col_comment": "Lý do điều chỉnh",
    "col_head": "Người quyết định",
    "none": "Không có.",
    "whole_agency": "Toàn cơ quan",
    "secretary": "THƯ KÝ",
    "chair": "CHỦ TRÌ",
    "sign_hint": "(Ký, ghi rõ họ tên)",
}


def _count(count, share):
    """'3 (75%)'"""
    return f"{count} ({format_vi_number(share, 1)}%)"


class CalibrationMinutesReport(models.AbstractModel):
    _name = "report.civ_evaluation.report_calibration_minutes"
    _description = "Minutes of a Calibration Session"

    @api.model
    def _get_report_values(self, docids, data=None):
        sessions = self.env["civ.calibration.session"].browse(docids)
        sessions.check_access("read")
        return {
            "doc_ids": docids,
            "doc_model": "civ.calibration.session",
            "docs": sessions,
            "minutes": {session.id: self._values(session) for session in sessions},
            "texts": {
                "national_title": NATIONAL_TITLE,
                "national_motto": NATIONAL_MOTTO,
                "title": TITLE,
                **LABELS,
            },
        }

    def _values(self, session):
        session = session.sudo()
        superior, agency = agency_names(session.company_id)
        lines = session.line_ids
        day = session.date or fields.Date.context_today(session)
        blocks = [
            {
                "framework": block["framework"].name,
                "sheets": block["sheets"],
                "levels": [
                    {
                        "name": row["level"].display_name,
                        "proposed": _count(row["proposed"], row["proposed_share"]),
                        "calibrated": _count(row["calibrated"], row["calibrated_share"]),
                        "reference": ""
                        if row["reference_share"] is None
                        else format_vi_number(row["reference_share"], 1),
                    }
                    for row in block["levels"]
                ],
                "quotas": [quota["message"] for quota in block["quotas"]],
            }
            for block in session.with_context(lang="vi_VN")._distribution_rows()
        ]
        return {
            "superior": superior,
            "agency": agency,
            "place_date": place_date(session.company_id.city, day),
            "subtitle": SUBTITLE.format(period=session.period_id.name or ""),
            "session": session.name,
            "units": ", ".join(session.department_ids.mapped("name")) or LABELS["whole_agency"],
            "date": day.strftime("%d/%m/%Y"),
            "secretary": session.closed_by_id.name or self.env.user.name,
            "blocks": blocks,
            "changes": [
                {
                    "employee": line.employee_id.name,
                    "department": line.department_id.name or "",
                    "points": format_vi_number(line.proposed_score, 2),
                    "proposed": line.proposed_level_id.display_name or "",
                    "calibrated": line.new_level_id.display_name,
                    "comment": line.comment or "",
                    "head": line.decider_user_id.name or "",
                }
                for line in lines.filtered("changed")
            ],
            "discussed": [
                f"{line.employee_id.name} ({line.department_id.name or ''})"
                for line in lines.filtered("discussed")
            ],
        }
