from odoo import fields, models

from . import civ_profile_sql

SHARE = {"digits": (5, 1), "readonly": True, "aggregator": "avg"}


class CivReviewerProfile(models.Model):
    """How a reviewer reviewed, month by month (the locked months): the sheets they re-scored and
    approved, the share they passed with no change to the self points, the mean and spread of their
    changes, the levels of those sheets against their unit's, the agency's and the reference
    distribution's, and a leniency index. Research on ratings finds most of a rating's variance in
    the rater: these figures profile the raters. Read by the officers of the company and by the heads
    of the reviewer's unit and of the units above it; never by the reviewer (record rules). A
    read-only SQL view (civ_profile_sql)."""

    _name = "civ.reviewer.profile"
    _description = "Reviewer Profile"
    _auto = False
    _depends = civ_profile_sql.REVIEWER_DEPENDS
    _order = "date_start desc, company_id, reviewer_user_id"
    _rec_name = "reviewer_user_id"

    reviewer_user_id = fields.Many2one("res.users", string="Reviewer", readonly=True)
    reviewer_employee_id = fields.Many2one("hr.employee", string="Reviewer (Employee)", readonly=True)
    reviewer_department_id = fields.Many2one("hr.department", string="Reviewer's Unit", readonly=True)
    period_id = fields.Many2one("civ.period", readonly=True)
    date_start = fields.Date(string="Month", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    sheet_count = fields.Integer(string="Sheets Reviewed", readonly=True)
    unchanged_count = fields.Integer(string="Passed Unchanged", readonly=True)
    unchanged_share = fields.Float(
        string="Passed Unchanged (%)",
        help="Share of the sheets reviewed whose points the reviewer left as the employee gave them, "
        "on every criterion.",
        **SHARE,
    )
    mean_change = fields.Float(
        digits=(16, 2),
        readonly=True,
        aggregator="avg",
        help="The mean of the reviewer's points minus the self points, over the sheets reviewed.",
    )
    change_spread = fields.Float(
        string="Spread of the Change",
        digits=(16, 2),
        readonly=True,
        aggregator="avg",
        help="The standard deviation of the change: 0 when every sheet was changed by the same amount.",
    )
    share_1 = fields.Float(string="Best Level (%)", **SHARE)
    share_2 = fields.Float(string="Second Level (%)", **SHARE)
    share_3 = fields.Float(string="Third Level (%)", **SHARE)
    share_4 = fields.Float(string="Lowest Level (%)", **SHARE)
    unit_share_1 = fields.Float(string="Unit: Best Level (%)", **SHARE)
    unit_share_2 = fields.Float(string="Unit: Second Level (%)", **SHARE)
    unit_share_3 = fields.Float(string="Unit: Third Level (%)", **SHARE)
    unit_share_4 = fields.Float(string="Unit: Lowest Level (%)", **SHARE)
    agency_share_1 = fields.Float(string="Agency: Best Level (%)", **SHARE)
    agency_share_2 = fields.Float(string="Agency: Second Level (%)", **SHARE)
    agency_share_3 = fields.Float(string="Agency: Third Level (%)", **SHARE)
    agency_share_4 = fields.Float(string="Agency: Lowest Level (%)", **SHARE)
    reference_id = fields.Many2one("civ.reference.distribution", readonly=True)
    reference_share_1 = fields.Float(string="Reference: Best Level (%)", **SHARE)
    reference_share_2 = fields.Float(string="Reference: Second Level (%)", **SHARE)
    reference_share_3 = fields.Float(string="Reference: Third Level (%)", **SHARE)
    reference_share_4 = fields.Float(string="Reference: Lowest Level (%)", **SHARE)
    leniency_index = fields.Float(
        digits=(5, 1),
        readonly=True,
        aggregator="avg",
        help="The mean rank of the reference distribution minus the mean rank of the levels of the "
        "sheets reviewed (1 = the best level, 4 = the lowest), over the three steps between them, in %: "
        "0 grades like the reference, 100 gives only the best level where the reference gives only the "
        "lowest, below 0 is stricter than the reference.",
    )
    flagged = fields.Boolean(
        readonly=True,
        help="At least the reference's minimum of sheets, and passed unchanged or lenient at or above "
        "its thresholds.",
    )

    def init(self):
        civ_profile_sql.create_reviewer_profile_view(self.env.cr, self._table)
