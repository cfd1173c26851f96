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

    @api.model_create_multi
    def create(self, vals_list):
        # only the loader (superuser, after the sheet's gate) links a line to a task
        if not self.env.su:
            vals_list = [{k: v for k, v in vals.items() if k != "task_id"} for vals in vals_list]
        return super().create(vals_list)
