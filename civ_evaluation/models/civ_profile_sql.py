"""The SQL of the review-quality profiles (civ.reviewer.profile, civ.unit.profile): two read-only views
over the locked months, in one place. Both compare with the company's reference distribution
(civ.reference.distribution: its first active one, else the first shared one).

The level of a sheet is compared by its rank in its framework (1 = the best level, 4 = the fourth
and any below it), so that frameworks with different codes compare with one another and with the
reference. Sheets closed as not evaluated are left out.

**Speed.** An officer or a head reads one company's rows: the views are written so that PostgreSQL
pushes that filter down to the sheets of the company (the shared ``sheet`` CTE is NOT MATERIALIZED,
the windows partition by company first, no window over the whole result), instead of aggregating
every locked month of the database first (bench/bench_year_end.py measures the pages).
"""

from odoo.tools import SQL

# what the views read, flushed by the ORM before it reads them (the models' _depends)
SHEET_DEPENDS = {
    "civ.evaluation": [
        "period_id",
        "company_id",
        "department_id",
        "self_score",
        "final_score",
        "level_id",
        "state",
        "not_evaluated",
    ],
    "civ.period": ["state", "date_start"],
    "civ.level": ["framework_id", "sequence"],
    "civ.reference.distribution": [
        "active",
        "company_id",
        "sequence",
        "share_1",
        "share_2",
        "share_3",
        "share_4",
        "min_sheets",
        "flag_unchanged_share",
        "flag_leniency",
        "flag_unit_months",
        "uniform_spread",
    ],
}
REVIEWER_DEPENDS = dict(
    SHEET_DEPENDS,
    **{
        "civ.review.step": [
            "evaluation_id",
            "reviewer_user_id",
            "reviewer_employee_id",
            "can_rescore",
            "state",
            "score",
        ],
        "civ.review.step.point": ["step_id", "line_id", "points"],
        "civ.evaluation.line": ["self_points"],
        "hr.employee": ["department_id"],
        "hr.department": ["parent_path"],
    },
)
GROUP_DEPENDS = dict(REVIEWER_DEPENDS, **{"civ.evaluation.line": ["self_points", "group_id"]})

# the locked, evaluated sheets with the rank of their level, and the reference of their company
_SHEETS = """
    level_rank AS (
        SELECT id, LEAST(4, rank() OVER (PARTITION BY framework_id ORDER BY sequence, id)) AS rank
          FROM civ_level
    ),
    sheet AS NOT MATERIALIZED (
        SELECT e.id, e.period_id, p.date_start, e.company_id, e.department_id, e.self_score,
               e.final_score, r.rank
          FROM civ_evaluation e
          JOIN civ_period p ON p.id = e.period_id AND p.state = 'locked'
          LEFT JOIN level_rank r ON r.id = e.level_id
         WHERE e.state = 'locked' AND NOT COALESCE(e.not_evaluated, FALSE)
    ),
    reference AS (
        SELECT c.id AS company_id, d.id, d.share_1, d.share_2, d.share_3, d.share_4, d.min_sheets,
               d.flag_unchanged_share, d.flag_leniency, d.flag_unit_months, d.uniform_spread,
               (d.share_1 + 2 * d.share_2 + 3 * d.share_3 + 4 * d.share_4)
                 / NULLIF(d.share_1 + d.share_2 + d.share_3 + d.share_4, 0) AS mean_rank
          FROM res_company c
          JOIN LATERAL (
                SELECT * FROM civ_reference_distribution d
                 WHERE d.active AND (d.company_id = c.id OR d.company_id IS NULL)
              ORDER BY d.company_id IS NULL, d.sequence, d.id
                 LIMIT 1
          ) d ON TRUE
    )
"""


