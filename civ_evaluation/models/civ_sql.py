"""Everything the addon does below the ORM, in one place: named functions over ``odoo.tools.SQL``.

Raw SQL skips the ORM's guards (the gates, the lock guard, tracking, constraints), so it is used only
where the ORM would cost queries per record on a whole month (the workflow on hundreds of sheets, the
lock of an agency) or must not touch a locked month through the ORM (the lock itself, reopening).
Every caller has passed its gate first. Each function says which columns it writes, flushes what it
reads and invalidates what it writes, so a caller cannot forget either. The seal's hashing
(civ_seal: the content it reads and the hashes it writes), the SQL views of the published results and
of the review-quality profiles (civ_profile_sql) and
the install/upgrade hooks keep their own SQL; a static check of
``make lint`` refuses ``cr.execute`` anywhere else (tools/static_checks.py).
"""

from odoo.tools import SQL, split_every

NOW = SQL("(now() at time zone 'UTC')")


def _values(rows, pattern):
    """A VALUES list of rows, each formatted with pattern (e.g. "(%s, %s::numeric)")."""
    return SQL(", ").join(SQL(pattern, *row) for row in rows)


def _invalidate(env, model, fnames=None):
    env[model].invalidate_model(fnames)


# ---------------------------------------------------------------------- locks of rows and jobs
def lock_rows(env, table, ids):
    """SELECT ... FOR UPDATE of the rows ids of table, in the order of their ids: serialises the
    openings and lockings of the same periods. Writes nothing."""
    env.cr.execute(
        SQL("SELECT id FROM %s WHERE id IN %s ORDER BY id FOR UPDATE", SQL.identifier(table), tuple(ids))
    )


def touch(env, table, ids):
    """Writes write_date and write_uid of the rows ids of table (a concurrent run waiting on their lock
    then fails to serialise and is retried on a fresh snapshot). Invalidates nothing it reads."""
    env.cr.execute(
        SQL(
            "UPDATE %s SET write_date = %s, write_uid = %s WHERE id IN %s",
            SQL.identifier(table),
            NOW,
            env.uid,
            tuple(ids),
        )
    )


def try_job_lock(env, job):
    """A transaction-level advisory lock named after job: True when taken (released at the commit).
    Writes nothing."""
    env.cr.execute(SQL("SELECT pg_try_advisory_xact_lock(hashtext(%s))", f"civ_evaluation.cron.{job}"))
    return env.cr.fetchone()[0]


# ---------------------------------------------------------------------- periods
def period_covered_employee_ids(env, period_id):
    """The ids of the employees who have a sheet for the days of the period: in it, or in another
    period of its company sharing a day with it (a month of a quarter). Writes nothing."""
    env["civ.evaluation"].flush_model(["period_id", "employee_id"])
    env["civ.period"].flush_model(["company_id", "date_start", "date_end"])
    env.cr.execute(
        SQL(
            """
            SELECT DISTINCT sheet.employee_id
              FROM civ_period period
              JOIN civ_period other
                ON other.company_id = period.company_id
               AND other.date_start <= period.date_end AND period.date_start <= other.date_end
              JOIN civ_evaluation sheet ON sheet.period_id = other.id
             WHERE period.id = %s
            """,
            period_id,
        )
    )
    return {row[0] for row in env.cr.fetchall()}


# ---------------------------------------------------------------------- people
def employee_ids_by_work_email(env, company_ids, emails):
    """The ids of the active employees of company_ids whose work e-mail, without case and outer
    spaces, is one of emails (given in lower case): the systems of agencies do not keep the case of
    addresses, and the ORM's domains compare without case only by pattern (=ilike). Writes nothing."""
    env["hr.employee"].flush_model(["company_id", "work_email", "active"])
    env.cr.execute(
        SQL(
            """
            SELECT id FROM hr_employee
             WHERE active AND company_id = ANY(%s) AND lower(btrim(work_email)) = ANY(%s)
            """,
            list(company_ids),
            list(emails),
        )
    )
    return [row[0] for row in env.cr.fetchall()]


def period_overlap(env, period_ids):
    """(a period of period_ids, another period of the same company and period kind sharing a day with
    it), or None. A monthly and a quarterly period may share days: their people differ (the rule sets
    of the staff categories send each person to one kind). Writes nothing."""
    env["civ.period"].flush_model(["company_id", "date_start", "date_end", "period_kind"])
    env.cr.execute(
        SQL(
            """
            SELECT period.id, other.id
              FROM civ_period period
              JOIN civ_period other
                ON other.company_id = period.company_id AND other.id != period.id
               AND other.period_kind IS NOT DISTINCT FROM period.period_kind
               AND other.date_start <= period.date_end AND period.date_start <= other.date_end
             WHERE period.id IN %s
             ORDER BY period.id, other.id
             LIMIT 1
            """,
            tuple(period_ids),
        )
    )
    return env.cr.fetchone()


