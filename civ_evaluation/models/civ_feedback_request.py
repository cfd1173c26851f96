from datetime import datetime, time

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

FEEDBACK_STATES = [
    ("requested", "Requested"),
    ("answered", "Answered"),
    ("expired", "Not Answered"),
    ("cancelled", "Cancelled"),
]


class CivFeedbackRequest(models.Model):
    """A colleague asked for written feedback on a sheet (TP.HCM QĐ 20/2024, Mẫu 2A/2B), answered in
    Odoo's Surveys app: the respondent's survey.user_input of the framework's feedback form. The
    respondent reads their own request and answers before its deadline; the sheet's reviewers, the
    head of its unit and officers read the answers; the evaluated person sees the aggregate on the
    sheet, and the requests only when the company opens them (res.company.civ_feedback_open_to_employee).
    Created by civ.feedback.request.wizard after the sheet's gate ("request_feedback")."""

    _name = "civ.feedback.request"
    _description = "Colleague Feedback on an Evaluation Sheet"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "evaluation_id, id"
    _mail_post_access = "write"

    evaluation_id = fields.Many2one(
        "civ.evaluation",
        string="Evaluation Sheet",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="evaluation_id.company_id", store=True, index=True)
    employee_id = fields.Many2one(related="evaluation_id.employee_id", string="Evaluated Person")
    period_id = fields.Many2one(related="evaluation_id.period_id", string="Period")
    survey_id = fields.Many2one("survey.survey", string="Feedback Form", required=True, readonly=True)
    respondent_user_id = fields.Many2one(
        "res.users", string="Respondent", required=True, readonly=True, index=True, ondelete="restrict"
    )
    requested_by_id = fields.Many2one("res.users", readonly=True)
    user_input_id = fields.Many2one("survey.user_input", string="Answer", readonly=True, ondelete="restrict")
    deadline = fields.Date(readonly=True)
    state = fields.Selection(
        FEEDBACK_STATES, default="requested", required=True, readonly=True, tracking=True
    )
    date_answered = fields.Datetime(readonly=True)
    score = fields.Float(
        string="Score (%)", readonly=True, digits=(16, 2),
        help="The score of the answers in percent, when the form's questions are scored.",
    )  # fmt: skip
    answers = fields.Text(
        compute="_compute_answers", help="The respondent's answers, question by question (once answered)."
    )

    _sql_constraints = [
        (
            "respondent_unique",
            "unique(evaluation_id, respondent_user_id)",
            "A colleague is asked once per sheet.",
        ),
    ]

    def _compute_display_name(self):
        for request in self:
            sudo = request.sudo()
            request.display_name = f"{sudo.employee_id.name or ''} – {sudo.respondent_user_id.name or ''}"

    @api.depends("state", "user_input_id")
    def _compute_answers(self):
        # read as superuser for whoever reads the request: its record rules decide who that is
        for request in self:
            user_input = request.sudo().user_input_id
            if request.state != "answered" or not user_input:
                request.answers = False
                continue
            rows = []
            for line in user_input.user_input_line_ids.sorted(lambda line: (line.question_sequence, line.id)):
                if line.skipped:
                    continue
                rows.append(f"{line.question_id.title}: {line.display_name}")
            request.answers = "\n".join(rows)

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(self.env._("Colleagues' feedback is requested with the action on the sheet."))
        return super().create(vals_list)

    def write(self, vals):
        self.evaluation_id._check_not_locked()
        if not self.env.su and set(vals) - {"message_main_attachment_id"}:
            raise AccessError(self.env._("Colleagues' feedback changes only through its workflow."))
        return super().write(vals)

    def unlink(self):
        self.evaluation_id._check_not_locked()
        if not self.env.su:
            raise AccessError(
                self.env._("Colleagues' feedback is evidence of the sheet: it cannot be deleted.")
            )
        return super().unlink()

    # ------------------------------------------------------------------ actions
    def action_answer(self):
        """The respondent opens their form in the Surveys app (their own answer's link only)."""
        self.ensure_one()
        self.check_access("read")
        request = self.sudo()
        if request.respondent_user_id != self.env.user:
            raise AccessError(self.env._("Only %s answers this request.", request.respondent_user_id.name))
        if request.state != "requested":
            raise UserError(self.env._("This request for feedback is closed."))
        if request.deadline and request.deadline < fields.Date.context_today(self):
            raise UserError(self.env._("The deadline of this request for feedback has passed."))
        return {"type": "ir.actions.act_url", "url": request.user_input_id.get_start_url(), "target": "self"}

    def action_cancel(self):
        """The head or an officer withdraws requests not answered yet."""
        self.evaluation_id._check_workflow_access("request_feedback")
        requests = self.sudo().filtered(lambda request: request.state == "requested")
        requests.write({"state": "cancelled"})
        requests.user_input_id.write({"deadline": fields.Datetime.now()})
        requests.activity_unlink(["mail.mail_activity_data_todo"])
        return True

    # ------------------------------------------------------------------ workflow (sudo)
    @api.model
    def _request(self, sheets, respondents, survey, deadline):
        """Ask `respondents` ({sheet: res.users}) for feedback on the sheets with `survey` (sudo,
        after the gate): one survey answer per respondent (its deadline the request's), one request,
        one to-do activity. A respondent already asked on a sheet is not asked again; nobody gives
        feedback on their own sheet."""
        existing = {
            (request.evaluation_id.id, request.respondent_user_id.id)
            for request in self.sudo().search([("evaluation_id", "in", sheets.ids)])
        }
        until = datetime.combine(deadline, time.max) if deadline else False
        vals_list = []
        for sheet in sheets.sudo():
            for user in respondents.get(sheet, self.env["res.users"]):
                if user == sheet.user_id or (sheet.id, user.id) in existing:
                    continue
                answer = survey.sudo()._create_answer(user=user, check_attempts=False, deadline=until)
                vals_list.append(
                    {
                        "evaluation_id": sheet.id,
                        "survey_id": survey.id,
                        "respondent_user_id": user.id,
                        "requested_by_id": self.env.uid,
                        "user_input_id": answer.id,
                        "deadline": deadline,
                    }
                )
        requests = self.sudo().create(vals_list)
        todo = self.env.ref("mail.mail_activity_data_todo")
        for request in requests:
            request.activity_schedule(
                activity_type_id=todo.id,
                user_id=request.respondent_user_id.id,
                date_deadline=deadline or fields.Date.context_today(self),
                summary=self.env._("Give your feedback on %s", request.employee_id.name),
            )
        for sheet, asked in requests.grouped("evaluation_id").items():
            names = asked.respondent_user_id.mapped("name")
            sheet._message_log(
                body=self.env._("Colleagues' feedback requested from %(names)s.", names=", ".join(names))
            )
        return requests

    @api.model
    def _answered(self, user_inputs):
        """The survey answers just completed close their requests (sudo)."""
        requests = self.sudo().search([("user_input_id", "in", user_inputs.ids), ("state", "=", "requested")])
        for request in requests:
            request.write(
                {
                    "state": "answered",
                    "date_answered": fields.Datetime.now(),
                    "score": request.user_input_id.scoring_percentage,
                }
            )
            request.activity_unlink(["mail.mail_activity_data_todo"])
            request.evaluation_id._message_log(
                body=self.env._("%s gave their feedback.", request.respondent_user_id.name)
            )

    @api.model
    def _close_at_lock(self, sheets):
        """At the lock the requests not answered are closed as such; their answers can no longer be
        given (survey deadline) and what was answered is sealed with the sheet."""
        requests = self.sudo().search([("evaluation_id", "in", sheets.ids), ("state", "=", "requested")])
        if requests:
            requests.write({"state": "expired"})
            requests.user_input_id.write({"deadline": fields.Datetime.now()})
            requests.activity_unlink(["mail.mail_activity_data_todo"])
