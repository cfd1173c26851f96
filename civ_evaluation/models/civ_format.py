"""Numbers as the user reads them: one helper for every text the addon writes (HTML tables, messages,
quota texts), in the language of the environment, as Odoo's own number fields show them (Vietnamese:
86,5 and 1.234,5; English: 86.5 and 1,234.5)."""

import ast

from odoo.tools import float_round
from odoo.tools.misc import get_lang

from odoo.addons.base.models.res_lang import intersperse


def format_number(env, value, digits=2, trim=False):
    """`value` with `digits` decimals in env's language; trim: without the trailing zeros of the decimals
    (bounds and percentages: "5" rather than "5,00", "32,5" rather than "32,50")."""
    return number_formatter(env, digits=digits, trim=trim)(value)


def number_formatter(env, digits=2, trim=False):
    """format_number for many values: the language and its separators looked up once (a note per sheet
    of a whole agency formats thousands of numbers); the text of res.lang.format with grouping, as
    Odoo's formatLang writes it."""
    lang = env["res.lang"].browse(get_lang(env).id)
    data = lang._get_data(id=lang.id)
    decimal_point = data.decimal_point or "."
    grouping, thousands_sep = ast.literal_eval(data.grouping), data.thousands_sep or ""

    def format_one(value):
        value = float_round(value or 0.0, precision_digits=digits, rounding_method="HALF-UP")
        integer, _point, decimals = (f"%.{digits}f" % value).partition(".")
        text = intersperse(integer, grouping, thousands_sep)[0]
        if decimals:
            text = f"{text}{decimal_point}{decimals}"
        if trim and digits and decimal_point in text:
            text = text.rstrip("0").rstrip(decimal_point)
        return "0" if text in ("-0", "") else text

    return format_one


def format_vi_number(value, digits=2):
    """A number in the Vietnamese documents (PDF sheet, Excel reports), whatever the languages installed:
    decimal comma, dot between thousands, no trailing zeros ("32,5", "90", "1.234,5")."""
    if value is None or value is False:
        return ""
    text = f"{value:,.{digits}f}"
    if digits:
        text = text.rstrip("0").rstrip(".")
    text = text.replace(",", " ").replace(".", ",").replace(" ", ".")
    return "0" if text in ("-0", "") else text


def format_percent(env, value, digits=1):
    """A percentage for a message: "14,3%", "30%"."""
    return f"{format_number(env, value, digits=digits, trim=True)}%"
