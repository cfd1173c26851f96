from markupsafe import Markup

from odoo import api, models


def _id(value):
    """An id from a record, an id or False (the chain resolver may return either)."""
    if isinstance(value, models.BaseModel):
        return value.id
    return value or False


class CivEvaluationChain(models.Model):
    """The review chain of a sheet: its steps as resolved at the opening (civ.review.policy), a chain
    without reviewer, and its refreshing after HR fixed the organisation chart. A part of
    civ.evaluation ."""

    _inherit = "civ.evaluation"

    @api.model
    def _chain_has_problem(self, chain):
        return not chain or any(not _id(step.get("reviewer_user_id")) for step in chain)

    @api.model
    def _step_values(self, sheet_id, step):
        return {
            "evaluation_id": sheet_id,
            "sequence": step.get("sequence") or 0,
            "name": step.get("name") or "",
            "reviewer_employee_id": _id(step.get("reviewer_employee_id")),
            "reviewer_user_id": _id(step.get("reviewer_user_id")),
            "can_rescore": bool(step.get("can_rescore")),
            "is_decision": bool(step.get("is_decision")),
            "escalated": bool(step.get("escalated")),
            "vacancy_note": step.get("vacancy_note") or False,
            "policy_step_id": _id(step.get("policy_step_id")),
            "collective_method": step.get("collective_method") or False,
            "state": "waiting",
        }

    def action_refresh_chain(self):
        """Resolve the review chain again for draft sheets (officers), e.g. after HR fixed the
        organisation chart. Sheets already submitted keep their snapshot; the steps replaced are
        kept in the chatter with their comments (the reasons of earlier returns)."""
        sheets = self.filtered(lambda sheet: sheet.state == "draft")
        sheets._check_workflow_access("refresh_chain")
        sheets = sheets.sudo()
        if not sheets:
            return True
        chains = self.env["civ.review.policy"].sudo()._resolve_chains(sheets.employee_id)
        history = {}
        for sheet in sheets:
            acted = sheet.step_ids.filtered(lambda step: step.state in ("approved", "returned"))
            history[sheet.id] = Markup("<p>%s</p>") % self.env._("Review chain refreshed.")
            if acted:
                history[sheet.id] += Markup("<ul>%s</ul>") % Markup("").join(
                    Markup("<li>%s — %s%s</li>")
                    % (
                        step.display_name,
                        dict(step._fields["state"]._description_selection(self.env))[step.state],
                        Markup(": %s") % step.comment if step.comment else "",
                    )
                    for step in acted.sorted(lambda step: (step.sequence, step.id))
                )
        sheets.step_ids.unlink()
        step_vals = []
        for sheet in sheets:
            chain = chains.get(sheet.employee_id.id) or []
            step_vals.extend(self._step_values(sheet.id, step) for step in chain)
            sheet.write({"chain_problem": self._chain_has_problem(chain)})
        self.env["civ.review.step"].sudo().create(step_vals)
        sheets._message_log_batch(history)
        return True
