from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from .civ_evaluation_line import PointsLog
from .civ_format import format_number
from .hr_employee import CIV_POSITIONS

EVALUATION_STATES = [
    ("draft", "Self-assessment"),
    ("review", "In Review"),
    ("done", "Decided"),
    ("locked", "Locked"),
]

TODO = "mail.mail_activity_data_todo"
REMINDER = "civ_evaluation.mail_activity_type_civ_reminder"


def _sudo_write(records, vals):
    """Internal write of the workflow: role checks are skipped (sudo), lock guards still apply."""
    return records.sudo().write(vals)


def _id(value):
    """An id from a record, an id or False (the chain resolver may return either)."""
    if isinstance(value, models.BaseModel):
        return value.id
    return value or False


class CivEvaluation(models.Model):
    _name = "civ.evaluation"
    _description = "Evaluation Sheet"
    _inherit = ["mail.thread", "mail.activity.mixin", "civ.bulk.create.mixin"]
    _order = "period_id desc, department_id, employee_id, id"
    _rec_names_search = ["employee_id.name", "period_id.name"]
    _check_company_auto = True

    period_id = fields.Many2one(
        "civ.period", required=True, readonly=True, index=True, ondelete="restrict",
        check_company=True)
    employee_id = fields.Many2one(
        "hr.employee", required=True, readonly=True, index=True, ondelete="restrict",
        check_company=True)
    # the employee's user, kept up to date on unlocked sheets (see hr.employee.write); a plain field,
    # not a stored related one, so that a locked month is never rewritten
    user_id = fields.Many2one(
        "res.users", string="Employee's User", readonly=True, index=True,
        help="The user behind the employee: the one who fills in the self-assessment.")
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    # snapshots taken when the period opens: later HR edits do not rewrite history
    department_id = fields.Many2one("hr.department", readonly=True, index=True)
    job_title = fields.Char(readonly=True)
    civ_position = fields.Selection(CIV_POSITIONS, string="Evaluation Position", readonly=True)
    framework_id = fields.Many2one("civ.framework", string="Criteria Framework", required=True, readonly=True)

    line_ids = fields.One2many("civ.evaluation.line", "evaluation_id", string="Criteria")
    step_ids = fields.One2many("civ.review.step", "evaluation_id", string="Review Chain")
    state = fields.Selection(
        EVALUATION_STATES, string="Status", default="draft", required=True, readonly=True, index=True,
        tracking=True, copy=False, group_expand=True)
    # scores are stored and set explicitly when points change (no per-line recomputation at opening)
    self_score = fields.Float(readonly=True, digits=(16, 2))
    reviewer_score = fields.Float(
        readonly=True, digits=(16, 2),
        help="Total of the reviewer points (the latest level's re-scoring).")
    final_score = fields.Float(readonly=True, digits=(16, 2), tracking=True)
    level_id = fields.Many2one("civ.level", readonly=True, index=True, tracking=True)
    current_step_id = fields.Many2one("civ.review.step", readonly=True)
    current_reviewer_user_id = fields.Many2one(
        "res.users", string="Current Reviewer", readonly=True, index=True, tracking=True)
    chain_problem = fields.Boolean(
        string="No Reviewer", readonly=True, index=True,
        help="No review chain could be resolved for this person (or a step has no user): the sheet "
        "cannot be submitted until HR fixes the organisation chart and refreshes the chain.")
    not_evaluated = fields.Boolean(
        readonly=True,
        help="Closed at lock without a self-assessment: left out of the results and quotas.")
    not_evaluated_reason = fields.Char(
        readonly=True, help="Why the sheet was closed as not evaluated (set when the period is locked).")
    decided_at_deadline = fields.Boolean(
        string="Decided at Deadline", readonly=True,
        help="Still unfinished when the period was locked: decided by the company's lock rule.")
    quota_exceeded = fields.Boolean(
        string="Above Quota", readonly=True, index=True, copy=False,
        help="Decided at a level whose quota (in the department or the agency) was exceeded, with a reason.")
    quota_reason = fields.Text(
        string="Reason for Exceeding the Quota", readonly=True, tracking=True, copy=False,
        help="Given by the deciding reviewer when the decision exceeds a quota of the framework.")
    quota_figures = fields.Text(
        string="Quota Figures at Decision", readonly=True, copy=False,
        help="The quota figures shown to the deciding reviewer when they decided above the quota.")
    appeal_ids = fields.One2many("civ.appeal", "evaluation_id", string="Requests for Review")
    appeal_count = fields.Integer(string="Number of Requests for Review", compute="_compute_appeal_count")
    can_appeal = fields.Boolean(
        compute="_compute_appeal_count", help="The current user may request a review of this evaluation.")
    pre_lock_state = fields.Selection(
        EVALUATION_STATES, string="Status before Lock", readonly=True, copy=False)
    date_submitted = fields.Datetime(string="Submitted On", readonly=True, copy=False)
    date_decided = fields.Datetime(string="Decided On", readonly=True, copy=False)
    return_reason = fields.Text(string="Last Return Reason", readonly=True, copy=False)

    # deadlines of the period, for display
    self_deadline = fields.Date(related="period_id.self_deadline")
    review_deadline = fields.Date(related="period_id.review_deadline")
    decision_deadline = fields.Date(related="period_id.decision_deadline")

    # what the current user may do (drives the form; the server checks again on every action)
    period_state = fields.Selection(related="period_id.state", string="Period Status")
    period_start = fields.Date(related="period_id.date_start", string="Period Start")
    current_step_is_decision = fields.Boolean(related="current_step_id.is_decision", string="Decision Step")
    is_officer = fields.Boolean(compute="_compute_user_rights")
    is_owner = fields.Boolean(compute="_compute_user_rights")
    is_current_reviewer = fields.Boolean(compute="_compute_user_rights")
    can_edit_self = fields.Boolean(compute="_compute_user_rights")
    can_rescore = fields.Boolean(compute="_compute_user_rights")

    # live totals of the form: recomputed from the current line points while the user types (not stored)
    live_self_score = fields.Float(
        string="Self Total (live)", compute="_compute_live_scores", digits=(16, 2))
    live_reviewer_score = fields.Float(
        string="Reviewer Total (live)", compute="_compute_live_scores", digits=(16, 2))
    live_level_id = fields.Many2one(
        "civ.level", string="Level it Would Give", compute="_compute_live_scores",
        help="The level the points entered would give (self points in self-assessment, the reviewer "
        "points afterwards).")
    live_group_summary = fields.Html(
        string="Totals per Group", compute="_compute_live_scores", sanitize=False)

    _sql_constraints = [
        ("period_employee_unique", "unique(period_id, employee_id)",
         "An employee has only one evaluation sheet per period."),
    ]

    @api.depends("employee_id", "period_id")
    def _compute_display_name(self):
        for sheet in self:
            sheet.display_name = " – ".join(
                name for name in (sheet.employee_id.sudo().name, sheet.period_id.sudo().name) if name)

    @api.depends_context("uid")
    @api.depends("user_id", "state", "current_reviewer_user_id", "current_step_id.can_rescore")
    def _compute_user_rights(self):
        user = self.env.user
        is_officer = user.has_group("civ_evaluation.group_civ_officer")
        for sheet in self:
            sheet.is_officer = is_officer
            sheet.is_owner = sheet.user_id == user
            sheet.is_current_reviewer = sheet.state == "review" and sheet.current_reviewer_user_id == user
            sheet.can_edit_self = sheet.is_owner and sheet.state == "draft"
            sheet.can_rescore = sheet.is_current_reviewer and sheet.current_step_id.sudo().can_rescore

    @api.depends("framework_id", "state", "line_ids.self_points", "line_ids.reviewer_points",
                 "line_ids.criterion_id")
    def _compute_live_scores(self):
        for sheet in self:
            framework = sheet.framework_id.sudo()
            if not framework:
                sheet.live_self_score = sheet.live_reviewer_score = 0.0
                sheet.live_level_id = False
                sheet.live_group_summary = False
                continue
            self_points, reviewer_points = {}, {}
            for line in sheet.line_ids:
                criterion_id = line.criterion_id.id
                self_points[criterion_id] = line.self_points
                reviewer_points[criterion_id] = line.reviewer_points
            own = framework.compute_score(self_points)
            reviewed = framework.compute_score(reviewer_points)
            in_review = sheet.state != "draft"
            sheet.live_self_score = own["total"]
            sheet.live_reviewer_score = reviewed["total"] if in_review else 0.0
            sheet.live_level_id = (reviewed if in_review else own)["level"].id
            sheet.live_group_summary = sheet._live_group_table(framework, own, reviewed, in_review)

    def _live_group_table(self, framework, own, reviewed, in_review):
        """A small HTML table: each criteria group's subtotal against its limit."""
        head = [self.env._("Group"), self.env._("Self")]
        if in_review:
            head.append(self.env._("Reviewer"))
        head.append(self.env._("Limit"))
        rows = []
        for group in framework.group_ids.sorted(lambda g: (g.sequence, g.id)):
            cells = [" ".join(part for part in (group.code, group.name) if part),
                     format_number(self.env, own["group_scores"].get(group.id, 0.0))]
            if in_review:
                cells.append(format_number(self.env, reviewed["group_scores"].get(group.id, 0.0)))
            if group.kind == "deduction":
                cells.append(format_number(self.env, group.min_points))
            else:
                cells.append(format_number(self.env, group.max_points))
            rows.append(cells)
        body = Markup("").join(
            Markup("<tr>%s</tr>") % Markup("").join(Markup("<td>%s</td>") % cell for cell in row)
            for row in rows)
        return Markup('<table class="table table-sm o_civ_group_totals mb-0"><thead><tr>%s</tr></thead>'
                      "<tbody>%s</tbody></table>") % (
            Markup("").join(Markup("<th>%s</th>") % cell for cell in head), body)

    @api.depends_context("uid")
    @api.depends("state", "user_id", "date_decided", "appeal_ids.state")
    def _compute_appeal_count(self):
        counts = {}
        blocked = set()
        if self.ids:
            Appeal = self.env["civ.appeal"].sudo()
            counts = {
                sheet.id: count for sheet, count in Appeal._read_group(
                    [("evaluation_id", "in", self.ids)], ["evaluation_id"], ["__count"])
            }
            blocked = set(self.sudo()._appeal_blocked_ids())
        for sheet in self:
            sheet.appeal_count = counts.get(sheet.id, 0)
            sheet.can_appeal = (
                sheet.state == "done" and sheet.user_id == self.env.user
                and sheet.period_id.sudo().state != "locked" and sheet.id not in blocked)

    def _appeal_blocked_ids(self):
        """The sheets with an open request for review, or one rejected since their last decision."""
        appeals = self.env["civ.appeal"].sudo().search([
            ("evaluation_id", "in", self.ids),
            "|", ("state", "=", "open"), "&", ("state", "=", "rejected"), ("closed_at_lock", "=", False),
        ])
        return {
            appeal.evaluation_id.id for appeal in appeals
            if appeal.state == "open" or not appeal.evaluation_id.date_decided
            or (appeal.date_decided or appeal.date) >= appeal.evaluation_id.date_decided
        }

    def _check_can_appeal(self):
        blocked = self._appeal_blocked_ids()
        for sheet in self:
            if sheet.id in blocked:
                raise UserError(self.env._(
                    "A request for review of %s is already open or was rejected: a new one can be "
                    "filed only after the evaluation is decided again.", sheet.display_name))

    def _decision_reviewer(self):
        """The user who decided (or decides) the sheet: its decision step's reviewer."""
        self.ensure_one()
        steps = self.sudo().step_ids.sorted(lambda step: (step.sequence, step.id))
        decision = steps.filtered("is_decision")[-1:] or steps[-1:]
        return decision.reviewer_user_id

    def _back_to_decision(self, log):
        """A decided sheet goes back to its decision step (sudo): state review, that step pending, an
        activity for its reviewer."""
        for sheet in self.sudo():
            steps = sheet.step_ids.sorted(lambda step: (step.sequence, step.id))
            decision = steps.filtered("is_decision")[-1:] or steps[-1:]
            if sheet.state != "done" or not decision:
                raise UserError(self.env._(
                    "The sheet %s cannot go back to its decision step.", sheet.display_name))
            _sudo_write(decision, {"state": "waiting", "date_done": False})
            sheet.write({"state": "review"})
            sheet._advance_to(decision)
            sheet._message_log(body=log)

    def action_request_review(self):
        """The employee's button: a small form asking for the reason of the request."""
        self.ensure_one()
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

    def action_view_appeals(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("civ_evaluation.action_civ_appeal")
        action["domain"] = [("evaluation_id", "=", self.id)]
        action["context"] = {"default_evaluation_id": self.id}
        return action

    # ------------------------------------------------------------------ helpers for the opening
    @api.model
    def _chain_has_problem(self, chain):
        return not chain or any(not _id(step.get("reviewer_user_id")) for step in chain)

    @api.model
    def _step_values(self, sheet_id, step):
        return {
            "evaluation_id": sheet_id,
            "sequence": step.get("sequence") or 0,
            "name": step.get("name") or "",
            "reviewer_employee_id": _id(step.get("reviewer_employee_id")),
            "reviewer_user_id": _id(step.get("reviewer_user_id")),
            "can_rescore": bool(step.get("can_rescore")),
            "is_decision": bool(step.get("is_decision")),
            "escalated": bool(step.get("escalated")),
            "vacancy_note": step.get("vacancy_note") or False,
            "policy_step_id": _id(step.get("policy_step_id")),
            "state": "waiting",
        }

    # ------------------------------------------------------------------ guards
    # fields any participant may write (through the form: lines and steps carry their own guards;
    # chatter/activity fields are the mail mixins' business)
    _USER_WRITABLE = frozenset({"line_ids", "step_ids"})
    _OFFICER_WRITABLE = frozenset({"department_id", "job_title"})

    def _check_not_locked(self):
        locked = self.filtered(lambda sheet: sheet.state == "locked")
        if locked:
            raise UserError(self.env._(
                "The evaluation sheet %(sheet)s is locked: it cannot be changed or deleted. "
                "An administrator can reopen it with a reason.",
                sheet=locked[0].display_name))

    def write(self, vals):
        self._check_not_locked()
        if not self.env.su:
            allowed = set(self._USER_WRITABLE)
            if self.env.user.has_group("civ_evaluation.group_civ_officer"):
                allowed |= self._OFFICER_WRITABLE
            forbidden = [
                fname for fname in vals
                if fname not in allowed and not fname.startswith(("message_", "activity_"))
            ]
            if forbidden:
                raise AccessError(self.env._(
                    "These fields of an evaluation sheet change only through its workflow: %s",
                    ", ".join(forbidden)))
        if "line_ids" not in vals:
            return super().write(vals)
        # one chatter message and one score update per sheet for all the lines saved together
        collector = PointsLog()
        result = super(CivEvaluation, self.with_context(civ_points_log=collector)).write(vals)
        collector.flush(self.env)
        return result

    def unlink(self):
        self._check_not_locked()
        if not self.env.su and any(sheet.state != "draft" for sheet in self):
            raise UserError(self.env._("Only sheets still in self-assessment can be deleted."))
        return super().unlink()

    # ------------------------------------------------------------------ actor checks
    def _check_actor_is_owner(self):
        if self.env.su:
            return
        for sheet in self.sudo():
            if sheet.user_id != self.env.user:
                raise AccessError(self.env._(
                    "Only %(employee)s can submit their own evaluation sheet.",
                    employee=sheet.employee_id.name))

    def _check_actor_is_reviewer(self):
        for sheet in self.sudo():
            if sheet.state != "review" or not sheet.current_step_id:
                raise UserError(self.env._(
                    "The sheet %s is not waiting for a review.", sheet.display_name))
            if not self.env.su and sheet.current_step_id.reviewer_user_id != self.env.user:
                raise AccessError(self.env._(
                    "The sheet %(sheet)s waits for %(reviewer)s, not for you.",
                    sheet=sheet.display_name, reviewer=sheet.current_step_id.reviewer_user_id.name))

    # ------------------------------------------------------------------ workflow
    def action_submit(self):
        """The employee submits the self-assessment: the review chain starts."""
        self.check_access("write")
        self._check_actor_is_owner()
        for sheet in self.sudo():
            if sheet.state != "draft":
                raise UserError(self.env._("The sheet %s has already been submitted.", sheet.display_name))
            if sheet.chain_problem or not sheet.step_ids:
                raise UserError(self.env._(
                    "No reviewer could be found for %s: human resources must fix the review chain "
                    "before the sheet can be submitted.", sheet.display_name))
        sheets = self.sudo()
        sheets._clear_reminders(sheets.user_id)
        now = fields.Datetime.now()
        # the first reviewer starts from the self points
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE civ_evaluation_line SET reviewer_points = self_points, previous_points = self_points "
            "WHERE evaluation_id IN %s",
            [tuple(sheets.ids)])
        self.env["civ.evaluation.line"].invalidate_model(["reviewer_points", "previous_points"])
        sheets.step_ids.sudo().write(
            {"state": "waiting", "date_done": False, "score": 0.0})
        for sheet in sheets:
            sheet.activity_feedback([TODO], user_id=sheet.user_id.id, feedback=self.env._("Submitted"))
            sheet.write({"state": "review", "date_submitted": now, "reviewer_score": sheet.self_score,
                         "return_reason": False})
            sheet._advance_to(sheet._next_step())
        return True

    def _clear_reminders(self, users):
        """Remove the reminders (see civ.period.civ_cron_send_reminders) of `users` on the sheets:
        they acted (one search for all the sheets)."""
        reminder_type = self.env.ref(REMINDER, raise_if_not_found=False)
        if not self or not users or not reminder_type:
            return
        self.env["mail.activity"].sudo().search([
            ("res_model", "=", self._name),
            ("res_id", "in", self.ids),
            ("activity_type_id", "=", reminder_type.id),
            ("user_id", "in", users.ids),
        ]).unlink()

    def _next_step(self):
        self.ensure_one()
        return self.step_ids.filtered(lambda step: step.state == "waiting").sorted(
            lambda step: (step.sequence, step.id))[:1]

    def _advance_to(self, step):
        """Make `step` the pending one, assign it and ask its reviewer to act (sudo)."""
        self.ensure_one()
        _sudo_write(step, {"state": "pending"})
        self.write({"current_step_id": step.id, "current_reviewer_user_id": step.reviewer_user_id.id})
        if step.is_decision:
            deadline = self.period_id.decision_deadline or self.period_id.review_deadline
        else:
            deadline = self.period_id.review_deadline or self.period_id.decision_deadline
        self.activity_schedule(
            TODO, date_deadline=deadline or fields.Date.context_today(self),
            summary=self.env._("Review the evaluation sheet of %s", self.employee_id.name)
            if not step.is_decision else
            self.env._("Decide the evaluation of %s", self.employee_id.name),
            user_id=step.reviewer_user_id.id)

    def action_approve(self, quota_reason=None):
        """The current step's reviewer approves (the decision step decides).

        A decision that would take a level above a quota of the framework (see _quota_breaches) is
        refused unless quota_reason explains it; the reason is then stored on the sheet. Several
        sheets approved together are counted together."""
        self.check_access("write")
        self._check_actor_is_reviewer()
        reason = (quota_reason or "").strip()
        results = self._decision_results()
        deciding = self.sudo().filtered(lambda sheet: sheet.id in results)
        breaches = deciding._quota_breaches(
            {sheet_id: result["level"] for sheet_id, result in results.items()})
        if breaches and not reason:
            raise UserError(self.env._(
                "This decision exceeds the quotas of the framework:\n%(figures)s\n\n"
                "Give the reason for deciding above the quota (button Approve / Decide, or "
                "action_approve(quota_reason=...)).",
                figures="\n".join(self._quota_breach_lines(breaches))))
        self.sudo()._clear_reminders(self.sudo().current_reviewer_user_id)
        now = fields.Datetime.now()
        for sheet in self.sudo():
            step = sheet.current_step_id
            result = results.get(sheet.id) or sheet.framework_id.compute_score(
                sheet._points("reviewer_points"))
            _sudo_write(step, {"state": "approved", "date_done": now, "score": result["total"]})
            sheet.activity_feedback([TODO], user_id=step.reviewer_user_id.id,
                                    feedback=self.env._("Approved"))
            following = sheet._next_step()
            if step.is_decision or not following:
                sheet._decide(result, now, breaches.get(sheet.id), reason)
            else:
                sheet._message_log(body=self.env._(
                    "%(step)s approved by %(user)s: %(score)s points.",
                    step=step.name, user=self.env.user.name, score=result["total"]))
                # the next reviewer sees this level's points next to their own
                self.env.flush_all()
                self.env.cr.execute(
                    "UPDATE civ_evaluation_line SET previous_points = reviewer_points "
                    "WHERE evaluation_id = %s",
                    [sheet.id])
                self.env["civ.evaluation.line"].invalidate_model(["previous_points"])
                sheet._advance_to(following)
        return True

    def _decision_results(self):
        """{sheet id: compute_score result} for the sheets whose approval now is the decision."""
        results = {}
        for sheet in self.sudo():
            if sheet.current_step_id.is_decision or not sheet._next_step():
                results[sheet.id] = sheet.framework_id.compute_score(sheet._points("reviewer_points"))
        return results

    def _quota_breaches(self, levels):
        """The quotas the decisions of these sheets would exceed.

        Per period and quota scope (the sheet's department, or the whole agency), the framework's
        check_quotas counts: the sheets of the period already decided, at their level; the sheets
        not decided yet, as evaluated without a level (they are in the headcount of an "everyone
        evaluated" basis, not in a "level or above" one); the sheets of self, at their new level.
        Sheets closed as not evaluated do not count. One grouped query per period.

        :param dict levels: {sheet id: civ.level} the level each sheet of self is about to get
        :returns: {sheet id: ["<scope>: <figures>", ...]} for the sheets of self whose new level is
            that of an exceeded quota
        """
        breaches = defaultdict(list)
        sheets = self.sudo()
        for period in sheets.period_id:
            if not period.framework_id.quota_ids:
                continue
            batch = sheets.filtered(lambda sheet, period=period: sheet.period_id == period)
            counts = period._quota_counts(exclude_ids=batch.ids)
            for sheet in batch:
                level = levels.get(sheet.id)
                counts[sheet.department_id.id][level.id if level else False] += 1
            for scope_id, result in period._quota_results(counts, set(batch.department_id.ids)):
                if not result["exceeded"]:
                    continue
                scope_name = period._quota_scope_name(result["quota"], scope_id)
                for sheet in batch:
                    level = levels.get(sheet.id)
                    if level != result["level"]:
                        continue
                    if result["quota"].scope == "department" and sheet.department_id.id != scope_id:
                        continue
                    breaches[sheet.id].append(f"{scope_name}: {result['message']}")
        return dict(breaches)

    def _quota_breach_lines(self, breaches):
        """Lines for a message: each exceeded quota once, with the sheets concerned."""
        by_line = defaultdict(list)
        for sheet in self.sudo().filtered(lambda sheet: sheet.id in breaches):
            for line in breaches[sheet.id]:
                by_line[line].append(sheet.employee_id.name)
        return [
            self.env._("- %(figures)s (%(people)s)", figures=line, people=", ".join(names))
            for line, names in by_line.items()
        ]

    def action_approve_check(self):
        """The Approve / Decide buttons: approve at once, or, when the decision would exceed a
        quota, open the wizard showing the figures and asking for the reason."""
        self.check_access("write")
        self._check_actor_is_reviewer()
        results = self._decision_results()
        deciding = self.sudo().filtered(lambda sheet: sheet.id in results)
        if not deciding._quota_breaches({sheet_id: result["level"] for sheet_id, result in results.items()}):
            return self.action_approve()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Decide above the Quota"),
            "res_model": "civ.quota.override.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_evaluation_ids": self.ids},
        }

    def _decide(self, result, now, quota_breach=None, quota_reason=None):
        """Fix final points, score and level from the reviewer points (sudo, one sheet).
        quota_breach: the figures of the quotas this decision exceeds, decided with quota_reason."""
        self.ensure_one()
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE civ_evaluation_line SET final_points = reviewer_points WHERE evaluation_id = %s",
            [self.id])
        self.env["civ.evaluation.line"].invalidate_model(["final_points"])
        self.step_ids.filtered(lambda step: step.state in ("waiting", "pending")).sudo().write(
            {"state": "skipped"})
        level = result.get("level")
        self.write({
            "state": "done",
            "decided_at_deadline": False,
            "final_score": result["total"],
            "reviewer_score": result["total"],
            "level_id": level.id if level else False,
            "date_decided": now,
            "current_step_id": False,
            "current_reviewer_user_id": False,
            "quota_exceeded": bool(quota_breach),
            "quota_reason": quota_reason if quota_breach else False,
            "quota_figures": "\n".join(quota_breach) if quota_breach else False,
        })
        if quota_breach:
            self._message_log(body=Markup("<br/>").join([
                self.env._("Decided above the quota by %s.", self.env.user.name),
                *quota_breach,
                self.env._("Reason: %s", quota_reason),
            ]))
        self._notify_employee(self.env._(
            "Your evaluation for %(period)s has been decided: %(score)s points, level %(level)s.",
            period=self.period_id.name, score=result["total"],
            level=level.display_name if level else "-"))

    def _notify_employee(self, body):
        """Post a note that notifies the employee's user (in their inbox / by e-mail)."""
        self.ensure_one()
        partner = self.user_id.partner_id
        self.message_post(
            body=body, message_type="comment", subtype_xmlid="mail.mt_note",
            partner_ids=partner.ids)

    def action_return(self, reason):
        """The current step's reviewer returns the sheet to the employee, with a reason."""
        self.check_access("write")
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason for returning the sheet."))
        self._check_actor_is_reviewer()
        self.sudo()._clear_reminders(self.sudo().current_reviewer_user_id)
        now = fields.Datetime.now()
        for sheet in self.sudo():
            step = sheet.current_step_id
            _sudo_write(step, {"state": "returned", "date_done": now, "comment": reason})
            sheet.activity_feedback([TODO], user_id=step.reviewer_user_id.id,
                                    feedback=self.env._("Returned"))
            sheet.write({
                "state": "draft",
                "current_step_id": False,
                "current_reviewer_user_id": False,
                "return_reason": reason,
            })
            sheet._notify_employee(self.env._(
                "Your evaluation sheet was returned by %(user)s: %(reason)s",
                user=self.env.user.name, reason=reason))
            if sheet.user_id:
                sheet.activity_schedule(
                    TODO, date_deadline=max(
                        sheet.period_id.self_deadline or fields.Date.context_today(sheet),
                        fields.Date.context_today(sheet)),
                    summary=self.env._("Rework and resubmit your evaluation sheet"),
                    note=reason, user_id=sheet.user_id.id)
        return True

    def action_return_wizard(self):
        """Open the wizard asking for the reason of a return."""
        self._check_actor_is_reviewer()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Return for Rework"),
            "res_model": "civ.evaluation.return.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_evaluation_ids": self.ids},
        }

    # ------------------------------------------------------------------ chain maintenance
    def action_refresh_chain(self):
        """Resolve the review chain again for draft sheets (officers), e.g. after HR fixed the
        organisation chart. Sheets already submitted keep their snapshot."""
        if not self.env.user.has_group("civ_evaluation.group_civ_officer"):
            raise AccessError(self.env._("Only human resources officers can refresh review chains."))
        self.check_access("write")
        sheets = self.sudo().filtered(lambda sheet: sheet.state == "draft")
        if not sheets:
            return True
        chains = self.env["civ.review.policy"].sudo()._resolve_chains(sheets.employee_id)
        sheets.step_ids.sudo().unlink()
        step_vals = []
        for sheet in sheets:
            chain = chains.get(sheet.employee_id.id) or []
            step_vals.extend(self._step_values(sheet.id, step) for step in chain)
            sheet.write({"chain_problem": self._chain_has_problem(chain)})
        self.env["civ.review.step"].sudo().create(step_vals)
        sheets._message_log_batch({sheet.id: self.env._("Review chain refreshed.") for sheet in sheets})
        return True

    # ------------------------------------------------------------------ scores
    def _points(self, fname):
        self.ensure_one()
        return {line.criterion_id.id: line[fname] for line in self.line_ids}

    def _update_scores(self, kinds):
        """Store the totals after points changed (sudo; kinds ⊆ {'self', 'reviewer'})."""
        for sheet in self.sudo():
            framework = sheet.framework_id
            vals = {}
            if "self" in kinds:
                vals["self_score"] = framework.compute_score(sheet._points("self_points"))["total"]
            if "reviewer" in kinds:
                total = framework.compute_score(sheet._points("reviewer_points"))["total"]
                vals["reviewer_score"] = total
                if sheet.current_step_id:
                    _sudo_write(sheet.current_step_id, {"score": total})
            if vals:
                sheet.write(vals)

    # ------------------------------------------------------------------ lock and reopen
    def _prepare_lock(self):
        """Apply the company's lock rules to the sheets not finished yet (sudo, batched, SQL):
        drafts are closed as not evaluated (or decided on their self points), sheets still in
        review are decided by the company's rule and flagged 'decided at deadline'."""
        sheets = self.sudo()
        rule_ids = defaultdict(list)
        for sheet in sheets:
            company = sheet.company_id
            if sheet.state == "draft":
                rule = "not_evaluated" if company.civ_lock_draft_not_evaluated else "self"
            elif sheet.state == "review":
                rule = company.civ_undecided_at_lock or "last_reviewer"
            else:
                continue
            rule_ids[rule].append(sheet.id)
        by_rule = {rule: sheets.browse(ids) for rule, ids in rule_ids.items()}
        by_rule = defaultdict(lambda: sheets.browse(), by_rule)
        unfinished = sheets.filtered(lambda sheet: sheet.state in ("draft", "review"))
        if not unfinished:
            return
        self.env["mail.activity"].sudo().search([
            ("res_model", "=", self._name), ("res_id", "in", unfinished.ids),
        ]).unlink()
        self.env.flush_all()
        cr = self.env.cr
        if by_rule["not_evaluated"]:
            cr.execute("""
                UPDATE civ_evaluation SET not_evaluated = TRUE, final_score = 0, level_id = NULL,
                       decided_at_deadline = (state = 'review'),
                       not_evaluated_reason = CASE WHEN state = 'review' THEN %s ELSE %s END
                 WHERE id IN %s
            """, [
                self.env._("Not decided before the lock date."),
                self.env._("Self-assessment not submitted before the lock date."),
                tuple(by_rule["not_evaluated"].ids),
            ])
        if by_rule["self"]:
            by_rule["self"]._decide_at_deadline("self_points")
        if by_rule["last_reviewer"]:
            by_rule["last_reviewer"]._decide_at_deadline("reviewer_points")
        ids = tuple(unfinished.ids)
        cr.execute(
            "UPDATE civ_review_step SET state = 'skipped' WHERE evaluation_id IN %s "
            "AND state IN ('waiting', 'pending')", [ids])
        # decided sheets become 'done'; drafts closed as not evaluated stay drafts (so that reopening
        # gives them back to their employee)
        cr.execute(
            "UPDATE civ_evaluation SET state = 'done' WHERE id IN %s "
            "AND (state = 'review' OR NOT not_evaluated)", [ids])
        self.env.invalidate_all()

    def _decide_at_deadline(self, source):
        """Decide the sheets on their `source` points (self_points or reviewer_points), in SQL."""
        if source not in ("self_points", "reviewer_points"):
            raise ValueError(source)
        ids = tuple(self.ids)
        cr = self.env.cr
        cr.execute(SQL(
            "UPDATE civ_evaluation_line SET final_points = %s WHERE evaluation_id IN %s",
            SQL.identifier(source), ids))
        cr.execute(
            "SELECT evaluation_id, criterion_id, final_points FROM civ_evaluation_line "
            "WHERE evaluation_id IN %s", [ids])
        points = defaultdict(dict)
        for sheet_id, criterion_id, value in cr.fetchall():
            points[sheet_id][criterion_id] = value
        rows = []
        for sheet in self:
            result = sheet.framework_id.compute_score(points[sheet.id])
            level = result.get("level")
            rows.append(SQL("(%s, %s, %s)", sheet.id, result["total"], level.id if level else None))
        cr.execute(SQL("""
            UPDATE civ_evaluation AS sheet
               SET final_score = v.total::numeric, level_id = v.level_id::integer,
                   decided_at_deadline = TRUE, date_decided = (now() at time zone 'UTC')
              FROM (VALUES %s) AS v(id, total, level_id)
             WHERE sheet.id = v.id
        """, SQL(", ").join(rows)))

    def action_lock(self):
        """Lock single sheets (officers), e.g. one reopened in a locked period."""
        if not self.env.user.has_group("civ_evaluation.group_civ_officer"):
            raise AccessError(self.env._("Only human resources officers can lock evaluation sheets."))
        sheets = self.sudo().filtered(lambda sheet: sheet.state != "locked")
        sheets._lock()
        sheets._message_log_batch({sheet.id: self.env._("Sheet locked.") for sheet in sheets})
        return True

    def _lock(self):
        """Lock the sheets after the caller's checks: apply the lock rules, then change the state
        with one SQL UPDATE (the write guards refuse any change to a locked sheet)."""
        sheets = self.sudo().filtered(lambda sheet: sheet.state != "locked")
        if not sheets:
            return
        self.env["civ.appeal"]._close_at_lock(sheets)
        sheets._prepare_lock()
        self.env.flush_all()
        self.env.cr.execute("""
            UPDATE civ_evaluation
               SET pre_lock_state = state, state = 'locked', current_step_id = NULL,
                   current_reviewer_user_id = NULL,
                   write_date = (now() at time zone 'UTC'), write_uid = %s
             WHERE id IN %s AND state != 'locked'
        """, [self.env.uid, tuple(sheets.ids)])
        self.env.invalidate_all()

    def _reopen_sheets(self, target="previous"):
        """Unlock locked sheets with a direct SQL UPDATE (the write guards refuse any change to a
        locked sheet; the caller has checked the user's rights and the reason).
        target: 'previous' = the state before lock; 'decision' = back to review at the decision
        step; 'draft' = back to the employee's self-assessment."""
        sheets = self.sudo().filtered(lambda sheet: sheet.state == "locked")
        if not sheets:
            return sheets
        self.env.flush_all()
        ids = tuple(sheets.ids)
        self.env.cr.execute("""
            UPDATE civ_evaluation
               SET state = COALESCE(pre_lock_state, 'done'), pre_lock_state = NULL,
                   write_date = (now() at time zone 'UTC'), write_uid = %s
             WHERE id IN %s
        """, [self.env.uid, ids])
        sheets.invalidate_recordset()
        for sheet in sheets:
            if target == "draft" or sheet.state == "draft":
                sheet.write({
                    "state": "draft", "final_score": 0.0, "level_id": False, "not_evaluated": False,
                    "not_evaluated_reason": False,
                    "decided_at_deadline": False, "current_step_id": False,
                    "current_reviewer_user_id": False, "date_decided": False,
                })
            elif target == "decision":
                steps = sheet.step_ids.sorted(lambda step: (step.sequence, step.id))
                decision = steps.filtered("is_decision")[-1:] or steps[-1:]
                if sheet.chain_problem or not decision:
                    raise UserError(self.env._(
                        "The sheet %s has no review chain to go back to.", sheet.display_name))
                _sudo_write(decision, {"state": "waiting", "date_done": False})
                sheet.write({"state": "review", "not_evaluated": False, "not_evaluated_reason": False,
                             "decided_at_deadline": False})
                sheet._advance_to(decision)
        return sheets

    # ------------------------------------------------------------------ navigation
    def action_open_sheet(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "current",
        }
