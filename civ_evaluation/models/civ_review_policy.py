from odoo import api, fields, models

from .hr_employee import CIV_POSITIONS


class CivReviewPolicy(models.Model):
    """Review chain template: who reviews, in which order, the sheet of a person holding a position.

    The self-assessment is not a step: the sheet's owner does it in draft. The steps are the
    reviewers after submission, resolved along the organisation chart by `_resolve_chains`.
    """

    _name = "civ.review.policy"
    _description = "Review Chain Policy"
    _inherit = ["mail.thread"]
    _order = "applies_to, company_id, id"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        tracking=True,
        default=lambda self: self.env.company,
        help="Leave empty for a policy shared by every company. A company's own active policy "
        "for a position takes precedence over the shared one.",
    )
    applies_to = fields.Selection(
        CIV_POSITIONS,
        required=True,
        tracking=True,
        help="The evaluation position of the employees whose sheets follow this chain.",
    )
    step_ids = fields.One2many("civ.review.policy.step", "policy_id", string="Review Steps", copy=True)
    step_summary = fields.Char(string="Chain", compute="_compute_step_summary")

    @api.depends("step_ids.name", "step_ids.sequence")
    def _compute_step_summary(self):
        for policy in self:
            steps = policy.step_ids.sorted(lambda s: (s.sequence, s.id))
            policy.step_summary = " → ".join(steps.mapped("name"))
