"""Benchmark of the bridge civ_evaluation_project (issue #11): loading the tasks of Odoo Project as the
products of the month's sheets, at city scale.

Builds, in a company of its own, an agency of N employees (bench_common.build_city with one agency
of N people; every one given a user) on the Nghị định 335 framework (task results computed from
products), a project with 10 tasks per person (inserted in SQL: 6 done in the month, on time or
late, 3 still open, 1 due next month), then times period.action_open() and the loading of the tasks
into every sheet of the month, in batches as a cron would (civ.evaluation._civ_load_project_tasks,
one batch of sheets at a time, committed).

Target on a 2-core machine with N = 10,000 (100,000 tasks): loading within 3x the time of opening.
"""

import cProfile
import os
import pstats
import time
from datetime import date, datetime, timedelta

from bench_common import build_city, odoo_registry, parse_args, timed
from psycopg2.extras import execute_values

TARGET_RATIO = 3.0
BATCH = 1000  # sheets per batch, as a cron would load them
MONTH = date(2026, 3, 1)
OPEN = "open: period.action_open()"
LOAD = f"load the tasks into every sheet (batches of {BATCH})"


def make_agency(env, employees):
    """One agency of `employees` people (build_city), on the Nghị định 335 framework."""
    city = build_city(env, employees, agency_size=employees, prefix="bproj")
    company = city["companies"][:1]
    company.write(
        {"name": "Bench Project agency", "civ_framework_id": env.ref("civ_evaluation.framework_nd335").id}
    )
    env.user.company_ids = [(4, company.id)]
    return company, env["hr.employee"].browse(city["employee_ids"])


def give_users(env, employees, company):
    """An internal user for every employee without one, inserted in SQL (partner, user, company and
    group rows: creating 10,000 users through the ORM would take minutes of setup)."""
    cr = env.cr
    todo = employees.filtered(lambda employee: not employee.user_id)
    if not todo:
        return
    now = datetime(2026, 3, 1)
    partner_ids = execute_values(
        cr,
        "INSERT INTO res_partner (name, complete_name, company_id, active, type, lang, create_date, "
        "write_date, create_uid, write_uid) VALUES %s RETURNING id",
        [(e.name, e.name, company.id, True, "contact", "en_US", now, now, 1, 1) for e in todo],
        page_size=2000,
        fetch=True,
    )
    user_ids = execute_values(
        cr,
        "INSERT INTO res_users (login, partner_id, company_id, active, notification_type, create_date, "
        "write_date, create_uid, write_uid) VALUES %s RETURNING id",
        [
            (f"benchproj_staff_{e.id}", p[0], company.id, True, "email", now, now, 1, 1)
            for e, p in zip(todo, partner_ids, strict=True)
        ],
        page_size=2000,
        fetch=True,
    )
    user_ids = [row[0] for row in user_ids]
    execute_values(
        cr,
        "INSERT INTO res_company_users_rel (cid, user_id) VALUES %s",
        [(company.id, uid) for uid in user_ids],
        page_size=5000,
    )
    execute_values(
        cr,
        "INSERT INTO res_groups_users_rel (gid, uid) VALUES %s",
        [(env.ref("base.group_user").id, uid) for uid in user_ids],
        page_size=5000,
    )
    execute_values(
        cr,
        "UPDATE hr_employee e SET user_id = v.user_id FROM (VALUES %s) AS v(id, user_id) WHERE e.id = v.id",
        [(employee.id, uid) for employee, uid in zip(todo, user_ids, strict=True)],
        page_size=2000,
    )
    env.invalidate_all()
    env.registry.clear_cache()


