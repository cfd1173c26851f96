"""The one loader of products and work from other systems: the tasks of Odoo Project
(civ_evaluation_project) and the items the agencies' document and task systems push through the API
(civ_evaluation_api). Both compare what the source gives now with the lines it loaded earlier, by the
same rules: a new item adds a line, a changed item updates its line while no reviewer has confirmed
it, a confirmed line and a line typed by a person are never touched; then they write in batches, with
one note per sheet and one refresh of the points."""

from collections import defaultdict

from markupsafe import Markup

from odoo import api, models
from odoo.tools import float_compare

# The loader's mark in the context (no per-line notes, the points refreshed once at the end): an
# object only server code can put there. An RPC client sends any context it likes, but only JSON
# values, so a user's change is always described and scored.
LOADER = object()

# what a plan says of each item (see _plan)
CREATE, UPDATE, UNCHANGED, CONFIRMED = "create", "update", "unchanged", "confirmed"


def is_loader(env):
    return env.context.get("civ_loader") is LOADER


class CivProductLoader(models.AbstractModel):
    _name = "civ.product.loader"
    _description = "Loader of Products and Work from Other Systems"

    @api.model
    def _products(self):
        """civ.evaluation.product as the loader writes it: superuser (the callers have checked who
        asks), marked as the loader's."""
        return self.env["civ.evaluation.product"].sudo().with_context(civ_loader=LOADER)

    @api.model
    def _line_changes(self, line, vals):
        """The values of vals that differ from what the line holds (quantities to 4 digits, a
        relation by its id, an empty value as False)."""
        changes = {}
        for fname, value in vals.items():
            current = line[fname]
            if line._fields[fname].type == "float":
                differs = float_compare(current, value or 0.0, precision_digits=4) != 0
            elif isinstance(current, models.BaseModel):
                differs = current.id != (value or False) and (current.id or value)
            else:
                differs = (current or False) != (value or False)
            if differs:
                changes[fname] = value
        return changes

    @api.model
    def _plan(self, existing, desired):
        """What loading desired changes: {key: (outcome, line, changes)} for each key of desired
        ({key: line values}), compared with existing ({key: the line loaded earlier for it}):
        CONFIRMED (a reviewer confirmed the line: left as it is), UNCHANGED, CREATE or UPDATE (the
        values that differ)."""
        plan = {}
        for key, vals in desired.items():
            line = existing.get(key)
            if line and line.confirmed:
                plan[key] = (CONFIRMED, line, self._line_changes(line, vals))
                continue
            changes = self._line_changes(line, vals) if line else dict(vals)
            plan[key] = (UNCHANGED if not changes else UPDATE if line else CREATE, line, changes)
        return plan

    @api.model
    def _notes(self, rows, title):
        """{sheet id: note} naming the lines added, updated or removed ({sheet id: [(name, kind)]}),
        under title; one paragraph, not a list: the notes of a whole agency are sanitised by the ORM,
        a cost per HTML element."""
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
                title,
                Markup(" ").join(
                    Markup("%s: %s.") % (label, "; ".join(names[kind]))
                    for kind, label in kinds.items()
                    if names[kind]
                ),
            )
        return notes

    @api.model
    def _apply(self, to_create, to_write, stale, title):
        """Insert the new lines (to_create: their values, in one statement per 1,000 lines), write
        the changed ones (to_write: {tuple of sorted (field, value) changes: [line ids]}, one write per
        group of equal changes), remove the stale ones (lines), note it in each sheet's chatter under
        title, then refresh the points of the sheets that changed, once."""
        Product = self._products()
        stale = stale or Product.browse()
        rows = defaultdict(list)
        for vals in to_create:
            rows[vals["evaluation_id"]].append((vals["name"], "added"))
        written = Product.browse(line_id for line_ids in to_write.values() for line_id in line_ids)
        for line in written:
            rows[line.evaluation_id.id].append((line.name, "updated"))
        for line in stale:
            rows[line.evaluation_id.id].append((line.name, "removed"))
        created = Product._civ_insert_loaded(to_create)
        for changes, line_ids in to_write.items():
            Product.browse(line_ids).write(dict(changes))
        if stale:
            stale.unlink()
        # outside the loader's mark: the refresh is the one of the whole load
        self.env["civ.evaluation"].sudo().browse(list(rows))._civ_refresh_product_points(
            notes=self._notes(rows, title)
        )
        return created