def _shares(alias, rank="rank"):
    """The share (%) of each rank among the ranked sheets of the group, as share_1 … share_4."""
    return SQL(", ").join(
        SQL(
            "ROUND(100.0 * COUNT(*) FILTER (WHERE %s = %s) / NULLIF(COUNT(%s), 0), 1) AS %s",
            SQL.identifier(alias, rank),
            number,
            SQL.identifier(alias, rank),
            SQL.identifier(f"share_{number}"),
        )
        for number in (1, 2, 3, 4)
    )


def create_reviewer_profile_view(cr, table):
    """One row per reviewer and locked month: the re-scoring steps they approved (sheet_count), how
    many passed the self points unchanged (every line's points and the total equal to the employee's),
    the mean and spread of the change (the step's points minus the self points), the shares of the
    levels of those sheets against their unit's (the reviewer's department and its sub-units), the
    agency's and the reference's, the leniency index and the flag (see civ.reference.distribution)."""
    cr.execute(SQL("DROP VIEW IF EXISTS %s", SQL.identifier(table)))
    cr.execute(
        SQL(
            """
        CREATE VIEW %(table)s AS (
        WITH %(sheets)s,
        step AS (
            SELECT s.id, s.reviewer_user_id, s.reviewer_employee_id, sheet.period_id, sheet.date_start,
                   sheet.company_id, sheet.rank, s.score - sheet.self_score AS change,
                   ABS(s.score - sheet.self_score) <= 0.005 AND NOT EXISTS (
                       SELECT 1 FROM civ_review_step_point sp
                         JOIN civ_evaluation_line l ON l.id = sp.line_id
                        WHERE sp.step_id = s.id AND ABS(sp.points - l.self_points) > 0.005
                   ) AS unchanged
              FROM civ_review_step s
              JOIN sheet ON sheet.id = s.evaluation_id
             WHERE s.state = 'approved' AND s.can_rescore AND s.reviewer_user_id IS NOT NULL
        ),
        given AS NOT MATERIALIZED (
            SELECT MIN(step.id) AS id, step.reviewer_user_id, MIN(step.reviewer_employee_id) AS employee_id,
                   step.period_id, step.date_start, step.company_id, COUNT(*) AS sheet_count,
                   COUNT(*) FILTER (WHERE step.unchanged) AS unchanged_count,
                   ROUND(AVG(step.change)::numeric, 2) AS mean_change,
                   ROUND(COALESCE(STDDEV_POP(step.change), 0)::numeric, 2) AS change_spread,
                   AVG(step.rank) AS mean_rank, %(given_shares)s
              FROM step
          GROUP BY step.reviewer_user_id, step.period_id, step.date_start, step.company_id
        ),
        agency AS (
            SELECT sheet.period_id, sheet.company_id, %(agency_shares)s
              FROM sheet GROUP BY sheet.period_id, sheet.company_id
        ),
        unit AS NOT MATERIALIZED (
            SELECT sheet.company_id, sheet.period_id, sheet.department_id, COUNT(sheet.rank) AS ranked,
                   COUNT(*) FILTER (WHERE sheet.rank = 1) AS rank_1,
                   COUNT(*) FILTER (WHERE sheet.rank = 2) AS rank_2,
                   COUNT(*) FILTER (WHERE sheet.rank = 3) AS rank_3,
                   COUNT(*) FILTER (WHERE sheet.rank = 4) AS rank_4
              FROM sheet GROUP BY sheet.company_id, sheet.period_id, sheet.department_id
        ),
        unit_tree AS (
            -- the levels of the reviewer's unit and its sub-units, one row per row of "given" (joined
            -- on its id and company, so that the company's filter reaches it and a count skips it)
            SELECT given.id, given.company_id,
                   ROUND(100.0 * SUM(unit.rank_1) / NULLIF(SUM(unit.ranked), 0), 1) AS share_1,
                   ROUND(100.0 * SUM(unit.rank_2) / NULLIF(SUM(unit.ranked), 0), 1) AS share_2,
                   ROUND(100.0 * SUM(unit.rank_3) / NULLIF(SUM(unit.ranked), 0), 1) AS share_3,
                   ROUND(100.0 * SUM(unit.rank_4) / NULLIF(SUM(unit.ranked), 0), 1) AS share_4
              FROM given
              JOIN hr_employee employee ON employee.id = given.employee_id
              JOIN hr_department department ON department.id = employee.department_id
              JOIN hr_department member ON member.parent_path LIKE department.parent_path || %(any)s
              JOIN unit ON unit.department_id = member.id AND unit.period_id = given.period_id
                       AND unit.company_id = given.company_id
          GROUP BY given.id, given.company_id
        )
        SELECT given.id, given.reviewer_user_id, given.employee_id AS reviewer_employee_id,
               employee.department_id AS reviewer_department_id, given.period_id, given.date_start,
               given.company_id, given.sheet_count, given.unchanged_count,
               ROUND(100.0 * given.unchanged_count / given.sheet_count, 1) AS unchanged_share,
               given.mean_change, given.change_spread,
               given.share_1, given.share_2, given.share_3, given.share_4,
               unit_tree.share_1 AS unit_share_1, unit_tree.share_2 AS unit_share_2,
               unit_tree.share_3 AS unit_share_3, unit_tree.share_4 AS unit_share_4,
               agency.share_1 AS agency_share_1, agency.share_2 AS agency_share_2,
               agency.share_3 AS agency_share_3, agency.share_4 AS agency_share_4,
               reference.id AS reference_id,
               reference.share_1 AS reference_share_1, reference.share_2 AS reference_share_2,
               reference.share_3 AS reference_share_3, reference.share_4 AS reference_share_4,
               ROUND(((reference.mean_rank - given.mean_rank) / 3.0 * 100)::numeric, 1) AS leniency_index,
               COALESCE(
                   given.sheet_count >= reference.min_sheets AND (
                       100.0 * given.unchanged_count / given.sheet_count >= reference.flag_unchanged_share
                       OR (reference.mean_rank - given.mean_rank) / 3.0 * 100 >= reference.flag_leniency
                   ), FALSE) AS flagged
          FROM given
          LEFT JOIN hr_employee employee ON employee.id = given.employee_id
          LEFT JOIN agency ON agency.period_id = given.period_id AND agency.company_id = given.company_id
          LEFT JOIN reference ON reference.company_id = given.company_id
          LEFT JOIN unit_tree ON unit_tree.id = given.id AND unit_tree.company_id = given.company_id
        )""",
            table=SQL.identifier(table),
            sheets=SQL(_SHEETS),
            given_shares=_shares("step"),
            agency_shares=_shares("sheet"),
            any="%",
        )
    )


