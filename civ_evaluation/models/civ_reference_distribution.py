from odoo import api, fields, models
from odoo.exceptions import ValidationError

# the ranks of the levels the profiles compare (1 = the best level of a framework, 4 = the lowest and
# any below it), as the four levels of every text of the sector (A … D)
RANKS = (1, 2, 3, 4)


class CivReferenceDistribution(models.Model):
    """A reference distribution of the levels, against which the profiles of reviewers and units
    (civ.reviewer.profile, civ.unit.profile) compare what was given, with the thresholds that flag a
    profile. Shipped: the national figures of the Ministry of Home Affairs for 2018 (2,129,000 staff:
    27.7% excellent, 66.6% completed well, 5.1% completed, 0.4% not completed), editable; a company
    may keep its own. The profiles use the company's first active one, else the first shared one."""

    _name = "civ.reference.distribution"
    _description = "Reference Distribution of Levels"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", index=True, help="Empty: shared by the companies that have none of their own."
    )
    source = fields.Text(help="Where the figures come from.")
    share_1 = fields.Float(
        string="Best Level (%)", digits=(5, 1), help="Share of the best level (A, excellent), in %."
    )
    share_2 = fields.Float(
        string="Second Level (%)", digits=(5, 1), help="Share of the second level (B), in %."
    )
    share_3 = fields.Float(
        string="Third Level (%)", digits=(5, 1), help="Share of the third level (C), in %."
    )
    share_4 = fields.Float(
        string="Lowest Level (%)", digits=(5, 1), help="Share of the fourth level (D) and any below it, in %."
    )
    min_sheets = fields.Integer(
        string="Minimum Sheets",
        default=5,
        help="A reviewer's profile of a month is flagged only from this many sheets reviewed.",
    )
    flag_unchanged_share = fields.Float(
        string="Flag: Passed Unchanged (%)",
        default=90.0,
        digits=(5, 1),
        help="A reviewer who passed at least this share of the sheets with no change to the self points "
        "is flagged.",
    )
    flag_leniency = fields.Float(
        string="Flag: Leniency Index",
        default=25.0,
        digits=(5, 1),
        help="A reviewer whose leniency index reaches this value is flagged. The index is the mean rank "
        "of the reference minus the mean rank of the levels of the sheets the reviewer reviewed, over "
        "the three steps between the best and the lowest level, in %: 0 grades like the reference, "
        "100 gives only the best level where the reference gives only the lowest; below 0 is stricter "
        "than the reference.",
    )
    flag_unit_months = fields.Integer(
        string="Flag: Months without C or D",
        default=6,
        help="A unit whose sheets had no level below the second for this many locked months in a row is "
        "flagged.",
    )
    uniform_spread = fields.Float(
        string="Uniform Within (points)",
        default=2.0,
        digits=(5, 1),
        help="A unit of a month is uniform when the final points of all its sheets lie within this "
        "spread (the highest minus the lowest).",
    )

    @api.constrains("share_1", "share_2", "share_3", "share_4")
    def _check_shares(self):
        for distribution in self:
            shares = [distribution[f"share_{rank}"] for rank in RANKS]
            if any(share < 0 or share > 100 for share in shares):
                raise ValidationError(self.env._("Each share of a reference distribution is from 0 to 100%."))
            # published figures are rounded: the national ones of 2018 add up to 99.8%
            if abs(sum(shares) - 100.0) > 0.5:
                raise ValidationError(
                    self.env._(
                        "The shares of the reference distribution %(name)s add up to %(total)s%%, not 100%% "
                        "(within 0.5 for rounded figures).",
                        name=distribution.name,
                        total=round(sum(shares), 1),
                    )
                )

    @api.constrains("min_sheets", "flag_unit_months", "uniform_spread", "flag_unchanged_share")
    def _check_thresholds(self):
        for distribution in self:
            if distribution.min_sheets < 1 or distribution.flag_unit_months < 1:
                raise ValidationError(
                    self.env._("The minimum sheets and the months without C or D are at least 1.")
                )
            if distribution.uniform_spread < 0 or not 0 <= distribution.flag_unchanged_share <= 100:
                raise ValidationError(
                    self.env._(
                        "The uniform spread is not negative and the unchanged share is from 0 to 100%."
                    )
                )

    @api.model
    def _for_company(self, company):
        """The company's reference: its first active own distribution, else the first shared one (the
        rule of the profiles' SQL, civ_profile_sql)."""
        candidates = self.sudo().search([("company_id", "in", [company.id, False])], order="sequence, id")
        return (candidates.filtered(lambda d: d.company_id == company) or candidates)[:1].sudo(False)
