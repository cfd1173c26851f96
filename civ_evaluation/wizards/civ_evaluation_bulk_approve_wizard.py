from markupsafe import Markup

from odoo import Command, fields, models
from odoo.exceptions import AccessError, UserError


class CivEvaluationBulkApproveWizard(models.TransientModel):
    """Approve / Decide several sheets ticked in a list: first a confirmation with the counts (how
    many will be approved, how many decided, which are left out and why), then the result (how many
    were approved, decided or refused, and why). Every sheet goes through the sheet's gate
    (civ.evaluation._check_workflow_access('approve')) and civ.evaluation.action_approve."""

    _name = "civ.evaluation.bulk.approve.wizard"
    _description = "Approve or Decide Several Evaluation Sheets"

    evaluation_ids = fields.Many2many(
        "civ.evaluation",
        "civ_bulk_approve_wizard_sheet_rel",
        "wizard_id",
        "evaluation_id",
        string="Selected Sheets",
        readonly=True,
    )
    state = fields.Selection(
        [("confirm", "To Confirm"), ("done", "Done")], default="confirm", required=True, readonly=True
    )
    selected_count = fields.Integer(string="Sheets Selected", readonly=True)
    approve_count = fields.Integer(string="To Approve", readonly=True)
    decide_count = fields.Integer(string="To Decide", readonly=True)
    refused_count = fields.Integer(string="Left Out", readonly=True)
    quota_figures = fields.Text(string="Quotas Exceeded", readonly=True)
    quota_reason = fields.Text(
        string="Reason for Exceeding the Quota",
        help="Why these people deserve this level although the quota is exceeded. Without a reason, "
        "the sheets whose decision exceeds a quota are left out.",
    )
    approved_count = fields.Integer(string="Approved", readonly=True)
    decided_count = fields.Integer(string="Decided", readonly=True)
    refusals = fields.Html(string="Left Out and Why", readonly=True, sanitize=False)

    # ------------------------------------------------------------------ the split
    def _split(self, sheets):
        """(sheets the current user may approve now, {sheet: why not}) — the gate of the sheet
        decides: the sheets pending at the user pass it together; each other one is asked on its own,
        and the gate's own message says why it is left out."""
        sheets.check_access("read")
        user = self.env.user
        allowed = sheets.filtered(
            lambda sheet: sheet.sudo().state == "review"
            and (self.env.su or sheet.sudo().current_step_id.reviewer_user_id == user)
        )
        allowed._check_workflow_access("approve")
        refused = {}
        for sheet in sheets - allowed:
            try:
                sheet._check_workflow_access("approve")
            except (AccessError, UserError) as error:
                refused[sheet] = error.args[0]
            else:
                allowed |= sheet
        return allowed, refused

    def _deciding(self, sheets):
        """(the sheets whose approval is the decision, {sheet id: quota figures} of those whose
        decision exceeds a quota)."""
        results = sheets._decision_results()
        deciding = sheets.filtered(lambda sheet: sheet.id in results)
        breaches = self.env["civ.quota.service"]._sheet_breaches(
            deciding, {sheet_id: result["level"] for sheet_id, result in results.items()}
        )
        return deciding, breaches

    def _refusal_table(self, refused):
        if not refused:
            return False
        rows = Markup("").join(
            Markup("<tr><td>%s</td><td>%s</td></tr>") % (sheet.sudo().display_name, reason)
            for sheet, reason in refused.items()
        )
        return Markup(
            '<table class="table table-sm o_civ_bulk_refusals"><thead><tr><th>%s</th>'
            "<th>%s</th></tr></thead><tbody>%s</tbody></table>"
        ) % (self.env._("Sheet"), self.env._("Why"), rows)

    def _prepare(self, sheets):
        """Fill the confirmation: the counts of what approving would do."""
        allowed, refused = self._split(sheets)
        deciding, breaches = self._deciding(allowed)
        figures = (
            "\n".join(self.env["civ.quota.service"]._breach_lines(allowed, breaches)) if breaches else False
        )
        self.write(
            {
                "evaluation_ids": [Command.set(sheets.ids)],
                "selected_count": len(sheets),
                "approve_count": len(allowed - deciding),
                "decide_count": len(deciding),
                "refused_count": len(refused),
                "quota_figures": figures,
                "refusals": self._refusal_table(refused),
            }
        )

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Approve / Decide"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
        }

    # ------------------------------------------------------------------ the action
    def action_confirm(self):
        """Approve / decide the sheets the user may, as they are now; report what was done."""
        self.ensure_one()
        if self.state != "confirm":
            raise UserError(self.env._("These sheets have already been handled."))
        allowed, refused = self._split(self.evaluation_ids)
        deciding, breaches = self._deciding(allowed)
        reason = (self.quota_reason or "").strip()
        if breaches and not reason:
            over = allowed.browse(list(breaches))
            for sheet in over:
                refused[sheet] = self.env._(
                    "The decision exceeds a quota (%s): give the reason for deciding above the quota.",
                    "; ".join(breaches[sheet.id]),
                )
            allowed -= over
            deciding -= over
        if allowed:
            try:
                with self.env.cr.savepoint():
                    allowed.action_approve(quota_reason=reason or None)
            except UserError as error:
                for sheet in allowed:
                    refused[sheet] = error.args[0]
                allowed = deciding = allowed.browse()
        self.write(
            {
                "state": "done",
                "approved_count": len(allowed - deciding),
                "decided_count": len(deciding),
                "refused_count": len(refused),
                "refusals": self._refusal_table(refused),
            }
        )
        return self._reopen()
