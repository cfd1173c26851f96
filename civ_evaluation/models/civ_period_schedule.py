import logging
from collections import defaultdict
from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError

from . import civ_sql
from .civ_period import CIV_TZ, CRON_BATCH_SIZE, REMINDER_ACTIVITY
from .res_company import civ_period_start

_logger = logging.getLogger(__name__)


class CivPeriodSchedule(models.Model):
    """The month on its own: the scheduled actions of the periods (open the month's periods and add
    the new hires, lock the periods past their lock date, remind whoever has not acted). A part of
    civ.period.

    The entry points of the crons are private (_cron_*: no RPC client can call them) and run only as
    superuser (the crons' user). Each does one batch of work through a private helper (_civ_*),
    reports it with ir.cron._notify_progress() and returns the number of tasks left: when some are
    left, Odoo calls it again at once (in a new transaction), so nothing here commits. Server code and
    tests call the helpers, where `today`, the batch size and the companies can be given."""

    _inherit = "civ.period"

    @api.model
    def _check_cron_caller(self):
        if not self.env.su:
            raise AccessError(self.env._("Only the scheduler runs the evaluation's scheduled actions."))

    @api.model
    def _cron_open_periods(self):
        """Scheduled action "open the month's periods"."""
        self._check_cron_caller()
        return self._civ_open_periods()

    @api.model
    def _cron_lock_periods(self):
        """Scheduled action "lock the periods past their lock date"."""
        self._check_cron_caller()
        return self._civ_lock_periods()

    @api.model
    def _cron_send_reminders(self):
        """Scheduled action "deadline reminders"."""
        self._check_cron_caller()
        return self._civ_send_reminders()

    @api.model
    def _civ_cron_try_lock(self, job):
        """One batch of the open (or lock) job at a time in the database. A second cron worker, a
        "Run Manually" or a shell running the same job meanwhile gets False and skips this run, where
        it would otherwise fail on the rows of the first (duplicate period, serialization failure) and
        log an error. A transaction-level advisory lock, taken first thing in the batch and released
        at its commit: between two batches the other worker may take over. (If the other worker
        commits in the instant between this transaction's snapshot and the lock, the period row locks
        of _open/_lock_rows still make this run fail rather than duplicate.) Fits PgBouncer's
        transaction pooling, unlike session-level advisory locks."""
        if civ_sql.try_job_lock(self.env, job):
            return True
        _logger.info("Evaluation cron %r is running in another worker: this run skips.", job)
        self.env["ir.cron"]._notify_progress(done=0, remaining=0)
        return False

    @api.model
    def _civ_today(self, today=None):
        """The day the crons work for: `today` if given, else today in the context's time zone
        (Vietnam's by default: the cron user usually has none)."""
        if today:
            return fields.Date.to_date(today)
        return fields.Date.context_today(self.with_context(tz=self.env.context.get("tz") or CIV_TZ))

    @api.model
    def _civ_staffed_companies(self, companies=None):
        """The companies (all, or those given) with someone to evaluate (one grouped query)."""
        domain = [("civ_evaluated", "=", True), ("company_id", "!=", False)]
        if companies is not None:
            domain.append(("company_id", "in", companies.ids))
        groups = self.env["hr.employee"].sudo()._read_group(domain, ["company_id"])
        return self.env["res.company"].sudo().browse([company.id for [company] in groups])

    @api.model
    def _civ_default_frameworks(self, companies):
        """{company id: framework} for new periods: the company's default framework (monthly or
        quarterly), else its newest usable framework of its own (a monthly one first), else the newest
        usable shared monthly one (one search). A shared quarterly framework (TP.HCM, ND 335 by
        quarter) is used only when chosen as the company's default."""
        Framework = self.env["civ.framework"].sudo()
        candidates = Framework.search(
            Framework._usable_domain() + [("company_id", "in", [*companies.ids, False])], order="id desc"
        )
        candidates = candidates.sorted(lambda framework: framework.period_kind != "month")
        shared = candidates.filtered(
            lambda framework: not framework.company_id and framework.period_kind == "month"
        )[:1]
        result = {}
        for company in companies:
            own = candidates.filtered(lambda framework, company=company: framework.company_id == company)
            result[company.id] = company.civ_framework_id or own[:1] or shared
        return result

    @api.model
    def _civ_wanted_kinds(self, today, companies):
        """({(company, kind): (framework, default)}, {company: kinds only rule sets need}): the period
        kinds each company runs today: its own (its default framework's) and the other kind its rule sets
        of staff categories valid today need, with the framework of the first such rule set."""
        frameworks = self._civ_default_frameworks(companies)
        wanted = {}
        for company in companies:
            framework = frameworks.get(company.id)
            wanted[(company, framework.period_kind if framework else "month")] = (framework, True)
        for rule in (
            self.env["civ.category.rule"]
            ._rules_on(companies, today)
            .sorted(lambda rule: (rule.sequence, rule.id))
        ):
            key = (rule.company_id, rule.framework_id.period_kind)
            if key not in wanted:
                wanted[key] = (rule.framework_id, False)
        extra_kinds = defaultdict(set)
        for (company, kind), (_framework, default) in wanted.items():
            if not default:
                extra_kinds[company].add(kind)
        return wanted, extra_kinds

    @api.model
    def _civ_due_periods(self, today, companies=None):
        """The periods covering today of every company with someone to evaluate whose opening day
        has come, created when missing; only those not locked. The period is the month, or the
        calendar quarter when the company's framework is quarterly: a quarter opens on the opening
        day of its first month (and any later day of the quarter when that was missed). A company
        whose rule sets of staff categories give some people a framework of the other kind (leaders
        evaluated quarterly under KL 198 while their staff are monthly) gets that period too, with the
        rule set's framework."""
        companies = self._civ_staffed_companies(companies)
        if not companies:
            return self.browse()
        wanted, extra_kinds = self._civ_wanted_kinds(today, companies)

        def counts_for(period, company, kind, default):
            # a period of another kind stands for the company's own kind unless a rule set needs that kind
            # (a month opened before the company chose a quarterly framework: never a second one)
            return period.company_id == company and (
                period.period_kind == kind or (default and period.period_kind not in extra_kinds[company])
            )

        def due(company, kind):
            start = civ_period_start(today, kind)
            return today.month != start.month or company.civ_open_day <= today.day

        wanted = {key: value for key, value in wanted.items() if due(*key)}
        if not wanted:
            return self.browse()
        Period = self.sudo()
        due_companies = self.env["res.company"].union(*(company for company, _kind in wanted))
        periods = Period.search(
            [("company_id", "in", due_companies.ids), ("date_start", "<=", today), ("date_end", ">=", today)]
        )
        found = Period
        planned = {}
        for (company, kind), (framework, default) in wanted.items():
            covering = periods.filtered(
                lambda period, company=company, kind=kind, default=default: counts_for(
                    period, company, kind, default
                )
            )
            if covering:
                found |= covering
                continue
            if not framework:
                _logger.info("No usable framework for %s: no period opened.", company.name)
                continue
            planned[(company, kind, default)] = dict(
                company._civ_period_dates(today, kind),
                company_id=company.id,
                framework_id=framework.id,
            )
        # named in the company's language ("Tháng 05/2026", "Quý 2/2026"), not in the cron user's
        vals_by_lang = defaultdict(list)
        if planned:
            # a quarter cannot start while a month of it already has a period (a framework changed
            # within the quarter): said in the log, the next quarter opens normally
            overlapping = Period.search(
                [
                    ("company_id", "in", [company.id for company, _kind, _default in planned]),
                    ("date_start", "<=", max(vals["date_end"] for vals in planned.values())),
                    ("date_end", ">=", min(vals["date_start"] for vals in planned.values())),
                ]
            )
            for (company, kind, default), vals in planned.items():
                clash = overlapping.filtered(
                    lambda period, company=company, kind=kind, default=default, vals=vals: counts_for(
                        period, company, kind, default
                    )
                    and period.date_start <= vals["date_end"]
                    and vals["date_start"] <= period.date_end
                )
                if clash:
                    _logger.warning(
                        "Evaluation period %s - %s of %s not created: it would overlap %s.",
                        vals["date_start"],
                        vals["date_end"],
                        company.name,
                        ", ".join(clash.mapped("name")),
                    )
                    continue
                vals_by_lang[company.partner_id.lang or self.env.lang].append(vals)
        for lang, vals_list in vals_by_lang.items():
            new_periods = Period.with_context(lang=lang).create(vals_list).with_context(lang=self.env.lang)
            for period in new_periods:
                period.message_post(
                    body=period._civ_company_env()._("Period created by the scheduled action.")
                )
            found |= new_periods
        return found.filtered(lambda period: period.state != "locked")

    @api.model
    def _civ_open_periods(self, today=None, batch_size=None, companies=None):
        """Cron "open periods": on (and after) each company's opening day, create the period of the
        month (of the quarter, for a quarterly framework) and open it; on later runs add the new
        hires. At most batch_size sheets per call.

        :returns: the number of sheets still to create (the cron calls again while some are left)
        """
        if not self._civ_cron_try_lock("open"):
            return 0
        today = self._civ_today(today)
        budget = batch_size or CRON_BATCH_SIZE
        done = remaining = 0
        for period in self._civ_due_periods(today, companies):
            missing = len(period._civ_missing_employees())
            if not missing and period.state == "open":
                continue
            if budget <= 0:
                remaining += missing or 1
                continue
            try:
                with self.env.cr.savepoint():
                    created = period._open(limit=budget)
            except UserError as error:
                # e.g. the company's framework was archived: the other companies go on
                _logger.warning(
                    "Evaluation period %s (id %s) could not be opened: %s",
                    period.display_name,
                    period.id,
                    error,
                )
                continue
            budget -= len(created)
            done += len(created) or 1
            remaining += missing - len(created)
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return remaining

    @api.model
    def _civ_lock_periods(self, today=None, batch_size=None, companies=None):
        """Cron "lock periods": lock every open period whose lock date has passed, applying the
        company's rules to unfinished sheets. At most batch_size sheets locked per call.

        :returns: the number of sheets (+1 per period) still to lock
        """
        if not self._civ_cron_try_lock("lock"):
            return 0
        today = self._civ_today(today)
        budget = batch_size or CRON_BATCH_SIZE
        domain = [("state", "=", "open"), ("lock_date", "<", today)]
        if companies is not None:
            domain.append(("company_id", "in", companies.ids))
        periods = self.sudo().search(domain, order="lock_date, id")
        Evaluation = self.env["civ.evaluation"].sudo()
        unlocked = dict(
            Evaluation._read_group(
                [("period_id", "in", periods.ids), ("state", "!=", "locked")], ["period_id"], ["__count"]
            )
        )
        done = remaining = 0
        for period in periods:
            count = unlocked.get(period, 0)
            if budget <= 0:
                remaining += count + 1
                continue
            if count > budget:
                # a big period: lock a batch of its sheets now, the period itself on a later call
                sheets = Evaluation.search(
                    [("period_id", "=", period.id), ("state", "!=", "locked")], limit=budget, order="id"
                )
                sheets._lock()
                budget -= len(sheets)
                done += len(sheets)
                remaining += count - len(sheets) + 1
                continue
            period._lock()
            budget -= count
            done += count + 1
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return remaining

    @api.model
    def _civ_send_reminders(self, today=None, companies=None):
        """Cron "reminders": from company.civ_reminder_days days before a deadline until the deadline,
        remind whoever has not acted: employees whose sheet is still a draft (self-assessment
        deadline), the current reviewers of sheets in review (review deadline, or decision deadline
        at a decision step). A reminder is an activity on the sheet for that person (never two open
        ones) and one e-mail per person, period and deadline listing their sheets.

        :returns: the number of reminder activities created
        """
        today = self._civ_today(today)
        domain = [("state", "=", "open")]
        if companies is not None:
            domain.append(("company_id", "in", companies.ids))
        due = {}
        for period in self.sudo().search(domain):
            days = timedelta(days=max(period.company_id.civ_reminder_days, 0))
            kinds = {
                kind
                for kind, deadline in period._civ_deadlines().items()
                if deadline and deadline - days <= today <= deadline
            }
            if kinds:
                due[period] = kinds
        if not due:
            self.env["ir.cron"]._notify_progress(done=0, remaining=0)
            return 0
        periods = self.sudo().browse([period.id for period in due])
        sheets = (
            self.env["civ.evaluation"]
            .sudo()
            .search([("period_id", "in", periods.ids), ("state", "in", ("draft", "review"))], order="id")
        )
        targets = defaultdict(lambda: self.env["civ.evaluation"])
        for sheet in sheets:
            kinds = due[sheet.period_id]
            if sheet.state == "draft":
                if "self" in kinds and sheet.user_id and not sheet.chain_problem:
                    targets[sheet.period_id, "self", sheet.user_id] |= sheet
            elif sheet.current_reviewer_user_id:
                kind = "decision" if sheet.current_step_id.is_decision else "review"
                if kind in kinds:
                    targets[sheet.period_id, kind, sheet.current_reviewer_user_id] |= sheet
        if not targets:
            self.env["ir.cron"]._notify_progress(done=0, remaining=0)
            return 0
        reminder_type = self.env.ref(REMINDER_ACTIVITY)
        existing = {
            (activity.res_id, activity.user_id.id)
            for activity in self.env["mail.activity"]
            .sudo()
            .search_fetch(
                [
                    ("res_model", "=", "civ.evaluation"),
                    ("res_id", "in", sheets.ids),
                    ("activity_type_id", "=", reminder_type.id),
                ],
                ["res_id", "user_id"],
            )
        }
        model_id = self.env["ir.model"]._get_id("civ.evaluation")
        summaries = {
            "self": self.env._("Submit your self-assessment"),
            "review": self.env._("Review this evaluation sheet"),
            "decision": self.env._("Decide this evaluation"),
        }
        activity_vals = []
        mails = []
        for (period, kind, user), group in targets.items():
            new = group.filtered(lambda sheet, user=user: (sheet.id, user.id) not in existing)
            if not new:
                continue
            deadline = period._civ_deadlines()[kind]
            activity_vals.extend(
                {
                    "res_model_id": model_id,
                    "res_id": sheet.id,
                    "activity_type_id": reminder_type.id,
                    "user_id": user.id,
                    "date_deadline": deadline,
                    "summary": summaries[kind],
                    "automated": True,
                }
                for sheet in new
            )
            mails.append((period, kind, user, new))
        # the e-mails below replace the "activity assigned to you" notifications
        self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(activity_vals)
        for period, kind, user, new in mails:
            period._civ_send_reminder_mail(kind, user, new)
        _logger.info("Evaluation reminders: %s activities, %s e-mails", len(activity_vals), len(mails))
        self.env["ir.cron"]._notify_progress(done=len(activity_vals), remaining=0)
        return len(activity_vals)

    def _civ_deadlines(self):
        self.ensure_one()
        return {
            "self": self.self_deadline,
            "review": self.review_deadline,
            "decision": self.decision_deadline or self.review_deadline,
        }

    def _civ_send_reminder_mail(self, kind, user, sheets):
        """One e-mail to `user` about `sheets` of this period (template civ_mail_template_reminder_<kind>),
        with a link to each sheet (the standard /mail/view redirection, valid on every deployment)."""
        self.ensure_one()
        template = self.env.ref(f"civ_evaluation.mail_template_civ_reminder_{kind}", raise_if_not_found=False)
        if not template or not user.partner_id:
            return
        # (name, department, link) per sheet; tuples keep the context hashable
        lines = tuple(
            (sheet.employee_id.name, sheet.department_id.name or "", sheet._notify_get_action_link("view"))
            for sheet in sheets
        )
        deadline = self._civ_deadlines()[kind]
        template.sudo().with_context(
            civ_recipient_name=user.name,
            civ_deadline=deadline.strftime("%d/%m/%Y") if deadline else "",
            civ_lines=lines,
        ).send_mail(
            self.id,
            email_layout_xmlid="mail.mail_notification_light",
            email_values={"recipient_ids": [Command.set(user.partner_id.ids)]},
        )
