from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .civ_review_policy_step import COLLECTIVE_METHODS

STEP_STATES = [
    ("waiting", "Waiting"),
    ("pending", "To Do"),
    ("approved", "Approved"),
    ("returned", "Returned"),
    ("skipped", "Skipped"),
]


class CivReviewStep(models.Model):
    _name = "civ.review.step"
    _description = "Review Step of an Evaluation Sheet"
    _inherit = ["civ.bulk.create.mixin", "civ.workflow.mixin"]
    _order = "evaluation_id, sequence, id"
    # a step follows its sheet: the sheet's gate decides, then the step's own conditions
    _workflow_parent = "evaluation_id"

    # a snapshot of the review chain taken when the period opens (see civ.review.policy)
    evaluation_id = fields.Many2one(
        "civ.evaluation",
        string="Evaluation Sheet",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    sequence = fields.Integer(readonly=True, default=10)
    name = fields.Char(string="Step", required=True, readonly=True)
    reviewer_employee_id = fields.Many2one("hr.employee", string="Reviewer", index=True, ondelete="restrict")
    reviewer_user_id = fields.Many2one("res.users", string="Reviewer's User", index=True, ondelete="restrict")
    can_rescore = fields.Boolean(string="Re-scores", readonly=True)
    is_decision = fields.Boolean(string="Decides", readonly=True)
    escalated = fields.Boolean(
        readonly=True, help="The normal reviewer's post is vacant: the step went up the hierarchy."
    )
    vacancy_note = fields.Char(readonly=True)
    policy_step_id = fields.Many2one("civ.review.policy.step", readonly=True, index="btree_not_null")
    state = fields.Selection(
        STEP_STATES, string="Step Status", default="waiting", required=True, readonly=True
    )
    score = fields.Float(digits=(16, 2), readonly=True)
    comment = fields.Text()
    date_done = fields.Datetime(string="Done On", readonly=True)
    point_ids = fields.One2many(
        "civ.review.step.point",
        "step_id",
        string="Points of this Level",
        readonly=True,
        help="The points and remarks this level gave per criterion when it approved.",
    )

    # a leadership collective's step (reviewer_rule "collective"): each member votes (civ.collective.service)
    collective_method = fields.Selection(COLLECTIVE_METHODS, string="Collective Result", readonly=True)
    member_user_ids = fields.Many2many(
        "res.users",
        "civ_review_step_member_user_rel",
        "step_id",
        "user_id",
        string="Members of the Collective",
        readonly=True,
        help="The members who vote at this step (the first chairs); they read the sheet.",
    )
    vote_ids = fields.One2many("civ.collective.vote", "step_id", string="Votes of the Members", readonly=True)
    collective_level_id = fields.Many2one(
        "civ.level", string="Level by Majority", readonly=True, help="The level most members chose."
    )

    date_due = fields.Date(
        string="Due On",
        compute="_compute_date_due",
        help="The period's decision deadline for a deciding step, its review deadline for the others.",
    )
    is_overdue = fields.Boolean(
        string="Overdue",
        compute="_compute_is_overdue",
        search="_search_is_overdue",
        help="A step still to do after its deadline (the dashboard's overdue steps per reviewer).",
    )

    @api.depends(
        "is_decision", "evaluation_id.period_id.review_deadline", "evaluation_id.period_id.decision_deadline"
    )
    def _compute_date_due(self):
        for step in self:
            period = step.sudo().evaluation_id.period_id
            step.date_due = period.decision_deadline if step.is_decision else period.review_deadline

    @api.depends("state", "date_due")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for step in self:
            step.is_overdue = step.state == "pending" and bool(step.date_due) and step.date_due < today

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Search the overdue steps with = or != and a boolean."))
        today = fields.Date.context_today(self)
        overdue = [
            ("state", "=", "pending"),
            "|",
            "&",
            ("is_decision", "=", True),
            ("evaluation_id.period_id.decision_deadline", "<", today),
            "&",
            ("is_decision", "=", False),
            ("evaluation_id.period_id.review_deadline", "<", today),
        ]
        return overdue if (operator == "=") == value else ["!", *overdue]

    def _compute_display_name(self):
        for step in self:
            reviewer = step.sudo().reviewer_employee_id.name or step.sudo().reviewer_user_id.name
            step.display_name = f"{step.name} ({reviewer})" if reviewer else step.name

    # ------------------------------------------------------------------ guards
    def _workflow_extra_refusal(self, action, record):
        # after the sheet's gate: the comment is the pending step's own, and reviewers change only on
        # steps not done yet
        if action == "comment" and record.evaluation_id.current_step_id != record:
            return AccessError(
                self.env._("Only the comment of the pending step %s can be written.", record.display_name)
            )
        if action == "change_reviewer" and record.state not in ("waiting", "pending"):
            return UserError(
                self.env._("The review step %s is done: its reviewer cannot change.", record.display_name)
            )
        return None

    def _writable_outside_workflow(self):
        return dict(
            super()._writable_outside_workflow(),
            comment="comment",
            reviewer_employee_id="change_reviewer",
            reviewer_user_id="change_reviewer",
        )

    def write(self, vals):
        """The guard of the workflow mixin (lock, fields, the sheet's gate). A change of reviewer
        on the pending step moves the sheet's current reviewer and their activity."""
        self._check_direct_write(vals)
        if "reviewer_employee_id" in vals and "reviewer_user_id" not in vals:
            employee = self.env["hr.employee"].sudo().browse(vals["reviewer_employee_id"])
            vals = dict(vals, reviewer_user_id=employee.user_id.id)
        reviewer_change = "reviewer_user_id" in vals
        before = {step.id: step.sudo().reviewer_user_id for step in self} if reviewer_change else {}
        result = super().write(vals)
        if reviewer_change:
            self.sudo()._after_reviewer_change(before)
        return result

    def _after_reviewer_change(self, before):
        for step in self:
            old_user, sheet = before[step.id], step.evaluation_id
            if old_user == step.reviewer_user_id:
                continue
            sheet._message_log(
                body=self.env._(
                    "Reviewer of step %(step)s changed from %(old)s to %(new)s.",
                    step=step.name,
                    old=old_user.name or "-",
                    new=step.reviewer_user_id.name or "-",
                )
            )
            if sheet.state == "draft":
                sheet.write(
                    {
                        "chain_problem": sheet._chain_has_problem(
                            [{"reviewer_user_id": s.reviewer_user_id.id} for s in sheet.step_ids]
                        )
                    }
                )
            if step.state == "pending" and sheet.current_step_id == step:
                if old_user:
                    sheet.activity_unlink(["mail.mail_activity_data_todo"], user_id=old_user.id)
                    sheet._clear_reminders(old_user)
                if step.reviewer_user_id:
                    sheet._advance_to(step)
                else:
                    sheet.write({"current_reviewer_user_id": False})

    def unlink(self):
        self._check_not_locked()
        if not self.env.su:
            raise AccessError(self.env._("Review steps are part of their sheet: they cannot be deleted."))
        return super().unlink()
