from odoo import api, fields, models
from odoo.exceptions import UserError


class CivFeedbackRequestWizard(models.TransientModel):
    """Ask colleagues for feedback on sheets: the head of the unit or an officer picks the
    respondents (by default the people of the same unit, at most the company's number) and the
    deadline; each gets their form in the Surveys app and a to-do activity."""

    _name = "civ.feedback.request.wizard"
    _description = "Ask Colleagues for Feedback"

    evaluation_ids = fields.Many2many("civ.evaluation", string="Evaluation Sheets", readonly=True)
    survey_id = fields.Many2one(
        "survey.survey",
        string="Feedback Form",
        required=True,
        domain="[('survey_type', '=', 'civ_feedback')]",
    )
    respondent_user_ids = fields.Many2many(
        "res.users",
        string="Respondents",
        domain="[('share', '=', False)]",
        help="Empty with several sheets: on each, the people of its unit (at most the company's number).",
    )
    deadline = fields.Date(required=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        sheets = self.env["civ.evaluation"].browse(self.env.context.get("civ_evaluation_ids") or [])
        if not sheets:
            return values
        sheets._check_workflow_access("request_feedback")
        values["evaluation_ids"] = [(6, 0, sheets.ids)]
        survey = sheets.sudo().framework_id.feedback_survey_id[:1]
        if survey:
            values["survey_id"] = survey.id
        values["deadline"] = sheets[0]._feedback_deadline()
        if len(sheets) == 1:
            values["respondent_user_ids"] = [
                (6, 0, sheets._default_feedback_respondents()[sheets.sudo()].ids)
            ]
        return values

    def action_confirm(self):
        self.ensure_one()
        sheets = self.evaluation_ids
        if not sheets:
            raise UserError(self.env._("Choose the sheets to ask feedback on."))
        sheets._check_workflow_access("request_feedback")
        if self.survey_id.sudo().survey_type != "civ_feedback":
            raise UserError(self.env._("Choose a form of colleague feedback (Surveys app)."))
        if self.respondent_user_ids.filtered("share"):
            raise UserError(self.env._("Colleagues are internal users."))
        if self.respondent_user_ids:
            respondents = {sheet: self.respondent_user_ids for sheet in sheets.sudo()}
        else:
            respondents = sheets._default_feedback_respondents()
        requests = (
            self.env["civ.feedback.request"]
            .sudo()
            ._request(sheets.sudo(), respondents, self.survey_id.sudo(), self.deadline)
        )
        if not requests:
            raise UserError(self.env._("Nobody new to ask: the colleagues chosen were already asked."))
        return {"type": "ir.actions.act_window_close"}
