"""The seal of a locked month: an inalterability hash chain over the decisive content of its sheets,
the way Odoo's accounting seals posted entries.

Each sheet's digest covers its decisive content and the digest of the sheet before it (the sheets of
a period in the order of their ids). The content is read with SQL, so that a change made directly in
the database is seen as it is. Plain functions: civ.period calls them when it locks (_seal) and
verifies (_integrity_failures), civ.annual.result for the decided year-end results.

**Versions.** A stored hash says which rules made it, as Odoo's accounting prefixes its hashes:
``civ-seal-2$<sha256>``; a hash without a prefix is ``civ-seal-1``. Verifying reads each row with
the rules of its own version, so a month sealed under older rules stays verifiable after an upgrade
that seals more. New seals use SEAL_VERSION.

- ``civ-seal-1``: the sheet's own columns (V1_SHEET_COLUMNS), its lines, review steps, the points of
  each level and its products, as lists of values.
- ``civ-seal-2``: the columns the models list (civ.evaluation._civ_seal_columns(), which addons
  extend: the bridge to Project adds the task of a product line), each row a mapping without its empty
  values (so that a column an addon adds later, empty on old rows, leaves them as they were), plus, for
  a sheet, the evidence of its chatter: the bodies of its messages (all but system notifications) and
  the checksums of its attachments and of theirs; since 18.0.1.4.0 also the sheet's lines in
  calibration sessions (the level given, the comment, the checksum of the minutes), when it has some;
  since 18.0.1.5.0 the votes of a leadership collective (each member's points are rows of the levels'
  points, with their member), the opinions of the unit's collective and the colleagues' feedback with
  its answers, when it has some.
"""

import hashlib
import json
from decimal import Decimal

from odoo.tools import SQL

SEAL_VERSION = "civ-seal-2"
LEGACY_VERSION = "civ-seal-1"
VERSIONS = (LEGACY_VERSION, SEAL_VERSION)
# sheets read per query when sealing or verifying a big period
SEAL_CHUNK_SIZE = 5000

V1_SHEET_COLUMNS = (
    "employee_id", "period_id", "framework_id", "company_id", "user_id", "department_id", "job_title",
    "civ_position", "self_score", "reviewer_score", "final_score", "level_id", "not_evaluated",
    "not_evaluated_reason", "decided_at_deadline", "quota_exceeded", "quota_reason", "date_decided",
    "pre_lock_state",
)  # fmt: skip
V1_LINE_COLUMNS = ("id", "criterion_id", "self_points", "reviewer_points", "final_points")
V1_POINT_COLUMNS = ("step_id", "line_id", "points", "comment")
V1_PRODUCT_COLUMNS = (
    "id", "name", "product_type_id", "weight", "qty_assigned", "qty_done", "qty_quality", "qty_on_time",
    "error_count", "delay_count", "objective_cause", "objective_cause_note", "source", "confirmed",
)  # fmt: skip
V1_STEP_COLUMNS = (
    "id", "sequence", "reviewer_employee_id", "reviewer_user_id", "state", "score", "date_done",
    "is_decision",
)  # fmt: skip
# the decisive content of a decided year-end result (civ.annual.result): chained per company and year
V1_RESULT_COLUMNS = (
    "employee_id", "company_id", "year", "department_id", "job_title", "framework_id", "months_evaluated",
    "months_worked", "months_not_evaluated", "average_score", "not_classified", "not_classified_reason",
    "proposed_level_id", "level_id", "note", "quota_reason", "state", "date_done", "decided_by_id",
    "decider_employee_id",
)  # fmt: skip
# a colleague's answer to a feedback form, line by line (survey.user_input.line)
FEEDBACK_ANSWER_COLUMNS = (
    "id", "question_id", "answer_type", "skipped", "value_char_box", "value_numerical_box", "value_scale",
    "value_date", "value_datetime", "value_text_box", "suggested_answer_id", "matrix_row_id",
)  # fmt: skip
# the evidence of a chatter: the messages people write (not the system's notifications and tracking)
# and the files attached to the record or to its messages
MESSAGE_COLUMNS = ("id", "message_type", "author_id", "subject", "body", "date")
ATTACHMENT_COLUMNS = ("id", "name", "type", "checksum", "file_size", "url")


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