def insert_tasks(env, employees, company, per_person=10):
    """per_person tasks for every employee's user, in SQL: 6 done in the month (a third of them late),
    3 still open, 1 due next month. Returns the number of tasks."""
    cr = env.cr
    project = env["project.project"].create(
        {"name": "Bench project", "company_id": company.id, "civ_evaluation": True}
    )
    env.flush_all()
    rows = []
    users = []
    now = datetime(2026, 3, 31, 12)
    for employee in employees:
        for k in range(per_person):
            day = 2 + (employee.id + 3 * k) % 26
            deadline = datetime(MONTH.year, MONTH.month, day, 10)
            closed = None
            if k == 9:
                deadline = datetime(2026, 4, day, 10)
            elif k < 6:
                closed = deadline + timedelta(days=2 if k % 3 == 0 else -1)
            state = "1_done" if closed else "01_in_progress"
            rows.append(
                (
                    f"Task {k} of {employee.name}",
                    project.id,
                    company.id,
                    state,
                    True,
                    "0",
                    10,
                    deadline,
                    closed,
                    now,
                    now,
                    now,
                    1,
                    1,
                    True,
                )
            )
            users.append(employee.user_id.id)
    ids = execute_values(
        cr,
        """INSERT INTO project_task (name, project_id, company_id, state, active, priority, sequence,
               date_deadline, civ_date_closed, date_last_stage_update, create_date, write_date,
               create_uid, write_uid, display_in_project)
           VALUES %s RETURNING id""",
        rows,
        page_size=5000,
        fetch=True,
    )
    execute_values(
        cr,
        "INSERT INTO project_task_user_rel (task_id, user_id) VALUES %s",
        [(task_id[0], user_id) for task_id, user_id in zip(ids, users, strict=True)],
        page_size=5000,
    )
    # who gave them: the system (create_uid 1), as the bridge records the assignees of existing tasks
    from odoo.addons.civ_evaluation_project.hooks import record_existing_assignments

    record_existing_assignments(cr)
    env.invalidate_all()
    return len(ids)


def main():
    args = parse_args(__doc__)
    registry = odoo_registry(args)
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    results = {}
    print(f"Project tasks benchmark: {args.employees} employees, 10 tasks each, database {args.database}")
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        with timed(results, "build the agency, users and tasks (setup, not a target)"):
            company, employees = make_agency(env, args.employees)
            cenv = env(context=dict(env.context, allowed_company_ids=[company.id]))
            employees = employees.with_env(cenv)
            give_users(cenv, employees, company)
            n_tasks = insert_tasks(cenv, employees, company)
            period = cenv["civ.period"].create({"company_id": company.id, "date_start": MONTH})
            cr.commit()
        print(f"  {len(employees)} employees, {n_tasks} tasks")

        with timed(results, OPEN):
            period.action_open()
            env.flush_all()
            cr.commit()
        sheet_ids = cenv["civ.evaluation"].search([("period_id", "=", period.id)], order="id").ids
        print(f"  sheets opened: {len(sheet_ids)}")

        counts = {}
        profiler = None
        if os.environ.get("BENCH_PROFILE"):
            profiler = cProfile.Profile()
            profiler.enable()
        with timed(results, LOAD):
            for start in range(0, len(sheet_ids), BATCH):
                batch = cenv["civ.evaluation"].browse(sheet_ids[start : start + BATCH])
                for key, value in batch._civ_load_project_tasks().items():
                    counts[key] = counts.get(key, 0) + value
                env.flush_all()
                cr.commit()
                env.invalidate_all()
        if profiler:
            profiler.disable()
            if os.environ["BENCH_PROFILE"].endswith(".prof"):
                profiler.dump_stats(os.environ["BENCH_PROFILE"])  # for pstats / snakeviz
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
        print(f"  loaded: {counts}")
        cr.execute(
            "SELECT count(*) FROM civ_evaluation_product p JOIN civ_evaluation e "
            "ON e.id = p.evaluation_id WHERE e.period_id = %s AND p.task_id IS NOT NULL",
            [period.id],
        )
        lines = cr.fetchone()[0]
        print(f"  product lines from tasks: {lines} (expected {9 * len(sheet_ids)})")

        start = time.perf_counter()
        reload_counts = {}
        for begin in range(0, len(sheet_ids), BATCH):
            batch = cenv["civ.evaluation"].browse(sheet_ids[begin : begin + BATCH])
            for key, value in batch._civ_load_project_tasks().items():
                reload_counts[key] = reload_counts.get(key, 0) + value
            env.invalidate_all()
        results["reload"] = time.perf_counter() - start
        cr.rollback()
        print(f"  {'reload, nothing changed (information)':<52} {results['reload']:8.2f} s {reload_counts}")

    ratio = results[LOAD] / results[OPEN]
    print(f"  ratio load / open: {ratio:.2f}x")
    print(
        f"  [{'ok' if ratio <= TARGET_RATIO else 'MISSED'}] loading the tasks within {TARGET_RATIO:g}x the "
        "time of opening the month"
    )
    assert lines == 9 * len(sheet_ids), "a task is missing or loaded twice"
    assert reload_counts.get("added") == 0 and reload_counts.get("updated") == 0, "the reload changed lines"


if __name__ == "__main__":
    main()
