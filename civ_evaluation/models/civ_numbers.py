"""Numbers as the clients send them: one parser for every number typed outside a number field (an RPC
client's value of a product line or of a criterion's points, a cell of the Excel import), and the
bounds of the product lines.

Plain functions, no ORM: each caller turns the reason of a refusal into its own message (the import
lists every problem of a row under the column's Vietnamese header, the models raise a ValidationError
naming the field).
"""

import math
import re

# The bounds of a product line (civ.evaluation.product), well above any real month's work and far
# below what would overflow the formula (floats) or PostgreSQL's integer (int4). The coefficient bound
# is also the catalogue's (civ.product.type) and Project's (project.task, project.project).
MAX_WEIGHT = 1_000  # coefficient (hệ số quy đổi) of a product
MAX_QUANTITY = 1_000_000  # assigned, completed, meeting the requirements, on time
MAX_COUNT = 1_000  # major errors, delays
# PostgreSQL's integer column: an integer outside never reaches the database
INT_MIN, INT_MAX = -(2**31), 2**31 - 1

# the reasons of a refusal
NOT_A_NUMBER = "not_a_number"
NOT_WHOLE = "not_whole"
TOO_SMALL = "too_small"
TOO_LARGE = "too_large"

# a number written as text, once its spaces are removed and its decimal comma made a point: digits, an
# optional decimal part and exponent. No "inf", "nan", "0x10", "1_000" (which float() would accept).
_NUMBER_TEXT = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_INTEGER_TEXT = re.compile(r"[+-]?\d+")


def _from_text(text):
    """The number written in text ("5", "4,5", " 1 000 ", "-2.5e3"), or None."""
    text = "".join(text.split()).replace(",", ".")
    if _INTEGER_TEXT.fullmatch(text):
        return int(text)
    if _NUMBER_TEXT.fullmatch(text):
        return float(text)
    return None


def parse_number(value, integer=False, minimum=None, maximum=None, empty=0):
    """A value sent by an RPC client or read in a spreadsheet, as a number.

    Accepted: int and float (not bool), text of a number with a decimal point or comma and spaces
    anywhere ("5", "4,5", " 1 000 "). Refused: bools, NaN and infinities, any other text or type,
    a fractional number when integer, a number below minimum or above maximum. Integers (integer=True)
    also stay within PostgreSQL's integer, whatever the bounds given.

    :param empty: what None and False (Odoo's empty value) give; None: they are refused too
    :returns: (number, None), the number an int when integer else a float; or (None, reason), one of
        NOT_A_NUMBER, NOT_WHOLE, TOO_SMALL (below minimum), TOO_LARGE (above maximum)
    """
    if value is None or value is False:
        if empty is None:
            return None, NOT_A_NUMBER
        return (int(empty) if integer else float(empty)), None
    number = _from_text(value) if isinstance(value, str) else value
    if isinstance(number, bool) or not isinstance(number, (int, float)):
        return None, NOT_A_NUMBER
    if isinstance(number, float):
        if not math.isfinite(number):
            return None, NOT_A_NUMBER
        if integer:
            if not number.is_integer():
                return None, NOT_WHOLE
            number = int(number)
    if integer:
        minimum = INT_MIN if minimum is None else max(minimum, INT_MIN)
        maximum = INT_MAX if maximum is None else min(maximum, INT_MAX)
    # int and float compare exactly in Python, whatever their size
    if minimum is not None and number < minimum:
        return None, TOO_SMALL
    if maximum is not None and number > maximum:
        return None, TOO_LARGE
    if integer:
        return number, None
    try:
        number = float(number)
    except OverflowError:  # an int beyond any float
        return None, NOT_A_NUMBER
    return number, None
