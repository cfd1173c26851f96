from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.civ_evaluation.models.civ_format import format_number
from odoo.addons.civ_evaluation.models.civ_numbers import MAX_WEIGHT, parse_number
from odoo.addons.civ_evaluation.models.civ_workflow_mixin import OFFICER

# What who assigns the work sets on a task of a project counted in the evaluation: its coefficient and
# its deadline. The assignees do the work; they do not choose what it is worth or when it is due.
ASSIGNER_FIELDS = ("civ_weight", "date_deadline")
# moving a task into or out of a project counted in the evaluation is assigning its work too (the
# project's coefficient and flag then apply to it)
MOVE_FIELDS = ("project_id", "parent_id")
# the defaults a client's context could give a new task that only the system or an assigner sets
PROTECTED_DEFAULTS = ("default_civ_weight", "default_civ_date_closed")
# the states of a sheet whose products can no longer change: its tasks are part of its history
CLOSED_SHEET_STATES = ("done", "locked")


def check_weight(env, value, record_name):
    """The coefficient of a task or project as sent by a client: a number from 0 to MAX_WEIGHT (the
    bound of a product line's coefficient; 0 on a task means the project's), refused with a clear
    message before the ORM rounds it (a huge float would overflow there)."""
    number, problem = parse_number(value, minimum=0, maximum=MAX_WEIGHT)
    if problem:
        raise ValidationError(
            env._(
                "The evaluation coefficient of %(record)s must be between 0 and %(limit)s (%(value)r).",
                record=record_name,
                limit=format_number(env, MAX_WEIGHT, trim=True),
                value=value,
            )
        )
    return number


