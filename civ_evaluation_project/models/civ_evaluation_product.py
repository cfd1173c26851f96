from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

# what the employee may change on a line loaded from Project (the rest comes from the task)
EMPLOYEE_FIELDS_OF_LOADED = frozenset({"note", "sequence"})


class CivEvaluationProduct(models.Model):
    _inherit = "civ.evaluation.product"

    task_id = fields.Many2one(
        "project.task",
        string="Project Task",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
        copy=False,
        help="The task of Project this line was loaded from; reloading the tasks updates it while no "
        "reviewer has confirmed it.",
    )

    task_missing = fields.Boolean(
        string="Task Deleted",
        readonly=True,
        copy=False,
        help="The task of Project this line was loaded from was deleted after a reviewer confirmed the "
        "line: the line stays as confirmed, for the reviewers to judge.",
    )

    _sql_constraints = [
        (
            "evaluation_task_unique",
            "unique(evaluation_id, task_id)",
            "A task of Project is loaded once on an evaluation sheet.",
        ),
    ]

    def write(self, vals):
        # a line loaded from Project is the task's: its figures are the loader's (while unconfirmed)
        # and the reviewers' (who confirm them); the employee adds a note
        if not self.env.su and set(vals) - EMPLOYEE_FIELDS_OF_LOADED:
            self.sudo().filtered(lambda line: line.source == "project").with_env(
                self.env
            )._check_workflow_access("review_products")
        return super().write(vals)

    def unlink(self):
        if not self.env.su:
            loaded = self.sudo().filtered(lambda line: line.source == "project")
            if loaded and not loaded.with_env(self.env)._civ_may_review():
                raise AccessError(
                    self.env._(
                        "%s was loaded from Project: reloading the tasks removes it when its task no longer "
                        "counts for the period.",
                        loaded[0].name,
                    )
                )
        return super().unlink()

    def _civ_may_review(self):
        try:
            self._check_workflow_access("review_products")
        except (AccessError, UserError):
            return False
        return True

    @api.model_create_multi
    def create(self, vals_list):
        # only the loader (superuser, after the sheet's gate) links a line to a task
        if not self.env.su:
            vals_list = [{k: v for k, v in vals.items() if k != "task_id"} for vals in vals_list]
        return super().create(vals_list)
