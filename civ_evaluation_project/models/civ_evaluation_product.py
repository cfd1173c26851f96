from odoo import api, fields, models

# The task loader's mark in the context (no per-line notes, the points refreshed once at the end).
# An object only server code can put there: an RPC client sends any context it likes, but only
# JSON values, so a user's change is always described and scored.
LOADER = object()


def is_loader(env):
    return env.context.get("civ_project_loader") is LOADER


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

    _sql_constraints = [
        (
            "evaluation_task_unique",
            "unique(evaluation_id, task_id)",
            "A task of Project is loaded once on an evaluation sheet.",
        ),
    ]

    # the task loader writes its own, shorter note (see civ.evaluation._civ_task_notes): the
    # lines it creates, updates and removes are neither described nor logged one by one (see LOADER)
    def _describe_line(self, what):
        if is_loader(self.env):
            return ""
        return super()._describe_line(what)

    def _describe_changes(self, old, tracked):
        if is_loader(self.env):
            return []
        return super()._describe_changes(old, tracked)

    def _change_notes(self, rows_by_product):
        if is_loader(self.env):
            return {}
        return super()._change_notes(rows_by_product)

    @api.model_create_multi
    def create(self, vals_list):
        # only the loader (superuser, after the sheet's gate) links a line to a task
        if not self.env.su:
            vals_list = [{k: v for k, v in vals.items() if k != "task_id"} for vals in vals_list]
        return super().create(vals_list)