def _text(content):
    return json.dumps(content, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def _row(version, names, values):
    """One row of the content: a list of values (v1), a mapping without its empty values (v2)."""
    if version == LEGACY_VERSION:
        return [_canonical(value) for value in values]
    return {name: _canonical(value) for name, value in zip(names, values, strict=True) if value is not None}


def _children(cr, version, table, names, ids, parent="evaluation_id", order="id"):
    """{parent id: [row, ...]} of the rows of `table` whose `parent` is one of ids."""
    cr.execute(SQL(
        "SELECT %s, %s FROM %s WHERE %s IN %s ORDER BY %s, %s",
        SQL.identifier(parent), _columns(names), SQL.identifier(table), SQL.identifier(parent), tuple(ids),
        SQL.identifier(parent), SQL(order),
    ))  # fmt: skip
    rows = {}
    for row in cr.fetchall():
        rows.setdefault(row[0], []).append(_row(version, names, row[1:]))
    return rows


def _evidence(cr, model, ids):
    """{record id: {"messages": [...], "attachments": [...]}}: the chatter's evidence of the records of
    `model`: its messages but the system's notifications, the files attached to the record and to
    those messages (v2 only)."""
    ids = tuple(ids)
    evidence = {record_id: {} for record_id in ids}
    cr.execute(SQL(
        "SELECT res_id, %s FROM mail_message WHERE model = %s AND res_id IN %s "
        "AND message_type NOT IN ('notification', 'user_notification') ORDER BY res_id, id",
        _columns(MESSAGE_COLUMNS), model, ids,
    ))  # fmt: skip
    for row in cr.fetchall():
        evidence[row[0]].setdefault("messages", []).append(_row(SEAL_VERSION, MESSAGE_COLUMNS, row[1:]))
    cr.execute(SQL(
        """
        SELECT DISTINCT ON (owner, att.id) owner, %s
          FROM (SELECT id, res_id AS owner FROM ir_attachment WHERE res_model = %s AND res_id IN %s
                UNION
                SELECT rel.attachment_id, message.res_id
                  FROM message_attachment_rel rel
                  JOIN mail_message message ON message.id = rel.message_id
                 WHERE message.model = %s AND message.res_id IN %s) AS linked
          JOIN ir_attachment att ON att.id = linked.id
         ORDER BY owner, att.id
        """,
        SQL(", ").join(SQL.identifier("att", name) for name in ATTACHMENT_COLUMNS), model, ids, model, ids,
    ))  # fmt: skip
    for row in cr.fetchall():
        evidence[row[0]].setdefault("attachments", []).append(_row(SEAL_VERSION, ATTACHMENT_COLUMNS, row[1:]))
    return evidence


def _feedback(cr, version, names, ids):
    """{sheet id: [request row with its "answers"]}: the colleagues' feedback on the sheets, each
    request with the lines of its survey answer (Odoo's survey.user_input.line), since 18.0.1.5.0."""
    cr.execute(SQL(
        """
        SELECT req.evaluation_id, req.id, %s, %s
          FROM civ_feedback_request req
          LEFT JOIN survey_user_input_line line ON line.user_input_id = req.user_input_id
         WHERE req.evaluation_id IN %s
         ORDER BY req.evaluation_id, req.id, line.id
        """,
        SQL(", ").join(SQL.identifier("req", name) for name in names),
        SQL(", ").join(SQL.identifier("line", name) for name in FEEDBACK_ANSWER_COLUMNS),
        tuple(ids),
    ))  # fmt: skip
    rows, requests = {}, {}
    width = len(names)
    for row in cr.fetchall():
        sheet_id, request_id = row[0], row[1]
        if request_id not in requests:
            requests[request_id] = _row(version, names, row[2 : 2 + width])
            requests[request_id]["answers"] = []
            rows.setdefault(sheet_id, []).append(requests[request_id])
        answer = row[2 + width :]
        if answer[0] is not None:
            requests[request_id]["answers"].append(_row(version, FEEDBACK_ANSWER_COLUMNS, answer))
    return rows


def sheet_contents(cr, sheet_ids, version=SEAL_VERSION, columns=None):
    """{sheet id: canonical text of its decisive content} under the rules of `version`, read with a
    handful of queries. columns: {"sheet", "lines", "steps", "levels", "products", and optionally
    "calibration": column names} for v2 (civ.evaluation._civ_seal_columns()). The points of the
    levels, the products and the calibration lines are part of it only when the sheet has some (the
    content of the sheets sealed before they were kept is unchanged)."""
    ids = tuple(sheet_ids)
    if version == LEGACY_VERSION:
        columns = {
            "sheet": V1_SHEET_COLUMNS, "lines": V1_LINE_COLUMNS, "steps": V1_STEP_COLUMNS,
            "levels": V1_POINT_COLUMNS, "products": V1_PRODUCT_COLUMNS,
        }  # fmt: skip
    cr.execute(SQL("SELECT id, %s FROM civ_evaluation WHERE id IN %s", _columns(columns["sheet"]), ids))
    sheets = {
        row[0]: {"sheet": _row(version, columns["sheet"], row[1:]), "lines": [], "steps": []}
        for row in cr.fetchall()
    }
    for key, table, order in (
        ("lines", "civ_evaluation_line", "id"),
        ("steps", "civ_review_step", "sequence, id"),
        ("levels", "civ_review_step_point", "step_id, line_id, id"),
        ("products", "civ_evaluation_product", "id"),
        ("calibration", "civ_calibration_line", "session_id, id"),
        ("votes", "civ_collective_vote", "step_id, id"),
        ("opinions", "civ_collective_opinion", "meeting_id, id"),
    ):
        if key not in columns:
            continue
        for sheet_id, rows in _children(cr, version, table, columns[key], ids, order=order).items():
            sheets[sheet_id][key] = rows
    if "feedback" in columns:
        for sheet_id, rows in _feedback(cr, version, columns["feedback"], ids).items():
            sheets[sheet_id]["feedback"] = rows
    if version != LEGACY_VERSION:
        for sheet_id, evidence in _evidence(cr, "civ.evaluation", ids).items():
            sheets[sheet_id].update(evidence)
    return {sheet_id: _text(content) for sheet_id, content in sheets.items()}


def result_contents(cr, result_ids, version=SEAL_VERSION, columns=V1_RESULT_COLUMNS):
    """{result id: canonical text of its decisive content} under the rules of `version` (its chatter,
    where the decision's notices and later requests for review are written, is frozen by
    civ.chatter.mixin, not sealed)."""
    ids = tuple(result_ids)
    if version == LEGACY_VERSION:
        columns = V1_RESULT_COLUMNS
    cr.execute(SQL("SELECT id, %s FROM civ_annual_result WHERE id IN %s", _columns(columns), ids))
    return {row[0]: _text(_row(version, columns, row[1:])) for row in cr.fetchall()}


def version_of(stored):
    """The version of the rules that made a stored hash."""
    if stored and "$" in stored:
        return stored.split("$", 1)[0]
    return LEGACY_VERSION


def digest(previous, content, version=SEAL_VERSION):
    """The hash of one row: its content chained to the previous row's stored hash, prefixed with its
    version (none for civ-seal-1, whose hashes were stored bare)."""
    value = hashlib.sha256(f"{version}|{previous or ''}|{content}".encode()).hexdigest()
    return value if version == LEGACY_VERSION else f"{version}${value}"


def chunks(ids, size=SEAL_CHUNK_SIZE):
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def seal_chain(cr, table, ids, contents_of):
    """Chain the hashes of the rows `ids` of `table` (in that order; contents_of(cr, chunk, version)
    gives {id: content}) under the current rules and store each in its row's seal_hash (the column
    written, nothing to invalidate but seal_hash). Returns the last hash ("" for no row)."""
    previous = ""
    for chunk in chunks(ids):
        contents = contents_of(cr, chunk, SEAL_VERSION)
        values = []
        for row_id in chunk:
            previous = digest(previous, contents[row_id])
            values.append(SQL("(%s, %s)", row_id, previous))
        cr.execute(SQL(
            "UPDATE %s AS sealed SET seal_hash = v.hash FROM (VALUES %s) AS v(id, hash) "
            "WHERE sealed.id = v.id",
            SQL.identifier(table), SQL(", ").join(values),
        ))  # fmt: skip
    return previous


def broken_links(cr, stored, contents_of):
    """Verify a chain: `stored` is {id: stored hash} in the chain's order. Each row is checked, under
    the rules of its own version, against the hash stored on the row before it, so a change names
    the row changed, not every row after it. Returns (the ids whose content no longer matches, the
    last hash of the chain)."""
    failed, previous = [], ""
    for chunk in chunks(list(stored)):
        by_version = {}
        for row_id in chunk:
            version = version_of(stored[row_id]) if stored[row_id] else SEAL_VERSION
            by_version.setdefault(version if version in VERSIONS else SEAL_VERSION, []).append(row_id)
        contents = {}
        for version, row_ids in by_version.items():
            contents.update(
                {(row_id, version): text for row_id, text in contents_of(cr, row_ids, version).items()}
            )
        for row_id in chunk:
            version = version_of(stored[row_id]) if stored[row_id] else SEAL_VERSION
            version = version if version in VERSIONS else SEAL_VERSION
            expected = digest(previous, contents[row_id, version], version)
            if stored[row_id] != expected:
                failed.append(row_id)
            previous = stored[row_id] or expected
    return failed, previous
