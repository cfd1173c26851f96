from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError


class CivCollectiveOpinion(models.Model):
    """The opinion of a unit's collective on one sheet (civ.collective.meeting): agreed with the
    sheet as it stands, or a proposed level, and its text."""

    _name = "civ.collective.opinion"
    _description = "Opinion of a Unit's Collective on a Sheet"
    _order = "meeting_id, employee_id, id"

    meeting_id = fields.Many2one(
        "civ.collective.meeting", required=True, readonly=True, index=True, ondelete="cascade"
    )
    evaluation_id = fields.Many2one(
        "civ.evaluation",
        string="Evaluation Sheet",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    employee_id = fields.Many2one(related="evaluation_id.employee_id", store=True, string="Employee")
    framework_id = fields.Many2one(related="evaluation_id.framework_id", string="Framework")
    self_score = fields.Float(related="evaluation_id.self_score")
    reviewer_score = fields.Float(related="evaluation_id.reviewer_score")
    state = fields.Selection(related="meeting_id.state", store=True, string="Meeting Status")
    date = fields.Date(related="meeting_id.date", store=True)
    agreed = fields.Boolean(
        string="Agrees", default=True, help="The collective agrees with the sheet as its reviewers scored it."
    )
    proposed_level_id = fields.Many2one("civ.level", domain="[('framework_id', '=', framework_id)]")
    opinion = fields.Text()

    _sql_constraints = [
        (
            "meeting_sheet_unique",
            "unique(meeting_id, evaluation_id)",
            "A meeting gives one opinion per sheet.",
        ),
    ]

    def _summary(self):
        self.ensure_one()
        parts = [self.env._("agrees") if self.agreed else self.env._("does not agree")]
        if self.proposed_level_id:
            parts.append(self.env._("proposes %s", self.proposed_level_id.display_name))
        if self.opinion:
            parts.append(self.opinion)
        return "; ".join(parts)

    @api.constrains("evaluation_id", "meeting_id", "proposed_level_id")
    def _check_sheet_of_the_meeting(self):
        for opinion in self.sudo():
            sheet, meeting = opinion.evaluation_id, opinion.meeting_id
            if sheet.period_id != meeting.period_id or sheet.department_id != meeting.department_id:
                raise ValidationError(
                    self.env._(
                        "%(sheet)s is not a sheet of %(unit)s for %(period)s.",
                        sheet=sheet.display_name,
                        unit=meeting.department_id.name,
                        period=meeting.period_id.name,
                    )
                )
            if opinion.proposed_level_id and opinion.proposed_level_id.framework_id != sheet.framework_id:
                raise ValidationError(
                    self.env._("Propose a level of the framework of %s.", sheet.display_name)
                )

    def _check_editable(self):
        if self.env.su:
            return
        self.evaluation_id._check_not_locked()
        self.meeting_id._check_chair()
        self.meeting_id._check_draft()

    @api.model_create_multi
    def create(self, vals_list):
        opinions = super().create(vals_list)
        opinions._check_editable()
        return opinions

    def write(self, vals):
        self.evaluation_id._check_not_locked()
        if not self.env.su:
            if {"meeting_id", "evaluation_id"} & set(vals):
                raise AccessError(self.env._("An opinion stays on its meeting and sheet."))
            self._check_editable()
        return super().write(vals)

    def unlink(self):
        self.evaluation_id._check_not_locked()
        self._check_editable()
        return super().unlink()
