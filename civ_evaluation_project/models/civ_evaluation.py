import json
import logging
from collections import defaultdict
from datetime import datetime, time, timedelta

import pytz

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.civ_evaluation.models.civ_evaluation import SHEET_ACTIONS
from odoo.addons.civ_evaluation.models.civ_product_loader import CONFIRMED, CREATE, UNCHANGED
from odoo.addons.civ_evaluation.models.civ_workflow_mixin import OFFICER

_logger = logging.getLogger(__name__)

# the values of a product line that come from its task (reloading rewrites them while unconfirmed)
TASK_FIELDS = (
    "name",
    "weight",
    "qty_assigned",
    "qty_done",
    "qty_quality",
    "qty_on_time",
    "date_deadline",
    "date_done",
)
TASK_READ = [
    "name",
    "project_id",
    "company_id",
    "state",
    "date_deadline",
    "civ_date_closed",
    "civ_weight",
]


def _canonical(values):
    """A proposal's values as comparable text (the database does not keep the order of JSON keys)."""
    return json.dumps(values or {}, sort_keys=True)


def _local_date(value, tz):
    """The calendar day of a UTC datetime in the time zone tz (None for no value)."""
    if not value:
        return None
    return pytz.utc.localize(value).astimezone(tz).date()


class CivEvaluation(models.Model):
    _inherit = "civ.evaluation"

    civ_proposal_ids = fields.One2many(
        "civ.product.proposal",
        "evaluation_id",
        string="Proposed Changes from Project",
        readonly=True,
        domain=[("state", "=", "pending")],
        help="Changes of the tasks of Project found after the sheet was submitted: the re-scoring "
        "reviewer accepts or refuses each one; none is applied before.",
    )
    civ_proposal_count = fields.Integer(string="Proposed Changes", compute="_compute_civ_proposal_count")

    def _compute_civ_proposal_count(self):
        counts = dict(
            self.env["civ.product.proposal"]
            .sudo()
            ._read_group(
                [("evaluation_id", "in", self.ids), ("state", "=", "pending")], ["evaluation_id"], ["__count"]
            )
        )
        for sheet in self:
            sheet.civ_proposal_count = counts.get(sheet._origin, 0)

    # the sheet's gate (civ.workflow.mixin) gains the loading of tasks: whoever may change the
    # products now, or an HR officer of the company (record rules) while the sheet is open
    _workflow_actions = dict(SHEET_ACTIONS, load_tasks=(("draft", "review"), "task_loader"))
    _workflow_own_roles = frozenset({"owner", "product_editor", "task_loader"})

    def _workflow_roles(self):
        roles = super()._workflow_roles()
        return dict(
            roles, task_loader=lambda sheet: roles["officer"](sheet) or roles["product_editor"](sheet)
        )

    def _workflow_action_label(self, action):
        if action == "load_tasks":
            return self.env._("loading the tasks of Project")
        return super()._workflow_action_label(action)

    def _workflow_extra_refusal(self, action, record):
        if action == "load_tasks" and not record.uses_products:
            return UserError(
                self.env._(
                    "The framework of %(sheet)s does not compute task results from products and work.",
                    sheet=record.display_name,
                )
            )
        # the re-scoring reviewer decides the proposed changes from Project before approving
        if action == "approve" and record.current_step_id.can_rescore and record.civ_proposal_ids:
            return UserError(
                self.env._(
                    "%(sheet)s has changes proposed from Project: accept or refuse them (tab Products "
                    "and Work) before approving.",
                    sheet=record.display_name,
                )
            )
        return super()._workflow_extra_refusal(action, record)

    # ------------------------------------------------------------------ public action
    def action_load_project_tasks(self):
        """The button "Load Tasks from Project": the tasks of Project assigned to the person, with a
        deadline or closing in the period, become (or update) the sheet's product lines. Allowed to
        whoever may change the products now (the employee in self-assessment, the re-scoring reviewer
        in review) and to the HR officers of the company while the sheet is open."""
        if not self:
            return True
        self._check_workflow_access("load_tasks")
        counts = self.sudo()._civ_load_project_tasks()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Tasks from Project"),
                "message": self.env._(
                    "%(added)s task(s) added, %(updated)s updated, %(unchanged)s unchanged, %(removed)s "
                    "removed; %(confirmed)s confirmed by a reviewer left as they are; %(proposed)s proposed "
                    "change(s) for the reviewer to accept or refuse.",
                    **counts,
                ),
                "type": "success",
                "sticky": False,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    @api.model
    def _civ_seal_columns(self):
        # the task a product line was loaded from is part of the month's history
        columns = super()._civ_seal_columns()
        return dict(columns, products=(*columns["products"], "task_id"))

    # ------------------------------------------------------------------ the loader (superuser)
    def _civ_task_values(self, task, tz, start, end):
        """The product line values of task on this sheet (whose time zone is tz and period runs from
        start to end, given by the caller, which reads them once per sheet), or None when the task
        does not belong to the period: a task belongs to the month it closes in, or, when still open
        (or closed later), to the month of its deadline; a task closed before the month is not the
        month's."""
        deadline = _local_date(task.date_deadline, tz)
        closed = _local_date(task.civ_date_closed, tz) if task.state == "1_done" else None
        if closed and closed < start:
            return None
        if not ((closed and closed <= end) or (deadline and start <= deadline <= end)):
            return None
        done = 1.0 if closed and closed <= end else 0.0
        on_time = 1.0 if done and (not deadline or closed <= deadline) else 0.0
        name = task.name
        if task.project_id:
            name = f"{task.name} ({task.project_id.name})"
        return {
            "name": name,
            "weight": task._civ_evaluation_weight(),
            "qty_assigned": 1.0,
            "qty_done": done,
            # quality is then judged by the reviewer, through the major errors
            "qty_quality": done,
            "qty_on_time": on_time,
            "date_deadline": deadline or False,
            "date_done": closed if done else False,
        }

    def _civ_valid_assigners(self):
        """{sheet id: ids of the users whose assignment of a task to the sheet's person makes it
        evidence}: the reviewers of the sheet's chain, the managers above the person and the human
        resources officers of the sheet's company (the project's manager and the system are added by
        the loader, per task). Never the person. Sudo, batched."""
        sheets = self.sudo()
        managers = sheets.employee_id._civ_manager_user_ids()
        officers = self.env.ref(OFFICER).sudo().users
        officers_of = defaultdict(set)
        for user in officers:
            for company in user.company_ids:
                officers_of[company.id].add(user.id)
        sheets.step_ids.fetch(["reviewer_user_id"])
        return {
            sheet.id: (
                set(sheet.step_ids.reviewer_user_id.ids)
                | managers.get(sheet.employee_id.id, set())
                | officers_of[sheet.company_id.id]
            )
            - {sheet.user_id.id}
            for sheet in sheets
        }

    def _civ_credited_tasks(self, users, low, high):
        """The tasks that may count for `users` in the months between low and high, and who they
        count for: {task: [(user id, assigned by user id)]}. Only tasks of a project of one of the
        sheets' companies counted for the evaluation (never a private task), not cancelled, with a
        deadline or a closing in the months, through their credited assignments (see
        civ.task.assignment)."""
        tasks = (
            self.env["project.task"]
            .sudo()
            .with_context(active_test=False)
            .search_fetch(
                [
                    ("project_id.civ_evaluation", "=", True),
                    ("project_id.company_id", "in", self.company_id.ids),
                    ("civ_assignment_ids", "any", [("user_id", "in", list(users)), ("credited", "=", True)]),
                    ("state", "!=", "1_canceled"),
                    "|",
                    "&",
                    ("date_deadline", ">=", low),
                    ("date_deadline", "<", high),
                    "&",
                    ("state", "=", "1_done"),
                    "&",
                    ("civ_date_closed", ">=", low),
                    ("civ_date_closed", "<", high),
                ],
                TASK_READ,
                order="id",
            )
        )
        credit_of = defaultdict(list)
        assignments = (
            self.env["civ.task.assignment"]
            .sudo()
            .search_fetch(
                [("task_id", "in", tasks.ids), ("user_id", "in", list(users)), ("credited", "=", True)],
                ["task_id", "user_id", "assigned_by_id"],
                order="task_id, id",
            )
        )
        for assignment in assignments:
            credit_of[assignment.task_id].append((assignment.user_id.id, assignment.assigned_by_id.id))
        return credit_of

    def _civ_load_project_tasks(self):
        """Load the tasks of Project into the sheets of self (superuser, after the gate; batched: one
        search of the tasks, one insert of the new lines, one write per group of equal changes, one
        refresh of the points). A task counts for a person when someone else with the right to
        assign their work gave it to them (see _civ_valid_assigners). In self-assessment, reloading
        updates the unconfirmed lines of the tasks and removes the unconfirmed lines of tasks that no
        longer belong to the month; once the sheet has left the self-assessment, the changes become
        proposals that the re-scoring reviewer accepts or refuses (civ.product.proposal). Confirmed
        and typed lines are left alone; a confirmed line whose task was deleted is flagged.
        Returns the counts {added, updated, unchanged, removed, confirmed, proposed}."""
        counts = dict.fromkeys(("added", "updated", "unchanged", "removed", "confirmed", "proposed"), 0)
        sheets = self.sudo().filtered(
            lambda sheet: sheet.state in ("draft", "review")
            and sheet.uses_products
            and sheet.employee_id.user_id
            and sheet.period_id.date_start
            and sheet.period_id.date_end
        )
        if not sheets:
            return counts
        # per user, their sheets with what the tasks are compared with: company, time zone, period
        sheets_by_user = defaultdict(list)
        timezones = {}
        for sheet in sheets:
            tz_name = sheet.employee_id.tz or sheet.company_id.partner_id.tz or "UTC"
            tz = timezones.get(tz_name) or timezones.setdefault(tz_name, pytz.timezone(tz_name))
            sheets_by_user[sheet.employee_id.user_id.id].append(
                (sheet, sheet.company_id, tz, sheet.period_id.date_start, sheet.period_id.date_end)
            )
        periods = sheets.period_id
        # a day around the months: the deadlines and closings are compared as local days below
        low = datetime.combine(min(periods.mapped("date_start")) - timedelta(days=1), time.min)
        high = datetime.combine(max(periods.mapped("date_end")) + timedelta(days=2), time.min)
        credit_of = sheets._civ_credited_tasks(set(sheets_by_user), low, high)
        Loader = self.env["civ.product.loader"]
        Product = Loader._products()
        lines = Product.search_fetch(
            [("evaluation_id", "in", sheets.ids), ("source", "=", "project")],
            [*TASK_FIELDS, "evaluation_id", "task_id", "confirmed", "task_missing"],
        )
        existing = {(line.evaluation_id.id, line.task_id.id): line for line in lines if line.task_id}
        desired = sheets._civ_desired_lines(credit_of, sheets_by_user)
        to_create, to_write, stale, proposals = [], defaultdict(list), Product.browse(), []
        in_review = set(sheets.filtered(lambda sheet: sheet.state == "review").ids)
        tasks = {key: task for key, (task, _vals) in desired.items()}
        plan = Loader._plan(existing, {key: vals for key, (_task, vals) in desired.items()})
        for (sheet_id, task_id), (outcome, line, changes) in plan.items():
            if outcome == CONFIRMED:
                counts["confirmed"] += 1
            elif outcome == UNCHANGED:
                counts["unchanged"] += 1
            elif sheet_id in in_review:
                proposals.append(
                    (sheet_id, "update" if line else "add", tasks[sheet_id, task_id], line, changes)
                )
            elif outcome == CREATE:
                to_create.append(dict(changes, evaluation_id=sheet_id, task_id=task_id, source="project"))
            else:
                to_write[tuple(sorted(changes.items()))].append(line.id)
        # lines of tasks that no longer count for the month (moved, cancelled, given to someone else by
        # who assigns the work, deleted)
        for line in lines:
            if line.task_id and (line.evaluation_id.id, line.task_id.id) in desired:
                continue
            if line.confirmed:
                counts["confirmed"] += 1
                if not line.task_id and not line.task_missing:
                    line.task_missing = True
            elif line.evaluation_id.id in in_review:
                proposals.append((line.evaluation_id.id, "remove", line.task_id, line, {}))
            else:
                stale |= line
        Loader._apply(to_create, to_write, stale, self.env._("Products and work loaded from Project"))
        sheets.filtered(lambda sheet: sheet.id not in in_review)._civ_drop_pending_proposals()
        counts["proposed"] = sheets.filtered(lambda sheet: sheet.id in in_review)._civ_sync_proposals(
            proposals
        )
        counts.update(
            added=len(to_create),
            removed=len(stale),
            updated=sum(len(line_ids) for line_ids in to_write.values()),
        )
        _logger.info("Tasks from Project loaded into %s sheets: %s", len(sheets), counts)
        return counts

    def _civ_desired_lines(self, credit_of, sheets_by_user):
        """{(sheet id, task id): (task, line values)}: the lines the tasks give the sheets of self,
        when they were given to the person by the system, the project's manager or another of the
        sheet's valid assigners, and belong to the sheet's period (see _civ_task_values)."""
        assigners = self._civ_valid_assigners()
        desired = {}
        for task, credited in credit_of.items():
            company, manager = task.project_id.company_id, task.project_id.user_id.id
            for user_id, assigned_by in credited:
                for sheet, sheet_company, tz, start, end in sheets_by_user.get(user_id, ()):
                    if company != sheet_company or (sheet.id, task.id) in desired:
                        continue
                    valid = assigned_by == SUPERUSER_ID or (
                        assigned_by
                        and assigned_by != user_id
                        and (assigned_by == manager or assigned_by in assigners[sheet.id])
                    )
                    vals = sheet._civ_task_values(task, tz, start, end) if valid else None
                    if vals is not None:
                        desired[sheet.id, task.id] = (task, vals)
        return desired

    def _civ_drop_pending_proposals(self):
        """A sheet back in self-assessment keeps no pending proposal: its lines follow the tasks again,
        and a proposal made against the lines of an earlier review would be stale when it comes back."""
        if self:
            self.env["civ.product.proposal"].sudo().search(
                [("evaluation_id", "in", self.ids), ("state", "=", "pending")]
            ).unlink()

    def action_return(self, reason=None):
        result = super().action_return(reason=reason)
        self.sudo().filtered(lambda sheet: sheet.state == "draft")._civ_drop_pending_proposals()
        return result

    def _civ_sync_proposals(self, proposals):
        """Make the pending proposals of the sheets of self (in review) the changes found by the
        loader: [(sheet id, kind, task, line, values)]. A change refused before with the same values is
        not proposed again; a pending proposal whose change no longer applies is dropped; the sheets
        in self-assessment keep none (their lines follow the tasks). Returns the number of pending
        proposals of self."""
        Proposal = self.env["civ.product.proposal"].sudo()
        known = Proposal.search([("evaluation_id", "in", self.ids), ("state", "in", ("pending", "refused"))])

        def key(sheet_id, kind, task, line):
            return (sheet_id, "line", line.id) if kind == "remove" else (sheet_id, "task", task.id)

        pending = {
            key(p.evaluation_id.id, p.kind, p.task_id, p.product_id): p for p in known if p.state == "pending"
        }
        refused = {
            (key(p.evaluation_id.id, p.kind, p.task_id, p.product_id), p.kind, _canonical(p.values))
            for p in known
            if p.state == "refused"
        }
        wanted, create_vals = set(), []
        for sheet_id, kind, task, line, values in proposals:
            proposal_key = key(sheet_id, kind, task, line)
            data = Proposal._to_json(values)
            if (proposal_key, kind, _canonical(data)) in refused:
                continue
            wanted.add(proposal_key)
            vals = {
                "kind": kind,
                "values": data,
                "summary": self._civ_proposal_summary(kind, line, values),
                "name": values.get("name") or line.name,
                "product_id": line.id or False,
                "task_id": task.id or False,
            }
            if proposal_key in pending:
                proposal = pending[proposal_key]
                if (proposal.kind, _canonical(proposal.values)) != (kind, _canonical(data)):
                    proposal.write(vals)
            else:
                create_vals.append(dict(vals, evaluation_id=sheet_id))
        Proposal.browse(p.id for k, p in pending.items() if k not in wanted).unlink()
        Proposal.create(create_vals)
        return len(wanted)

    def _civ_proposal_summary(self, kind, line, values):
        """The text of a proposed change: each value before and after."""
        Product = self.env["civ.evaluation.product"]
        if kind == "remove":
            return self.env._(
                "The task no longer counts for this period (moved, cancelled, reassigned or deleted)."
            )
        parts = []
        for fname, value in values.items():
            if fname == "name" and kind == "update":
                continue
            label = Product._fields[fname]._description_string(self.env)
            after = Product._display_value(fname, value)
            if kind == "add":
                parts.append(f"{label}: {after}")
            else:
                parts.append(f"{label}: {Product._display_value(fname, line[fname])} → {after}")
        return "; ".join(parts)
