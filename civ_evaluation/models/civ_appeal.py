from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .civ_arguments import text_argument

APPEAL_STATES = [("open", "Open"), ("accepted", "Accepted"), ("rejected", "Rejected")]

# Who may do what on a request for review, in which states: {action: (states, role)} (see
# civ.workflow.mixin); every action
# is for open requests of sheets still decided, in a month not locked
APPEAL_ACTIONS = {
    "edit_reason": (("open",), "owner"),
    "withdraw": (("open",), "owner"),
    "decide": (("open",), "decider"),
}

TODO = "mail.mail_activity_data_todo"


class CivAppeal(models.Model):
    """A request for review (kiến nghị) of a decided monthly evaluation (ND 90/2020 art. 24).

    Filed by the evaluated person only, once the sheet is decided and before the period is locked;
    decided by whoever took the decision (the decision step's reviewer). Accepted, the sheet goes
    back to that decision step; rejected, the note says why. Still open when the period is locked,
    it is closed as rejected with a note (nothing of a locked month can change; an administrator
    can still reopen the sheet)."""

    _name = "civ.appeal"
    _description = "Request for Review of an Evaluation"
    _inherit = ["civ.chatter.mixin", "mail.activity.mixin", "civ.workflow.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    # set once at creation (the write guard refuses any change)
    evaluation_id = fields.Many2one(
        "civ.evaluation",
        string="Evaluation Sheet",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
    )
    employee_id = fields.Many2one(related="evaluation_id.employee_id", store=True, index=True)
    user_id = fields.Many2one(
        related="evaluation_id.user_id", string="Employee's User", store=True, index=True
    )
    period_id = fields.Many2one(related="evaluation_id.period_id", store=True, index=True)
    department_id = fields.Many2one(related="evaluation_id.department_id", store=True)
    company_id = fields.Many2one(related="evaluation_id.company_id", store=True, index=True)
    reviewer_user_id = fields.Many2one(
        "res.users",
        string="Deciding Reviewer",
        readonly=True,
        index=True,
        help="Who decided the evaluation (the decision step's reviewer) and decides this request.",
    )
    reason = fields.Text(required=True, tracking=True, help="What the employee contests, and why.")
    state = fields.Selection(
        APPEAL_STATES,
        string="Status",
        default="open",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
        copy=False,
    )
    decision_note = fields.Text(tracking=True, help="The reviewer's answer; required to reject.")
    decided_by = fields.Many2one("res.users", readonly=True, copy=False)
    date = fields.Datetime(string="Filed On", default=fields.Datetime.now, readonly=True, copy=False)
    date_decided = fields.Datetime(string="Decided On", readonly=True, copy=False)
    contested_score = fields.Float(
        readonly=True, digits=(16, 2), help="The final score when the request was filed."
    )
    contested_level_id = fields.Many2one(
        "civ.level", readonly=True, help="The level when the request was filed."
    )
    closed_at_lock = fields.Boolean(
        readonly=True, help="Still open when the period was locked: closed without a decision."
    )
    is_owner = fields.Boolean(compute="_compute_user_rights")
    is_decider = fields.Boolean(compute="_compute_user_rights")

    @api.depends("evaluation_id")
    def _compute_display_name(self):
        for appeal in self:
            appeal.display_name = self.env._(
                "Request for review – %s", appeal.evaluation_id.sudo().display_name or ""
            )

    @api.depends_context("uid")
    @api.depends("user_id", "reviewer_user_id", "state")
    def _compute_user_rights(self):
        user = self.env.user
        for appeal in self:
            appeal.is_owner = appeal.user_id == user
            appeal.is_decider = appeal.state == "open" and appeal.reviewer_user_id == user

    # ------------------------------------------------------------------ filing
    @api.model_create_multi
    def create(self, vals_list):
        """Only the evaluated person files, for a decided sheet of a period not locked, one request at
        a time (and one per decision: after a rejection, again only once the sheet is decided again)."""
        Evaluation = self.env["civ.evaluation"]
        clean = []
        for vals in vals_list:
            sheet_id = vals.get("evaluation_id")
            sheet = Evaluation.browse(sheet_id if isinstance(sheet_id, int) else []).exists()
            if not sheet:
                raise UserError(self.env._("Choose the evaluation sheet to be reviewed."))
            reason = vals.get("reason")
            reason = reason.strip() if isinstance(reason, str) else ""
            sheet._check_workflow_access("appeal")
            sheet = sheet.sudo()
            if sheet.period_id.state == "locked":
                raise UserError(
                    self.env._(
                        "A review can be requested once the evaluation is decided and before the period "
                        "is locked (%s).",
                        sheet.display_name,
                    )
                )
            if not reason:
                raise UserError(self.env._("Give the reason of your request for review."))
            sheet._check_can_appeal()
            decider = sheet._decision_reviewer()
            if not decider:
                raise UserError(
                    self.env._(
                        "Nobody decided %s through the review chain: ask human resources.", sheet.display_name
                    )
                )
            # every workflow field set here: nothing the caller sends (values or context) decides them
            clean.append(
                {
                    "evaluation_id": sheet.id,
                    "reason": reason,
                    "reviewer_user_id": decider.id,
                    "contested_score": sheet.final_score,
                    "contested_level_id": sheet.level_id.id,
                    "state": "open",
                    "date": fields.Datetime.now(),
                    "decision_note": False,
                    "decided_by": False,
                    "date_decided": False,
                    "closed_at_lock": False,
                }
            )
        appeals = super().create(clean)
        for appeal in appeals.sudo():
            appeal.message_subscribe(partner_ids=appeal.reviewer_user_id.partner_id.ids)
            appeal.activity_schedule(
                TODO,
                date_deadline=max(
                    appeal.period_id.lock_date or fields.Date.context_today(appeal),
                    fields.Date.context_today(appeal),
                ),
                summary=self.env._("Decide the request for review of %s", appeal.employee_id.name),
                user_id=appeal.reviewer_user_id.id,
            )
            appeal._notify_parties(
                self.env._(
                    "%(employee)s requests a review of their evaluation for %(period)s: %(reason)s",
                    employee=appeal.employee_id.name,
                    period=appeal.period_id.name,
                    reason=appeal.reason,
                )
            )
            appeal.evaluation_id._message_log(
                body=self.env._(
                    "Review requested by %(employee)s: %(reason)s",
                    employee=appeal.employee_id.name,
                    reason=appeal.reason,
                )
            )
        return appeals

    # ------------------------------------------------------------------ guards
    def _civ_chatter_state(self):
        # an open request takes messages; decided, or in a locked month, nothing changes
        return {
            appeal.id: "open"
            if appeal.state == "open" and appeal.evaluation_id.state != "locked"
            else "closed"
            for appeal in self
        }

    def _check_not_locked(self):
        locked = self.sudo().filtered(
            lambda appeal: appeal.evaluation_id.state == "locked" or appeal.period_id.state == "locked"
        )
        if locked:
            raise UserError(
                self.env._(
                    "The evaluation of %s is locked: its requests for review cannot change.",
                    locked[0].employee_id.name,
                )
            )

    # the request's gate (civ.workflow.mixin): the employee edits or withdraws it, whoever decided the
    # evaluation decides it; only while it is open, the sheet decided and the month not locked
    _workflow_actions = APPEAL_ACTIONS

    def _workflow_roles(self):
        user = self.env.user
        return dict(
            super()._workflow_roles(),
            owner=lambda appeal: appeal.user_id == user,
            decider=lambda appeal: appeal.reviewer_user_id == user,
        )

    def _workflow_action_label(self, action):
        return {"decide": self.env._("deciding a request for review")}.get(action, action)

    def _workflow_state_refusal(self, action, record):
        return UserError(self.env._("The request %s has already been decided.", record.display_name))

    def _workflow_role_refusal(self, action, role, record):
        if role == "owner":
            return AccessError(
                self.env._(
                    "Only the employee can change or withdraw their request, and only while it is open."
                )
            )
        return AccessError(
            self.env._(
                "Only %(reviewer)s, who decided the evaluation, can decide this request.",
                reviewer=record.reviewer_user_id.name,
            )
        )

    def _workflow_extra_refusal(self, action, record):
        if action == "decide" and record.evaluation_id.state != "done":
            return UserError(
                self.env._(
                    "The sheet %s is no longer decided: the request cannot be decided.",
                    record.evaluation_id.display_name,
                )
            )
        return None

    def _writable_outside_workflow(self):
        return dict(super()._writable_outside_workflow(), reason="edit_reason", decision_note="decide")

    def write(self, vals):
        self._check_direct_write(vals)
        return super().write(vals)

    def unlink(self):
        self._check_workflow_access("withdraw")
        return super().unlink()

    # ------------------------------------------------------------------ decision
    def action_accept(self, note=None):
        """The deciding reviewer accepts: the sheet goes back to their decision step."""
        note = text_argument(self.env, note, self.env._("The decision note"))
        self._check_workflow_access("decide")
        for appeal in self.sudo():
            appeal.write(
                {
                    "state": "accepted",
                    "decided_by": self.env.user.id,
                    "date_decided": fields.Datetime.now(),
                    "decision_note": note or appeal.decision_note or False,
                }
            )
            appeal.activity_feedback(
                [TODO], user_id=appeal.reviewer_user_id.id, feedback=self.env._("Accepted")
            )
            appeal.evaluation_id._back_to_decision(
                self.env._(
                    "Request for review accepted by %s: the evaluation is decided again.", self.env.user.name
                )
            )
            appeal._notify_parties(
                self.env._(
                    "The request for review was accepted by %(user)s: the evaluation goes back to the "
                    "decision step. %(note)s",
                    user=self.env.user.name,
                    note=appeal.decision_note or "",
                )
            )
        return True

    def action_reject(self, note=None):
        """The deciding reviewer rejects, with a note."""
        note = text_argument(self.env, note, self.env._("The decision note"))
        self._check_workflow_access("decide")
        for appeal in self.sudo():
            decision_note = (note or appeal.decision_note or "").strip()
            if not decision_note:
                raise UserError(self.env._("Give the reason for rejecting the request for review."))
            appeal.write(
                {
                    "state": "rejected",
                    "decided_by": self.env.user.id,
                    "date_decided": fields.Datetime.now(),
                    "decision_note": decision_note,
                }
            )
            appeal.activity_feedback(
                [TODO], user_id=appeal.reviewer_user_id.id, feedback=self.env._("Rejected")
            )
            appeal.evaluation_id._message_log(
                body=self.env._(
                    "Request for review rejected by %(user)s: %(note)s",
                    user=self.env.user.name,
                    note=decision_note,
                )
            )
            appeal._notify_parties(
                self.env._(
                    "The request for review was rejected by %(user)s: %(note)s",
                    user=self.env.user.name,
                    note=decision_note,
                )
            )
        return True

    def _notify_parties(self, body):
        """A note on the request that notifies the employee and the deciding reviewer."""
        self.ensure_one()
        partners = (self.user_id | self.reviewer_user_id).partner_id
        self.message_post(
            body=body, message_type="comment", subtype_xmlid="mail.mt_note", partner_ids=partners.ids
        )

    @api.model
    def _close_at_lock(self, sheets):
        """Close the open requests of sheets being locked (called before they are)."""
        appeals = self.sudo().search([("evaluation_id", "in", sheets.ids), ("state", "=", "open")])
        if not appeals:
            return
        note = self.env._(
            "The period was locked before a decision on this request. An administrator can reopen the "
            "evaluation if the request must still be examined."
        )
        appeals.write(
            {
                "state": "rejected",
                "decision_note": note,
                "closed_at_lock": True,
                "date_decided": fields.Datetime.now(),
            }
        )
        appeals.activity_unlink([TODO])
        for appeal in appeals:
            appeal._notify_parties(note)

    def action_open_sheet(self):
        self.ensure_one()
        self.check_access("read")
        return self.evaluation_id.action_open_sheet()
