from odoo import api, fields, models


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

    # the task loader writes its own, shorter note (see civ.evaluation._civ_log_task_changes): the
    # lines it creates, updates and removes are neither described nor logged one by one. Only superuser
    # code (the loader, after the sheet's gate) can ask for that: an RPC client sends any context it
    # likes, and a user's change is always written in the chatter
    def _describe_line(self, what):
        if self.env.su and self.env.context.get("civ_project_loader"):
            return ""
        return super()._describe_line(what)

    def _describe_changes(self, old, tracked):
        if self.env.su and self.env.context.get("civ_project_loader"):
            return []
        return super()._describe_changes(old, tracked)

    def _log_changes(self, rows_by_product):
        if self.env.su and self.env.context.get("civ_project_loader"):
            return
        super()._log_changes(rows_by_product)

    @api.model_create_multi
    def create(self, vals_list):
        # only the loader (superuser, after the sheet's gate) links a line to a task
        if not self.env.su:
            vals_list = [{k: v for k, v in vals.items() if k != "task_id"} for vals in vals_list]
        return super().create(vals_list)