def periods_reopen(env, period_ids):
    """Writes civ_period.state ('open'), date_locked (empty), write_date, write_uid of locked periods
    (the write guards refuse any change to a locked period). Invalidates them."""
    env.flush_all()
    env.cr.execute(
        SQL(
            "UPDATE civ_period SET state = 'open', date_locked = NULL, write_date = %s, write_uid = %s "
            "WHERE id IN %s",
            NOW,
            env.uid,
            tuple(period_ids),
        )
    )
    env["civ.period"].browse(period_ids).invalidate_recordset(
        ["state", "date_locked", "write_date", "write_uid"]
    )


# ---------------------------------------------------------------------- the workflow of the sheets
def lines_start_review(env, sheet_ids):
    """At submission the first reviewer starts from the self points: writes civ_evaluation_line.
    reviewer_points and previous_points (= self_points) of the sheets' lines."""
    env.flush_all()
    env.cr.execute(
        SQL(
            "UPDATE civ_evaluation_line SET reviewer_points = self_points, previous_points = self_points "
            "WHERE evaluation_id IN %s",
            tuple(sheet_ids),
        )
    )
    _invalidate(env, "civ.evaluation.line", ["reviewer_points", "previous_points"])


def lines_to_next_level(env, sheet_ids):
    """The next reviewer sees this level's points next to their own and starts a blank note: writes
    civ_evaluation_line.previous_points (= reviewer_points) and reviewer_note (empty)."""
    env.flush_all()
    env.cr.execute(
        SQL(
            "UPDATE civ_evaluation_line SET previous_points = reviewer_points, reviewer_note = NULL "
            "WHERE evaluation_id IN %s",
            tuple(sheet_ids),
        )
    )
    _invalidate(env, "civ.evaluation.line", ["previous_points", "reviewer_note"])


def lines_decide(env, sheet_ids, source="reviewer_points"):
    """The decision fixes the points: writes civ_evaluation_line.final_points (= source, the reviewer
    or the self points) of the sheets' lines."""
    if source not in ("reviewer_points", "self_points"):
        raise ValueError(source)
    env.flush_all()
    env.cr.execute(
        SQL(
            "UPDATE civ_evaluation_line SET final_points = %s WHERE evaluation_id IN %s",
            SQL.identifier(source),
            tuple(sheet_ids),
        )
    )
    _invalidate(env, "civ.evaluation.line", ["final_points"])


def lines_final_points(env, sheet_ids):
    """{sheet id: {criterion id: final points}}. Writes nothing."""
    env.flush_all()
    env.cr.execute(
        SQL(
            "SELECT evaluation_id, criterion_id, final_points FROM civ_evaluation_line "
            "WHERE evaluation_id IN %s",
            tuple(sheet_ids),
        )
    )
    points = {}
    for sheet_id, criterion_id, value in env.cr.fetchall():
        points.setdefault(sheet_id, {})[criterion_id] = value
    return points


def lines_set_points(env, fname, values):
    """Writes civ_evaluation_line.<fname> (self_points or reviewer_points) from [(line id, points)]."""
    if fname not in ("self_points", "reviewer_points"):
        raise ValueError(fname)
    if not values:
        return
    env.flush_all()
    env.cr.execute(
        SQL(
            "UPDATE civ_evaluation_line AS line SET %s = v.points FROM (VALUES %s) AS v(id, points) "
            "WHERE line.id = v.id",
            SQL.identifier(fname),
            _values(values, "(%s, %s::float8)"),
        )
    )
    _invalidate(env, "civ.evaluation.line", [fname])


def steps_approve(env, scores, when):
    """The pending steps approve: writes civ_review_step.state ('approved'), date_done (when), score,
    write_uid, write_date from {step id: score}."""
    env.flush_all()
    env.cr.execute(
        SQL(
            """
            UPDATE civ_review_step AS step
               SET state = 'approved', date_done = %s, score = v.score, write_uid = %s, write_date = %s
              FROM (VALUES %s) AS v(id, score)
             WHERE step.id = v.id
            """,
            when,
            env.uid,
            NOW,
            _values(scores.items(), "(%s, %s::numeric)"),
        )
    )
    env["civ.review.step"].browse(list(scores)).invalidate_recordset(
        ["state", "date_done", "score", "write_uid", "write_date"]
    )


