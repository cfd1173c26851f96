from odoo import fields, models

from . import civ_profile_sql


class CivReviewerGroupProfile(models.Model):
    """How a reviewer changed each criteria group, month by month (the locked months): over the
    re-scoring steps they approved, the sheets whose group they changed and the mean and spread of the
    change of the group's points. Read as the reviewer profiles are (record rules). A read-only SQL
    view (civ_profile_sql)."""

    _name = "civ.reviewer.group.profile"
    _description = "Reviewer Profile per Criteria Group"
    _auto = False
    _depends = civ_profile_sql.GROUP_DEPENDS
    _order = "date_start desc, company_id, reviewer_user_id, group_id"
    _rec_name = "group_id"

    reviewer_user_id = fields.Many2one("res.users", string="Reviewer", readonly=True)
    reviewer_department_id = fields.Many2one("hr.department", string="Reviewer's Unit", readonly=True)
    period_id = fields.Many2one("civ.period", readonly=True)
    date_start = fields.Date(string="Month", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    group_id = fields.Many2one("civ.criteria.group", string="Criteria Group", readonly=True)
    sheet_count = fields.Integer(string="Sheets Reviewed", readonly=True)
    changed_count = fields.Integer(string="Sheets Changed", readonly=True)
    mean_change = fields.Float(
        digits=(16, 2),
        readonly=True,
        aggregator="avg",
        help="The mean of the reviewer's points of the group minus the self points of the group.",
    )
    change_spread = fields.Float(
        string="Spread of the Change",
        digits=(16, 2),
        readonly=True,
        aggregator="avg",
        help="The standard deviation of the change of the group's points.",
    )

    def init(self):
        civ_profile_sql.create_reviewer_group_profile_view(self.env.cr, self._table)
