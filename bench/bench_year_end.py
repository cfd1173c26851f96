"""Benchmark of the year-end preparation and of the storage of the months (issue 14).

Run by `make bench` only with BENCH_YEAR_END=1, after bench_cycle.py (same database): it uses that
script's city and its locked month (January 2026: sheets, lines, review steps opened, reviewed and
locked through the addon, sealed by the real seal). It then

1. measures the storage of the evaluation tables and of each of their indexes after that one month;
2. generates in SQL the 11 other months of 2026 for every agency, as locked months: copies of the
   locked January rows (sheets, lines, steps, the points of the levels) in new periods, the scores
   shifted a little each month (levels following the shifted score), each period locked (at the
   time January was) with a seal hash. Generated rows are NOT sealed by the real seal (the periods
   carry January's hash and count): sealing 1.1 million generated sheets is what the lock of each
   month does, measured by bench_cycle.py;
3. measures the storage again (12 months): bytes per sheet-month and the projection to 5 years;
4. runs the year-end preparation as the scheduled action does (civ.annual.result._civ_prepare_year_end
   on 5 January 2027 for the agencies whose deadline is 15 January, one agency per call, a commit
   after each call as the scheduler does), timing it and measuring the process's memory (maximum
   resident set size, and the resident size after each call).

Targets for 100,000 people: the preparation of 100,000 people x 12 locked months <= 15 minutes,
memory bounded (flat from one call to the next).
"""

import resource
import time
from datetime import date

from bench_common import TABLES, find_city, odoo_registry, parse_args, print_storage, storage, timed

TARGET_SECONDS = 15 * 60
# the review-quality pages of one agency (issue 23): <= 2 s at 100,000 people x 12 months
PROFILE_TARGET_SECONDS = 2
YEAR = 2026


def rss_mib():
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def max_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def shift_columns(cr, table, overrides):
    """The column list of `table` and the SELECT expressions copying a row with `overrides`."""
    cr.execute(
        """
        SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped
      ORDER BY attnum
    """,
        [table],
    )
    columns = [row[0] for row in cr.fetchall()]
    return ", ".join(columns), ", ".join(overrides.get(column, f"src.{column}") for column in columns)


