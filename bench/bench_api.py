"""Benchmark of the API addon civ_evaluation_api (issue #21): a batch of work items pushed by a source
system into every sheet of a month, at city scale.

Builds, in a company of its own, an agency of N employees (bench_common.build_city with one agency of N
people, each given a badge) on the Nghị định 335 framework, a product type of the catalogue and a
technical user of the group "Evaluation API client"; times period.action_open(), then the batch of N
items (one per person, so N sheets) as the API loads it: the payload validated against the schema
(schema.validate_batch), received as a queued batch (civ.api.batch._civ_receive) and loaded by the
scheduled action's chunks of 2,000 items (civ.api.batch._civ_process), one committed transaction each.
The same batch sent again is timed too (every item unchanged).

Target on a 2-core machine with N = 10,000: the batch within 2x the time of opening the month.
"""

import cProfile
import os
import pstats
import time
from datetime import date

from bench_common import build_city, odoo_registry, parse_args, timed

TARGET_RATIO = 2.0
MONTH = date(2026, 5, 1)
SOURCE = "bench-eoffice"
OPEN = "open: period.action_open()"
PUSH = "push: validate, receive, load the chunks"


def make_agency(env, employees):
    """One agency of `employees` people on the ND 335 framework, each with a badge; its technical
    user of the API and a product type."""
    city = build_city(env, employees, agency_size=employees, prefix="bapi")
    company = city["companies"][:1]
    company.write(
        {"name": "Bench API agency", "civ_framework_id": env.ref("civ_evaluation.framework_nd335").id}
    )
    env.user.company_ids = [(4, company.id)]
    env.cr.execute("UPDATE hr_employee SET barcode = 'BAPI' || id WHERE id = ANY(%s)", [city["employee_ids"]])
    env.invalidate_all()
    env["civ.product.type"].create(
        {"name": "Văn bản", "code": "BVB", "weight": 1.0, "company_id": company.id}
    )
    client = (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            {
                "name": "Bench e-Office",
                "login": "bench_api_client",
                "company_id": company.id,
                "company_ids": [(6, 0, company.ids)],
                "groups_id": [
                    (
                        6,
                        0,
                        [
                            env.ref("base.group_portal").id,
                            env.ref("civ_evaluation_api.group_civ_api_client").id,
                        ],
                    )
                ],
            }
        )
    )
    return company, env["hr.employee"].browse(city["employee_ids"]), client


def month_items(employees):
    """One item per person, done in the month."""
    return [
        {
            "item_id": f"BENCH-{employee.id}",
            "person": {"badge": f"BAPI{employee.id}"},
            "name": f"Văn bản {employee.id}",
            "product_type": "BVB",
            "qty_assigned": 2,
            "qty_done": 2,
            "qty_quality": 2,
            "qty_on_time": 1,
            "delay_count": 1,
            "date_deadline": "2026-05-20",
            "date_done": f"2026-05-{10 + employee.id % 18:02d}",
        }
        for employee in employees
    ]


def push(env, client, items):
    """The API's path of a large batch, in-process: validated, queued, loaded chunk by chunk (each
    committed, as the scheduled action does). Returns the batch."""
    from odoo.addons.civ_evaluation_api.schema import validate_batch  # noqa: PLC0415

    source, valid = validate_batch(env, {"source": SOURCE, "items": items})
    batch = env["civ.api.batch"]._civ_receive(client, source, valid, 0)
    env.cr.commit()
    while batch.state in ("queued", "running"):
        batch._civ_process()
        env.flush_all()
        env.cr.commit()
        env.invalidate_all()
    return batch


def main():
    args = parse_args(__doc__)
    registry = odoo_registry(args)
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    results = {}
    print(f"API benchmark: {args.employees} employees, one pushed item each, database {args.database}")
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        with timed(results, "build the agency (setup, not a target)"):
            company, employees, client = make_agency(env, args.employees)
            cenv = env(context=dict(env.context, allowed_company_ids=[company.id]))
            period = cenv["civ.period"].create({"company_id": company.id, "date_start": MONTH})
            items = month_items(employees)
            cr.commit()

        with timed(results, OPEN):
            period.action_open()
            env.flush_all()
            cr.commit()
        sheets = cenv["civ.evaluation"].search_count([("period_id", "=", period.id)])
        print(f"  sheets opened: {sheets}")

        profiler = None
        if os.environ.get("BENCH_PROFILE"):
            profiler = cProfile.Profile()
            profiler.enable()
        with timed(results, PUSH):
            batch = push(cenv, client, items)
        if profiler:
            profiler.disable()
            if os.environ["BENCH_PROFILE"].endswith(".prof"):
                profiler.dump_stats(os.environ["BENCH_PROFILE"])
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
        counts = {name: batch[f"{name}_count"] for name in ("created", "updated", "unchanged", "refused")}
        state = batch.state
        print(f"  batch {batch.id}: {state}, {counts}")
        cr.execute(
            "SELECT count(*), count(DISTINCT p.evaluation_id) FROM civ_evaluation_product p "
            "JOIN civ_evaluation e ON e.id = p.evaluation_id WHERE e.period_id = %s AND p.source = 'api'",
            [period.id],
        )
        lines, sheets_with_lines = cr.fetchone()
        print(f"  product lines from the API: {lines} in {sheets_with_lines} sheets")

        start = time.perf_counter()
        again = push(cenv, client, items)
        results["again"] = time.perf_counter() - start
        again_counts = {
            name: again[f"{name}_count"] for name in ("created", "updated", "unchanged", "refused")
        }
        print(f"  {'the same batch again (information)':<52} {results['again']:8.2f} s {again_counts}")

    ratio = results[PUSH] / results[OPEN]
    print(f"  ratio push / open: {ratio:.2f}x")
    print(
        f"  [{'ok' if ratio <= TARGET_RATIO else 'MISSED'}] a batch of {len(items)} items into "
        f"{sheets} sheets within {TARGET_RATIO:g}x the time of opening the month"
    )
    assert state == "done" and counts["created"] == len(items), f"items not created: {counts}"
    assert lines == len(items) and sheets_with_lines == sheets, "an item is missing or loaded twice"
    assert again_counts["unchanged"] == len(items), f"the second push changed lines: {again_counts}"


if __name__ == "__main__":
    main()
