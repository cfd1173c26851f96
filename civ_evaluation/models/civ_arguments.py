"""The checks of the arguments of the addon's public methods.

Every public method of a model (no leading underscore) can be called over XML-RPC / JSON-RPC by any
logged-in user, on the records they may read, with any JSON values as arguments. These plain
functions turn a value of the wrong kind into one clear, translated error (a UserError) instead of a
TypeError or an AttributeError deep inside the method. One place, used by every public method that
takes arguments.
"""

import math

from odoo import models
from odoo.exceptions import UserError

# the years a year-end classification may concern (bounds excluded, as the result's constraint)
MIN_YEAR, MAX_YEAR = 1900, 3000


def text_argument(env, value, label):
    """`value` as text, or None when nothing is given (None, False: Odoo's empty value).

    :param str label: what the value is, translated, starting with a capital ("The reason")
    """
    if value is None or value is False:
        return None
    if isinstance(value, str):
        return value
    raise UserError(env._("%(label)s must be text.", label=label))


def year_argument(env, value):
    """`value` as a year: a whole number (or its digits as text) strictly between 1900 and 3000."""
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value.strip())
    elif isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not MIN_YEAR < value < MAX_YEAR:
        raise UserError(env._("The year must be a whole number between 1900 and 3000."))
    return value


def number_argument(env, value, label):
    """`value` as a finite number (int or float, not a boolean)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise UserError(env._("%(label)s must be a number.", label=label))
    return value


def bool_argument(env, value, label):
    """`value` as a boolean (None counts as False)."""
    if value is None:
        return False
    if not isinstance(value, bool):
        raise UserError(env._("%(label)s must be true or false.", label=label))
    return value


def id_argument(env, model, value, label):
    """The id of one record of `model`, given as a record of it or as an id; False for nothing
    (None, False, an empty record)."""
    if isinstance(value, models.BaseModel):
        if value._name != model or len(value) > 1:
            raise UserError(env._("%(label)s must be one record of %(model)s.", label=label, model=model))
        return value.id or False
    if value is None or value is False:
        return False
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise UserError(env._("%(label)s must be the id of a record of %(model)s.", label=label, model=model))
    return value


def ids_argument(env, model, value, label):
    """The ids of records of `model`, given as records, one id or a list of ids (or records)."""
    if isinstance(value, models.BaseModel) and value._name == model:
        return list(value.ids)
    entries = value if isinstance(value, (list, tuple)) else [value]
    ids = [id_argument(env, model, entry, label) for entry in entries]
    if not all(ids):
        raise UserError(env._("%(label)s must be the id of a record of %(model)s.", label=label, model=model))
    return ids