def generate_months(env, january):
    """Copy the locked January periods of the city into the 11 other months of the year (SQL)."""
    cr = env.cr
    Period = env["civ.period"].with_context(tracking_disable=True, mail_create_nolog=True)
    for table in TABLES:  # foreign key checks planned with the real sizes (see clone_rows)
        cr.execute(f"ANALYZE {table}")  # noqa: S608
    span = {}  # {table: (lowest id of January, width of January's ids, highest id of the table)}
    for table in TABLES:
        if table == "civ_evaluation":
            cr.execute("SELECT min(id), max(id) FROM civ_evaluation WHERE period_id = ANY(%s)", [january.ids])
        else:
            cr.execute(
                f"SELECT min(t.id), max(t.id) FROM {table} t JOIN civ_evaluation e "  # noqa: S608
                "ON e.id = t.evaluation_id WHERE e.period_id = ANY(%s)",
                [january.ids],
            )
        low, high = cr.fetchone()
        cr.execute(f"SELECT max(id) FROM {table}")  # noqa: S608
        span[table] = (low or 0, (high or 0) - (low or 0) + 1, cr.fetchone()[0] or 0)
    for month in range(2, 13):
        start = time.perf_counter()
        periods = Period.create(
            [
                {
                    "company_id": period.company_id.id,
                    "framework_id": period.framework_id.id,
                    "date_start": date(YEAR, month, 1),
                }
                for period in january
            ]
        )
        env.flush_all()
        k = month - 2
        delta = {table: top + 1 - low + k * width for table, (low, width, top) in span.items()}
        cr.execute("DROP TABLE IF EXISTS bench_period_map")
        cr.execute(
            "CREATE TEMP TABLE bench_period_map AS SELECT * FROM unnest(%s::int[], %s::int[]) "
            "AS m(old_id, new_id)",
            [january.ids, periods.ids],
        )
        shift = month % 5 - 2  # -2..+2 points from one month to the next
        d_sheet, d_line, d_step, d_point = (delta[table] for table in TABLES)
        columns, select = shift_columns(
            cr,
            "civ_evaluation",
            {
                "id": f"src.id + {d_sheet}",
                "period_id": "m.new_id",
                "current_step_id": f"src.current_step_id + {d_step}",
                "final_score": f"CASE WHEN src.final_score > 0 THEN LEAST(100, src.final_score + {shift}) "
                "ELSE src.final_score END",
            },
        )
        cr.execute(
            f"INSERT INTO civ_evaluation ({columns}) SELECT {select} FROM civ_evaluation src "  # noqa: S608
            "JOIN bench_period_map m ON m.old_id = src.period_id"
        )
        n_sheets = cr.rowcount
        # the level follows the shifted score (the framework's levels, best first)
        cr.execute(
            """
            UPDATE civ_evaluation e SET level_id = (
                SELECT l.id FROM civ_level l
                 WHERE l.framework_id = e.framework_id AND l.min_score <= e.final_score
              ORDER BY l.min_score DESC LIMIT 1)
             WHERE e.period_id = ANY(%s) AND e.level_id IS NOT NULL
        """,
            [periods.ids],
        )
        columns, select = shift_columns(
            cr,
            "civ_evaluation_line",
            {"id": f"src.id + {d_line}", "evaluation_id": f"src.evaluation_id + {d_sheet}"},
        )
        cr.execute(
            f"INSERT INTO civ_evaluation_line ({columns}) SELECT {select} "  # noqa: S608
            "FROM civ_evaluation_line src JOIN civ_evaluation e ON e.id = src.evaluation_id "
            "WHERE e.period_id = ANY(%s)",
            [january.ids],
        )
        n_lines = cr.rowcount
        columns, select = shift_columns(
            cr,
            "civ_review_step",
            {"id": f"src.id + {d_step}", "evaluation_id": f"src.evaluation_id + {d_sheet}"},
        )
        cr.execute(
            f"INSERT INTO civ_review_step ({columns}) SELECT {select} "  # noqa: S608
            "FROM civ_review_step src JOIN civ_evaluation e ON e.id = src.evaluation_id "
            "WHERE e.period_id = ANY(%s)",
            [january.ids],
        )
        n_steps = cr.rowcount
        columns, select = shift_columns(
            cr,
            "civ_review_step_point",
            {
                "id": f"src.id + {d_point}",
                "evaluation_id": f"src.evaluation_id + {d_sheet}",
                "step_id": f"src.step_id + {d_step}",
                "line_id": f"src.line_id + {d_line}",
            },
        )
        cr.execute(
            f"INSERT INTO civ_review_step_point ({columns}) SELECT {select} "  # noqa: S608
            "FROM civ_review_step_point src JOIN civ_evaluation e ON e.id = src.evaluation_id "
            "WHERE e.period_id = ANY(%s)",
            [january.ids],
        )
        n_points = cr.rowcount
        cr.execute("""
            UPDATE civ_period p SET state = 'locked', date_opened = j.date_opened,
                   date_locked = j.date_locked, seal_hash = j.seal_hash, seal_date = j.seal_date,
                   seal_count = j.seal_count
              FROM bench_period_map m JOIN civ_period j ON j.id = m.old_id
             WHERE p.id = m.new_id
        """)
        env.cr.commit()
        env.invalidate_all()
        print(
            f"    month {month:02d}: {n_sheets:,} sheets, {n_lines:,} lines, {n_steps:,} steps, "
            f"{n_points:,} level points in {time.perf_counter() - start:.1f} s",
            flush=True,
        )
    for table in TABLES:
        cr.execute(f"SELECT setval('{table}_id_seq', (SELECT max(id) FROM {table}))")  # noqa: S608
    cr.execute("DROP TABLE IF EXISTS bench_period_map")
    for table in TABLES:
        cr.execute(f"ANALYZE {table}")  # noqa: S608
    env.cr.commit()


