from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .civ_arguments import text_argument

APPEAL_STATES = [("open", "Open"), ("accepted", "Accepted"), ("rejected", "Rejected")]

# Who may do what on a request, in which states: {action: (states, role)} (see civ.workflow.mixin)
# (the level that classified, or its superior, decides: never human resources alone)
ANNUAL_APPEAL_ACTIONS = {"edit_reason": (("open",), "owner"), "decide": (("open",), "decider")}


class CivAnnualAppeal(models.Model):
    """A request for review (kiến nghị) of a decided year-end result (Luật Viên chức 2025 art. 27;
    Nghị định 90/2020 art. 24 before 1/7/2026): filed by the employee within the company's days after
    the publication of the result (the day of its decision), once per result, decided by the level that
    classified it or that level's superior (never human resources alone), answered within the
    company's working days. Final once answered; accepting it sets the result back to draft, to be
    decided again."""

    _name = "civ.annual.appeal"
    _description = "Request for Review of a Year-end Result"
    _inherit = ["civ.chatter.mixin", "civ.workflow.mixin"]
    _order = "create_date desc, id desc"

    result_id = fields.Many2one(
        "civ.annual.result", string="Year-end Result", required=True, index=True, ondelete="cascade"
    )
    employee_id = fields.Many2one(related="result_id.employee_id", store=True, index=True)
    user_id = fields.Many2one(related="result_id.user_id", store=True, index=True)
    company_id = fields.Many2one(related="result_id.company_id", store=True, index=True)
    year = fields.Integer(related="result_id.year", store=True, aggregator=False)
    level_id = fields.Many2one(related="result_id.level_id", string="Level Decided")
    reason = fields.Text(required=True, help="What the employee asks to be reviewed, and why.")
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
    decision_note = fields.Text(
        tracking=True, help="The answer of the level that classified the result, told to the employee."
    )
    decider_user_id = fields.Many2one(
        "res.users",
        string="To Be Answered By",
        readonly=True,
        copy=False,
        index=True,
        help="The level that classified the result (its decider), who answers the request.",
    )
    superior_user_id = fields.Many2one(
        "res.users",
        string="Or Their Superior",
        readonly=True,
        copy=False,
        index=True,
        help="The superior of the level that classified the result, who may answer instead.",
    )
    date_filed = fields.Date(string="Filed On", readonly=True, copy=False)
    date_due = fields.Date(
        string="Answer Due",
        readonly=True,
        copy=False,
        help="The company's working days after the filing (10 by default, Luật Viên chức 2025 art. 27), "
        "on the company's working calendar.",
    )
    is_overdue = fields.Boolean(string="Overdue", compute="_compute_is_overdue", search="_search_is_overdue")
    overdue_notified = fields.Boolean(readonly=True, copy=False)
    decided_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    date_decided = fields.Datetime(string="Decided On", readonly=True, copy=False)
    is_officer = fields.Boolean(compute="_compute_is_officer")
    is_answerer = fields.Boolean(compute="_compute_is_answerer")

    @api.depends("result_id")
    def _compute_display_name(self):
        for appeal in self:
            appeal.display_name = self.env._(
                "Request for review: %s", appeal.result_id.sudo().display_name or ""
            )

    @api.depends("state", "date_due")
    @api.depends_context("uid")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for appeal in self:
            appeal.is_overdue = appeal.state == "open" and bool(appeal.date_due) and appeal.date_due < today

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Search the overdue requests with = or != and a boolean."))
        overdue = [("state", "=", "open"), ("date_due", "<", fields.Date.context_today(self))]
        return overdue if (operator == "=") == value else ["!", *overdue]

    @api.depends("decider_user_id", "superior_user_id")
    @api.depends_context("uid")
    def _compute_is_answerer(self):
        for appeal in self:
            appeal.is_answerer = self.env.user in (appeal.decider_user_id | appeal.superior_user_id)

    @api.depends_context("uid")
    def _compute_is_officer(self):
        is_officer = self._is_officer()
        for appeal in self:
            appeal.is_officer = is_officer

    @api.constrains("result_id")
    def _check_one_per_result(self):
        """One request per result, ever: once answered, the answer is final."""
        counts = self.sudo()._read_group(
            [("result_id", "in", self.result_id.ids)], ["result_id"], ["__count"]
        )
        for result, count in counts:
            if count > 1:
                raise ValidationError(
                    self.env._(
                        "A review of %s was already requested: one request per result, and its answer is "
                        "final.",
                        result.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        """The employee asks for a review of their own decided result, with a reason. Nothing else
        comes from the caller: the workflow fields are set here (values and context ignored)."""
        Result = self.env["civ.annual.result"]
        clean = []
        for vals in vals_list:
            if set(vals) - {"result_id", "reason"}:
                raise AccessError(self.env._("A request for review gives only the result and the reason."))
            result_id = vals.get("result_id")
            result = Result.browse(result_id if isinstance(result_id, int) else []).exists()
            if not result:
                raise UserError(self.env._("Choose the year-end result to be reviewed."))
            result._check_workflow_access("appeal")
            self._check_may_request(result.sudo())
            reason = vals.get("reason")
            reason = reason.strip() if isinstance(reason, str) else ""
            if not reason:
                raise UserError(self.env._("Give the reason of your request for review."))
            today = fields.Date.context_today(self)
            decider_user, superior_user = self._answerers(result.sudo())
            clean.append(
                {
                    "result_id": result.id,
                    "reason": reason,
                    "state": "open",
                    "decision_note": False,
                    "decided_by_id": False,
                    "date_decided": False,
                    "decider_user_id": decider_user.id,
                    "superior_user_id": superior_user.id,
                    "date_filed": today,
                    "date_due": self._answer_due(result.sudo().company_id, today),
                    "overdue_notified": False,
                }
            )
        appeals = super().create(clean)
        for appeal in appeals.sudo():
            appeal.result_id.message_post(
                body=self.env._("Request for review filed: %s", appeal.reason),
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
            # the level that classified is told, with the date the answer is due
            appeal.message_post(
                body=self.env._(
                    "Request for review of %(result)s filed on %(filed)s: to be answered by %(due)s.",
                    result=appeal.result_id.display_name,
                    filed=appeal.date_filed.strftime("%d/%m/%Y"),
                    due=appeal.date_due.strftime("%d/%m/%Y") if appeal.date_due else "-",
                ),
                message_type="comment",
                subtype_xmlid="mail.mt_note",
                partner_ids=(appeal.decider_user_id | appeal.superior_user_id).partner_id.ids,
            )
        return appeals

    @api.model
    def _answerers(self, result):
        """(the user of the level that classified the result, the user of that level's superior)."""
        decider, superior = self._answerer_employees(result)
        return decider.user_id, superior.user_id

    @api.model
    def _answerer_employees(self, result):
        """(the level that classified the result, that level's superior): the decider, and their
        manager, or, for the head of the agency, the company's superior."""
        decider = result.decider_employee_id
        superior = decider.parent_id
        if not superior and decider and decider.company_id == result.company_id:
            superior = result.company_id.civ_superior_employee_id
        return decider, superior

    @api.model
    def _answer_due(self, company, day):
        """The day an answer filed on `day` is due: the company's working days later
        (civ_annual_appeal_answer_days), on its working calendar (plain weekdays without one)."""
        days = company.civ_annual_appeal_answer_days
        if days <= 0:
            return False
        calendar = company.resource_calendar_id
        if calendar:
            start = datetime.combine(day, time(23, 59))
            due = calendar.plan_days(days, start, compute_leaves=True)
            if due:
                return due.date()
        due = day
        while days:
            due += timedelta(days=1)
            if due.weekday() < 5:
                days -= 1
        return due

    @api.model
    def _civ_remind_overdue(self, today=None, limit=1000):
        """Daily (the year-end scheduled action): the open requests whose answer is overdue get one
        reminder, to the level that classified and its superior (a message on the request, notified),
        and are marked reminded. One search, `limit` requests a run."""
        today = today or fields.Date.context_today(self)
        overdue = self.sudo().search(
            [("state", "=", "open"), ("date_due", "<", today), ("overdue_notified", "=", False)],
            limit=limit,
            order="date_due, id",
        )
        for appeal in overdue:
            appeal.message_post(
                body=self.env._(
                    "The answer to this request for review was due on %(due)s: it is overdue. %(who)s, "
                    "please answer it.",
                    due=appeal.date_due.strftime("%d/%m/%Y"),
                    who=(appeal.decider_user_id | appeal.superior_user_id)[:1].name or "",
                ),
                message_type="comment",
                subtype_xmlid="mail.mt_note",
                partner_ids=(appeal.decider_user_id | appeal.superior_user_id).partner_id.ids,
            )
        overdue.write({"overdue_notified": True})
        return len(overdue)

    def _civ_chatter_state(self):
        # an open request takes messages; decided, nothing changes
        return {appeal.id: "open" if appeal.state == "open" else "closed" for appeal in self}

    @api.model
    def _check_may_request(self, result):
        """One request per result, ever, within the company's days after its publication (the day of
        its decision, civ_annual_appeal_days; the last day included)."""
        if self.sudo().search_count([("result_id", "=", result.id)], limit=1):
            raise ValidationError(
                self.env._(
                    "A review of %s was already requested: one request per result, and its answer is final.",
                    result.display_name,
                )
            )
        deadline = result.appeal_deadline
        if deadline and fields.Date.context_today(self) > deadline:
            raise UserError(
                self.env._(
                    "A review of %(result)s could be requested until %(deadline)s, %(days)s days after its "
                    "publication on %(date)s: the time to request it is over.",
                    result=result.display_name,
                    deadline=deadline.strftime("%d/%m/%Y"),
                    days=result.company_id.civ_annual_appeal_days,
                    date=fields.Date.context_today(self, result.date_done).strftime("%d/%m/%Y"),
                )
            )

    def _check_not_locked(self):
        """A request for review of a year-end result belongs to no month."""

    # the request's gate (civ.workflow.mixin): the employee edits their open request, human resources
    # decide it (never the requester: an officer's own request is decided by another)
    _workflow_actions = ANNUAL_APPEAL_ACTIONS

    def _workflow_roles(self):
        user = self.env.user
        return dict(
            super()._workflow_roles(),
            owner=lambda appeal: appeal.user_id == user,
            decider=lambda appeal: user in (appeal.decider_user_id | appeal.superior_user_id),
        )

    def _workflow_action_label(self, action):
        return {"decide": self.env._("deciding a request for review")}.get(action, action)

    def _workflow_state_refusal(self, action, record):
        return UserError(self.env._("The request %s is already decided.", record.display_name))

    def _workflow_role_refusal(self, action, role, record):
        if role == "owner":
            return AccessError(self.env._("You can change your own request for review only."))
        return AccessError(
            self.env._(
                "Only the level that classified the result, or its superior, answers a request for review "
                "(never human resources alone)."
            )
        )

    def _writable_outside_workflow(self):
        return dict(super()._writable_outside_workflow(), reason="edit_reason", decision_note="decide")

    def write(self, vals):
        self._check_direct_write(vals)
        return super().write(vals)

    def _decide(self, state, decision_note):
        decision_note = text_argument(self.env, decision_note, self.env._("The decision note"))
        self._check_workflow_access("decide")
        for appeal in self:
            note = (decision_note if decision_note is not None else appeal.decision_note) or ""
            if not note.strip():
                raise UserError(self.env._("Write the decision note before deciding the request."))
            appeal.sudo().write(
                {
                    "state": state,
                    "decision_note": note,
                    "decided_by_id": self.env.uid,
                    "date_decided": fields.Datetime.now(),
                }
            )
            result = appeal.result_id.sudo()
            if state == "accepted":
                result._set_draft()
                result.message_post(
                    body=self.env._("Request for review accepted: the result is back to draft. %s", note),
                    message_type="comment",
                    subtype_xmlid="mail.mt_note",
                )
            partner = appeal.user_id.partner_id
            if state == "accepted":
                body = self.env._("Your request for review was accepted: %s", note)
            else:
                body = self.env._("Your request for review was rejected: %s", note)
            appeal.sudo().message_post(
                body=body, message_type="comment", subtype_xmlid="mail.mt_note", partner_ids=partner.ids
            )
        return True

    def action_accept(self, decision_note=None):
        """Accept the request: the result is set back to draft for human resources to decide it again."""
        return self._decide("accepted", decision_note)

    def action_reject(self, decision_note=None):
        """Reject the request: the result stays as decided."""
        return self._decide("rejected", decision_note)
