from odoo import api, fields, models

REVIEWER_RULES = [
    ("direct_leader", "Direct Leader"),
    ("unit_head", "Head of Unit"),
    ("agency_head", "Head of Agency"),
    ("parent_unit_head", "Head of Parent Unit"),
    ("employee", "Designated Employee"),
    ("unit_collective", "Collective of the Unit (meeting)"),
    ("collective", "Leadership Collective (each member scores)"),
]

COLLECTIVE_METHODS = [
    ("average", "Average of the Members' Points"),
    ("majority", "Majority of the Members' Levels"),
]


class CivReviewPolicyStep(models.Model):
    _name = "civ.review.policy.step"
    _description = "Review Chain Policy Step"
    _order = "policy_id, sequence, id"

    policy_id = fields.Many2one("civ.review.policy", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="policy_id.company_id", store=True, string="Company")
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Step", required=True)
    reviewer_rule = fields.Selection(
        REVIEWER_RULES,
        string="Reviewer",
        required=True,
        default="direct_leader",
        help="Who reviews at this step, found on the organisation chart:\n"
        "- Direct Leader: the employee's Manager;\n"
        "- Head of Unit: the manager of the employee's department (of the parent department "
        "when the employee heads it);\n"
        "- Head of Agency: the manager of the company's leadership unit;\n"
        "- Head of Parent Unit: the manager of the parent of the employee's department;\n"
        "- Designated Employee: the employee set on the step;\n"
        "- Collective of the Unit: the unit's meeting gives its opinion on every sheet of the unit, "
        "recorded by the head of unit (Collective Meetings);\n"
        "- Leadership Collective: each member scores, the step's points are their average or their "
        "majority level (the chairman and vice-chairmen of the leadership unit, or the members set on "
        "the step).",
    )
    collective_member_ids = fields.Many2many(
        "hr.employee",
        "civ_review_policy_step_member_rel",
        "step_id",
        "employee_id",
        string="Members of the Collective",
        groups="hr.group_hr_user",
        help="For the rule 'Leadership Collective': the members who score. Empty: the manager and the "
        "deputies of the company's leadership unit. The evaluated person never scores their own sheet; "
        "the first member is the chair, who sees the sheet as its reviewer.",
    )
    collective_method = fields.Selection(
        COLLECTIVE_METHODS,
        string="Result of the Collective",
        default="average",
        help="Average: the step's points per criterion are the members' average (TP.HCM QĐ 20/2024). "
        "Majority: the level most members chose (Hà Nội 3251-QĐ/TU; a tie is broken by the chair's "
        "choice), the points still their average.",
    )
    reviewer_employee_id = fields.Many2one(
        "hr.employee",
        string="Designated Reviewer",
        groups="hr.group_hr_user",
        help="For the rule 'Designated Employee'. May belong to another company (e.g. the superior "
        "agency). In the policy of the head of agency it may stay empty: the head of agency's "
        "Manager is used then.",
    )
    can_rescore = fields.Boolean(
        string="Can Re-score", help="The reviewer of this step gives their own points."
    )
    is_decision = fields.Boolean(
        string="Decision", help="This step decides the final score and level. It must be the last step."
    )

    # The consistency of a chain (one decision step, the last; designated reviewers) is checked on the
    # policy once all its steps are written. Steps written directly, not through their policy, are
    # checked here, after the write.

    @api.model_create_multi
    def create(self, vals_list):
        steps = super().create(vals_list)
        steps._check_policies()
        return steps

    def write(self, vals):
        result = super().write(vals)
        self._check_policies()
        return result

    def unlink(self):
        policies = self.policy_id
        result = super().unlink()
        policies.exists()._check_policies_of(self.env.context)
        return result

    def _check_policies(self):
        self.policy_id._check_policies_of(self.env.context)
