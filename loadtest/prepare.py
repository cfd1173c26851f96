"""Builds the generated agency of the load test in a fresh database with civ_evaluation installed.

Run with Odoo's virtualenv (tools/loadtest.sh, tools/deploy_check.sh do it):
    python loadtest/prepare.py --odoo-src ... --addons-path ... --db-host ... --db-port ... \
        --db-user ... --database DB --employees 1200 --sections 40 --officers 6 --today 2026-11-29 \
        --out .loadtest-run/agency.json

The agency: a leadership unit (chairman, vice-chairman) and `sections` sections, each with a head who
is the direct leader and the unit head of its staff (their two review steps merge: the section head
re-scores and decides). Every person has a user (password = login), plus `officers` HR officers.
The month of `--today` is opened by the addon's own "open periods" cron method. The JSON written to
--out lists the logins per role and, per employee, their sheet and its lines with their bounds.

Load-test database only: the users' passwords are stored as PBKDF2 hashes of 1,000 rounds (written in
SQL) so that preparing 1,000+ users takes seconds. Odoo 18 re-hashes a password at its floor of 600,000
rounds on the first login, so every login of the test still pays the real production cost once.
Most people are already logged in on the deadline evening: a session is opened in advance for every
user (Odoo's own session store in --data-dir) and the Locust users take a fresh log in only for a
share of them (CIV_LOGIN_SHARE), so the figures are those of the addon, not of PBKDF2.
"""

import argparse
import json
import sys
import time
from datetime import date


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name in ("odoo-src", "addons-path", "db-host", "db-port", "db-user", "database", "out", "data-dir"):
        parser.add_argument(f"--{name}", required=True)
    parser.add_argument("--employees", type=int, default=1200, help="staff with a sheet (heads included)")
    parser.add_argument("--sections", type=int, default=40)
    parser.add_argument("--officers", type=int, default=6)
    parser.add_argument("--today", default="2026-11-29", help="the day the month is opened for")
    parser.add_argument("--prefix", default="lt")
    return parser.parse_args()


def open_month(env, today):
    """The addon's cron method, as the cron worker calls it (until nothing is left)."""
    Period = env["civ.period"]
    run = Period._civ_open_periods
    for _call in range(100):
        if not run(today=today):
            break
    return Period.search([("company_id", "=", env.company.id), ("date_start", "=", today.replace(day=1))])


def set_passwords(env, users):
    """password = login, hashed with 1,000 PBKDF2 rounds (see the module docstring)."""
    from passlib.hash import pbkdf2_sha512  # noqa: PLC0415  (Odoo's own dependency)

    hasher = pbkdf2_sha512.using(rounds=1000)
    env.cr.executemany(
        "UPDATE res_users SET password = %s WHERE id = %s",
        [(hasher.hash(user.login), user.id) for user in users],
    )
    users.invalidate_recordset()


def build(env, args):
    quiet = {"tracking_disable": True, "mail_create_nolog": True, "no_reset_password": True}
    Department = env["hr.department"].with_context(**quiet)
    Employee = env["hr.employee"].with_context(**quiet)
    Users = env["res.users"].with_context(**quiet)
    company = env.company
    # start from an empty organisation: Odoo's own employees (the admin's) are not evaluated here
    env["hr.employee"].search([]).write({"civ_evaluated": False})

    def make_users(logins_names):
        return Users.create(
            [
                {
                    "name": name,
                    "login": login,
                    "company_id": company.id,
                    "company_ids": [(6, 0, company.ids)],
                    "tz": "Asia/Ho_Chi_Minh",
                }
                for login, name in logins_names
            ]
        )

    p = args.prefix
    leadership = Department.create({"name": "Lãnh đạo UBND", "civ_is_leadership": True})
    sections = Department.create(
        [{"name": f"Phòng {i:02d}", "parent_id": leadership.id} for i in range(args.sections)]
    )
    lead_users = make_users([(f"{p}_chairman", "Chủ tịch"), (f"{p}_vice", "Phó Chủ tịch")])
    head_users = make_users([(f"{p}_head_{i:03d}", f"Trưởng phòng {i:03d}") for i in range(args.sections)])
    n_staff = max(0, args.employees - len(head_users) - 2)
    staff_users = Users.browse()
    for start in range(0, n_staff, 500):
        staff_users |= make_users(
            [(f"{p}_staff_{i:05d}", f"Chuyên viên {i:05d}") for i in range(start, min(n_staff, start + 500))]
        )
    officer_group = env.ref("civ_evaluation.group_civ_officer")
    officers = make_users([(f"{p}_officer_{i:02d}", f"Cán bộ TCCB {i:02d}") for i in range(args.officers)])
    officers.write({"groups_id": [(4, officer_group.id)]})

    chairman, vice = Employee.create(
        [
            {"name": u.name, "user_id": u.id, "company_id": company.id, "department_id": leadership.id}
            for u in lead_users
        ]
    )
    vice.parent_id = chairman
    leadership.write({"manager_id": chairman.id, "civ_deputy_ids": [(6, 0, vice.ids)]})
    heads = Employee.create(
        [
            {
                "name": u.name,
                "user_id": u.id,
                "company_id": company.id,
                "department_id": s.id,
                "parent_id": vice.id,
                "job_title": "Trưởng phòng",
            }
            for u, s in zip(head_users, sections, strict=True)
        ]
    )
    for section, head in zip(sections, heads, strict=True):
        section.manager_id = head
    staff_vals = []
    for i, user in enumerate(staff_users):
        section, head = sections[i % len(sections)], heads[i % len(heads)]
        staff_vals.append(
            {
                "name": user.name,
                "user_id": user.id,
                "company_id": company.id,
                "department_id": section.id,
                "parent_id": head.id,
                "job_title": "Chuyên viên",
            }
        )
    for start in range(0, len(staff_vals), 1000):
        Employee.create(staff_vals[start : start + 1000])
    env.flush_all()
    set_passwords(env, lead_users | head_users | staff_users | officers)
    return {"heads": head_users, "staff": staff_users, "officers": officers}


