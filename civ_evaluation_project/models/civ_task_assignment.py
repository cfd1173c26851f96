from odoo import fields, models


class CivTaskAssignment(models.Model):
    """Who gave a task of Project to a person, and whether the task counts for that person's
    evaluation (its credit). Written by project.task itself (superuser) whenever its assignees
    change; nobody writes it directly.

    The loader of the evaluation sheets takes a task for a person only through an assignment that
    someone else with the right to assign work made (see civ.evaluation._civ_valid_assigners): a
    task people give themselves, or a colleague gives them, is not evidence. A task completed while
    assigned to someone keeps its credit with them when the assignees change afterwards, unless who
    assigns the work changes it (project.task._civ_record_assignments)."""

    _name = "civ.task.assignment"
    _description = "Assignment of a Task (Evaluation)"
    _order = "task_id, id"

    task_id = fields.Many2one("project.task", required=True, index=True, ondelete="cascade", readonly=True)
    company_id = fields.Many2one(related="task_id.company_id", store=True, index=True)
    user_id = fields.Many2one(
        "res.users", string="Assignee", required=True, index=True, ondelete="cascade", readonly=True
    )
    assigned_by_id = fields.Many2one(
        "res.users",
        string="Assigned by",
        index=True,
        ondelete="set null",
        readonly=True,
        help="Who added the person to the task's assignees.",
    )
    date_assigned = fields.Datetime(string="Assigned On", readonly=True)
    credited = fields.Boolean(
        string="Counts for the Person",
        default=True,
        readonly=True,
        help="The task counts for this person's evaluation. Removing the person from the assignees "
        "of a completed task does not take its credit away, unless who assigns the work does it.",
    )
    unassigned_by_id = fields.Many2one("res.users", string="Removed by", ondelete="set null", readonly=True)
    date_unassigned = fields.Datetime(string="Removed On", readonly=True)

    _sql_constraints = [
        ("task_user_unique", "unique(task_id, user_id)", "A person is assigned to a task once."),
    ]
