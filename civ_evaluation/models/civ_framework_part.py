from odoo import api, fields, models


def changed_records(records, vals, names):
    """The records on which writing vals changes at least one of the fields names."""
    changed = records.browse()
    for record in records:
        for name in names:
            field = records._fields[name]
            if field.convert_to_cache(record[name], record) != field.convert_to_cache(vals[name], record):
                changed |= record
                break
    return changed


class CivFrameworkPart(models.AbstractModel):
    """Common guard of the parts of a criteria framework (groups, criteria, levels, quotas).

    Once a framework is used by evaluations its structure is frozen: parts cannot be created or
    deleted, and their structural fields (listed in ``_civ_structure_fields``) cannot change.
    Names, descriptions, guidance and display order stay editable.
    """

    _name = "civ.framework.part"
    _description = "Part of a Criteria Framework"

    # fields whose change alters how people are scored
    _civ_structure_fields = frozenset()

    framework_used = fields.Boolean(
        compute="_compute_framework_used",
        help="The framework is used by evaluations: points, limits and codes can no longer change.",
    )

    def _compute_framework_used(self):
        used = self.framework_id._is_used()
        for record in self:
            record.framework_used = used.get(record.framework_id.id, False)

    def _civ_frameworks_of_vals(self, vals):
        """Frameworks designated by create/write values (framework_id by default)."""
        if vals.get("framework_id"):
            return self.env["civ.framework"].browse(vals["framework_id"])
        return self.env["civ.framework"]

    @api.model_create_multi
    def create(self, vals_list):
        frameworks = self.env["civ.framework"]
        for vals in vals_list:
            frameworks |= self._civ_frameworks_of_vals(vals)
        frameworks._check_structure_editable()
        return super().create(vals_list)

    def write(self, vals):
        names = self._civ_structure_fields.intersection(vals)
        if names:
            changed = changed_records(self, vals, names)
            if changed:
                (changed.framework_id | self._civ_frameworks_of_vals(vals))._check_structure_editable()
        return super().write(vals)

    def unlink(self):
        self.framework_id._check_structure_editable()
        return super().unlink()
