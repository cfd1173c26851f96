import contextvars

from odoo import api, models

# defaults computed once per create() call and set of given fields (see CivBulkCreateMixin)
_DEFAULTS_MEMO = contextvars.ContextVar("civ_defaults_memo", default=None)


class CivBulkCreateMixin(models.AbstractModel):
    """Faster create() of many records given the same fields (opening a period creates 150,000 lines
    for 10,000 people): the default values of the missing fields are looked up once per create()
    call instead of once per record. Semantics are unchanged; only for models whose defaults are not
    mutable values."""

    _name = "civ.bulk.create.mixin"
    _description = "Bulk Creation Helper"

    def _prepare_create_values(self, vals_list):
        token = _DEFAULTS_MEMO.set({})
        try:
            return super()._prepare_create_values(vals_list)
        finally:
            _DEFAULTS_MEMO.reset(token)

    @api.model
    def _add_missing_default_values(self, values):
        memo = _DEFAULTS_MEMO.get()
        if memo is None:
            return super()._add_missing_default_values(values)
        key = (self._name, frozenset(values))
        defaults = memo.get(key)
        if defaults is None:
            completed = super()._add_missing_default_values(values)
            defaults = memo[key] = {name: value for name, value in completed.items() if name not in values}
        return {**defaults, **values}
