"""Benchmark of the Excel exports (issues 5 and 14).

Uses the city built by bench_cycle.py in the same database (agencies of 2,000 people, its locked
month), or builds its own city (logins prefixed "bexp") and opens a month with the shipped Hà Nội 3814
framework, decided at SQL speed (scores spread over the four levels, 5 % not evaluated, 5 % still in
review, the direct leader's step approved). Times the unit list of one agency and the aggregate of the
whole city exported by an officer through civ.export.wizard.action_export() (record rules apply), and
measures their peak Python memory (tracemalloc, in a second run).

Targets (issue 14, 10,000 and 100,000 people): unit list of a 2,000-person agency <= 3 s, city
aggregate <= 10 s.
Set BENCH_EXPORT_DIR=/some/dir to keep the produced files."""

import os
import resource
import tracemalloc
from datetime import date
from pathlib import Path

from bench_common import build_city, find_city, odoo_registry, parse_args, timed

# issue 14: the unit list of one agency of 2,000 people and the aggregate of the whole city
TARGETS = {"unit_list": 3.0, "aggregate": 10.0}
MONTH = date(2026, 3, 1)


def decide_sheets(env, period, framework):
    """90 % decided (scores 40..99 → levels A-D), 5 % not evaluated, 5 % in review; the first
    re-scoring step of the decided sheets approved one point below the final score."""
    cr = env.cr
    levels = {level.code: level.id for level in framework.level_ids}
    cr.execute(
        """
        UPDATE civ_evaluation e
           SET state = 'done', self_score = LEAST(s.score + 2, 100), reviewer_score = s.score,
               final_score = s.score, date_decided = now() at time zone 'UTC',
               level_id = CASE WHEN s.score >= 90 THEN %(A)s WHEN s.score >= 70 THEN %(B)s
                               WHEN s.score >= 50 THEN %(C)s ELSE %(D)s END
          FROM (SELECT id, 40 + (id * 7919) %% 60 AS score FROM civ_evaluation
                 WHERE period_id = ANY(%(period)s)) s
         WHERE s.id = e.id AND e.id %% 20 NOT IN (0, 1)
    """,
        dict(levels, period=period.ids),
    )
    cr.execute(
        """
        UPDATE civ_evaluation SET not_evaluated = TRUE, final_score = 0
         WHERE period_id = ANY(%s) AND id %% 20 = 0
    """,
        [period.ids],
    )
    cr.execute(
        """
        UPDATE civ_evaluation SET state = 'review', self_score = 80
         WHERE period_id = ANY(%s) AND id %% 20 = 1
    """,
        [period.ids],
    )
    cr.execute(
        """
        WITH first_step AS (
            SELECT DISTINCT ON (step.evaluation_id) step.id, sheet.final_score
              FROM civ_review_step step JOIN civ_evaluation sheet ON sheet.id = step.evaluation_id
             WHERE sheet.period_id = ANY(%s) AND sheet.state = 'done' AND step.can_rescore
          ORDER BY step.evaluation_id, step.sequence, step.id)
        UPDATE civ_review_step step SET state = 'approved', score = first_step.final_score - 1
          FROM first_step WHERE first_step.id = step.id
    """,
        [period.ids],
    )
    env.invalidate_all()


def export(env, companies, periods, kind):
    wizard = env["civ.export.wizard"].create(
        {
            "report_kind": kind,
            "period_ids": [(6, 0, periods.ids)],
            "company_ids": [(6, 0, companies.ids)],
        }
    )
    wizard.action_export()
    return wizard


def main():
    args = parse_args(__doc__)
    registry = odoo_registry(args)
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    results = {}
    print(f"Export benchmark: {args.employees} employees, database {args.database}")
    with registry.cursor() as cr:
        root = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        companies = find_city(root)
        periods = root["civ.period"].search(
            [("company_id", "in", companies.ids), ("state", "=", "locked")], order="date_start, id"
        )
        periods = periods.filtered(lambda period: period.date_start == periods[:1].date_start)
        if not periods:
            with timed(results, "build the city and open a month (setup)"):
                companies = build_city(root, args.employees, agency_size=args.agency_size, prefix="bexp")[
                    "companies"
                ]
                framework = root.ref("civ_evaluation.framework_hanoi_3814")
                periods = root["civ.period"].create(
                    [
                        {"company_id": company.id, "framework_id": framework.id, "date_start": MONTH}
                        for company in companies
                    ]
                )
                periods.action_open()
                decide_sheets(root, periods, framework)
                cr.commit()
        cr.execute(
            "SELECT count(*), count(*) FILTER (WHERE state IN ('done', 'locked')) FROM civ_evaluation "
            "WHERE period_id = ANY(%s)",
            [periods.ids],
        )
        n_sheets, n_done = cr.fetchone()
        unit = companies[:1]
        unit_periods = periods.filtered(lambda period: period.company_id == unit)
        cr.execute("SELECT count(*) FROM civ_evaluation WHERE period_id = ANY(%s)", [unit_periods.ids])
        n_unit = cr.fetchone()[0]
        print(
            f"  {len(companies)} agencies, {n_sheets} sheets of {periods[:1].name} ({n_done} decided), "
            f"{n_unit} in the agency of the unit list"
        )

        # an officer (the admin user, without superuser rights: record rules apply)
        admin = root.ref("base.user_admin")
        admin.write({"company_ids": [(4, company.id) for company in companies]})
        cr.commit()
        out_dir = os.environ.get("BENCH_EXPORT_DIR")
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        runs = {
            "unit_list": (unit, unit_periods),  # one agency
            "aggregate": (companies, periods),  # the city
        }
        envs = {
            kind: api.Environment(cr, admin.id, {"allowed_company_ids": scope.ids, "lang": "en_US"})
            for kind, (scope, _periods) in runs.items()
        }
        for kind, (scope, scope_periods) in runs.items():
            envs[kind].invalidate_all()
            with timed(results, f"export {kind}"):
                wizard = export(envs[kind], scope, scope_periods, kind)
            size = len(wizard.attachment_id.raw)
            print(f"  {'':<52} {wizard.row_count} rows, {size / 1024:.0f} KiB")
            if out_dir:
                path = Path(out_dir) / wizard.attachment_id.name
                path.write_bytes(wizard.attachment_id.raw)
                print(f"  written to {path}")
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

        peaks = {}
        for kind, (scope, scope_periods) in runs.items():
            envs[kind].invalidate_all()
            tracemalloc.start()
            export(envs[kind], scope, scope_periods, kind)
            peaks[kind] = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
            print(f"  {'peak Python memory of ' + kind + ' (tracemalloc)':<52} {peaks[kind]:8.1f} MiB")
        print(
            f"  {'process max RSS before / after the timed exports':<52} "
            f"{rss_before / 1024:.0f} / {rss_after / 1024:.0f} MiB"
        )
        cr.commit()

    checks = [
        (f"unit list <= {TARGETS['unit_list']:.0f} s", results["export unit_list"] <= TARGETS["unit_list"]),
        (f"aggregate <= {TARGETS['aggregate']:.0f} s", results["export aggregate"] <= TARGETS["aggregate"]),
    ]
    for label, ok in checks:
        print(f"  [{'ok' if ok else 'MISSED'}] {label}")


if __name__ == "__main__":
    main()
