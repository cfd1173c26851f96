"""18.0.1.5.0, after the data: the TP.HCM framework asks colleagues with the shipped feedback form
(Mẫu 2A/2B), as a new installation does (its record is data an agency may have edited: only an empty
form is filled)."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    framework = env.ref("civ_evaluation.framework_hcm_20_2024", raise_if_not_found=False)
    survey = env.ref("civ_evaluation.survey_civ_feedback", raise_if_not_found=False)
    if framework and survey and not framework.feedback_survey_id:
        framework.feedback_survey_id = survey
