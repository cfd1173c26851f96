"""Benchmark of the monthly cycle at city scale (issue 4).

Builds an organisation of N employees (departments 4 levels deep) and a framework of 15 criteria,
then times period.action_open(), a reviewer's "to review" search and period.action_lock(), and
compares action_open() with a raw SQL insert of the same sheet, line and step rows.

Targets on a 2-core machine with N = 10,000: open <= 60 s and within 10x the raw insert;
lock <= 30 s; the reviewer's search <= 0.2 s.
"""

import statistics
import time
from datetime import date

from bench_common import build_org, odoo_registry, parse_args, timed
from psycopg2.extras import execute_values

TARGETS = {"open": 60.0, "ratio": 10.0, "lock": 30.0, "search": 0.2}


def make_framework(env):
    """A valid framework of 3 groups and 15 criteria (5 + 7 standard, 3 bonus)."""
    framework = env["civ.framework"].create({
        "name": "Bench framework",
        "code": "BENCH",
        "period_kind": "month",
        "max_score": 100,
        "score_ceiling": 100,
        "group_ids": [
            (0, 0, {"code": "G1", "name": "Discipline", "kind": "standard", "max_points": 30, "sequence": 1,
                    "criterion_ids": [(0, 0, {"code": f"G1.{i}", "name": f"Criterion 1.{i}", "max_points": 6,
                                              "sequence": i}) for i in range(1, 6)]}),
            (0, 0, {"code": "G2", "name": "Results", "kind": "standard", "max_points": 70, "sequence": 2,
                    "criterion_ids": [(0, 0, {"code": f"G2.{i}", "name": f"Criterion 2.{i}", "max_points": 10,
                                              "sequence": i}) for i in range(1, 8)]}),
            (0, 0, {"code": "G3", "name": "Bonus", "kind": "bonus", "max_points": 10, "sequence": 3,
                    "criterion_ids": [(0, 0, {"code": f"G3.{i}", "name": f"Bonus {i}", "max_points": m,
                                              "sequence": i}) for i, m in ((1, 4), (2, 3), (3, 3))]}),
        ],
        "level_ids": [
            (0, 0, {"sequence": 1, "code": "A", "name": "Excellent", "min_score": 90}),
            (0, 0, {"sequence": 2, "code": "B", "name": "Good", "min_score": 70}),
            (0, 0, {"sequence": 3, "code": "C", "name": "Completed", "min_score": 50}),
            (0, 0, {"sequence": 4, "code": "D", "name": "Not completed", "min_score": 0}),
        ],
    })
    framework.action_validate()
    assert len(framework.group_ids.criterion_ids) == 15
    return framework


def table_rows(cr, table, where, params):
    cr.execute(f"SELECT * FROM {table} WHERE {where} ORDER BY id", params)  # noqa: S608 (fixed names)
    columns = [col.name for col in cr.description]
    return columns, cr.fetchall()


def raw_insert(env, period, other_period):
    """Insert, in plain SQL, a copy of every sheet, line and step row of `period` into `other_period`;
    return the time it took (the copy is rolled back by the caller)."""
    cr = env.cr
    s_cols, sheets = table_rows(cr, "civ_evaluation", "period_id = %s", [period.id])
    l_cols, lines = table_rows(
        cr, "civ_evaluation_line",
        "evaluation_id IN (SELECT id FROM civ_evaluation WHERE period_id = %s)", [period.id])
    t_cols, steps = table_rows(
        cr, "civ_review_step",
        "evaluation_id IN (SELECT id FROM civ_evaluation WHERE period_id = %s)", [period.id])
    start = time.perf_counter()
    s_id, s_period = s_cols.index("id"), s_cols.index("period_id")
    ins_cols = [c for c in s_cols if c != "id"]
    sheet_rows = []
    for row in sheets:
        values = list(row)
        values[s_period] = other_period.id
        sheet_rows.append(tuple(v for i, v in enumerate(values) if i != s_id))
    new_ids = execute_values(
        cr, f"INSERT INTO civ_evaluation ({', '.join(ins_cols)}) VALUES %s RETURNING id",  # noqa: S608
        sheet_rows, page_size=1000, fetch=True)
    id_map = {old[s_id]: new[0] for old, new in zip(sheets, new_ids, strict=True)}
    for cols, rows, table in ((l_cols, lines, "civ_evaluation_line"), (t_cols, steps, "civ_review_step")):
        i_id, i_sheet = cols.index("id"), cols.index("evaluation_id")
        out_cols = [c for c in cols if c != "id"]
        out = []
        for row in rows:
            values = list(row)
            values[i_sheet] = id_map[values[i_sheet]]
            out.append(tuple(v for i, v in enumerate(values) if i != i_id))
        execute_values(cr, f"INSERT INTO {table} ({', '.join(out_cols)}) VALUES %s", out,  # noqa: S608
                       page_size=1000)
    return time.perf_counter() - start, len(sheets), len(lines), len(steps)


