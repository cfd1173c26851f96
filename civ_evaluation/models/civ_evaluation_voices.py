from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError


class CivEvaluationVoices(models.Model):
    """The voices a grade needs beyond the review chain, on the sheet: colleagues' feedback
    (civ.feedback.request, Odoo's Surveys), the opinion of the unit's collective
    (civ.collective.opinion), the votes of a leadership collective (civ.collective.vote, scored by
    civ.collective.service) and the citizens' satisfaction that fills a criterion's points
    (civ.satisfaction.channel). A part of civ.evaluation."""

    _inherit = "civ.evaluation"

    feedback_request_ids = fields.One2many(
        "civ.feedback.request", "evaluation_id", string="Colleagues' Feedback", readonly=True
    )
    # the aggregate is the evaluated person's to see too (the answers are the requests', under their rules)
    feedback_count = fields.Integer(string="Colleagues Asked", compute="_compute_feedback_summary")
    feedback_answered_count = fields.Integer(
        string="Colleagues Who Answered", compute="_compute_feedback_summary"
    )
    feedback_score = fields.Float(
        string="Colleagues' Average Score (%)",
        digits=(16, 1),
        compute="_compute_feedback_summary",
        help="The average score of the answered feedback forms, in percent of the form's maximum.",
    )
    collective_opinion_ids = fields.One2many(
        "civ.collective.opinion", "evaluation_id", string="Opinions of the Collective", readonly=True
    )
    collective_opinion = fields.Text(
        string="Opinion of the Collective",
        compute="_compute_collective_opinion",
        help="The opinion of the unit's collective as its latest recorded meeting gave it.",
    )
    vote_ids = fields.One2many(
        "civ.collective.vote", "evaluation_id", string="Votes of the Collective", readonly=True
    )
    can_request_feedback = fields.Boolean(compute="_compute_voice_rights")
    my_vote_id = fields.Many2one("civ.collective.vote", compute="_compute_voice_rights")

    def _compute_feedback_summary(self):
        groups = (
            self.env["civ.feedback.request"]
            .sudo()
            ._read_group(
                [("evaluation_id", "in", self.ids), ("state", "!=", "cancelled")],
                ["evaluation_id", "state"],
                ["__count", "score:sum"],
            )
        )
        figures = {}
        for sheet, state, count, score_sum in groups:
            asked, answered, total = figures.get(sheet.id, (0, 0, 0.0))
            if state == "answered":
                answered, total = answered + count, total + score_sum
            figures[sheet.id] = (asked + count, answered, total)
        for sheet in self:
            asked, answered, total = figures.get(sheet.id, (0, 0, 0.0))
            sheet.feedback_count = asked
            sheet.feedback_answered_count = answered
            sheet.feedback_score = total / answered if answered else 0.0

    def _compute_collective_opinion(self):
        opinions = (
            self.env["civ.collective.opinion"]
            .sudo()
            .search(
                [("evaluation_id", "in", self.ids), ("state", "=", "recorded")], order="date desc, id desc"
            )
        )
        latest = {}
        for opinion in opinions:
            latest.setdefault(opinion.evaluation_id.id, opinion)
        for sheet in self:
            opinion = latest.get(sheet.id)
            sheet.collective_opinion = opinion._summary() if opinion else False

    @api.depends_context("uid")
    def _compute_voice_rights(self):
        requesting = self._workflow_allowed("request_feedback")
        votes = (
            self.env["civ.collective.vote"]
            .sudo()
            .search(
                [
                    ("evaluation_id", "in", self.ids),
                    ("member_user_id", "=", self.env.uid),
                    ("state", "=", "pending"),
                ]
            )
        )
        mine = {
            vote.evaluation_id.id: vote
            for vote in votes
            if vote.step_id == vote.evaluation_id.current_step_id
        }
        for sheet in self:
            sheet.can_request_feedback = sheet in requesting
            sheet.my_vote_id = mine.get(sheet.id, False)

    # ------------------------------------------------------------------ actions
    def action_request_feedback(self):
        """The head or an officer asks colleagues for feedback (civ.feedback.request.wizard)."""
        self._check_workflow_access("request_feedback")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Ask Colleagues for Feedback"),
            "res_model": "civ.feedback.request.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"civ_evaluation_ids": self.ids},
        }

    def action_open_my_vote(self):
        """A member of the leadership collective opens their vote on the sheet."""
        self.ensure_one()
        self.check_access("read")
        vote = self.my_vote_id
        if not vote:
            raise UserError(self.env._("You have no vote to cast on %s.", self.display_name))
        return {
            "type": "ir.actions.act_window",
            "res_model": "civ.collective.vote",
            "res_id": vote.id,
            "view_mode": "form",
            "target": "new",
        }

    def _default_feedback_respondents(self):
        """{sheet: res.users} the default respondents: people of the sheet's unit with a user, but the
        evaluated person, at most the company's number (sudo; one search per unit)."""
        result = {}
        by_unit = {}
        for sheet in self.sudo():
            if sheet.department_id.id not in by_unit:
                by_unit[sheet.department_id.id] = (
                    self.env["hr.employee"]
                    .sudo()
                    .search(
                        [("department_id", "=", sheet.department_id.id), ("user_id", "!=", False)],
                        order="name, id",
                    )
                )
            people = by_unit[sheet.department_id.id].filtered(
                lambda emp, sheet=sheet: emp != sheet.employee_id
            )
            limit = max(sheet.company_id.civ_feedback_max_respondents, 0)
            result[sheet] = people[:limit].user_id
        return result

    def _feedback_deadline(self):
        self.ensure_one()
        days = self.sudo().company_id.civ_feedback_days or 3
        return fields.Date.context_today(self) + timedelta(days=days)

    # ------------------------------------------------------------------ citizens' satisfaction
    def _civ_apply_satisfaction(self):
        """Fill the criteria scored by citizens' satisfaction from the period's answers: the number of
        answers and the share satisfied on the line, and its reviewer points by the criterion's formula
        when there are enough answers (sudo, after the gate: at submission and at each approval; one
        read of the answers per period)."""
        lines = self.sudo().line_ids.filtered(lambda line: line.criterion_id.points_source == "satisfaction")
        for period in lines.evaluation_id.period_id:
            period_lines = lines.filtered(lambda line, period=period: line.evaluation_id.period_id == period)
            answers = self.env["civ.satisfaction.channel"]._period_answers(
                period_lines.evaluation_id.employee_id, period.date_start, period.date_end
            )
            for line in period_lines:
                count, satisfied, average = answers.get(line.evaluation_id.employee_id.id, (0, 0, 0.0))
                vals = {
                    "satisfaction_answers": count,
                    "satisfaction_percent": round(100.0 * satisfied / count, 1) if count else 0.0,
                }
                points = line.criterion_id._satisfaction_points(count, satisfied, average)
                if points is not None and line.evaluation_id.state == "review":
                    vals["reviewer_points"] = points
                line.write(vals)