def steps_set_scores(env, scores):
    """Writes civ_review_step.score from [(step id, score)]."""
    if not scores:
        return
    env.flush_all()
    env.cr.execute(
        SQL(
            "UPDATE civ_review_step AS step SET score = v.score FROM (VALUES %s) AS v(id, score) "
            "WHERE step.id = v.id",
            _values(scores, "(%s, %s::numeric)"),
        )
    )
    _invalidate(env, "civ.review.step", ["score"])


def steps_skip_open(env, sheet_ids):
    """At the lock the steps nobody acted on are skipped: writes civ_review_step.state ('skipped') of
    the waiting and pending steps of the sheets."""
    env.flush_all()
    env.cr.execute(
        SQL(
            "UPDATE civ_review_step SET state = 'skipped' WHERE evaluation_id IN %s "
            "AND state IN ('waiting', 'pending')",
            tuple(sheet_ids),
        )
    )
    _invalidate(env, "civ.review.step", ["state"])


def step_points_record(env, step_ids):
    """Keeps what each re-scoring step gave per line: inserts or updates civ_review_step_point
    (step_id, line_id, evaluation_id, points, comment and the magic columns) from the lines' reviewer
    points and notes."""
    env.flush_all()
    env.cr.execute(
        SQL(
            """
            INSERT INTO civ_review_step_point
                   (step_id, line_id, evaluation_id, points, comment, create_uid, create_date, write_uid,
                    write_date)
            SELECT step.id, line.id, line.evaluation_id, line.reviewer_points, line.reviewer_note,
                   %(uid)s, %(now)s, %(uid)s, %(now)s
              FROM civ_review_step AS step
              JOIN civ_evaluation_line AS line ON line.evaluation_id = step.evaluation_id
             WHERE step.id IN %(steps)s
                ON CONFLICT (step_id, line_id) WHERE member_user_id IS NULL DO UPDATE
               SET points = EXCLUDED.points, comment = EXCLUDED.comment,
                   write_uid = EXCLUDED.write_uid, write_date = EXCLUDED.write_date
            """,
            uid=env.uid,
            now=NOW,
            steps=tuple(step_ids),
        )
    )
    _invalidate(env, "civ.review.step.point")
    env["civ.review.step"].browse(step_ids).invalidate_recordset(["point_ids"])


def step_point_unique_indexes(env):
    """Creates (once) the unique indexes of civ_review_step_point: one row per (step, line) for the
    step's own points, one per (step, line, member) for the members of a leadership collective."""
    env.cr.execute(
        SQL(
            "CREATE UNIQUE INDEX IF NOT EXISTS civ_review_step_point_step_line_own "
            "ON civ_review_step_point (step_id, line_id) WHERE member_user_id IS NULL"
        )
    )
    env.cr.execute(
        SQL(
            "CREATE UNIQUE INDEX IF NOT EXISTS civ_review_step_point_step_line_member "
            "ON civ_review_step_point (step_id, line_id, member_user_id) WHERE member_user_id IS NOT NULL"
        )
    )


def products_confirm(env, sheet_ids):
    """A re-scoring level that approves confirms the products: writes civ_evaluation_product.confirmed
    of the sheets' lines."""
    env.flush_all()
    env.cr.execute(
        SQL(
            "UPDATE civ_evaluation_product SET confirmed = TRUE "
            "WHERE evaluation_id IN %s AND confirmed IS NOT TRUE",
            tuple(sheet_ids),
        )
    )
    _invalidate(env, "civ.evaluation.product", ["confirmed"])


def sheets_set_product_scores(env, rows):
    """The task results computed from the products: writes civ_evaluation.product_score_quantity,
    product_score_quality, product_score_progress, product_score_unit, product_points, and self_score
    (in self-assessment) or reviewer_score (in review) when the total changed, from
    [(sheet id, a, b, c, unit, points, is_self, total, total_changed)]."""
    if not rows:
        return
    env.flush_all()
    env.cr.execute(
        SQL(
            """
            UPDATE civ_evaluation AS sheet
               SET product_score_quantity = v.a, product_score_quality = v.b, product_score_progress = v.c,
                   product_score_unit = v.unit, product_points = v.points,
                   self_score = CASE WHEN v.total_changed AND v.is_self THEN v.total
                                     ELSE sheet.self_score END,
                   reviewer_score = CASE WHEN v.total_changed AND NOT v.is_self THEN v.total
                                         ELSE sheet.reviewer_score END
              FROM (VALUES %s) AS v(id, a, b, c, unit, points, is_self, total, total_changed)
             WHERE sheet.id = v.id
            """,
            _values(
                rows,
                "(%s, %s::numeric, %s::numeric, %s::numeric, %s::numeric, %s::numeric, %s, %s::numeric, %s)",
            ),
        )
    )
    _invalidate(
        env,
        "civ.evaluation",
        [
            "product_score_quantity",
            "product_score_quality",
            "product_score_progress",
            "product_score_unit",
            "product_points",
            "self_score",
            "reviewer_score",
        ],
    )


