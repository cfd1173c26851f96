"""Values of the written notice of a year-end result (thông báo kết quả xếp loại, QWeb PDF, Decree
30/2020 layout): given to each person when their year is decided and filed on their employee record
(Nghị định 90/2020, art. 22)."""

from odoo import api, fields, models

from ..models import civ_regime
from ..models.civ_format import format_vi_number
from .civ_evaluation_report import agency_lines
from .xlsx_common import HEAD_HINT, NATIONAL_MOTTO, NATIONAL_TITLE, PARTY_TITLE, agency_names, place_date

# The texts of the notice are the content of an official document (Vietnamese), not UI strings.
TITLE = "THÔNG BÁO"
SUBTITLE = "Kết quả đánh giá, xếp loại chất lượng cán bộ, công chức, viên chức năm {year}"
ADDRESSEE = "Kính gửi: Ông/Bà {name}"
GROUNDS = (
    "Căn cứ Nghị định số 90/2020/NĐ-CP ngày 13 tháng 8 năm 2020 của Chính phủ về đánh giá, xếp loại chất "
    "lượng cán bộ, công chức, viên chức và Nghị định số 48/2023/NĐ-CP ngày 17 tháng 7 năm 2023 sửa đổi, "
    "bổ sung một số điều của Nghị định số 90/2020/NĐ-CP;"
)
# the governing text of the person's regime (rule set of their staff category, civ.category.rule)
GROUNDS_OF_TEXT = "Căn cứ {text};"
INTRO = "{agency} thông báo kết quả đánh giá, xếp loại chất lượng năm {year} của Ông/Bà như sau:"
LABELS = {
    "label_employee": "Họ và tên:",
    "label_job": "Chức vụ, chức danh:",
    "label_department": "Đơn vị công tác:",
    "label_score": "Điểm đánh giá bình quân:",
    "label_level": "Kết quả xếp loại:",
    "label_decided": "Ngày quyết định:",
}
NOT_CLASSIFIED = "Không xếp loại ({reason})"
LEVEL_TEXT = "{name}"
APPEAL = (
    "Trường hợp không nhất trí với kết quả, Ông/Bà có quyền đề nghị xem xét lại theo quy định trong thời "
    "hạn của cơ quan."
)
APPEAL_DEADLINE = (
    "Trường hợp không nhất trí với kết quả, Ông/Bà có quyền đề nghị xem xét lại trong thời hạn {days} ngày "
    "kể từ ngày công bố kết quả ({published}), chậm nhất đến hết ngày {deadline}. Đề nghị gửi {addressee}"
    "{superior}.{answer}"
)
APPEAL_ANSWER = " Đề nghị được trả lời trong thời hạn {days} ngày làm việc kể từ ngày nhận."
APPEAL_SUPERIOR = " hoặc cấp trên trực tiếp là Ông/Bà {name}"
APPEAL_ADDRESSEE = "Ông/Bà {name}{title}, người đã xếp loại"
RECIPIENTS_TITLE = "Nơi nhận:"
RECIPIENTS = ["- Như trên;", "- Lưu: VT, hồ sơ cá nhân."]
SIGNER = "THỦ TRƯỞNG CƠ QUAN"
SIGNER_SUPERIOR = "CẤP CÓ THẨM QUYỀN"


class ReportCivAnnualNotice(models.AbstractModel):
    _name = "report.civ_evaluation.report_annual_notice"
    _description = "Notice of the Year-end Result"

    @api.model
    def _get_report_values(self, docids, data=None):
        results = self.env["civ.annual.result"].browse(docids)
        # the user's own rights: only results they may read are printed
        results.check_access("read")
        return {
            "doc_ids": docids,
            "doc_model": "civ.annual.result",
            "docs": results,
            "notice_values": {result.id: self._notice_values(result) for result in results},
            "texts": {
                "title": TITLE,
                "grounds": GROUNDS,
                "sign_hint": HEAD_HINT,
                "recipients_title": RECIPIENTS_TITLE,
                "recipients": RECIPIENTS,
                **LABELS,
            },
        }

    def _notice_values(self, result):
        result = result.sudo()
        company = result.company_id
        superior, agency = agency_names(company)
        party = company.civ_party_body
        day = (
            fields.Date.context_today(self, result.date_done)
            if result.date_done
            else (fields.Date.context_today(self))
        )
        if result.level_id:
            level = LEVEL_TEXT.format(name=result.level_id.name)
        else:
            level = NOT_CLASSIFIED.format(reason=result.not_classified_reason or "")
        decider = result.decider_employee_id
        text = result.category_rule_id.legal_text or (
            civ_regime.legal_text(result.regime) if result.regime else ""
        )
        return {
            "grounds": GROUNDS_OF_TEXT.format(text=text) if text else GROUNDS,
            "appeal": self._appeal_text(result, day),
            "superior": superior,
            "superior_lines": agency_lines(superior),
            "agency_lines": agency_lines(agency),
            "national_title": PARTY_TITLE if party else NATIONAL_TITLE,
            "national_motto": "" if party else NATIONAL_MOTTO,
            "place_date": place_date(company.city, day),
            "subtitle": SUBTITLE.format(year=result.year),
            "addressee": ADDRESSEE.format(name=result.employee_id.name),
            "intro": INTRO.format(agency=company.name, year=result.year),
            "employee": result.employee_id.name,
            "job_title": result.job_title or "",
            "department": result.department_id.name or "",
            "score": format_vi_number(result.average_score) if result.months_evaluated else "",
            "level": level,
            "date_decided": day.strftime("%d/%m/%Y"),
            "signer_title": SIGNER_SUPERIOR if decider and decider.company_id != company else SIGNER,
            "signer": decider.name or "",
        }

    def _appeal_text(self, result, published):
        """The request for review: until when (the company's days after the publication, the day of
        the decision), to whom (the level that classified, or its superior) and the time to answer."""
        deadline = result.appeal_deadline
        if not deadline:
            return APPEAL
        decider, superior = self.env["civ.annual.appeal"]._answerer_employees(result)
        answer_days = result.company_id.civ_annual_appeal_answer_days
        return APPEAL_DEADLINE.format(
            days=result.company_id.civ_annual_appeal_days,
            published=published.strftime("%d/%m/%Y"),
            deadline=deadline.strftime("%d/%m/%Y"),
            addressee=APPEAL_ADDRESSEE.format(
                name=decider.name or "",
                title=f", {decider.job_title}" if decider.job_title else "",
            ),
            superior=APPEAL_SUPERIOR.format(name=superior.name) if superior else "",
            answer=APPEAL_ANSWER.format(days=answer_days) if answer_days else "",
        )