def create_unit_profile_view(cr, table):
    """One row per unit (department) and locked month: its sheets, the shares of their levels against
    the reference, the spread of their final points (uniform when within the reference's spread),
    whether a level below the second was given, how many locked months in a row up to this one had
    none, and the flag (see civ.reference.distribution)."""
    cr.execute(SQL("DROP VIEW IF EXISTS %s", SQL.identifier(table)))
    cr.execute(
        SQL(
            """
        CREATE VIEW %(table)s AS (
        WITH %(sheets)s,
        month AS (
            SELECT MIN(sheet.id) AS id, sheet.department_id, sheet.period_id, sheet.date_start,
                   sheet.company_id, COUNT(*) AS sheet_count,
                   ROUND(MIN(sheet.final_score)::numeric, 2) AS min_score,
                   ROUND(MAX(sheet.final_score)::numeric, 2) AS max_score,
                   COUNT(*) FILTER (WHERE sheet.rank >= 3) > 0 AS has_low, %(shares)s
              FROM sheet
             WHERE sheet.department_id IS NOT NULL
          GROUP BY sheet.department_id, sheet.period_id, sheet.date_start, sheet.company_id
        ),
        run AS (
            SELECT month.*,
                   SUM(CASE WHEN month.has_low THEN 1 ELSE 0 END) OVER (
                       PARTITION BY month.company_id, month.department_id
                           ORDER BY month.date_start, month.period_id
                   ) AS low_group
              FROM month
        ),
        streak AS (
            SELECT run.*,
                   CASE WHEN run.has_low THEN 0
                        ELSE COUNT(*) FILTER (WHERE NOT run.has_low) OVER (
                            PARTITION BY run.company_id, run.department_id, run.low_group
                                ORDER BY run.date_start, run.period_id
                        ) END AS months_without_low
              FROM run
        )
        SELECT streak.id, streak.department_id, streak.period_id, streak.date_start, streak.company_id,
               streak.sheet_count, streak.min_score, streak.max_score,
               streak.max_score - streak.min_score AS spread, streak.has_low,
               streak.share_1, streak.share_2, streak.share_3, streak.share_4,
               reference.id AS reference_id,
               reference.share_1 AS reference_share_1, reference.share_2 AS reference_share_2,
               reference.share_3 AS reference_share_3, reference.share_4 AS reference_share_4,
               COALESCE(streak.max_score - streak.min_score <= reference.uniform_spread, FALSE) AS uniform,
               streak.months_without_low,
               COALESCE(
                   streak.months_without_low >= reference.flag_unit_months
                   OR (streak.sheet_count >= reference.min_sheets
                       AND streak.max_score - streak.min_score <= reference.uniform_spread),
                   FALSE) AS flagged
          FROM streak
          LEFT JOIN reference ON reference.company_id = streak.company_id
        )""",
            table=SQL.identifier(table),
            sheets=SQL(_SHEETS),
            shares=_shares("sheet"),
        )
    )


