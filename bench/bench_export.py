"""Benchmark of the Excel exports (issue 5).

Builds its own agency of N employees (a separate company, logins prefixed "bexp"), opens a month with
the shipped Hà Nội 3814 framework, decides the sheets at SQL speed (scores spread over the four
levels, 5 % not evaluated, 5 % still in review, the direct leader's step approved), then times the
unit list and the aggregate exported by an officer through civ.export.wizard.action_export() (record
rules apply), and measures their peak Python memory (tracemalloc, in a second run).

Targets with N = 10,000: unit list <= 15 s, aggregate <= 5 s.
Set BENCH_EXPORT_DIR=/some/dir to keep the produced files.
"""

import os
import resource
import time
import tracemalloc
from datetime import date
from pathlib import Path

from bench_common import build_org, odoo_registry, parse_args, timed

TARGETS = {"unit_list": 15.0, "aggregate": 5.0}
MONTH = date(2026, 3, 1)


def decide_sheets(env, period, framework):
    """90 % decided (scores 40..99 → levels A-D), 5 % not evaluated, 5 % in review; the first
    re-scoring step of the decided sheets approved one point below the final score."""
    cr = env.cr
    levels = {level.code: level.id for level in framework.level_ids}
    cr.execute("""
        UPDATE civ_evaluation e
           SET state = 'done', self_score = LEAST(s.score + 2, 100), reviewer_score = s.score,
               final_score = s.score, date_decided = now() at time zone 'UTC',
               level_id = CASE WHEN s.score >= 90 THEN %(A)s WHEN s.score >= 70 THEN %(B)s
                               WHEN s.score >= 50 THEN %(C)s ELSE %(D)s END
          FROM (SELECT id, 40 + (id * 7919) %% 60 AS score FROM civ_evaluation
                 WHERE period_id = %(period)s) s
         WHERE s.id = e.id AND e.id %% 20 NOT IN (0, 1)
    """, dict(levels, period=period.id))
    cr.execute("""
        UPDATE civ_evaluation SET not_evaluated = TRUE, final_score = 0
         WHERE period_id = %s AND id %% 20 = 0
    """, [period.id])
    cr.execute("""
        UPDATE civ_evaluation SET state = 'review', self_score = 80
         WHERE period_id = %s AND id %% 20 = 1
    """, [period.id])
    cr.execute("""
        WITH first_step AS (
            SELECT DISTINCT ON (step.evaluation_id) step.id, sheet.final_score
              FROM civ_review_step step JOIN civ_evaluation sheet ON sheet.id = step.evaluation_id
             WHERE sheet.period_id = %s AND sheet.state = 'done' AND step.can_rescore
          ORDER BY step.evaluation_id, step.sequence, step.id)
        UPDATE civ_review_step step SET state = 'approved', score = first_step.final_score - 1
          FROM first_step WHERE first_step.id = step.id
    """, [period.id])
    env.invalidate_all()


def export(env, company, period, kind):
    wizard = env["civ.export.wizard"].create({
        "report_kind": kind,
        "period_ids": [(6, 0, period.ids)],
        "company_ids": [(6, 0, company.ids)],
    })
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
        with timed(results, "build the organisation and open a month (setup)"):
            company = root["res.company"].create({"name": f"Bench Export Agency {int(time.time())}"})
            env = root(context=dict(root.context, allowed_company_ids=company.ids))
            org = build_org(env, args.employees, prefix="bexp")
            framework = env.ref("civ_evaluation.framework_hanoi_3814")
            period = env["civ.period"].create(
                {"company_id": company.id, "framework_id": framework.id, "date_start": MONTH})
            period.action_open()
            decide_sheets(env, period, framework)
            cr.commit()
        employees = len(org["heads"]) + len(org["staff"])
        cr.execute("SELECT count(*), count(*) FILTER (WHERE state = 'done') FROM civ_evaluation "
                   "WHERE period_id = %s", [period.id])
        n_sheets, n_done = cr.fetchone()
        print(f"  {employees} employees, {len(org['departments'])} departments, {n_sheets} sheets "
              f"({n_done} decided)")

        # an officer (the admin user, without superuser rights: record rules apply)
        admin = root.ref("base.user_admin")
        admin.write({"company_ids": [(4, company.id)]})
        cr.commit()
        officer_env = api.Environment(cr, admin.id, {"allowed_company_ids": company.ids, "lang": "en_US"})
        out_dir = os.environ.get("BENCH_EXPORT_DIR")
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        wizards = {}
        for kind in ("unit_list", "aggregate"):
            officer_env.invalidate_all()
            with timed(results, f"export {kind}"):
                wizards[kind] = export(officer_env, company, period, kind)
            wizard = wizards[kind]
            size = len(wizard.attachment_id.raw)
            print(f"  {'':<52} {wizard.row_count} rows, {size / 1024:.0f} KiB")
            if out_dir:
                path = Path(out_dir) / wizard.attachment_id.name
                path.write_bytes(wizard.attachment_id.raw)
                print(f"  written to {path}")
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

        peaks = {}
        for kind in ("unit_list", "aggregate"):
            officer_env.invalidate_all()
            tracemalloc.start()
            export(officer_env, company, period, kind)
            peaks[kind] = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
            print(f"  {'peak Python memory of ' + kind + ' (tracemalloc)':<52} {peaks[kind]:8.1f} MiB")
        print(f"  {'process max RSS before / after the timed exports':<52} "
              f"{rss_before / 1024:.0f} / {rss_after / 1024:.0f} MiB")
        cr.commit()

    checks = [
        (f"unit list <= {TARGETS['unit_list']:.0f} s", results["export unit_list"] <= TARGETS["unit_list"]),
        (f"aggregate <= {TARGETS['aggregate']:.0f} s", results["export aggregate"] <= TARGETS["aggregate"]),
    ]
    for label, ok in checks:
        print(f"  [{'ok' if ok else 'MISSED'}] {label}")


if __name__ == "__main__":
    main()