def main():
    args = parse_args(__doc__)
    registry = odoo_registry(args)
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    results = {}
    print(f"Year-end benchmark: {args.employees} employees, database {args.database}")
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        companies = find_city(env)
        january = env["civ.period"].search(
            [
                ("company_id", "in", companies.ids),
                ("state", "=", "locked"),
                ("date_start", "=", date(YEAR, 1, 1)),
            ],
            order="id",
        )
        assert january, "run bench_cycle.py first (the locked month of the city)"
        cr.execute("SELECT count(*) FROM civ_evaluation WHERE period_id = ANY(%s)", [january.ids])
        n_month = cr.fetchone()[0]
        one_month = print_storage("after 1 locked month", storage(cr), n_month)

        with timed(results, "generate 11 more locked months in SQL (setup)"):
            generate_months(env, january)
        cr.execute(
            "SELECT count(*) FROM civ_evaluation e JOIN civ_period p ON p.id = e.period_id "
            "WHERE p.company_id = ANY(%s) AND p.state = 'locked'",
            [companies.ids],
        )
        n_year = cr.fetchone()[0]
        sizes = storage(cr)
        twelve = print_storage("after 12 locked months", sizes, n_year)
        results["bytes_per_sheet_month"] = twelve

        # the scheduled preparation, one agency per call, each call in its own transaction
        Result = env["civ.annual.result"]
        today = date(YEAR + 1, 1, 5)
        rss_start, max_start = rss_mib(), max_rss_mib()
        calls, batch_times, rss_after = 0, [], []
        start = time.perf_counter()
        while True:
            env.invalidate_all()
            todo = Result._companies_to_prepare(companies, YEAR)
            if not todo:
                break
            t0 = time.perf_counter()
            Result._civ_prepare_year_end(today=today, batch=1)
            cr.commit()
            calls += 1
            batch_times.append(time.perf_counter() - t0)
            rss_after.append(rss_mib())
            if calls % 10 == 1:
                print(f"    call {calls}: {batch_times[-1]:.1f} s, RSS {rss_after[-1]:.0f} MiB", flush=True)
            if calls > len(companies) + 1:
                print("    more calls than agencies: stopped")
                break
        total = time.perf_counter() - start
        results["year_end"] = total
        cr.execute(
            "SELECT count(*), count(DISTINCT employee_id) FROM civ_annual_result WHERE year = %s "
            "AND company_id = ANY(%s)",
            [YEAR, companies.ids],
        )
        n_results, n_people = cr.fetchone()
        cr.execute(
            """
            SELECT coalesce(l.code, '-'), r.months_evaluated, count(*) FROM civ_annual_result r
              LEFT JOIN civ_level l ON l.id = r.proposed_level_id
             WHERE r.year = %s AND r.company_id = ANY(%s) GROUP BY 1, 2 ORDER BY 1, 2
        """,
            [YEAR, companies.ids],
        )
        spread = ", ".join(f"{code}/{months} months: {count:,}" for code, months, count in cr.fetchall())
        print(f"  {'year-end preparation (' + str(calls) + ' calls, one agency each)':<52} {total:8.1f} s")
        print(
            f"    {n_results:,} draft results for {n_people:,} people from {n_year:,} locked sheets; "
            f"per call min / median / max {min(batch_times):.1f} / "
            f"{sorted(batch_times)[len(batch_times) // 2]:.1f} / {max(batch_times):.1f} s"
        )
        print(f"    proposed level / months evaluated: {spread}")
        print(
            f"    process RSS before {rss_start:.0f} MiB, after the first / last call {rss_after[0]:.0f} / "
            f"{rss_after[-1]:.0f} MiB; max RSS before / after {max_start:.0f} / {max_rss_mib():.0f} MiB"
        )

        # the review-quality pages over the 12 locked months (issue 23): the reviewer and unit profiles
        # of one agency, the first page of their lists as the web client asks for it
        env.invalidate_all()
        agency = companies[:1]
        for model, order in (
            ("civ.reviewer.profile", "date_start desc"),
            ("civ.unit.profile", "date_start desc"),
        ):
            start = time.perf_counter()
            page = env[model].search_read(
                [("company_id", "=", agency.id)], ["flagged"], limit=80, order=order
            )
            count = env[model].search_count([("company_id", "=", agency.id)])
            results[model] = time.perf_counter() - start
            label = f"{model}: first page and count of one agency"
            print(f"  {label:<52} {results[model]:8.2f} s ({len(page)} of {count:,} rows)")

    checks = [
        (f"year-end preparation <= {TARGET_SECONDS / 60:.0f} min", results["year_end"] <= TARGET_SECONDS),
        (
            "memory bounded: RSS after the last call within 1.5x the first",
            rss_after[-1] <= 1.5 * rss_after[0],
        ),
        *(
            (
                f"{model}: first page and count <= {PROFILE_TARGET_SECONDS:.0f} s",
                results[model] <= PROFILE_TARGET_SECONDS,
            )
            for model in ("civ.reviewer.profile", "civ.unit.profile")
            if model in results
        ),
    ]
    print(f"  bytes per sheet-month: {one_month:,.0f} after 1 month, {twelve:,.0f} after 12")
    for label, ok in checks:
        print(f"  [{'ok' if ok else 'MISSED'}] {label}")


if __name__ == "__main__":
    main()
