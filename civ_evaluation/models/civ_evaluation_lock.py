from collections import defaultdict

from odoo import models
from odoo.exceptions import UserError

from . import civ_sql


class CivEvaluationLock(models.Model):
    """The lock of a month on its sheets (civ.period._lock calls it): the company's lock rules on the
    sheets not finished (closed as not evaluated, or decided at the deadline through the quotas), the
    lock itself, and reopening. In SQL (civ_sql): a locked sheet is never written through the ORM,
    whose guards refuse it. A part of civ.evaluation."""

    _inherit = "civ.evaluation"

    def _prepare_lock(self):
        """Apply the company's lock rules to the sheets not finished yet (sudo, batched, SQL):
        drafts are closed as not evaluated (or decided on their self points), sheets still in
        review are decided by the company's rule and flagged 'decided at deadline'."""
        sheets = self.sudo()
        rule_ids = defaultdict(list)
        for sheet in sheets:
            company = sheet.company_id
            if sheet.state == "draft":
                rule = "not_evaluated" if company.civ_lock_draft_not_evaluated else "self"
            elif sheet.state == "review":
                rule = company.civ_undecided_at_lock or "last_reviewer"
            else:
                continue
            rule_ids[rule].append(sheet.id)
        by_rule = {rule: sheets.browse(ids) for rule, ids in rule_ids.items()}
        by_rule = defaultdict(lambda: sheets.browse(), by_rule)
        unfinished = sheets.filtered(lambda sheet: sheet.state in ("draft", "review"))
        if not unfinished:
            return
        self.env["mail.activity"].sudo().search(
            [
                ("res_model", "=", self._name),
                ("res_id", "in", unfinished.ids),
            ]
        ).unlink()
        if by_rule["not_evaluated"]:
            civ_sql.sheets_close_not_evaluated(
                self.env,
                by_rule["not_evaluated"].ids,
                self.env._("Not decided before the lock date."),
                self.env._("Self-assessment not submitted before the lock date."),
            )
        sources = dict.fromkeys(by_rule["self"].ids, "self_points")
        sources.update(dict.fromkeys(by_rule["last_reviewer"].ids, "reviewer_points"))
        if sources:
            sheets.browse(list(sources))._decide_at_deadline(sources)
        civ_sql.steps_skip_open(self.env, unfinished.ids)
        civ_sql.sheets_finish_at_lock(self.env, unfinished.ids)
        self.env.invalidate_all()

    def _decide_at_deadline(self, source):
        """Decide the sheets on their `source` points (self_points or reviewer_points, or a dict
        {sheet id: source}), in SQL. The levels pass the period's quota service like any decision:
        by the company's setting, a level above its quota is capped (with the reason on the sheet)
        or kept with the breach recorded (automatic reason)."""
        sources = source if isinstance(source, dict) else dict.fromkeys(self.ids, source)
        if set(sources.values()) - {"self_points", "reviewer_points"}:
            raise ValueError(source)
        by_source = defaultdict(list)
        for sheet_id in self.ids:
            by_source[sources[sheet_id]].append(sheet_id)
        for name, sheet_ids in by_source.items():
            civ_sql.lines_decide(self.env, sheet_ids, source=name)
        points = defaultdict(dict, civ_sql.lines_final_points(self.env, self.ids))
        results = {sheet.id: sheet.framework_id.compute_score(points[sheet.id]) for sheet in self}
        self._apply_level_rules(results)
        levels = {sheet_id: result.get("level") for sheet_id, result in results.items()}
        scores = {sheet_id: result["total"] for sheet_id, result in results.items()}
        notes, breaches = self.env["civ.quota.service"]._cap_at_lock(self, levels, scores)
        for sheet_id, result in results.items():
            if result.get("level_reason") and sheet_id not in notes:
                notes[sheet_id] = result["level_reason"]
        auto_reason = self.env._(
            "Decided at the lock date by the company's rule: the quota was not checked by a reviewer."
        )
        rows = []
        for sheet in self:
            level = levels.get(sheet.id)
            breach = breaches.get(sheet.id)
            rows.append(
                (
                    sheet.id,
                    scores[sheet.id],
                    level.id if level else None,
                    notes.get(sheet.id),
                    bool(breach),
                    auto_reason if breach else None,
                    "\n".join(breach) if breach else None,
                )
            )
        civ_sql.sheets_decide_at_deadline(self.env, rows)

    def action_lock(self):
        """Lock single sheets (officers), e.g. one reopened in a locked period; the seal of a locked
        period is made again with it."""
        self._check_workflow_access("lock")
        sheets = self.sudo()
        sheets._lock()
        sheets._message_log_batch({sheet.id: self.env._("Sheet locked.") for sheet in sheets})
        sheets.period_id.filtered(lambda period: period.state == "locked")._seal()
        return True

    def _lock(self):
        """Lock the sheets after the caller's checks: apply the lock rules, then change the state
        with one SQL UPDATE (the write guards refuse any change to a locked sheet)."""
        sheets = self.sudo().filtered(lambda sheet: sheet.state != "locked")
        if not sheets:
            return
        self.env["civ.appeal"]._close_at_lock(sheets)
        self.env["civ.collective.service"]._close_at_lock(sheets)
        self.env["civ.feedback.request"]._close_at_lock(sheets)
        sheets._prepare_lock()
        civ_sql.sheets_lock(self.env, sheets.ids)

    def _reopen_sheets(self, target="previous"):
        """Unlock locked sheets with a direct SQL UPDATE (the write guards refuse any change to a
        locked sheet; the caller has checked the user's rights and the reason).
        target: 'previous' = the state before lock; 'decision' = back to review at the decision
        step; 'draft' = back to the employee's self-assessment."""
        sheets = self.sudo().filtered(lambda sheet: sheet.state == "locked")
        if not sheets:
            return sheets
        civ_sql.sheets_unlock(self.env, sheets.ids)
        for sheet in sheets:
            if target == "draft" or sheet.state == "draft":
                sheet.write(
                    {
                        "state": "draft",
                        "final_score": 0.0,
                        "level_id": False,
                        "not_evaluated": False,
                        "not_evaluated_reason": False,
                        "decided_at_deadline": False,
                        "level_reason": False,
                        "current_step_id": False,
                        "current_reviewer_user_id": False,
                        "date_decided": False,
                    }
                )
            elif target == "decision":
                decision = sheet._decision_step()
                if sheet.chain_problem or not decision:
                    raise UserError(
                        self.env._("The sheet %s has no review chain to go back to.", sheet.display_name)
                    )
                decision.write({"state": "waiting", "date_done": False})
                sheet.write(
                    {
                        "state": "review",
                        "not_evaluated": False,
                        "not_evaluated_reason": False,
                        "decided_at_deadline": False,
                        "level_reason": False,
                    }
                )
                sheet._advance_to(decision)
        return sheets
