from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import clean_context

MEETING_STATES = [("draft", "Draft"), ("recorded", "Recorded")]


class CivCollectiveMeeting(models.Model):
    """The meeting of a unit's collective on the month's sheets (Nghị định 90/2020; "ý kiến của tập
    thể"): its date, the members present, its minutes, and its opinion on each sheet of the unit,
    recorded in bulk by the head of the unit (or an officer). The opinions go on the sheets, are shown
    to the deciding level, printed on the sheet and sealed with it; recording approves the sheets
    whose pending step is the unit collective's (reviewer_rule "unit_collective")."""

    _name = "civ.collective.meeting"
    _description = "Meeting of a Unit's Collective"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    period_id = fields.Many2one(
        "civ.period", required=True, index=True, check_company=True, domain="[('state', '=', 'open')]"
    )
    department_id = fields.Many2one(
        "hr.department", string="Unit", required=True, index=True, check_company=True
    )
    date = fields.Date(required=True, default=fields.Date.context_today)
    member_employee_ids = fields.Many2many(
        "hr.employee",
        "civ_collective_meeting_employee_rel",
        "meeting_id",
        "employee_id",
        string="Members Present",
    )
    minutes = fields.Binary(attachment=True)
    minutes_filename = fields.Char()
    opinion_ids = fields.One2many("civ.collective.opinion", "meeting_id", string="Opinions")
    state = fields.Selection(MEETING_STATES, default="draft", required=True, readonly=True, tracking=True)
    recorded_by_id = fields.Many2one("res.users", readonly=True)
    date_recorded = fields.Datetime(readonly=True)

    @api.depends("department_id", "period_id", "date")
    def _compute_name(self):
        for meeting in self:
            meeting.name = self.env._(
                "Collective of %(unit)s – %(period)s",
                unit=meeting.department_id.name or "-",
                period=meeting.period_id.name or "-",
            )

    # ------------------------------------------------------------------ guards
    def _check_chair(self):
        """The head of the unit or an officer (of the company: the record rules) runs the meeting."""
        if self.env.su or self.env.user.has_group("civ_evaluation.group_civ_officer"):
            return
        for meeting in self.sudo():
            if meeting.department_id.manager_id.user_id != self.env.user:
                raise AccessError(
                    self.env._(
                        "Only the head of %(unit)s or human resources record its collective's opinions.",
                        unit=meeting.department_id.name,
                    )
                )

    def _check_draft(self):
        recorded = self.filtered(lambda meeting: meeting.state != "draft")
        if recorded:
            raise UserError(
                self.env._("The meeting %s is recorded: its opinions are on the sheets.", recorded[0].name)
            )

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [{k: v for k, v in vals.items() if k not in ("state", "recorded_by_id", "date_recorded")}
                     for vals in vals_list]  # fmt: skip
        # no default_* key of the caller's context fills the state or who recorded it
        meetings = super(CivCollectiveMeeting, self.with_context(clean_context(self.env.context))).create(
            vals_list
        )
        meetings._check_chair()
        return meetings

    def write(self, vals):
        if not self.env.su:
            self._check_chair()
            self._check_draft()
            if {"state", "recorded_by_id", "date_recorded"} & set(vals):
                raise AccessError(self.env._("A meeting is recorded with its button."))
        return super().write(vals)

    def unlink(self):
        self._check_chair()
        self._check_draft()
        return super().unlink()

    # ------------------------------------------------------------------ actions
    def action_load_sheets(self):
        """One opinion line per sheet of the unit in the period (not decided yet), agreed by default;
        not the sheet of the one loading (the head's own sheet is the collective's of the unit above)."""
        self._check_chair()
        self._check_draft()
        for meeting in self.sudo():
            sheets = (
                self.env["civ.evaluation"]
                .sudo()
                .search(
                    [
                        ("period_id", "=", meeting.period_id.id),
                        ("department_id", "=", meeting.department_id.id),
                        ("state", "in", ("draft", "review")),
                        ("id", "not in", meeting.opinion_ids.evaluation_id.ids),
                        # nobody records an opinion on their own sheet
                        ("user_id", "!=", self.env.uid),
                    ]
                )
            )
            self.env["civ.collective.opinion"].sudo().create(
                [{"meeting_id": meeting.id, "evaluation_id": sheet.id} for sheet in sheets]
            )
        return True

    def action_record(self):
        """The opinions go on the sheets (through each sheet's gate, "record_opinion"); the sheets whose
        pending step is the unit collective's are approved with the opinion as its comment."""
        self._check_chair()
        self._check_draft()
        for meeting in self:
            if not meeting.opinion_ids:
                raise UserError(self.env._("Load the sheets of the unit first."))
            meeting.opinion_ids.evaluation_id._check_workflow_access("record_opinion")
        now = fields.Datetime.now()
        for meeting in self.sudo():
            meeting.write({"state": "recorded", "recorded_by_id": self.env.uid, "date_recorded": now})
            present = ", ".join(meeting.member_employee_ids.mapped("name")) or "-"
            for opinion in meeting.opinion_ids:
                opinion.evaluation_id._message_log(
                    body=Markup("<p>%s</p>")
                    % self.env._(
                        "Opinion of the collective of %(unit)s (%(date)s; present: %(present)s): %(opinion)s",
                        unit=meeting.department_id.name,
                        date=meeting.date,
                        present=present,
                        opinion=opinion._summary(),
                    )
                )
            meeting._approve_collective_steps()
            meeting.message_post(body=self.env._("Opinions recorded on %s sheets.", len(meeting.opinion_ids)))
        return True

    def _approve_collective_steps(self):
        """Approve the sheets whose pending step is the unit collective's, the opinion as its comment
        (superuser, after the gate). A sheet the quota service refuses waits for its head."""
        self.ensure_one()
        for opinion in self.opinion_ids:
            sheet = opinion.evaluation_id
            step = sheet.current_step_id
            if sheet.state != "review" or step.policy_step_id.reviewer_rule != "unit_collective":
                continue
            step.write({"comment": opinion._summary()})
            try:
                with self.env.cr.savepoint():
                    sheet.action_approve(quota_reason=self.env._("Opinion of the unit's collective"))
            except UserError as error:
                sheet._message_log(
                    body=self.env._("The collective's step could not be approved: %s", str(error))
                )