def put_in_review(env, period):
    """Submit every sheet at SQL speed: first step pending, current reviewer set."""
    cr = env.cr
    cr.execute("""
        WITH first_step AS (
            SELECT DISTINCT ON (evaluation_id) id, evaluation_id, reviewer_user_id
              FROM civ_review_step
             WHERE evaluation_id IN (SELECT id FROM civ_evaluation WHERE period_id = %s)
          ORDER BY evaluation_id, sequence, id)
        UPDATE civ_evaluation e
           SET state = 'review', current_step_id = f.id, current_reviewer_user_id = f.reviewer_user_id
          FROM first_step f
         WHERE f.evaluation_id = e.id
    """, [period.id])
    cr.execute("""
        UPDATE civ_review_step SET state = 'pending'
         WHERE id IN (SELECT current_step_id FROM civ_evaluation WHERE period_id = %s)
    """, [period.id])
    env.invalidate_all()


def decide_most(env, period, levels):
    """80 % of the sheets decided with a spread of scores, 10 % left in review, 10 % back in draft."""
    cr = env.cr
    by_code = {level.code: level.id for level in levels}
    cr.execute("""
        UPDATE civ_evaluation e SET state = 'done', final_score = s.score,
               level_id = CASE WHEN s.score >= 90 THEN %(A)s WHEN s.score >= 70 THEN %(B)s
                               WHEN s.score >= 50 THEN %(C)s ELSE %(D)s END,
               current_step_id = NULL, current_reviewer_user_id = NULL
          FROM (SELECT id, 45 + (id %% 55) AS score FROM civ_evaluation WHERE period_id = %(period)s) s
         WHERE s.id = e.id AND e.id %% 10 < 8
    """, dict(by_code, period=period.id))
    cr.execute("""
        UPDATE civ_evaluation SET state = 'draft', current_step_id = NULL, current_reviewer_user_id = NULL
         WHERE period_id = %s AND id %% 10 = 9
    """, [period.id])
    cr.execute("""
        UPDATE civ_evaluation_line l SET self_points = 5, reviewer_points = 5
          FROM civ_evaluation e WHERE e.id = l.evaluation_id AND e.period_id = %s
    """, [period.id])
    env.invalidate_all()


def main():
    args = parse_args(__doc__)
    registry = odoo_registry(args)
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    results = {}
    print(f"Monthly cycle benchmark: {args.employees} employees, database {args.database}")
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        with timed(results, "build the organisation (setup, not a target)"):
            org = build_org(env, args.employees)
            framework = make_framework(env)
            period = env["civ.period"].create({
                "company_id": env.company.id, "framework_id": framework.id, "date_start": date(2026, 1, 1)})
            cr.commit()
        employees = len(org["heads"]) + len(org["staff"])
        print(f"  {employees} employees, {len(org['departments'])} departments")

        with timed(results, "open: period.action_open()"):
            period.action_open()
            env.flush_all()
            cr.commit()
        cr.execute("SELECT count(*) FROM civ_evaluation WHERE period_id = %s", [period.id])
        n_opened = cr.fetchone()[0]
        print(f"  sheets opened: {n_opened}")

        other = env["civ.period"].create({
            "company_id": env.company.id, "framework_id": framework.id, "date_start": date(2026, 2, 1)})
        env.flush_all()
        raw, n_sheets, n_lines, n_steps = raw_insert(env, period, other)
        cr.rollback()
        results["raw insert of the same rows"] = raw
        print(f"  {'raw SQL insert of the same rows':<52} {raw:8.2f} s "
              f"({n_sheets} sheets, {n_lines} lines, {n_steps} steps)")
        results["ratio"] = results["open: period.action_open()"] / raw

        put_in_review(env, period)
        cr.commit()
        cr.execute("""
            SELECT current_reviewer_user_id, count(*) FROM civ_evaluation
             WHERE period_id = %s AND current_reviewer_user_id IS NOT NULL
          GROUP BY 1 ORDER BY 2 DESC LIMIT 1
        """, [period.id])
        reviewer_id, waiting = cr.fetchone()
        reviewer = env["res.users"].browse(reviewer_id)
        domain = [("current_reviewer_user_id", "=", reviewer_id), ("state", "=", "review")]
        timings = []
        for _ in range(5):
            env.invalidate_all()
            start = time.perf_counter()
            found = env["civ.evaluation"].with_user(reviewer).search(domain)
            found.read(["employee_id", "self_score", "review_deadline"])
            timings.append(time.perf_counter() - start)
        results["search"] = max(timings[1:])
        print(f"  {'reviewer search (to review, as the reviewer)':<52} {results['search']:8.3f} s "
              f"(max of 4 warm runs; median {statistics.median(timings):.3f} s; "
              f"{len(found)} of {waiting} sheets, {n_opened} in the period)")
        assert len(found) == waiting

        decide_most(env, period, framework.level_ids)
        cr.commit()
        with timed(results, "lock: period.action_lock()"):
            period.action_lock()
            env.flush_all()
            cr.commit()
        cr.execute("SELECT count(*) FROM civ_evaluation WHERE period_id = %s AND state = 'locked'",
                   [period.id])
        print(f"  sheets locked: {cr.fetchone()[0]}")

    checks = [
        ("open <= 60 s", results["open: period.action_open()"] <= TARGETS["open"]),
        ("open within 10x raw insert", results["ratio"] <= TARGETS["ratio"]),
        ("lock <= 30 s", results["lock: period.action_lock()"] <= TARGETS["lock"]),
        ("reviewer search <= 0.2 s", results["search"] <= TARGETS["search"]),
    ]
    print(f"  ratio open / raw insert: {results['ratio']:.1f}x")
    for label, ok in checks:
        print(f"  [{'ok' if ok else 'MISSED'}] {label}")


if __name__ == "__main__":
    main()
