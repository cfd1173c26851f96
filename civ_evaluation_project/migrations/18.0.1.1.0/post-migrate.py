"""18.0.1.1.0: who assigned each task (civ.task.assignment) and which projects count for the
evaluation (project.project.civ_evaluation) are recorded; see the bridge's README section."""

from odoo.addons.civ_evaluation_project.hooks import flag_projects_already_loaded, record_existing_assignments


def migrate(cr, version):
    if not version:
        return
    record_existing_assignments(cr)
    flag_projects_already_loaded(cr)
