from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    civ_open_day = fields.Integer(related="company_id.civ_open_day", readonly=False)
    civ_feedback_max_respondents = fields.Integer(
        related="company_id.civ_feedback_max_respondents", readonly=False
    )
    civ_feedback_days = fields.Integer(related="company_id.civ_feedback_days", readonly=False)
    civ_feedback_open_to_employee = fields.Boolean(
        related="company_id.civ_feedback_open_to_employee", readonly=False
    )
    civ_self_day = fields.Integer(related="company_id.civ_self_day", readonly=False)
    civ_review_day = fields.Integer(related="company_id.civ_review_day", readonly=False)
    civ_decision_day = fields.Integer(related="company_id.civ_decision_day", readonly=False)
    civ_lock_day = fields.Integer(related="company_id.civ_lock_day", readonly=False)
    civ_reminder_days = fields.Integer(related="company_id.civ_reminder_days", readonly=False)
    civ_lock_draft_not_evaluated = fields.Boolean(
        related="company_id.civ_lock_draft_not_evaluated", readonly=False
    )
    civ_undecided_at_lock = fields.Selection(related="company_id.civ_undecided_at_lock", readonly=False)
    civ_quota_mode = fields.Selection(related="company_id.civ_quota_mode", readonly=False)
    civ_quota_at_lock = fields.Selection(related="company_id.civ_quota_at_lock", readonly=False)
    civ_superior_employee_id = fields.Many2one(related="company_id.civ_superior_employee_id", readonly=False)
    civ_framework_id = fields.Many2one(related="company_id.civ_framework_id", readonly=False)

    civ_annual_rule = fields.Selection(related="company_id.civ_annual_rule", readonly=False)
    civ_annual_pending_rule = fields.Selection(related="company_id.civ_annual_pending_rule", readonly=False)
    civ_annual_fold_q4 = fields.Boolean(related="company_id.civ_annual_fold_q4", readonly=False)
    civ_annual_framework_id = fields.Many2one(related="company_id.civ_annual_framework_id", readonly=False)
    civ_annual_min_months = fields.Integer(related="company_id.civ_annual_min_months", readonly=False)
    civ_annual_appeal_days = fields.Integer(related="company_id.civ_annual_appeal_days", readonly=False)
    civ_annual_appeal_answer_days = fields.Integer(
        related="company_id.civ_annual_appeal_answer_days", readonly=False
    )
    civ_annual_maternity_exception = fields.Boolean(
        related="company_id.civ_annual_maternity_exception", readonly=False
    )
    civ_annual_absence_cap_months = fields.Float(
        related="company_id.civ_annual_absence_cap_months", readonly=False
    )
    civ_annual_absence_cap_code = fields.Char(
        related="company_id.civ_annual_absence_cap_code", readonly=False
    )
    civ_annual_discipline_lowest = fields.Boolean(
        related="company_id.civ_annual_discipline_lowest", readonly=False
    )
    civ_annual_quota_percent = fields.Float(related="company_id.civ_annual_quota_percent", readonly=False)
    civ_annual_identity = fields.Selection(related="company_id.civ_annual_identity", readonly=False)
    civ_annual_prepare_day = fields.Integer(related="company_id.civ_annual_prepare_day", readonly=False)
    civ_annual_deadline = fields.Selection(related="company_id.civ_annual_deadline", readonly=False)
    civ_annual_reminder_days = fields.Integer(related="company_id.civ_annual_reminder_days", readonly=False)
    civ_publish_points = fields.Boolean(related="company_id.civ_publish_points", readonly=False)
    civ_publish_monthly = fields.Boolean(related="company_id.civ_publish_monthly", readonly=False)