def create_reviewer_group_profile_view(cr, table):
    """One row per reviewer, locked month and criteria group: over the re-scoring steps they approved,
    the mean and spread of the change of the group's points (the sum of the points the reviewer gave
    its criteria minus the sum of the self points)."""
    cr.execute(SQL("DROP VIEW IF EXISTS %s", SQL.identifier(table)))
    cr.execute(
        SQL(
            """
        CREATE VIEW %(table)s AS (
        WITH %(sheets)s,
        change AS (
            SELECT s.id AS step_id, MIN(sp.id) AS point_id, s.reviewer_user_id, s.reviewer_employee_id,
                   sheet.period_id, sheet.date_start, sheet.company_id, l.group_id,
                   SUM(sp.points - l.self_points) AS change
              FROM civ_review_step s
              JOIN sheet ON sheet.id = s.evaluation_id
              JOIN civ_review_step_point sp ON sp.step_id = s.id
              JOIN civ_evaluation_line l ON l.id = sp.line_id
             WHERE s.state = 'approved' AND s.can_rescore AND s.reviewer_user_id IS NOT NULL
               AND l.group_id IS NOT NULL
          GROUP BY s.id, s.reviewer_user_id, s.reviewer_employee_id, sheet.period_id, sheet.date_start,
                   sheet.company_id, l.group_id
        )
        SELECT MIN(change.point_id) AS id,
               change.reviewer_user_id, MIN(employee.department_id) AS reviewer_department_id,
               change.period_id, change.date_start, change.company_id, change.group_id,
               COUNT(*) AS sheet_count,
               COUNT(*) FILTER (WHERE ABS(change.change) > 0.005) AS changed_count,
               ROUND(AVG(change.change)::numeric, 2) AS mean_change,
               ROUND(COALESCE(STDDEV_POP(change.change), 0)::numeric, 2) AS change_spread
          FROM change
          LEFT JOIN hr_employee employee ON employee.id = change.reviewer_employee_id
      GROUP BY change.reviewer_user_id, change.period_id, change.date_start, change.company_id,
               change.group_id
        )""",
            table=SQL.identifier(table),
            sheets=SQL(_SHEETS),
        )
    )