class ProjectTask(models.Model):
    _inherit = "project.task"

    civ_weight = fields.Float(
        string="Evaluation Coefficient",
        digits=(16, 2),
        tracking=True,
        help="Conversion coefficient (quy đổi) of this task as a product of the monthly evaluation; "
        "empty: the project's coefficient. Set by who assigns the work (the project's manager, the "
        "assignees' leaders, human resources officers), never by an assignee.",
    )
    civ_date_closed = fields.Datetime(
        string="Closed On",
        compute="_compute_civ_date_closed",
        store=True,
        readonly=False,
        copy=False,
        index=True,
        help="When the task was marked done, set by the system (reopening and closing it again moves "
        "it): the month whose evaluation counts it as completed.",
    )
    civ_evaluation = fields.Boolean(related="project_id.civ_evaluation", string="Counts for the Evaluation")
    civ_assignment_ids = fields.One2many(
        "civ.task.assignment", "task_id", string="Assignments (Evaluation)", readonly=True
    )

    @api.depends("state")
    def _compute_civ_date_closed(self):
        now = fields.Datetime.now()
        for task in self:
            if task.state == "1_done":
                task.civ_date_closed = task.civ_date_closed or now
            else:
                task.civ_date_closed = False

    @api.constrains("civ_weight")
    def _check_civ_weight(self):
        """The bound of a product line's coefficient (civ_numbers.MAX_WEIGHT); 0: the project's."""
        for task in self:
            check_weight(self.env, task.civ_weight, task.display_name)

    def _civ_evaluation_weight(self):
        """The coefficient of the task as a product: its own, else its project's, else 1."""
        self.ensure_one()
        return self.civ_weight or self.project_id.civ_weight or 1.0

    # ------------------------------------------------------------------ who assigns the work
    def _civ_assigners(self, assignees=None):
        """{task id: ids of the users who may assign the task's work}: the project's manager, the
        human resources officers of the task's company and whoever leads every assignee (their
        review chain and the managers above them, see hr.employee._civ_leader_user_ids); never an
        assignee. Sudo, batched.

        :param dict assignees: {task id: set of user ids} to use instead of the tasks' assignees
        """
        tasks = self.sudo()
        assignees = assignees or {task.id: set(task.user_ids.ids) for task in tasks}
        user_ids = set().union(*assignees.values()) if assignees else set()
        employees = (
            self.env["hr.employee"]
            .sudo()
            .search([("user_id", "in", list(user_ids)), ("company_id", "in", tasks.company_id.ids)])
            if user_ids
            else self.env["hr.employee"]
        )
        leaders = employees._civ_leader_user_ids() if employees else {}
        leaders_of = defaultdict(dict)
        for employee in employees:
            leaders_of[employee.user_id.id][employee.company_id.id] = leaders.get(employee.id, set())
        officers = self.env.ref(OFFICER).sudo().users
        result = {}
        for task in tasks:
            people = assignees.get(task.id, set())
            allowed = {user.id for user in officers if task.company_id in user.company_ids}
            if task.project_id.user_id:
                allowed.add(task.project_id.user_id.id)
            if people:
                allowed |= set.intersection(
                    *(set(leaders_of[user_id].get(task.company_id.id, ())) for user_id in people)
                )
            result[task.id] = allowed - people
        return result

    def _civ_check_assigner_fields(self, fnames):
        """Only who assigns the work sets the coefficient and the deadline of a task of a project
        counted in the evaluation (ASSIGNER_FIELDS; the coefficient on every task), never one of its
        assignees: Project's collaboration rights are not evaluation rights."""
        if self.env.su or not fnames:
            return
        tasks = self.sudo().filtered(lambda task: "civ_weight" in fnames or task.project_id.civ_evaluation)
        if not tasks:
            return
        assigners = tasks._civ_assigners()
        uid = self.env.uid
        for task in tasks:
            if uid not in assigners[task.id]:
                raise AccessError(
                    self.env._(
                        "%(fields)s of the task %(task)s count for the evaluation: they are set by who "
                        "assigns the work (the project's manager, the assignees' leaders, human resources "
                        "officers), never by an assignee.",
                        fields=", ".join(
                            self._fields[fname]._description_string(self.env) for fname in fnames
                        ),
                        task=task.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [
            dict(vals, civ_weight=check_weight(self.env, vals["civ_weight"], vals.get("name") or "-"))
            if "civ_weight" in vals
            else vals
            for vals in vals_list
        ]
        if not self.env.su and any("civ_date_closed" in vals for vals in vals_list):
            raise AccessError(self.env._("The closing date of a task is set when it is marked done."))
        # neither from the context: emptied (False is no coefficient and no closing date)
        Tasks = self if self.env.su else self.with_context(**dict.fromkeys(PROTECTED_DEFAULTS, False))
        tasks = super(ProjectTask, Tasks).create(vals_list)
        tasks.filtered("civ_weight")._civ_check_assigner_fields(["civ_weight"])
        tasks._civ_record_assignments({task.id: set() for task in tasks})
        return tasks

    def write(self, vals):
        if "civ_weight" in vals:
            vals = dict(
                vals, civ_weight=check_weight(self.env, vals["civ_weight"], ", ".join(self.mapped("name")))
            )
        if not self.env.su and "civ_date_closed" in vals:
            raise AccessError(self.env._("The closing date of a task is set when it is marked done."))
        self._civ_check_assigner_fields([fname for fname in ASSIGNER_FIELDS if fname in vals])
        moved = [fname for fname in MOVE_FIELDS if fname in vals]
        # out of a counted project (checked now), into one (checked after the write)
        self._civ_check_assigner_fields(moved)
        before = None
        if "user_ids" in vals:
            before = {task.id: (set(task.user_ids.ids), task.state == "1_done") for task in self.sudo()}
        result = super().write(vals)
        if moved:
            self._civ_check_assigner_fields(moved)
        if before is not None:
            self._civ_record_assignments(
                {task_id: users for task_id, (users, _done) in before.items()},
                done={task_id for task_id, (_users, done) in before.items() if done},
            )
        return result

    def _civ_assignment_changes(self, before, done, existing):
        """{task: (user ids added, user ids removed, user ids still credited without being assignees)}
        of the tasks of self whose assignees changed (see _civ_record_assignments)."""
        changes = {}
        for task in self:
            after = set(task.user_ids.ids)
            added, removed = after - before.get(task.id, set()), before.get(task.id, set()) - after
            # who still has the credit of a done task without being an assignee any more (kept when a
            # colleague took them out): an assigner writing the assignees may now move it
            kept_before = set()
            if task.id in done:
                kept_before = {
                    user_id
                    for (task_id, user_id), assignment in existing.items()
                    if task_id == task.id and assignment.credited and user_id not in after | removed
                }
            if added or removed or kept_before:
                changes[task] = (added, removed, kept_before)
        return changes

    def _civ_record_assignments(self, before, done=()):
        """Keep civ.task.assignment in step with the assignees (sudo): a person added is assigned by
        the current user; a person removed loses the task's credit, except from a task already done
        when who removes them does not assign their work (the credit stays with who was assigned
        when it was completed; said in the task's chatter).

        :param dict before: {task id: set of the assignees' user ids before the change}
        :param set done: ids of the tasks that were done before the change
        """
        Assignment = self.env["civ.task.assignment"].sudo()
        tasks = self.sudo()
        existing = {
            (assignment.task_id.id, assignment.user_id.id): assignment
            for assignment in Assignment.search([("task_id", "in", tasks.ids)])
        }
        changes = tasks._civ_assignment_changes(before, done, existing)
        if not changes:
            return
        now = fields.Datetime.now()
        # who may move the credit of each person taken out of a done task: who assigns their work
        movers = (
            {}
            if self.env.su
            else {
                (task.id, user_id): task._civ_assigners({task.id: {user_id}})[task.id]
                for task, (_added, removed, kept_before) in changes.items()
                if task.id in done
                for user_id in removed | kept_before
            }
        )

        def may_move(task, user_id):
            return self.env.uid in movers.get((task.id, user_id), {self.env.uid})

        create_vals, kept = [], defaultdict(list)
        for task, (added, removed, kept_before) in changes.items():
            for user_id in added:
                if (
                    (task.id, user_id) in existing
                    and existing[task.id, user_id].credited
                    and not self.env.su
                    and self.env.uid not in task._civ_assigners({task.id: {user_id}})[task.id]
                ):
                    # back on a task whose credit they kept, put back by someone who does not assign
                    # their work: who assigned them stays
                    existing[task.id, user_id].write({"unassigned_by_id": False, "date_unassigned": False})
                    continue
                values = {
                    "assigned_by_id": self.env.uid,
                    "date_assigned": now,
                    "credited": True,
                    "unassigned_by_id": False,
                    "date_unassigned": False,
                }
                if (task.id, user_id) in existing:
                    existing[task.id, user_id].write(values)
                else:
                    create_vals.append(dict(values, task_id=task.id, user_id=user_id))
            for user_id in removed:
                assignment = existing.get((task.id, user_id))
                if not assignment:
                    continue
                credited = assignment.credited and not may_move(task, user_id)
                assignment.write(
                    {"credited": credited, "unassigned_by_id": self.env.uid, "date_unassigned": now}
                )
                if credited:
                    kept[task].append(assignment.user_id)
            for user_id in kept_before:
                if may_move(task, user_id):
                    existing[task.id, user_id].write(
                        {"credited": False, "unassigned_by_id": self.env.uid, "date_unassigned": now}
                    )
        if create_vals:
            Assignment.create(create_vals)
        for task, users in kept.items():
            task._message_log(
                body=Markup("<p>%s</p>")
                % self.env._(
                    "%(users)s keep the credit of this completed task for the evaluation: only who assigns "
                    "their work (the project's manager, their leaders, human resources officers) moves it.",
                    users=", ".join(user.name for user in users),
                )
            )

    # ------------------------------------------------------------------ history
    @api.ondelete(at_uninstall=False)
    def _civ_unlink_except_evaluated(self):
        """A task whose line is on a decided or locked sheet is part of that month's history: it is
        archived, never deleted (deleting it would empty the line's link)."""
        used = (
            self.env["civ.evaluation.product"]
            .sudo()
            .search(
                [("task_id", "in", self.ids), ("evaluation_id.state", "in", CLOSED_SHEET_STATES)], limit=1
            )
        )
        if used:
            raise UserError(
                self.env._(
                    "The task %(task)s is a product of the decided evaluation %(sheet)s: archive it instead "
                    "of deleting it.",
                    task=used.task_id.display_name,
                    sheet=used.evaluation_id.display_name,
                )
            )
