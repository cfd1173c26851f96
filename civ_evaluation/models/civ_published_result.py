from odoo import api, fields, models, tools

from .civ_workflow_mixin import OFFICER

PUBLISHED_KINDS = [("year", "Year"), ("month", "Month")]


class CivPublishedResult(models.Model):
    """The published results of an agency (Nghị định 90/2020, art. 22): the decided year-end results
    and, when the company publishes each month, the results of its locked months. Every employee of
    the agency reads the list: names, positions and levels; the points of others only when the
    company publishes them (civ_publish_points). A read-only SQL view over the results."""

    _name = "civ.published.result"
    _description = "Published Evaluation Result"
    _auto = False
    _order = "year desc, date_start desc, company_id, department_id, employee_id"
    _rec_name = "employee_id"

    kind = fields.Selection(PUBLISHED_KINDS, readonly=True)
    year = fields.Integer(readonly=True, aggregator=False)
    date_start = fields.Date(string="Month", readonly=True)
    period_id = fields.Many2one("civ.period", readonly=True)
    employee_id = fields.Many2one("hr.employee", readonly=True)
    department_id = fields.Many2one("hr.department", readonly=True)
    job_title = fields.Char(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    level_id = fields.Many2one("civ.level", readonly=True)
    not_classified = fields.Boolean(readonly=True)
    date_decided = fields.Datetime(string="Decided On", readonly=True)
    user_id = fields.Many2one("res.users", string="Employee's User", readonly=True)
    # the points as decided: officers read them; others through `score` when allowed
    raw_score = fields.Float(readonly=True, digits=(16, 2), groups=OFFICER)
    score = fields.Float(
        string="Points",
        compute="_compute_score",
        digits=(16, 2),
        help="Shown for your own result, and for everyone's when the agency publishes the points.",
    )
    score_visible = fields.Boolean(compute="_compute_score")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        # even ids for the year, odd ids for the months
        self.env.cr.execute(f"""
            CREATE OR REPLACE VIEW {self._table} AS (
                SELECT r.id * 2 AS id, 'year' AS kind, r.year AS year, NULL::date AS date_start,
                       NULL::integer AS period_id, r.employee_id, r.department_id, r.job_title,
                       r.company_id, r.level_id, COALESCE(r.not_classified, FALSE) AS not_classified,
                       r.date_done AS date_decided, r.user_id, r.average_score AS raw_score
                  FROM civ_annual_result r
                 WHERE r.state = 'done'
                UNION ALL
                SELECT e.id * 2 + 1, 'month', EXTRACT(YEAR FROM p.date_start)::integer, p.date_start,
                       p.id, e.employee_id, e.department_id, e.job_title,
                       e.company_id, e.level_id, COALESCE(e.not_evaluated, FALSE),
                       COALESCE(e.date_decided, p.date_locked), e.user_id, e.final_score
                  FROM civ_evaluation e
                  JOIN civ_period p ON p.id = e.period_id
                 WHERE p.state = 'locked' AND e.state = 'locked'
            )""")

    @api.depends_context("uid")
    def _compute_score(self):
        officer = self.env["civ.annual.result"]._is_officer()
        rows = self.sudo()
        for row, raw in zip(self, rows, strict=True):
            visible = officer or row.user_id == self.env.user or raw.company_id.civ_publish_points
            row.score_visible = visible
            row.score = raw.raw_score if visible else 0.0
