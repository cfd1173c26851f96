from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .civ_format import format_number

# the lines' own roles beyond their session's row (civ.calibration.session's SESSION_ACTIONS): the
# level of a sheet is changed by whoever decides it, never by the person calibrated
LINE_ACTIONS = {
    "change_level": (None, "decider"),
    "mark_discussed": (None, "participant"),
    "decide": (None, "decider"),
}


class CivCalibrationLine(models.Model):
    """One person in a calibration session: their sheet's points and proposed level when loaded, the
    level the deciding head gives in session (a comment required when it changes), whether they were
    discussed. Sealed with the month (civ.evaluation._civ_seal_columns, key "calibration")."""

    _name = "civ.calibration.line"
    _description = "Person in a Calibration Session"
    _inherit = ["civ.workflow.mixin"]
    _order = "session_id, department_id, employee_id, id"
    _check_company_auto = True
    _workflow_parent = "session_id"

    session_id = fields.Many2one(
        "civ.calibration.session", required=True, index=True, ondelete="cascade", readonly=True
    )
    session_state = fields.Selection(related="session_id.state", store=True, string="Session Status")
    company_id = fields.Many2one(related="session_id.company_id", store=True, index=True)
    evaluation_id = fields.Many2one(
        "civ.evaluation",
        string="Evaluation Sheet",
        required=True,
        index=True,
        ondelete="restrict",
        readonly=True,
        check_company=True,
    )
    employee_id = fields.Many2one(related="evaluation_id.employee_id", store=True, index=True)
    user_id = fields.Many2one(
        related="evaluation_id.user_id", store=True, index=True, string="Employee's User"
    )
    department_id = fields.Many2one(related="evaluation_id.department_id", store=True, string="Unit")
    job_title = fields.Char(related="evaluation_id.job_title")
    framework_id = fields.Many2one(related="evaluation_id.framework_id", store=True)
    sheet_state = fields.Selection(related="evaluation_id.state", string="Sheet Status")
    sheet_level_id = fields.Many2one(related="evaluation_id.level_id", string="Decided Level")
    decider_user_id = fields.Many2one(
        "res.users",
        string="Deciding Head",
        readonly=True,
        index=True,
        help="The sheet's decision step's reviewer.",
    )
    proposed_score = fields.Float(string="Points", digits=(16, 2), readonly=True)
    proposed_level_id = fields.Many2one("civ.level", readonly=True)
    new_level_id = fields.Many2one(
        "civ.level",
        string="Calibrated Level",
        domain="[('framework_id', '=', framework_id)]",
        help="The level the deciding head gives in session; empty: the proposed level stands.",
    )
    comment = fields.Text(help="Why the level changes: required for every change.")
    discussed = fields.Boolean(help="The person's case was discussed in session.")
    changed = fields.Boolean(compute="_compute_changed", store=True, string="Level Changed")
    minutes_checksum = fields.Char(
        readonly=True, help="The checksum of the session's minutes, sealed with the sheet."
    )
    can_change_level = fields.Boolean(compute="_compute_user_rights")

    _sql_constraints = [
        ("session_sheet_unique", "UNIQUE(session_id, evaluation_id)", "A sheet is once in a session."),
    ]

    @api.depends("proposed_level_id", "new_level_id")
    def _compute_changed(self):
        for line in self:
            line.changed = bool(line.new_level_id) and line.new_level_id != line.proposed_level_id

    @api.depends_context("uid")
    @api.depends("session_id.state", "decider_user_id")
    def _compute_user_rights(self):
        allowed = self._workflow_allowed("change_level")
        for line in self:
            line.can_change_level = line in allowed

    @api.depends("employee_id", "session_id")
    def _compute_display_name(self):
        for line in self:
            line.display_name = f"{line.sudo().session_id.name or ''} – {line.sudo().employee_id.name or ''}"

    def _calibrated_level(self):
        """The level the line gives: the calibrated one, else the proposed one."""
        self.ensure_one()
        return self.new_level_id or self.proposed_level_id

    # ------------------------------------------------------------------ rules
    @api.constrains("new_level_id", "comment", "proposed_level_id")
    def _check_comment(self):
        for line in self:
            if line.new_level_id and line.new_level_id.framework_id != line.framework_id:
                raise ValidationError(
                    self.env._(
                        "%(employee)s: the level %(level)s is not a level of their framework.",
                        employee=line.employee_id.name,
                        level=line.new_level_id.display_name,
                    )
                )
            if line.changed and not (line.comment or "").strip():
                raise ValidationError(
                    self.env._(
                        "%(employee)s: changing the level from %(old)s to %(new)s needs a comment.",
                        employee=line.employee_id.name,
                        old=line.proposed_level_id.display_name or "-",
                        new=line.new_level_id.display_name,
                    )
                )

    _workflow_actions = LINE_ACTIONS

    def _workflow_roles(self):
        user = self.env.user
        return dict(
            super()._workflow_roles(),
            decider=lambda line: line.decider_user_id == user,
            participant=lambda line: self._is_officer() or user in line.session_id.line_ids.decider_user_id,
        )

    def _workflow_action_label(self, action):
        return self.env["civ.calibration.session"]._workflow_action_label(action)

    def _workflow_role_refusal(self, action, role, record):
        return AccessError(
            self.env._(
                "Only %(head)s, who decides the evaluation of %(employee)s, changes their level.",
                head=record.decider_user_id.name or "-",
                employee=record.employee_id.name,
            )
        )

    def _workflow_extra_refusal(self, action, record):
        if action == "change_level" and record.evaluation_id.state != "review":
            return UserError(
                self.env._(
                    "The evaluation of %s is no longer before its decision: its level is not calibrated "
                    "any more.",
                    record.employee_id.name,
                )
            )
        return None

    def _writable_outside_workflow(self):
        return dict(
            super()._writable_outside_workflow(),
            new_level_id="change_level",
            comment="change_level",
            discussed="mark_discussed",
        )

    def write(self, vals):
        self._check_direct_write(vals)
        before = {line.id: (line.new_level_id, line.comment) for line in self}
        result = super().write(vals)
        if {"new_level_id", "comment"} & set(vals):
            self._log_changes(before)
        return result

    def unlink(self):
        self._check_not_locked()
        if not self.env.su:
            self._check_workflow_access("load")
        return super().unlink()

    def _log_changes(self, before):
        """Every change of a calibrated level, with its comment, in the session's chatter."""
        by_session = {}
        for line in self.sudo():
            old_level, old_comment = before[line.id]
            if (old_level, old_comment) == (line.new_level_id, line.comment):
                continue
            by_session.setdefault(line.session_id, []).append(
                self.env._(
                    "%(employee)s: %(old)s → %(new)s (%(score)s points) by %(user)s: %(comment)s",
                    employee=line.employee_id.name,
                    old=line.proposed_level_id.display_name or "-",
                    new=(line.new_level_id or line.proposed_level_id).display_name or "-",
                    score=format_number(self.env, line.proposed_score, trim=True),
                    user=self.env.user.name,
                    comment=line.comment or "",
                )
            )
        for session, texts in by_session.items():
            session._message_log(body=Markup("<br/>").join(texts))

    def _refresh_or_drop(self):
        """At a new load (sudo, after the session's gate): the lines whose sheet left review are
        dropped unless their level was changed; the others get the sheet's current proposal and
        decider."""
        gone = self.filtered(lambda line: line.evaluation_id.state != "review" and not line.changed)
        gone.unlink()
        staying = self - gone
        proposals = staying.evaluation_id.filtered(
            lambda sheet: sheet.state == "review"
        )._calibration_proposals()
        for line in staying.filtered(lambda line: line.evaluation_id.id in proposals):
            proposal = proposals[line.evaluation_id.id]
            vals = {
                "proposed_score": proposal["total"],
                "proposed_level_id": proposal["level"].id or False,
                "decider_user_id": line.evaluation_id._decision_step().reviewer_user_id.id or False,
            }
            if line.new_level_id and not (line.comment or "").strip():
                # a level kept without a comment follows the new proposal
                vals["new_level_id"] = False
            line.write(vals)
