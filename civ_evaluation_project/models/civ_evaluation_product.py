from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.models import SQL_DEFAULT

from odoo.addons.civ_evaluation.models import civ_sql

# The task loader's mark in the context (no per-line notes, the points refreshed once at the end).
# An object only server code can put there: an RPC client sends any context it likes, but only
# JSON values, so a user's change is always described and scored.
LOADER = object()


# what the employee may change on a line loaded from Project (the rest comes from the task)
EMPLOYEE_FIELDS_OF_LOADED = frozenset({"note", "sequence"})


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

    @api.model
    def _civ_insert_loaded(self, vals_list):
        """Insert the loader's new lines (superuser, after the sheets' gate; their values are the
        tasks' own, see civ.evaluation._civ_task_values): the rows the ORM's create() would write (the
        same defaults and magic fields, the same conversion of each value), in one statement per
        1,000 lines, then the model's constraints checked on them. What is skipped is the work per
        record that a load does not need (the cache of each new record, the sheets' lists of lines,
        the per-line notes and refreshes): about a fifth of loading a whole agency's tasks. The loader
        writes its own notes and refreshes the points once (see _civ_apply_task_lines).
        test_loaded_line_is_the_line_create_writes keeps the rows equal to create()'s."""
        if not vals_list:
            return self.browse()
        if not (self.env.su and is_loader(self.env)):
            raise AccessError(self.env._("Only the loader of the tasks of Project inserts product lines."))
        self.env["civ.evaluation"].browse({vals["evaluation_id"] for vals in vals_list})._check_not_locked()
        vals_list = self._prepare_create_values(vals_list)
        columns = sorted(
            {
                fname
                for vals in vals_list
                for fname in vals
                if fname in self._fields and self._fields[fname].store and self._fields[fname].column_type
            }
        )
        rows = [
            tuple(
                self._fields[fname].convert_to_column_insert(vals[fname], self, vals)
                if fname in vals
                else SQL_DEFAULT
                for fname in columns
            )
            for vals in vals_list
        ]
        ids = civ_sql.insert_rows(self.env, self._name, columns, rows)
        self.env["civ.evaluation"].invalidate_model(["product_ids"])
        products = self.browse(ids)
        products._validate_fields(columns)
        return products
