from odoo import api, fields, models
from odoo.exceptions import UserError


class CivEvaluationReviewRequest(models.Model):
    """The requests for review (kiến nghị, civ.appeal) seen from the sheet: whether the employee may
    file one, the way back to the decision step when one is accepted. A part of civ.evaluation
    ."""

    _inherit = "civ.evaluation"

    appeal_ids = fields.One2many("civ.appeal", "evaluation_id", string="Requests for Review")
    appeal_count = fields.Integer(string="Number of Requests for Review", compute="_compute_appeal_count")
    can_appeal = fields.Boolean(
        compute="_compute_appeal_count", help="The current user may request a review of this evaluation."
    )

    @api.depends_context("uid")
    @api.depends("state", "user_id", "date_decided", "appeal_ids.state")
    def _compute_appeal_count(self):
        counts = {}
        blocked = set()
        if self.ids:
            Appeal = self.env["civ.appeal"].sudo()
            counts = {
                sheet.id: count
                for sheet, count in Appeal._read_group(
                    [("evaluation_id", "in", self.ids)], ["evaluation_id"], ["__count"]
                )
            }
            blocked = set(self.sudo()._appeal_blocked_ids())
        for sheet in self:
            sheet.appeal_count = counts.get(sheet.id, 0)
            sheet.can_appeal = (
                sheet.state == "done"
                and sheet.user_id == self.env.user
                and sheet.period_id.sudo().state != "locked"
                and sheet.id not in blocked
            )

    def _appeal_blocked_ids(self):
        """The sheets with an open request for review, or one rejected since their last decision."""
        appeals = (
            self.env["civ.appeal"]
            .sudo()
            .search(
                [
                    ("evaluation_id", "in", self.ids),
                    "|",
                    ("state", "=", "open"),
                    "&",
                    ("state", "=", "rejected"),
                    ("closed_at_lock", "=", False),
                ]
            )
        )
        return {
            appeal.evaluation_id.id
            for appeal in appeals
            if appeal.state == "open"
            or not appeal.evaluation_id.date_decided
            or (appeal.date_decided or appeal.date) >= appeal.evaluation_id.date_decided
        }

    def _check_can_appeal(self):
        blocked = self._appeal_blocked_ids()
        for sheet in self:
            if sheet.id in blocked:
                raise UserError(
                    self.env._(
                        "A request for review of %s is already open or was rejected: a new one can be "
                        "filed only after the evaluation is decided again.",
                        sheet.display_name,
                    )
                )

    def _decision_reviewer(self):
        """The user who decided (or decides) the sheet: its decision step's reviewer."""
        self.ensure_one()
        return self.sudo()._decision_step().reviewer_user_id

    def _back_to_decision(self, log):
        """A decided sheet goes back to its decision step (sudo): state review, that step pending, an
        activity for its reviewer."""
        for sheet in self.sudo():
            decision = sheet._decision_step()
            if sheet.state != "done" or not decision:
                raise UserError(
                    self.env._("The sheet %s cannot go back to its decision step.", sheet.display_name)
                )
            decision.write({"state": "waiting", "date_done": False})
            sheet.write({"state": "review"})
            sheet._advance_to(decision)
            sheet._message_log(body=log)

    def action_request_review(self):
        """The employee's button: a small form asking for the reason of the request."""
        self.ensure_one()
        self._check_workflow_access("appeal")
        self.sudo()._check_can_appeal()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Request a Review"),
            "res_model": "civ.appeal",
            "view_mode": "form",
            "views": [(self.env.ref("civ_evaluation.civ_appeal_view_form_request").id, "form")],
            "target": "new",
            "context": {"default_evaluation_id": self.id},
        }

    @api.readonly  # navigation only: may run on the read replica
    def action_view_appeals(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id("civ_evaluation.action_civ_appeal")
        action["domain"] = [("evaluation_id", "=", self.id)]
        action["context"] = {"default_evaluation_id": self.id}
        return action