def open_sessions(env, users):
    """{login: session id} of a logged-in session per user, as /web/session/authenticate leaves it."""
    from odoo import http  # noqa: PLC0415

    store = http.root.session_store
    sessions = {}
    for user in users:
        session = store.new()
        session.update(
            http.get_default_session(),
            db=env.cr.dbname,
            login=user.login,
            uid=user.id,
            context=dict(user.with_user(user).context_get()),
            session_token=user._compute_session_token(session.sid),
        )
        store.save(session)
        sessions[user.login] = session.sid
    return sessions


def describe(env, period, users):
    cr = env.cr
    cr.execute(
        """
        SELECT u.login, e.id, json_agg(json_build_array(l.id, c.min_points, c.max_points) ORDER BY l.id)
          FROM civ_evaluation e
          JOIN res_users u ON u.id = e.user_id
          JOIN civ_evaluation_line l ON l.evaluation_id = e.id
          JOIN civ_criterion c ON c.id = l.criterion_id
         WHERE e.period_id = %s AND e.chain_problem IS NOT TRUE
      GROUP BY u.login, e.id
      ORDER BY e.id
    """,
        [period.id],
    )
    sheets = {login: {"sheet_id": sheet_id, "lines": lines} for login, sheet_id, lines in cr.fetchall()}
    staff = [login for login in users["staff"].mapped("login") if login in sheets]
    return {
        "period_id": period.id,
        "period": period.display_name,
        "sheets": sheets,
        "employees": staff,
        "reviewers": users["heads"].mapped("login"),
        "officers": users["officers"].mapped("login"),
        "sessions": open_sessions(env, users["heads"] | users["staff"] | users["officers"]),
    }


def main():
    args = parse_args()
    sys.path.insert(0, args.odoo_src)
    import odoo  # noqa: PLC0415  (importable once its source is on sys.path)
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    odoo.tools.config.parse_config(
        [
            f"--addons-path={args.addons_path}",
            f"--db_host={args.db_host}",
            f"--db_port={args.db_port}",
            f"--db_user={args.db_user}",
            f"--data-dir={args.data_dir}",
            "--log-level=warn",
        ]
    )
    registry = odoo.modules.registry.Registry(args.database)
    today = date.fromisoformat(args.today)
    started = time.monotonic()
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        users = build(env, args)
        cr.commit()
        period = open_month(env, today)
        cr.commit()
        if not period:
            sys.exit(f"prepare: no period was opened for {today} (no usable monthly framework?)")
        data = describe(env, period, users)
    with open(args.out, "w", encoding="utf-8") as handle:
        json.dump(data, handle)
    print(
        f"prepare: {len(data['sheets'])} sheets in {data['period']} (period {data['period_id']}), "
        f"{len(data['employees'])} staff, {len(data['reviewers'])} reviewers, "
        f"{len(data['officers'])} officers ({time.monotonic() - started:.0f} s)"
    )


if __name__ == "__main__":
    main()
