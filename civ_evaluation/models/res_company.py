import calendar
from datetime import date, timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

ANNUAL_RULES = [
    ("average", "Average score, framework bands"),
    ("level_count", "Months at each level"),
]

ANNUAL_IDENTITIES = [
    ("employee", "Same employee record"),
    ("person", "Same employee, user or work contact"),
]

# when the year's classification is due: (month, day) of the deadline, the year after for January
ANNUAL_DEADLINES = [
    ("12-15", "15 December"),
    ("01-15", "15 January of the following year"),
]
QUOTA_AT_LOCK_RULES = [
    ("cap", "Cap at the highest level the quota allows"),
    ("record", "Keep the level and record the breach"),
]

QUOTA_MODES = [
    ("block", "Caps: refuse a decision above a quota"),
    ("warn", "Allow a decision above a quota with a reason, recorded"),
]

UNDECIDED_AT_LOCK_RULES = [
    ("last_reviewer", "Last reviewer's points"),
    ("self", "Self-assessment points"),
    ("not_evaluated", "Not evaluated"),
]


def civ_period_start(any_day, kind="month"):
    """The first day of the month (kind "month") or of the calendar quarter (kind "quarter")
    containing `any_day`."""
    if kind == "quarter":
        return any_day.replace(month=(any_day.month - 1) // 3 * 3 + 1, day=1)
    return any_day.replace(day=1)


def civ_period_end(start, kind="month"):
    """The last day of the month or of the quarter starting on `start`."""
    last_month = start.month + 2 if kind == "quarter" else start.month
    return start.replace(month=last_month, day=calendar.monthrange(start.year, last_month)[1])


class ResCompany(models.Model):
    _inherit = "res.company"

    # The calendar of a month's evaluation. The period of month M opens on day `civ_open_day` of M;
    # the deadlines fall on the given days of the month after M.
    civ_open_day = fields.Integer(
        string="Opening Day",
        default=20,
        help="Day of the month on which the month's evaluation period opens.",
    )
    civ_self_day = fields.Integer(
        string="Self-assessment Deadline",
        default=3,
        help="Day of the following month by which everyone submits their self-assessment.",
    )
    civ_review_day = fields.Integer(
        string="Review Deadline",
        default=5,
        help="Day of the following month by which direct leaders have re-scored.",
    )
    civ_decision_day = fields.Integer(
        string="Decision Deadline", default=7, help="Day of the following month by which the head decides."
    )
    civ_lock_day = fields.Integer(
        string="Lock Day", default=10, help="Day of the following month after which the period is locked."
    )
    civ_reminder_days = fields.Integer(
        string="Reminder Days",
        default=1,
        help="How many days before each deadline reminders are sent to those who have not acted.",
    )
    civ_lock_draft_not_evaluated = fields.Boolean(
        string="Close Unsubmitted Sheets as Not Evaluated",
        default=True,
        help="On lock, sheets never submitted are closed as not evaluated and left out of quotas.",
    )
    civ_undecided_at_lock = fields.Selection(
        UNDECIDED_AT_LOCK_RULES,
        string="Sheets Still in Review at Lock",
        default="last_reviewer",
        required=True,
        help="How sheets still in review at the lock date are decided (flagged 'decided at deadline').",
    )
    civ_quota_mode = fields.Selection(
        QUOTA_MODES,
        string="Quotas of the Levels",
        default="block",
        required=True,
        help='Decree 335/2025 sets the quotas as caps ("không vượt quá"). Caps: a decision, a bulk '
        "approval or a year-end decision above a quota is refused, and the lock lowers the levels it "
        "decides to what the quota allows; only an outstanding unit (the period's Outstanding Unit, the "
        "year's recognition) lifts the cap, to the quota's exceptional maximum. Reason: the decision "
        "above a quota needs a reason, kept on the sheet and shown to human resources, for agencies "
        "whose regulation allows it (the behaviour before version 18.0.1.2.0).",
    )
    civ_quota_at_lock = fields.Selection(
        QUOTA_AT_LOCK_RULES,
        string="Quotas of Decisions at Lock",
        default="cap",
        required=True,
        help="Sheets decided by the lock rule pass the framework's quotas like any decision. Cap: a "
        "level above its quota is lowered to the highest level the quota allows (lowest scores first), "
        "and the sheet says why. Record: the level is kept and the breach is recorded on the sheet "
        "with an automatic reason.",
    )
    civ_framework_id = fields.Many2one(
        "civ.framework",
        string="Default Criteria Framework",
        domain="[('state', '=', 'validated')]",
        help="The framework of the periods opened for this company.",
    )
    civ_superior_employee_id = fields.Many2one(
        "hr.employee",
        string="Superior of the Head of Agency",
        help="Who decides the monthly grade of the head of the agency, when the review policy says so.",
    )
    civ_feedback_max_respondents = fields.Integer(
        string="Colleagues Asked for Feedback",
        default=5,
        help="How many colleagues of the same unit are asked for feedback on a sheet by default.",
    )
    civ_feedback_days = fields.Integer(
        string="Days to Give Feedback", default=3, help="The deadline of a request for feedback, in days."
    )
    civ_feedback_open_to_employee = fields.Boolean(
        string="Employees See Their Colleagues' Answers",
        help="Off (the default): the evaluated person sees only the number of answers and their average "
        "score; on: also each colleague's answers.",
    )
    civ_superior_agency_name = fields.Char(
        string="Superior Agency Name",
        help="The agency above this one, printed over its name in the header of reports and evaluation "
        'sheets (Decree 30/2020), e.g. "UBND THÀNH PHỐ HÀ NỘI". Empty: the parent company\'s name.',
    )

    civ_party_body = fields.Boolean(
        string="Party Body",
        help="The agency is a body of the Party (Đảng ủy, Ban của Đảng ...): the header of reports reads "
        '"ĐẢNG CỘNG SẢN VIỆT NAM" instead of the national title and motto.',
    )

    @api.constrains("civ_open_day", "civ_self_day", "civ_review_day", "civ_decision_day", "civ_lock_day")
    def _check_civ_days(self):
        for company in self:
            days = [
                company.civ_self_day,
                company.civ_review_day,
                company.civ_decision_day,
                company.civ_lock_day,
            ]
            if not 1 <= company.civ_open_day <= 28 or any(not 1 <= day <= 28 for day in days):
                raise ValidationError(self.env._("Evaluation days must be between 1 and 28."))
            if days != sorted(days):
                raise ValidationError(
                    self.env._(
                        "Evaluation deadlines must follow each other: self-assessment, review, decision, "
                        "then lock."
                    )
                )

    def _civ_period_dates(self, any_day, kind="month"):
        """The dates of the period containing `any_day`, from this company's settings: the calendar
        month, or the calendar quarter for a quarterly framework (kind "quarter"). Either way the
        deadlines and the lock fall on the company's days of the month that follows the period (for a
        quarter: the first month of the next quarter, e.g. TP.HCM QĐ 20/2024: before the 5th)."""
        self.ensure_one()
        start = civ_period_start(any_day, kind)
        end = civ_period_end(start, kind)
        following = end + timedelta(days=1)
        return {
            "date_start": start,
            "date_end": end,
            "self_deadline": following.replace(day=self.civ_self_day),
            "review_deadline": following.replace(day=self.civ_review_day),
            "decision_deadline": following.replace(day=self.civ_decision_day),
            "lock_date": following.replace(day=self.civ_lock_day),
        }

    # ------------------------------------------------------------------ year-end classification
    civ_annual_rule = fields.Selection(
        ANNUAL_RULES,
        string="Year-end Rule",
        default="average",
        required=True,
        help="How the monthly results make the year-end proposal: the average of the monthly final "
        "scores placed in the bands of the year-end framework, or the number of months at each level "
        "(at least N months at a level or better give that level; N is set on each level of the "
        "framework).",
    )
    civ_annual_pending_rule = fields.Selection(
        [
            ("locked_months", "Classify on the months locked, naming those left out"),
            ("wait", "Wait for the lock of every month of the year"),
        ],
        string="Months Not Locked at the Classification",
        default="locked_months",
        required=True,
        help="December (or the fourth quarter) is rarely locked by a 15 December classification: either the "
        "year is classified on the months locked and the result names the months left out, or the results "
        "cannot be submitted nor decided until every month of the year is locked. The rule is shown on each "
        "result.",
    )
    civ_annual_fold_q4 = fields.Boolean(
        string="Fourth Quarter Folded into the Year",
        default=True,
        help="KL 198-KL/TW and HD 43-HD/BTCTW: the leaders evaluated quarterly get no grade of their own for "
        "the fourth quarter: it is folded into the year-end evaluation, which is classified on the first "
        "three quarters without waiting for it.",
    )
    civ_annual_framework_id = fields.Many2one(
        "civ.framework",
        string="Year-end Framework",
        help="Bands and levels of the year-end classification. Empty: the framework of each "
        "person's most recent monthly sheet.",
    )
    civ_annual_min_months = fields.Integer(
        string="Minimum Months Worked",
        default=6,
        help="With fewer months actually worked in the year (months on the agency's rolls, evaluated "
        "or not, less recorded absences) a person is not classified, maternity leave excepted when "
        "allowed below (Nghị định 90/2020, art. 2(3)).",
    )
    civ_annual_maternity_exception = fields.Boolean(
        string="Maternity Leave Exception",
        default=True,
        help="A person whose missing months are covered by recorded maternity leave is classified on "
        "the time worked.",
    )
    civ_annual_absence_cap_months = fields.Float(
        string="Absence Cap from (Months)",
        default=3.0,
        digits=(16, 2),
        help="Absent at least this many months in the year (maternity leave apart): the year-end "
        "level is capped (Nghị định 90/2020, art. 2(3): absent 3 to under 6 months, not above "
        '"Hoàn thành nhiệm vụ"). 0 disables the cap.',
    )
    civ_annual_absence_cap_code = fields.Char(
        string="Absence Cap Level Code",
        default="C",
        help="Code of the best level allowed after such an absence (C = Hoàn thành nhiệm vụ in the "
        "shipped frameworks).",
    )
    civ_annual_discipline_lowest = fields.Boolean(
        string="Discipline Gives the Lowest Level",
        default=True,
        help="A disciplinary action dated in the year makes the proposal the lowest level of the framework.",
    )
    civ_annual_quota_percent = fields.Float(
        string="Year-end Excellent Quota (%)",
        default=20.0,
        digits=(16, 2),
        help="Used when the year-end framework has no quota of its own: the best level may be given "
        "to at most this share of the people graded at the second level in the agency (Nghị định "
        '335/2025: "Hoàn thành xuất sắc" ≤ 20% of those graded "Hoàn thành tốt"). 0 disables '
        "this check. A framework's quotas always apply.",
    )
    civ_annual_identity = fields.Selection(
        ANNUAL_IDENTITIES,
        string="Transferred Staff Matched by",
        default="person",
        required=True,
        help="How the monthly sheets of another company of the database are recognised as the same "
        "person's (a transfer): the same employee record only, or also an employee record with the "
        "same user or the same work contact.",
    )
    civ_annual_deadline = fields.Selection(
        ANNUAL_DEADLINES,
        string="Year-end Deadline",
        default="12-15",
        required=True,
        help="When the year's classification is due: by 15 December of the year, or by 15 January of "
        "the following year for agencies whose year closes later. The scheduled preparation runs in "
        "the month of the deadline, and the reminders before it.",
    )
    civ_annual_reminder_days = fields.Integer(
        string="Year-end Reminder Days",
        default=5,
        help="From this many days before the year-end deadline until the deadline, human resources "
        "(drafts not submitted) and the deciders (results awaiting their decision) get a reminder. "
        "0: no reminder.",
    )
    civ_annual_prepare_day = fields.Integer(
        string="Preparation Day",
        default=1,
        help="From this day of the deadline's month (December, or January for the 15 January deadline) "
        "the scheduled action prepares the draft year-end results (and refreshes them when more months "
        "are locked). 0: prepared by hand only.",
    )
    civ_annual_appeal_days = fields.Integer(
        string="Days to Request a Review",
        default=5,
        help="A person may request a review of their decided year-end result within this many days of "
        "its publication (the day of the decision; the last day included), once per result (Luật Viên "
        "chức 2025, art. 27: within 5 days of publication). 0: no time limit.",
    )
    civ_annual_appeal_answer_days = fields.Integer(
        string="Working Days to Answer a Request for Review",
        default=10,
        help="The level that classified the result (or its superior) answers a request for review within "
        "this many working days of its filing, on the company's working calendar (Luật Viên chức 2025, "
        "art. 27: 10 working days); the request is shown overdue afterwards, and the daily year-end "
        "action reminds them once. 0: no time limit.",
    )
    civ_publish_points = fields.Boolean(
        string="Publish the Points",
        help="The published results of the agency (Nghị định 90/2020, art. 22) show everyone's points. "
        "Off: each employee reads the names and levels of the others, and only their own points.",
    )
    civ_publish_monthly = fields.Boolean(
        string="Publish Each Month",
        help="Besides the decided year, the results of each locked month are published in the agency.",
    )
    civ_annual_prepared_year = fields.Integer(string="Year-end Prepared for", readonly=True, copy=False)
    civ_annual_prepared_date = fields.Datetime(string="Year-end Prepared on", readonly=True, copy=False)

    def _civ_annual_deadline_date(self, year):
        """The day the classification of `year` is due for this company."""
        self.ensure_one()
        if self.civ_annual_deadline == "01-15":
            return date(year + 1, 1, 15)
        return date(year, 12, 15)

    @api.constrains(
        "civ_annual_min_months",
        "civ_annual_absence_cap_months",
        "civ_annual_quota_percent",
        "civ_annual_prepare_day",
        "civ_annual_reminder_days",
        "civ_annual_appeal_days",
        "civ_annual_appeal_answer_days",
    )
    def _check_civ_annual_settings(self):
        for company in self:
            if not 0 <= company.civ_annual_min_months <= 12:
                raise ValidationError(self.env._("The minimum months evaluated must be between 0 and 12."))
            if not 0 <= company.civ_annual_absence_cap_months <= 12:
                raise ValidationError(self.env._("The absence cap must be between 0 and 12 months."))
            if not 0 <= company.civ_annual_quota_percent <= 100:
                raise ValidationError(self.env._("The year-end quota must be between 0 and 100%."))
            if not 0 <= company.civ_annual_prepare_day <= 31:
                raise ValidationError(self.env._("The preparation day must be between 0 and 31."))
            if not 0 <= company.civ_annual_reminder_days <= 31:
                raise ValidationError(self.env._("The year-end reminder days must be between 0 and 31."))
            if not 0 <= company.civ_annual_appeal_days <= 366:
                raise ValidationError(self.env._("The days to request a review must be between 0 and 366."))
            if not 0 <= company.civ_annual_appeal_answer_days <= 366:
                raise ValidationError(
                    self.env._("The working days to answer a request for review must be between 0 and 366.")
                )
