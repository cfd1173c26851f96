"""18.0.1.2.0, after the new columns exist: the year-end requests for review of earlier releases.

Requests were answered by human resources; they are now answered by the level that classified the
result or its superior, within the company's working days. Each request gets its filing day (the day
it was created), the users who answer it (the result's decider and that person's superior) and, when
still open, the day its answer is due. The requests already answered keep their answer.
"""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    Appeal = env["civ.annual.appeal"].with_context(active_test=False)
    for appeal in Appeal.search([("date_filed", "=", False)]):
        decider_user, superior_user = Appeal._answerers(appeal.result_id)
        filed = appeal.create_date.date()
        vals = {"date_filed": filed, "decider_user_id": decider_user.id, "superior_user_id": superior_user.id}
        if appeal.state == "open":
            vals["date_due"] = Appeal._answer_due(appeal.company_id, filed)
        # the workflow fields are not the caller's: written as the migration, below the gate
        appeal.sudo().with_context(tracking_disable=True).write(vals)
