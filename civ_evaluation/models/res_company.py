import calendar
from datetime import date, timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

UNDECIDED_AT_LOCK_RULES = [
    ("last_reviewer", "Last reviewer's points"),
    ("self", "Self-assessment points"),
    ("not_evaluated", "Not evaluated"),
]


class ResCompany(models.Model):
    _inherit = "res.company"

    # The calendar of a month's evaluation. The period of month M opens on day `civ_open_day` of M;
    # the deadlines fall on the given days of the month after M.
    civ_open_day = fields.Integer(
        string="Opening Day", default=20,
        help="Day of the month on which the month's evaluation period opens.")
    civ_self_day = fields.Integer(
        string="Self-assessment Deadline", default=3,
        help="Day of the following month by which everyone submits their self-assessment.")
    civ_review_day = fields.Integer(
        string="Review Deadline", default=5,
        help="Day of the following month by which direct leaders have re-scored.")
    civ_decision_day = fields.Integer(
        string="Decision Deadline", default=7,
        help="Day of the following month by which the head decides.")
    civ_lock_day = fields.Integer(
        string="Lock Day", default=10,
        help="Day of the following month after which the period is locked.")
    civ_reminder_days = fields.Integer(
        string="Reminder Days", default=1,
        help="How many days before each deadline reminders are sent to those who have not acted.")
    civ_lock_draft_not_evaluated = fields.Boolean(
        string="Close Unsubmitted Sheets as Not Evaluated", default=True,
        help="On lock, sheets never submitted are closed as not evaluated and left out of quotas.")
    civ_undecided_at_lock = fields.Selection(
        UNDECIDED_AT_LOCK_RULES, string="Sheets Still in Review at Lock", default="last_reviewer",
        required=True,
        help="How sheets still in review at the lock date are decided (flagged 'decided at deadline').")
    civ_framework_id = fields.Many2one(
        "civ.framework", string="Default Criteria Framework",
        domain="[('state', '=', 'validated')]",
        help="The framework of the periods opened for this company.")
    civ_superior_employee_id = fields.Many2one(
        "hr.employee", string="Superior of the Head of Agency",
        help="Who decides the monthly grade of the head of the agency, when the review policy says so.")
    civ_superior_agency_name = fields.Char(
        string="Superior Agency Name",
        help="The agency above this one, printed over its name in the header of reports and evaluation "
        "sheets (Decree 30/2020), e.g. \"UBND THÀNH PHỐ HÀ NỘI\". Empty: the parent company's name.")

    @api.constrains("civ_open_day", "civ_self_day", "civ_review_day", "civ_decision_day", "civ_lock_day")
    def _check_civ_days(self):
        for company in self:
            days = [company.civ_self_day, company.civ_review_day, company.civ_decision_day,
                    company.civ_lock_day]
            if not 1 <= company.civ_open_day <= 28 or any(not 1 <= day <= 28 for day in days):
                raise ValidationError(self.env._("Evaluation days must be between 1 and 28."))
            if days != sorted(days):
                raise ValidationError(self.env._(
                    "Evaluation deadlines must follow each other: self-assessment, review, decision, "
                    "then lock."))

    def _civ_period_dates(self, any_day):
        """The dates of the month containing `any_day`, from this company's settings."""
        self.ensure_one()
        start = any_day.replace(day=1)
        end = start.replace(day=calendar.monthrange(start.year, start.month)[1])
        following = end + timedelta(days=1)
        return {
            "date_start": start,
            "date_end": end,
            "self_deadline": following.replace(day=self.civ_self_day),
            "review_deadline": following.replace(day=self.civ_review_day),
            "decision_deadline": following.replace(day=self.civ_decision_day),
            "lock_date": following.replace(day=self.civ_lock_day),
        }

    def _civ_open_date(self, month_start: date):
        """The day on which the period of the month starting `month_start` opens."""
        self.ensure_one()
        return month_start.replace(day=self.civ_open_day)
