from collections import defaultdict

from markupsafe import Markup

from odoo import models
from odoo.tools import float_compare

from . import civ_sql
from .civ_format import number_formatter
from .civ_product_loader import is_loader
from .civ_product_scoring import ITEM_FIELDS


class CivEvaluationProductPoints(models.Model):
    """The task results of the groups computed from products, written on the sheets: after every
    change of the product lines, the loader of Project, the import and the workflow (the formula is
    civ.framework.compute_product_score). A part of civ.evaluation, batched for a
    whole agency."""

    _inherit = "civ.evaluation"

    def _civ_refresh_product_points(self, notes=None):
        """Compute the task results of the groups computed from products (civ.framework.
        compute_product_score) and write them on the groups' lines: the self points in
        self-assessment, the reviewer points in review, with the sheets' totals (and the pending
        step's score) and one "Points changed" note per sheet, as typed points get (sudo, after the
        gate of whoever changed the products). Written in a few statements for all the sheets, so that
        loading or importing the products of a whole agency does not cost queries per sheet.

        :param dict notes: {sheet id: Markup} what the caller changed, written in the same note
        """
        # the loader (civ.product.loader) writes many lines, then refreshes every sheet once
        if is_loader(self.env):
            return None
        notes = dict(notes or {})
        sheets = self.sudo().filtered(
            lambda sheet: sheet.state in ("draft", "review") and sheet.framework_id._product_groups()
        )
        if sheets:
            sheets._civ_write_product_points(notes)
        if notes:
            self.env["civ.evaluation"].sudo().browse(list(notes))._message_log_batch(notes)

    def _civ_write_product_points(self, notes):
        """The work of _civ_refresh_product_points on sheets using products; adds the points notes to
        `notes` ({sheet id: Markup})."""
        sheets = self
        standing = sheets.filtered(lambda sheet: sheet._civ_is_leader())._civ_unit_standing()
        labels = {"self_points": self.env._("Self"), "reviewer_points": self.env._("Reviewer")}
        number = number_formatter(self.env, trim=True)
        line_points, sheet_values, step_scores, changed = [], [], [], set()
        # the products' values read a field at a time for all the sheets, given to the formula as mappings
        products = sheets.product_ids
        items = defaultdict(list)
        for sheet_id, *values in zip(
            products.mapped(lambda product: product.evaluation_id.id),
            *(products.mapped(fname) for fname in ITEM_FIELDS),
            strict=True,
        ):
            items[sheet_id].append(dict(zip(ITEM_FIELDS, values, strict=True)))
        for sheet in sheets:
            result = sheet.framework_id.compute_product_score(
                items[sheet.id],
                leader=sheet._civ_is_leader(),
                unit_levels=[level for level, _score in standing.get(sheet.id, ())],
                unit_scores=[score for _level, score in standing.get(sheet.id, ())],
                organisation_percent=sheet.product_organisation_percent,
            )
            fname = "self_points" if sheet.state == "draft" else "reviewer_points"
            points = sheet._points(fname)
            rows = []
            for line in sheet.line_ids:
                group_result = result["groups"].get(line.criterion_id.group_id.id)
                if group_result and float_compare(line[fname], group_result["points"], precision_digits=2):
                    rows.append(
                        Markup("<li>%s — %s: %s → %s</li>")
                        % (
                            line.display_name,
                            labels[fname],
                            number(line[fname]),
                            number(group_result["points"]),
                        )
                    )
                    line_points.append((line.id, fname, group_result["points"]))
                    points[line.criterion_id.id] = group_result["points"]
            vals = (
                result["quantity"],
                result["quality"],
                result["progress"],
                result["unit_result"] or 0.0,
                sum(group["points"] for group in result["groups"].values()),
            )
            stored = (
                sheet.product_score_quantity,
                sheet.product_score_quality,
                sheet.product_score_progress,
                sheet.product_score_unit,
                sheet.product_points,
            )
            total = sheet.framework_id.compute_score(points)["total"] if rows else None
            if rows:
                changed.add(sheet.id)
                notes[sheet.id] = notes.get(sheet.id, Markup("")) + Markup("<p>%s</p><ul>%s</ul>") % (
                    self.env._("Points changed"),
                    Markup("").join(rows),
                )
                if fname == "reviewer_points" and sheet.current_step_id:
                    step_scores.append((sheet.current_step_id.id, total))
            if rows or any(
                float_compare(old, new, precision_digits=2) for old, new in zip(stored, vals, strict=True)
            ):
                sheet_values.append(
                    (sheet.id, *vals, fname == "self_points" and total is not None, total or 0.0)
                )
        if not sheet_values:
            return
        for fname in ("self_points", "reviewer_points"):
            civ_sql.lines_set_points(
                self.env, fname, [(line_id, value) for line_id, name, value in line_points if name == fname]
            )
        # the total goes to self_score in self-assessment, to reviewer_score in review (when it changed)
        civ_sql.sheets_set_product_scores(
            self.env,
            [
                (sheet_id, a, b, c, unit, points, is_self, total, sheet_id in changed)
                for sheet_id, a, b, c, unit, points, is_self, total in sheet_values
            ],
        )
        civ_sql.steps_set_scores(self.env, step_scores)
