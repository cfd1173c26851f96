import logging
from collections import defaultdict
from datetime import datetime, time, timedelta

import pytz
from markupsafe import Markup

from odoo import models
from odoo.exceptions import UserError
from odoo.tools import float_compare

from odoo.addons.civ_evaluation.models.civ_evaluation_product import QUANTITY_FIELDS

from .civ_evaluation_product import LOADER, is_loader

_logger = logging.getLogger(__name__)

# the values of a product line that come from its task (reloading rewrites them while unconfirmed)
TASK_FIELDS = (
    "name",
    "weight",
    "qty_assigned",
    "qty_done",
    "qty_quality",
    "qty_on_time",
    "date_deadline",
    "date_done",
)
TASK_READ = [
    "name",
    "project_id",
    "company_id",
    "state",
    "date_deadline",
    "civ_date_closed",
    "civ_weight",
    "user_ids",
]


def _local_date(value, tz):
    """The calendar day of a UTC datetime in the time zone tz (None for no value)."""
    if not value:
        return None
    return pytz.utc.localize(value).astimezone(tz).date()


class CivEvaluation(models.Model):
    _inherit = "civ.evaluation"

    # ------------------------------------------------------------------ public action
    def action_load_project_tasks(self):
        """The button "Load Tasks from Project": the tasks of Project assigned to the person, with a
        deadline or closing in the period, become (or update) the sheet's product lines. Allowed to
        whoever may change the products now (the employee in self-assessment, the re-scoring reviewer
        in review) and to the HR officers of the company while the sheet is open."""
        if not self:
            return True
        self._civ_check_load_access()
        counts = self.sudo()._civ_load_project_tasks()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Tasks from Project"),
                "message": self.env._(
                    "%(added)s task(s) added, %(updated)s updated, %(unchanged)s unchanged, %(removed)s "
                    "removed; %(confirmed)s confirmed by a reviewer left as they are.",
                    **counts,
                ),
                "type": "success",
                "sticky": False,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _civ_check_load_access(self):
        """The gate of loading tasks: the sheet's "edit_products" action, or an HR officer of the
        company (record rules) while the sheets are a draft or in review."""
        self._check_not_locked()
        if not self.env.su:
            self.check_access("read")
            if self._is_officer():
                closed = self.sudo().filtered(lambda sheet: sheet.state not in ("draft", "review"))
                if closed:
                    raise UserError(
                        self.env._(
                            "%(sheet)s is no longer open: its products cannot be loaded from Project.",
                            sheet=closed[0].sudo().display_name,
                        )
                    )
            else:
                self._check_workflow_access("edit_products")
        without = self.sudo().filtered(lambda sheet: not sheet.uses_products)
        if without:
            raise UserError(
                self.env._(
                    "The framework of %(sheet)s does not compute task results from products and work.",
                    sheet=without[0].display_name,
                )
            )

    # ------------------------------------------------------------------ the loader (superuser)
    def _civ_refresh_product_points(self, notes=None):
        # the loader (superuser, after the gate) writes many lines, then refreshes every sheet once
        if is_loader(self.env):
            return None
        return super()._civ_refresh_product_points(notes=notes)

    def _civ_task_values(self, task, tz, start, end):
        """The product line values of task on this sheet (whose time zone is tz and period runs from
        start to end, given by the caller, which reads them once per sheet), or None when the task
        does not belong to the period: a task belongs to the month it closes in, or, when still open
        (or closed later), to the month of its deadline; a task closed before the month is not the
        month's."""
        deadline = _local_date(task.date_deadline, tz)
        closed = _local_date(task.civ_date_closed, tz) if task.state == "1_done" else None
        if closed and closed < start:
            return None
        if not ((closed and closed <= end) or (deadline and start <= deadline <= end)):
            return None
        done = 1.0 if closed and closed <= end else 0.0
        on_time = 1.0 if done and (not deadline or closed <= deadline) else 0.0
        name = task.name
        if task.project_id:
            name = f"{task.name} ({task.project_id.name})"
        return {
            "name": name,
            "weight": task._civ_evaluation_weight(),
            "qty_assigned": 1.0,
            "qty_done": done,
            # quality is then judged by the reviewer, through the major errors
            "qty_quality": done,
            "qty_on_time": on_time,
            "date_deadline": deadline or False,
            "date_done": closed if done else False,
        }

    def _civ_task_notes(self, rows):
        """{sheet id: note} naming the tasks added, updated or removed by the loader; written with
        the points they change, one note per sheet (see _civ_refresh_product_points). One paragraph,
        not a list: the notes of a whole agency are sanitised by the ORM, a cost per HTML element."""
        if not rows:
            return {}
        kinds = {
            "added": self.env._("Added"),
            "updated": self.env._("Updated"),
            "removed": self.env._("Removed"),
        }
        notes = {}
        for sheet_id, items in rows.items():
            names = defaultdict(list)
            for name, kind in items:
                names[kind].append(name)
            notes[sheet_id] = Markup("<p>%s — %s</p>") % (
                self.env._("Products and work loaded from Project"),
                Markup(" ").join(
                    Markup("%s: %s.") % (label, "; ".join(names[kind]))
                    for kind, label in kinds.items()
                    if names[kind]
                ),
            )
        return notes

    def _civ_apply_task_lines(self, Product, to_create, to_write, stale):
        """Insert, update and remove the loader's lines (batched), note it in each sheet's chatter,
        then refresh the points of the sheets that changed, once."""
        rows = defaultdict(list)
        for vals in to_create:
            rows[vals["evaluation_id"]].append((vals["name"], "added"))
        for line in Product.browse(line_id for line_ids in to_write.values() for line_id in line_ids):
            rows[line.evaluation_id.id].append((line.name, "updated"))
        for line in stale:
            rows[line.evaluation_id.id].append((line.name, "removed"))
        Product._civ_insert_loaded(to_create)
        for changes, line_ids in to_write.items():
            Product.browse(line_ids).write(dict(changes))
        if stale:
            stale.unlink()
        self.filtered(lambda sheet: sheet.id in rows)._civ_refresh_product_points(
            notes=self._civ_task_notes(rows)
        )

    def _civ_load_project_tasks(self):
        """Load the tasks of Project into the sheets of self (superuser, after the gate; batched: one
        search of the tasks, one insert of the new lines, one write per group of equal changes, one
        refresh of the points). Reloading updates the unconfirmed lines of the tasks, removes the
        unconfirmed lines of tasks that no longer belong to the month, leaves confirmed and typed lines
        alone.
        Returns the counts {added, updated, unchanged, removed, confirmed}."""
        counts = dict.fromkeys(("added", "updated", "unchanged", "removed", "confirmed"), 0)
        sheets = self.sudo().filtered(
            lambda sheet: sheet.state in ("draft", "review")
            and sheet.uses_products
            and sheet.employee_id.user_id
            and sheet.period_id.date_start
            and sheet.period_id.date_end
        )
        if not sheets:
            return counts
        # per user, their sheets with what the tasks are compared with: company, time zone, period
        sheets_by_user = defaultdict(list)
        timezones = {}
        for sheet in sheets:
            tz_name = sheet.employee_id.tz or sheet.company_id.partner_id.tz or "UTC"
            tz = timezones.get(tz_name) or timezones.setdefault(tz_name, pytz.timezone(tz_name))
            sheets_by_user[sheet.employee_id.user_id.id].append(
                (sheet, sheet.company_id, tz, sheet.period_id.date_start, sheet.period_id.date_end)
            )
        periods = sheets.period_id
        # a day around the months: the deadlines and closings are compared as local days below
        low = datetime.combine(min(periods.mapped("date_start")) - timedelta(days=1), time.min)
        high = datetime.combine(max(periods.mapped("date_end")) + timedelta(days=2), time.min)
        tasks = (
            self.env["project.task"]
            .sudo()
            .search_fetch(
                [
                    ("user_ids", "in", list(sheets_by_user)),
                    ("state", "!=", "1_canceled"),
                    "|",
                    "&",
                    ("date_deadline", ">=", low),
                    ("date_deadline", "<", high),
                    "&",
                    ("state", "=", "1_done"),
                    "&",
                    ("civ_date_closed", ">=", low),
                    ("civ_date_closed", "<", high),
                ],
                TASK_READ,
                order="id",
            )
        )
        Product = self.env["civ.evaluation.product"].sudo().with_context(civ_project_loader=LOADER)
        existing = {
            (line.evaluation_id.id, line.task_id.id): line
            for line in Product.search_fetch(
                [("evaluation_id", "in", sheets.ids), ("task_id", "!=", False)],
                [*TASK_FIELDS, "evaluation_id", "task_id", "confirmed"],
            )
        }
        to_create, to_write, seen = [], defaultdict(list), set()
        for task in tasks:
            task_company = task.company_id
            for user in task.user_ids:
                for sheet, company, tz, start, end in sheets_by_user.get(user.id, ()):
                    if task_company and task_company != company:
                        continue
                    vals = sheet._civ_task_values(task, tz, start, end)
                    key = (sheet.id, task.id)
                    if vals is None or key in seen:
                        continue
                    seen.add(key)
                    line = existing.get(key)
                    if not line:
                        to_create.append(
                            dict(vals, evaluation_id=sheet.id, task_id=task.id, source="project")
                        )
                        continue
                    if line.confirmed:
                        counts["confirmed"] += 1
                        continue
                    changes = {
                        fname: value
                        for fname, value in vals.items()
                        if (
                            float_compare(line[fname], value, precision_digits=4)
                            if fname in QUANTITY_FIELDS
                            else (line[fname] or False) != value
                        )
                    }
                    if changes:
                        to_write[tuple(sorted(changes.items()))].append(line.id)
                    else:
                        counts["unchanged"] += 1
        # lines of tasks that no longer belong to the month (moved, cancelled, reassigned)
        stale = Product.browse(
            line.id for key, line in existing.items() if key not in seen and not line.confirmed
        )
        counts["confirmed"] += sum(1 for key, line in existing.items() if key not in seen and line.confirmed)
        sheets._civ_apply_task_lines(Product, to_create, to_write, stale)
        counts.update(
            added=len(to_create),
            removed=len(stale),
            updated=sum(len(line_ids) for line_ids in to_write.values()),
        )
        _logger.info("Tasks from Project loaded into %s sheets: %s", len(sheets), counts)
        return counts
