import base64
import json

from odoo import models

from odoo.addons.civ_evaluation.models.civ_period import PERIOD_ACTIONS

JSONL_MIMETYPE = "application/jsonl"


class CivPeriod(models.Model):
    _inherit = "civ.period"

    # the officers of the period's company export its results, open or locked
    _workflow_actions = dict(PERIOD_ACTIONS, export_results=(("open", "locked"), "officer"))

    def _workflow_action_label(self, action):
        if action == "export_results":
            return self.env._("export the results")
        return super()._workflow_action_label(action)

    def action_civ_export_jsonl(self):
        """The decided and locked sheets of the period as a JSON Lines file (one result a line, the
        rows of GET /civ/api/v1/results), downloaded. The file is the officer's own: attached to no
        record (the people who read the period would read everyone's results in it), so that only
        its creator reads it (ir.attachment's rule for files without a record)."""
        self.ensure_one()
        self._check_workflow_access("export_results")
        _count, rows = self.env["civ.api.results"]._months(
            self.sudo().company_id, limit=None, period_ids=self.ids
        )
        content = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows).encode()
        start = self.date_start
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": f"ket_qua_danh_gia_{start.year}_{start.month:02d}_{self.id}.jsonl",
                    "datas": base64.b64encode(content),
                    "mimetype": JSONL_MIMETYPE,
                }
            )
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "download",
        }