# ---------------------------------------------------------------------- the lock of the sheets
def sheets_close_not_evaluated(env, sheet_ids, reason_review, reason_draft):
    """Sheets closed at the lock as not evaluated: writes civ_evaluation.not_evaluated, final_score (0),
    level_id (empty), decided_at_deadline (in review), not_evaluated_reason."""
    env.flush_all()
    env.cr.execute(
        SQL(
            """
            UPDATE civ_evaluation SET not_evaluated = TRUE, final_score = 0, level_id = NULL,
                   decided_at_deadline = (state = 'review'),
                   not_evaluated_reason = CASE WHEN state = 'review' THEN %s ELSE %s END
             WHERE id IN %s
            """,
            reason_review,
            reason_draft,
            tuple(sheet_ids),
        )
    )
    env["civ.evaluation"].browse(sheet_ids).invalidate_recordset(
        ["not_evaluated", "final_score", "level_id", "decided_at_deadline", "not_evaluated_reason"]
    )


def sheets_decide_at_deadline(env, rows):
    """Sheets decided at the lock by the company's rule: writes civ_evaluation.final_score, level_id,
    level_reason, quota_exceeded, quota_reason, quota_figures, decided_at_deadline, date_decided from
    [(sheet id, total, level id, level reason, exceeded, quota reason, quota figures)]."""
    env.flush_all()
    env.cr.execute(
        SQL(
            """
            UPDATE civ_evaluation AS sheet
               SET final_score = v.total::numeric, level_id = v.level_id::integer,
                   level_reason = v.level_reason, quota_exceeded = v.exceeded,
                   quota_reason = v.quota_reason, quota_figures = v.quota_figures,
                   decided_at_deadline = TRUE, date_decided = %s
              FROM (VALUES %s) AS v(id, total, level_id, level_reason, exceeded, quota_reason, quota_figures)
             WHERE sheet.id = v.id
            """,
            NOW,
            _values(rows, "(%s, %s, %s, %s, %s, %s, %s)"),
        )
    )
    env["civ.evaluation"].browse([row[0] for row in rows]).invalidate_recordset(
        [
            "final_score",
            "level_id",
            "level_reason",
            "quota_exceeded",
            "quota_reason",
            "quota_figures",
            "decided_at_deadline",
            "date_decided",
        ]
    )


def sheets_finish_at_lock(env, sheet_ids):
    """The sheets finished by the lock rules are decided: writes civ_evaluation.state ('done') of those
    in review and of the drafts not closed as not evaluated (those stay drafts, so that reopening gives
    them back to their employee)."""
    env.flush_all()
    env.cr.execute(
        SQL(
            "UPDATE civ_evaluation SET state = 'done' "
            "WHERE id IN %s AND (state = 'review' OR not_evaluated IS NOT TRUE)",
            tuple(sheet_ids),
        )
    )
    env["civ.evaluation"].browse(sheet_ids).invalidate_recordset(["state"])


def sheets_lock(env, sheet_ids):
    """Locks the sheets (the write guards refuse any change to a locked sheet): writes
    civ_evaluation.pre_lock_state (= state), state ('locked'), current_step_id and
    current_reviewer_user_id (empty), write_date, write_uid. Invalidates every cached field (the lock
    ends the workflow's caches)."""
    env.flush_all()
    env.cr.execute(
        SQL(
            """
            UPDATE civ_evaluation
               SET pre_lock_state = state, state = 'locked', current_step_id = NULL,
                   current_reviewer_user_id = NULL, write_date = %s, write_uid = %s
             WHERE id IN %s AND state != 'locked'
            """,
            NOW,
            env.uid,
            tuple(sheet_ids),
        )
    )
    env.invalidate_all()


def sheets_unlock(env, sheet_ids):
    """Reopens locked sheets (the write guards refuse any change to a locked sheet): writes
    civ_evaluation.state (= pre_lock_state, else 'done'), pre_lock_state (empty), write_date,
    write_uid."""
    env.flush_all()
    env.cr.execute(
        SQL(
            """
            UPDATE civ_evaluation
               SET state = COALESCE(pre_lock_state, 'done'), pre_lock_state = NULL,
                   write_date = %s, write_uid = %s
             WHERE id IN %s
            """,
            NOW,
            env.uid,
            tuple(sheet_ids),
        )
    )
    env["civ.evaluation"].browse(sheet_ids).invalidate_recordset()


