"""The seal of a locked month: an inalterability hash chain over the decisive content of its sheets,
the way Odoo's accounting seals posted entries.

Each sheet's digest covers its employee, period, framework, company, snapshots, every line's
self/reviewer/final points, each review step's reviewer, state, score and date, the points and
remarks each level gave per line (civ.review.step.point), its product lines (quantities, errors,
delays, objective causes), its scores, level and flags, and the digest
of the sheet before it (the sheets of a period in the order of their ids).
The content is read with SQL, so that a change made directly in the database is seen as it is.
Plain functions: civ.period calls them when it locks (_seal) and verifies (_integrity_failures).
"""

import hashlib
import json
from decimal import Decimal

from odoo.tools import SQL

SEAL_VERSION = "civ-seal-1"
# sheets read per query when sealing or verifying a big period
SEAL_CHUNK_SIZE = 5000

_SHEET_COLUMNS = (
    "employee_id",
    "period_id",
    "framework_id",
    "company_id",
    "user_id",
    "department_id",
    "job_title",
    "civ_position",
    "self_score",
    "reviewer_score",
    "final_score",
    "level_id",
    "not_evaluated",
    "not_evaluated_reason",
    "decided_at_deadline",
    "quota_exceeded",
    "quota_reason",
    "date_decided",
    "pre_lock_state",
)
_LINE_COLUMNS = ("id", "criterion_id", "self_points", "reviewer_points", "final_points")
_POINT_COLUMNS = ("step_id", "line_id", "points", "comment")
_PRODUCT_COLUMNS = (
    "id",
    "name",
    "product_type_id",
    "weight",
    "qty_assigned",
    "qty_done",
    "qty_quality",
    "qty_on_time",
    "error_count",
    "delay_count",
    "objective_cause",
    "objective_cause_note",
    "source",
    "confirmed",
)
_STEP_COLUMNS = (
    "id",
    "sequence",
    "reviewer_employee_id",
    "reviewer_user_id",
    "state",
    "score",
    "date_done",
    "is_decision",
)


def _canonical(value):
    """A stable text for a value read from the database: floats with 2 decimals (the precision of
    points and scores), dates in ISO format, None as null."""
    if isinstance(value, (float, Decimal)):
        return f"{float(value):.2f}"
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _columns(names):
    return SQL(", ").join(SQL.identifier(name) for name in names)


def sheet_contents(cr, sheet_ids):
    """{sheet id: canonical text of its decisive content}, read with five queries. The points of
    the levels and the products are part of it only when the sheet has some (the content of the
    sheets sealed before they were kept is unchanged)."""
    ids = tuple(sheet_ids)
    cr.execute(SQL("SELECT id, %s FROM civ_evaluation WHERE id IN %s", _columns(_SHEET_COLUMNS), ids))
    sheets = {
        row[0]: {"sheet": [_canonical(value) for value in row[1:]], "lines": [], "steps": []}
        for row in cr.fetchall()
    }
    cr.execute(
        SQL(
            "SELECT evaluation_id, %s FROM civ_evaluation_line WHERE evaluation_id IN %s "
            "ORDER BY evaluation_id, id",
            _columns(_LINE_COLUMNS),
            ids,
        )
    )
    for row in cr.fetchall():
        sheets[row[0]]["lines"].append([_canonical(value) for value in row[1:]])
    cr.execute(
        SQL(
            "SELECT evaluation_id, %s FROM civ_review_step WHERE evaluation_id IN %s "
            "ORDER BY evaluation_id, sequence, id",
            _columns(_STEP_COLUMNS),
            ids,
        )
    )
    for row in cr.fetchall():
        sheets[row[0]]["steps"].append([_canonical(value) for value in row[1:]])
    cr.execute(
        SQL(
            "SELECT evaluation_id, %s FROM civ_review_step_point WHERE evaluation_id IN %s "
            "ORDER BY evaluation_id, step_id, line_id",
            _columns(_POINT_COLUMNS),
            ids,
        )
    )
    for row in cr.fetchall():
        sheets[row[0]].setdefault("levels", []).append([_canonical(value) for value in row[1:]])
    cr.execute(
        SQL(
            "SELECT evaluation_id, %s FROM civ_evaluation_product WHERE evaluation_id IN %s "
            "ORDER BY evaluation_id, id",
            _columns(_PRODUCT_COLUMNS),
            ids,
        )
    )
    for row in cr.fetchall():
        sheets[row[0]].setdefault("products", []).append([_canonical(value) for value in row[1:]])
    return {
        sheet_id: json.dumps(content, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        for sheet_id, content in sheets.items()
    }


def digest(previous, content):
    """The hash of one sheet: its content chained to the previous sheet's hash."""
    return hashlib.sha256(f"{SEAL_VERSION}|{previous or ''}|{content}".encode()).hexdigest()


def chunks(ids, size=SEAL_CHUNK_SIZE):
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def seal_chain(cr, table, ids, contents_of):
    """Chain the hashes of the rows `ids` of `table` (in that order; contents_of(cr, chunk) gives
    {id: content}) and store each in its row's seal_hash. Returns the last hash ("" for no row)."""
    previous = ""
    for chunk in chunks(ids):
        contents = contents_of(cr, chunk)
        values = []
        for row_id in chunk:
            previous = digest(previous, contents[row_id])
            values.append(SQL("(%s, %s)", row_id, previous))
        cr.execute(
            SQL(
                "UPDATE %s AS sealed SET seal_hash = v.hash FROM (VALUES %s) AS v(id, hash) "
                "WHERE sealed.id = v.id",
                SQL.identifier(table),
                SQL(", ").join(values),
            )
        )
    return previous


def broken_links(cr, stored, contents_of):
    """Verify a chain: `stored` is {id: stored hash} in the chain's order. Each row is checked against
    the hash stored on the row before it, so a change names the row changed, not every row after it.
    Returns (the ids whose content no longer matches, the last hash of the chain)."""
    failed, previous = [], ""
    for chunk in chunks(list(stored)):
        contents = contents_of(cr, chunk)
        for row_id in chunk:
            expected = digest(previous, contents[row_id])
            if stored[row_id] != expected:
                failed.append(row_id)
            previous = stored[row_id] or expected
    return failed, previous


# the decisive content of a decided year-end result (civ.annual.result): chained per company and year
_RESULT_COLUMNS = (
    "employee_id",
    "company_id",
    "year",
    "department_id",
    "job_title",
    "framework_id",
    "months_evaluated",
    "months_worked",
    "months_not_evaluated",
    "average_score",
    "not_classified",
    "not_classified_reason",
    "proposed_level_id",
    "level_id",
    "note",
    "quota_reason",
    "state",
    "date_done",
    "decided_by_id",
    "decider_employee_id",
)


def result_contents(cr, result_ids):
    """{result id: canonical text of its decisive content}, read with one query."""
    cr.execute(
        SQL(
            "SELECT id, %s FROM civ_annual_result WHERE id IN %s",
            _columns(_RESULT_COLUMNS),
            tuple(result_ids),
        )
    )
    return {
        row[0]: json.dumps(
            [_canonical(value) for value in row[1:]], ensure_ascii=False, separators=(",", ":")
        )
        for row in cr.fetchall()
    }
