from collections import defaultdict

from odoo import api, models


class CivDemo(models.AbstractModel):
    """DEMO DATA ONLY: plays the months of the demo district (demo/civ_demo_cycle.xml). Nothing of the
    workflow lives here: it calls the models' own actions, as their users would."""

    _name = "civ.demo"
    _description = "Demo Data of the Evaluation"

    @api.model
    def _civ_fill_periods(self, period_ids, stage, featured_department_ids):
        """Open the periods period_ids (called by demo/civ_demo_cycle.xml) and play the month's
        workflow as superuser. The whole chain is played for the featured units (the leadership and
        the units of the demo logins listed in the README: the "featured" sheets); the other sheets
        only go as far as cheap batch steps allow, to keep the demo quick to load. stage:
        - 'locked': everyone submits, featured sheets are decided, the lock decides the rest;
        - 'decided': everyone submits, featured sheets are decided, the others wait in review;
        - 'current': featured sheets only: a third in self-assessment, a third waiting for their
          first reviewer, a third decided; the other units have not started.
        Points are deterministic: most people "good" (B), one in ten excellent (A), a few weaker."""
        # the messages and notes of the demo in the district's language, whoever installs it
        periods = self.env["civ.period"].browse(period_ids)
        periods = periods.sudo().with_context(
            tracking_disable=True,
            mail_notrack=True,
            mail_create_nolog=True,
            mail_notify_noemail=True,
            lang=periods[:1].company_id.partner_id.lang or self.env.lang,
        )
        periods.action_open()
        for period in periods:
            sheets = period.evaluation_ids.filtered(lambda sheet: not sheet.chain_problem)
            featured = sheets.filtered(lambda sheet: sheet.department_id.id in featured_department_ids)
            if stage == "current":
                sheets = featured = featured.filtered(lambda sheet: sheet.employee_id.id % 3)
            by_value = defaultdict(list)
            for line in sheets.line_ids:
                criterion = line.criterion_id
                profile = line.evaluation_id.employee_id.id % 10
                if criterion.group_id.kind == "deduction":
                    value = criterion.max_points
                elif criterion.group_id.kind == "bonus":
                    value = criterion.max_points if profile == 0 else criterion.min_points
                else:
                    share = 1.0 if profile == 0 else (0.6 if profile == 9 else 0.85)
                    span = criterion.max_points - criterion.min_points
                    value = round(criterion.min_points + share * span)
                by_value[value].append(line.id)
            for value, line_ids in by_value.items():
                self.env["civ.evaluation.line"].sudo().browse(line_ids).write({"self_points": value})
            self._civ_demo_products(sheets.filtered("uses_products"))
            sheets.action_submit()
            if stage == "current":
                featured = featured.filtered(lambda sheet: sheet.employee_id.id % 3 == 1)
            for _step in range(5):
                waiting = featured.filtered(lambda sheet: sheet.state == "review")
                if not waiting:
                    break
                # each level approves as its reviewer (the chatter names them, not the superuser)
                for reviewer, batch in waiting.grouped("current_reviewer_user_id").items():
                    batch.with_user(reviewer).action_approve(
                        quota_reason="Dữ liệu mẫu: vượt tỷ lệ khống chế để minh họa"
                    )
            if stage == "locked":
                period.action_lock()
        return True

    @api.model
    def _civ_demo_products(self, sheets):
        """The products of the month of the sheets graded on products (Nghị định 335/2025): four work
        items each, all done; most people with one of them late, one in ten with two exceeding the
        requirements and nothing late, a few weaker with one item undone and one with a major error."""
        Product = self.env["civ.evaluation.product"].sudo().with_context(tracking_disable=True)
        names = ("Báo cáo tháng", "Tham mưu văn bản", "Giải quyết hồ sơ", "Kiểm tra, đôn đốc")
        vals_list = []
        for sheet in sheets:
            profile = sheet.employee_id.id % 10
            for index, name in enumerate(names):
                done = 0.0 if profile == 9 and index == 3 else 1.0
                late = (profile not in (0, 9) and index == 2) or (profile == 9 and index == 1)
                vals = {
                    "evaluation_id": sheet.id,
                    "sequence": index,
                    "name": name,
                    "qty_assigned": 1.0,
                    "qty_done": done,
                    "qty_quality": done,
                    "qty_on_time": 0.0 if late else done,
                    "delay_count": 1 if late else 0,
                }
                if profile == 0 and index < 2:
                    vals["qty_exceeded"] = 1.0
                vals_list.append(vals)
        Product.create(vals_list)
