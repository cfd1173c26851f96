from odoo import api, fields, models

from .civ_workflow_mixin import OFFICER


class SurveySurvey(models.Model):
    """Two kinds of survey of the evaluation: the colleagues' feedback forms (Mẫu 2A/2B) and the
    citizens' satisfaction surveys. Their answers are not the Surveys app's to show (Odoo's survey
    managers and officers read only the answers of the "non specialized" kinds, as for Appraisals):
    the evaluation's own rules give them to the sheet's reviewers."""

    _inherit = "survey.survey"

    survey_type = fields.Selection(
        selection_add=[
            ("civ_feedback", "Colleague Feedback (Evaluation)"),
            ("civ_satisfaction", "Citizens' Satisfaction (Evaluation)"),
        ],
        ondelete={"civ_feedback": "set default", "civ_satisfaction": "set default"},
    )
    civ_feedback = fields.Boolean(
        string="Colleague Feedback Form",
        compute="_compute_civ_feedback",
        inverse="_inverse_civ_feedback",
        store=True,
        help="A form of colleagues' feedback on an evaluation sheet (Mẫu 2A/2B of TP.HCM QĐ 20/2024).",
    )

    @api.depends("survey_type")
    def _compute_civ_feedback(self):
        for survey in self:
            survey.civ_feedback = survey.survey_type == "civ_feedback"

    def _inverse_civ_feedback(self):
        for survey in self:
            if survey.civ_feedback:
                survey.survey_type = "civ_feedback"
            elif survey.survey_type == "civ_feedback":
                survey.survey_type = "custom"

    @api.depends_context("uid")
    def _compute_allowed_survey_types(self):
        result = super()._compute_allowed_survey_types()
        if self.env.user.has_group(OFFICER) and self.env.user.has_group("survey.group_survey_user"):
            for survey in self:
                survey.allowed_survey_types = [
                    *(survey.allowed_survey_types or []),
                    "civ_feedback",
                    "civ_satisfaction",
                ]
        return result
