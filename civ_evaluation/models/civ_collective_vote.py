from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .civ_arguments import text_argument
from .civ_format import format_number

VOTE_STATES = [
    ("pending", "To Vote"),
    ("voted", "Voted"),
    ("absent", "Did Not Vote"),
]


class CivCollectiveVote(models.Model):
    """What one member of a leadership collective gives a sheet at a collective step (reviewer_rule
    "collective" of civ.review.policy.step): their points per criterion and, for a majority step, the
    level they choose. Created when the step becomes pending, one per member; the step's result is
    computed by civ.collective.service once every member voted or at the step's deadline."""

    _name = "civ.collective.vote"
    _description = "Vote of a Member of a Leadership Collective"
    _inherit = ["civ.workflow.mixin"]
    _order = "step_id, sequence, id"
    _workflow_parent = "evaluation_id"
    _workflow_actions = {
        "vote": (("pending",), "member"),
        "edit_vote": (("pending",), "member"),
    }

    step_id = fields.Many2one(
        "civ.review.step", string="Review Step", required=True, readonly=True, index=True, ondelete="cascade"
    )
    evaluation_id = fields.Many2one(
        "civ.evaluation",
        string="Evaluation Sheet",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    employee_id = fields.Many2one(related="evaluation_id.employee_id", string="Evaluated Person")
    period_id = fields.Many2one(related="evaluation_id.period_id", string="Period")
    framework_id = fields.Many2one(related="evaluation_id.framework_id", string="Framework")
    sequence = fields.Integer(readonly=True, default=10)
    member_employee_id = fields.Many2one("hr.employee", string="Member", readonly=True, ondelete="restrict")
    member_user_id = fields.Many2one(
        "res.users", string="Member's User", required=True, readonly=True, index=True, ondelete="restrict"
    )
    is_chair = fields.Boolean(string="Chair", readonly=True)
    collective_method = fields.Selection(related="step_id.collective_method")
    state = fields.Selection(VOTE_STATES, default="pending", required=True, readonly=True)
    line_ids = fields.One2many("civ.collective.vote.line", "vote_id", string="Points per Criterion")
    level_id = fields.Many2one(
        "civ.level",
        string="Level Chosen",
        domain="[('framework_id', '=', framework_id)]",
        help="For a step decided by the majority of the members' levels.",
    )
    comment = fields.Text()
    score = fields.Float(digits=(16, 2), compute="_compute_score", help="The total of this member's points.")
    date_done = fields.Datetime(string="Voted On", readonly=True)

    _sql_constraints = [
        ("step_member_unique", "unique(step_id, member_user_id)", "A member votes once per step."),
    ]

    @api.constrains("level_id")
    def _check_level(self):
        for vote in self.sudo():
            if vote.level_id and vote.level_id.framework_id != vote.evaluation_id.framework_id:
                raise ValidationError(
                    self.env._("Choose a level of the framework of %s.", vote.evaluation_id.display_name)
                )

    @api.depends("line_ids.points")
    def _compute_score(self):
        for vote in self:
            framework = vote.sudo().evaluation_id.framework_id
            vote.score = framework.compute_score(
                {line.criterion_id.id: line.points for line in vote.sudo().line_ids}
            )["total"]

    def _compute_display_name(self):
        for vote in self:
            vote.display_name = (
                f"{vote.sudo().employee_id.name or ''} – {vote.sudo().member_user_id.name or ''}"
            )

    # ------------------------------------------------------------------ gate
    def _workflow_roles(self):
        user = self.env.user
        return dict(super()._workflow_roles(), member=lambda vote: vote.member_user_id == user)

    def _workflow_role_refusal(self, action, role, record):
        return AccessError(
            self.env._("Only %(member)s gives this vote.", member=record.member_user_id.name or "-")
        )

    def _workflow_extra_refusal(self, action, record):
        if record.evaluation_id.current_step_id != record.step_id:
            return UserError(
                self.env._("The collective's step of %s is not the current one: its votes are closed.",
                           record.employee_id.name)
            )  # fmt: skip
        return None

    def _check_workflow_access(self, action, access=None):
        # a member writes their vote and its lines (their own record rules) and reads the sheet: the
        # sheet's gate is checked for reading (the lines' gate comes here first)
        if access == "write" and not self.env.su:
            self.check_access("write")
            access = None
        return super()._check_workflow_access(action, access=access)

    def _writable_outside_workflow(self):
        return dict(
            super()._writable_outside_workflow(), line_ids=None, level_id="edit_vote", comment="edit_vote"
        )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(self.env._("The votes of a collective are created by the workflow only."))
        return super().create(vals_list)

    def write(self, vals):
        self._check_direct_write(vals)
        return super().write(vals)

    def unlink(self):
        self._check_not_locked()
        if not self.env.su:
            raise AccessError(
                self.env._("The votes of a collective are part of their sheet: they cannot be deleted.")
            )
        return super().unlink()

    # ------------------------------------------------------------------ action
    def action_vote(self, comment=None):
        """The member casts their vote: their points (and level) are kept with the step's points; the
        step's result is computed once every member voted."""
        comment = text_argument(self.env, comment, self.env._("The comment of the vote"))
        self._check_workflow_access("vote")
        votes = self.sudo()
        for vote in votes:
            if vote.collective_method == "majority" and not vote.level_id:
                raise UserError(self.env._("Choose the level you give %s.", vote.employee_id.name))
        if comment:
            votes.write({"comment": comment.strip()})
        votes.write({"state": "voted", "date_done": fields.Datetime.now()})
        self.env["civ.review.step.point"].sudo().create(
            [
                {
                    "step_id": vote.step_id.id,
                    "line_id": line.line_id.id,
                    "evaluation_id": vote.evaluation_id.id,
                    "member_user_id": vote.member_user_id.id,
                    "points": line.points,
                    "comment": line.note or False,
                }
                for vote in votes
                for line in vote.line_ids
            ]
        )
        for vote in votes:
            level = vote.level_id.display_name
            body = (
                self.env._(
                    "%(member)s voted at %(step)s: %(score)s points, level %(level)s.",
                    member=vote.member_user_id.name,
                    step=vote.step_id.name,
                    score=format_number(self.env, vote.score, trim=True),
                    level=level,
                )
                if level
                else self.env._(
                    "%(member)s voted at %(step)s: %(score)s points.",
                    member=vote.member_user_id.name,
                    step=vote.step_id.name,
                    score=format_number(self.env, vote.score, trim=True),
                )
            )
            vote.evaluation_id._message_log(body=body)
        votes.evaluation_id.activity_unlink(["mail.mail_activity_data_todo"], user_id=self.env.user.id)
        complete = votes.step_id.filtered(lambda step: all(v.state != "pending" for v in step.vote_ids))
        if complete:
            self.env["civ.collective.service"]._close_steps(complete)
        return True