# ---------------------------------------------------------------------- the seals' chains
# (the hashes themselves are computed and written by civ_seal.seal_chain)
def month_seal_chain(env, period_id):
    """{sheet id: stored hash} of a month's chain, in the order of the sheets' ids. Writes nothing;
    flushes civ_evaluation.seal_hash first."""
    env["civ.evaluation"].flush_model(["seal_hash", "period_id"])
    env.cr.execute(
        SQL("SELECT id, seal_hash FROM civ_evaluation WHERE period_id = %s ORDER BY id", period_id)
    )
    return dict(env.cr.fetchall())


def period_store_seal(env, period_id, last, when, count):
    """Writes civ_period.seal_hash (the chain's last hash), seal_date and seal_count of one period;
    invalidates them."""
    env.cr.execute(
        SQL(
            "UPDATE civ_period SET seal_hash = %s, seal_date = %s, seal_count = %s WHERE id = %s",
            last or None,
            when,
            count,
            period_id,
        )
    )
    env["civ.period"].browse(period_id).invalidate_recordset(["seal_hash", "seal_date", "seal_count"])


def periods_discard_seals(env, period_ids):
    """Writes civ_period.seal_hash, seal_date, seal_count, seal_upgrade_date, seal_upgrade_version and
    civ_evaluation.seal_hash of the periods' sheets (all emptied: the periods are reopened);
    invalidates them."""
    ids = tuple(period_ids)
    env.cr.execute(
        SQL(
            "UPDATE civ_period SET seal_hash = NULL, seal_date = NULL, seal_count = 0, "
            "seal_upgrade_date = NULL, seal_upgrade_version = NULL WHERE id IN %s",
            ids,
        )
    )
    env.cr.execute(SQL("UPDATE civ_evaluation SET seal_hash = NULL WHERE period_id IN %s", ids))
    env["civ.period"].browse(ids).invalidate_recordset(
        ["seal_hash", "seal_date", "seal_count", "seal_upgrade_date", "seal_upgrade_version"]
    )
    _invalidate(env, "civ.evaluation", ["seal_hash"])


def year_result_chain(env, company_id, year):
    """{result id: stored hash} of the chain of the year-end results of a company and year: its
    decided results and those that still carry a hash, in the order of their ids. Writes nothing;
    flushes the columns it reads first."""
    env["civ.annual.result"].flush_model(["seal_hash", "state", "company_id", "year"])
    env.cr.execute(
        SQL(
            "SELECT id, seal_hash FROM civ_annual_result WHERE company_id = %s AND year = %s "
            "AND (state = 'done' OR seal_hash IS NOT NULL) ORDER BY id",
            company_id,
            year,
        )
    )
    return dict(env.cr.fetchall())


def year_results_to_seal(env, company_id, year):
    """The ids of the decided results of a company and year, in order. Writes
    civ_annual_result.seal_hash (emptied) of its results no longer decided; invalidates it."""
    env["civ.annual.result"].flush_model(["seal_hash", "state", "company_id", "year"])
    env.cr.execute(
        SQL(
            "UPDATE civ_annual_result SET seal_hash = NULL WHERE company_id = %s AND year = %s "
            "AND state != 'done' AND seal_hash IS NOT NULL",
            company_id,
            year,
        )
    )
    _invalidate(env, "civ.annual.result", ["seal_hash"])
    env.cr.execute(
        SQL(
            "SELECT id FROM civ_annual_result WHERE company_id = %s AND year = %s AND state = 'done' "
            "ORDER BY id",
            company_id,
            year,
        )
    )
    return [row[0] for row in env.cr.fetchall()]


# ---------------------------------------------------------------------- bulk inserts
def insert_rows(env, model, columns, rows, chunk=1000):
    """Inserts rows (tuples of column values, already converted for the columns, SQL_DEFAULT for a
    default) into the table of model, chunk rows per statement; returns the new ids. The caller has
    prepared the values as create() would, validates the constraints on the returned records and
    invalidates the one2many fields that list them (it knows which)."""
    Model = env[model]
    env.flush_all()
    ids = []
    for part in split_every(chunk, rows):
        env.cr.execute(
            SQL(
                "INSERT INTO %s (%s) VALUES %s RETURNING id",
                SQL.identifier(Model._table),
                SQL(", ").join(SQL.identifier(fname) for fname in columns),
                SQL(", ").join(part),
            )
        )
        ids.extend(row[0] for row in env.cr.fetchall())
    return ids
