from odoo import api, fields, models


class CivFramework(models.Model):
    _name = "civ.framework"
    _description = "Criteria Framework"
    _inherit = ["mail.thread"]
    _order = "sequence, name, version desc, id"

    name = fields.Char(required=True, tracking=True)
    code = fields.Char(
        required=True, tracking=True, help="Short reference used in exports and integrations."
    )
    version = fields.Integer(
        default=1, required=True, copy=False, tracking=True,
        help="Version number: a framework in use is not changed, a new version is copied from it.",
    )
    origin_id = fields.Many2one(
        "civ.framework", string="Copied From", copy=False, readonly=True, ondelete="set null",
        help="The framework this version was copied from.",
    )
    sequence = fields.Integer(default=10)
    legal_basis = fields.Text(help="The legal texts this framework implements.")
    description = fields.Html(help="How this framework is applied; what may be adjusted locally.")
    period_kind = fields.Selection(
        [("month", "Monthly"), ("quarter", "Quarterly")],
        string="Period", required=True, default="month", tracking=True,
    )
    max_score = fields.Float(
        string="Maximum Score", required=True, default=100.0, tracking=True,
        help="Sum of the maxima of the standard groups (bonus groups come on top of it).",
    )
    score_ceiling = fields.Float(
        tracking=True,
        help="No total goes above this score, bonus included. Defaults to the maximum score.",
    )
    allow_negative_total = fields.Boolean(
        tracking=True,
        help="If unchecked, deductions cannot take a total below 0.",
    )
    group_ids = fields.One2many("civ.criteria.group", "framework_id", string="Criteria Groups")
    criterion_ids = fields.One2many("civ.criterion", "framework_id", string="Criteria")
    level_ids = fields.One2many("civ.level", "framework_id", string="Levels")
    quota_ids = fields.One2many("civ.quota", "framework_id", string="Quotas")
    state = fields.Selection(
        [("draft", "Draft"), ("validated", "Validated")],
        required=True, default="draft", copy=False, tracking=True,
        help="Only validated (and active) frameworks can be used by evaluation periods.",
    )
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", tracking=True,
        default=lambda self: self.env.company,
        help="Empty: shared by every company.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("score_ceiling"):
                vals["score_ceiling"] = vals.get("max_score") or self._fields["max_score"].default(self)
        return super().create(vals_list)
