from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.civ_evaluation.models.civ_workflow_mixin import OFFICER

from .project_task import CLOSED_SHEET_STATES, check_weight

# what only the project's manager and human resources officers set on a project: whether its tasks
# count for the evaluation, and their default coefficient
EVALUATION_FIELDS = ("civ_evaluation", "civ_weight")


class ProjectProject(models.Model):
    _inherit = "project.project"

    civ_evaluation = fields.Boolean(
        string="Counts for the Evaluation",
        tracking=True,
        copy=False,
        help="The tasks of this project that who assigns the work gives to a person are loaded as the "
        "products and work of their monthly evaluation (a project of the person's company only). Set "
        "by the project's manager or a human resources officer.",
    )
    civ_weight = fields.Float(
        string="Evaluation Coefficient",
        default=1.0,
        digits=(16, 2),
        tracking=True,
        help="Conversion coefficient (quy đổi) of this project's tasks when they are loaded as products "
        "and work of the monthly evaluation, unless a task has its own. Set by the project's manager or "
        "a human resources officer.",
    )

    @api.constrains("civ_weight")
    def _check_civ_weight(self):
        """The bound of a product line's coefficient (civ_numbers.MAX_WEIGHT); 0 gives the tasks 1."""
        for project in self:
            check_weight(self.env, project.civ_weight, project.display_name)

    def _civ_check_evaluation_fields(self, fnames):
        """Whether a project counts for the evaluation, and its coefficient, are set by its manager
        (who assigns its work) or a human resources officer of its company, never by someone its
        coefficient would count for (a person credited with one of its tasks)."""
        if self.env.su or not fnames:
            return
        user = self.env.user
        officer = user.has_group(OFFICER)
        credited = set()
        if "civ_weight" in fnames:
            credited = set(
                self.env["civ.task.assignment"]
                .sudo()
                .with_context(active_test=False)
                .search(
                    [
                        ("task_id.project_id", "in", self.ids),
                        ("user_id", "=", user.id),
                        ("credited", "=", True),
                    ]
                )
                .task_id.project_id.ids
            )
        for project in self.sudo():
            allowed = (officer and (not project.company_id or project.company_id in user.company_ids)) or (
                project.user_id == user
            )
            if not allowed or project.id in credited:
                raise AccessError(
                    self.env._(
                        "%(fields)s of the project %(project)s are set by its manager or a human resources "
                        "officer, never by someone its tasks count for.",
                        fields=", ".join(
                            self._fields[fname]._description_string(self.env) for fname in fnames
                        ),
                        project=project.display_name,
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
        projects = super().create(vals_list)
        projects._civ_check_evaluation_fields(
            [fname for fname in EVALUATION_FIELDS if any(fname in vals for vals in vals_list)]
        )
        return projects

    def write(self, vals):
        if "civ_weight" in vals:
            vals = dict(
                vals, civ_weight=check_weight(self.env, vals["civ_weight"], ", ".join(self.mapped("name")))
            )
        self._civ_check_evaluation_fields([fname for fname in EVALUATION_FIELDS if fname in vals])
        return super().write(vals)

    def unlink(self):
        # checked before Project's own unlink(), which deletes the tasks first
        self._civ_check_not_evaluated()
        return super().unlink()

    def _civ_check_not_evaluated(self):
        """A project whose tasks are products of decided or locked sheets is part of their history: it
        is archived, never deleted (deleting it deletes its tasks)."""
        used = (
            self.env["civ.evaluation.product"]
            .sudo()
            .with_context(active_test=False)
            .search(
                [("task_id.project_id", "in", self.ids), ("evaluation_id.state", "in", CLOSED_SHEET_STATES)],
                limit=1,
            )
        )
        if used:
            raise UserError(
                self.env._(
                    "The tasks of the project %(project)s are products of decided evaluations (%(sheet)s): "
                    "archive the project instead of deleting it.",
                    project=used.task_id.project_id.display_name,
                    sheet=used.evaluation_id.display_name,
                )
            )
