from odoo import fields, models

from . import civ_profile_sql
from .civ_reviewer_profile import SHARE


class CivUnitProfile(models.Model):
    """The levels of a unit's sheets, month by month (the locked months), against the reference
    distribution: the spread of the final points (uniform when everyone lies within a few points),
    whether any level below the second was given, and how many months in a row none was — the signs
    of an evaluation done as a formality. Read by the officers of the company and by the heads of the
    unit and of the units above it (record rules). A read-only SQL view (civ_profile_sql)."""

    _name = "civ.unit.profile"
    _description = "Unit Profile of the Levels"
    _auto = False
    _depends = civ_profile_sql.SHEET_DEPENDS
    _order = "date_start desc, company_id, department_id"
    _rec_name = "department_id"

    department_id = fields.Many2one("hr.department", string="Unit", readonly=True)
    period_id = fields.Many2one("civ.period", readonly=True)
    date_start = fields.Date(string="Month", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    sheet_count = fields.Integer(string="Sheets", readonly=True)
    min_score = fields.Float(string="Lowest Points", digits=(16, 2), readonly=True, aggregator="min")
    max_score = fields.Float(string="Highest Points", digits=(16, 2), readonly=True, aggregator="max")
    spread = fields.Float(string="Spread (points)", digits=(16, 2), readonly=True, aggregator="avg")
    uniform = fields.Boolean(
        readonly=True, help="The final points of all the sheets lie within the spread of the reference."
    )
    has_low = fields.Boolean(string="C or D Given", readonly=True)
    months_without_low = fields.Integer(
        string="Months without C or D",
        readonly=True,
        aggregator="max",
        help="The locked months in a row, up to this one, in which no sheet of the unit got a level below "
        "the second.",
    )
    share_1 = fields.Float(string="Best Level (%)", **SHARE)
    share_2 = fields.Float(string="Second Level (%)", **SHARE)
    share_3 = fields.Float(string="Third Level (%)", **SHARE)
    share_4 = fields.Float(string="Lowest Level (%)", **SHARE)
    reference_id = fields.Many2one("civ.reference.distribution", readonly=True)
    reference_share_1 = fields.Float(string="Reference: Best Level (%)", **SHARE)
    reference_share_2 = fields.Float(string="Reference: Second Level (%)", **SHARE)
    reference_share_3 = fields.Float(string="Reference: Third Level (%)", **SHARE)
    reference_share_4 = fields.Float(string="Reference: Lowest Level (%)", **SHARE)
    flagged = fields.Boolean(
        readonly=True,
        help="No C or D for the reference's number of months in a row, or uniform points with at least "
        "its minimum of sheets.",
    )

    def init(self):
        civ_profile_sql.create_unit_profile_view(self.env.cr, self._table)
