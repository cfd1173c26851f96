"""Shared pieces of the benchmarks: starting Odoo in-process and building a generated organisation."""

import argparse
import sys
import time
from contextlib import contextmanager


def parse_args(description):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--odoo-src", required=True)
    parser.add_argument("--addons-path", required=True)
    parser.add_argument("--db-host", required=True)
    parser.add_argument("--db-port", required=True)
    parser.add_argument("--db-user", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--employees", type=int, default=10000)
    return parser.parse_args()


def odoo_registry(args):
    """Configure Odoo from the arguments and return the registry of the benchmark database."""
    sys.path.insert(0, args.odoo_src)
    import odoo  # noqa: PLC0415  (Odoo is only importable once its source is on sys.path)

    odoo.tools.config.parse_config(
        [
            f"--addons-path={args.addons_path}",
            f"--db_host={args.db_host}",
            f"--db_port={args.db_port}",
            f"--db_user={args.db_user}",
            "--log-level=warn",
        ]
    )
    return odoo.modules.registry.Registry(args.database)


@contextmanager
def timed(results, label):
    start = time.perf_counter()
    yield
    results[label] = time.perf_counter() - start
    print(f"  {label:<52} {results[label]:8.2f} s", flush=True)


def build_org(env, n_employees, sections=25, subunits=4, teams=4, prefix="bench"):
    """A generated agency of about `n_employees`, departments 4 levels deep.

    Level 1: the leadership unit (chairman + 3 vice-chairmen); level 2: `sections` sections; level 3:
    `subunits` sub-units per section; level 4: `teams` teams per sub-unit. Every department has a head
    with a user (heads are the reviewers); staff are spread over the teams, their direct leader being
    the team head. Batched creates only. `prefix` starts the users' logins, so that several benchmarks
    can build their organisation in the same database.
    """
    Department = env["hr.department"].with_context(tracking_disable=True, mail_create_nolog=True)
    Employee = env["hr.employee"].with_context(tracking_disable=True, mail_create_nolog=True)
    Users = env["res.users"].with_context(tracking_disable=True, no_reset_password=True)
    company = env.company

    leadership = Department.create({"name": "Leadership", "civ_is_leadership": True})
    level2 = Department.create([{"name": f"S{i:02d}", "parent_id": leadership.id} for i in range(sections)])
    level3 = Department.create(
        [{"name": f"{s.name}-U{j}", "parent_id": s.id} for s in level2 for j in range(subunits)]
    )
    level4 = Department.create(
        [{"name": f"{u.name}-T{k}", "parent_id": u.id} for u in level3 for k in range(teams)]
    )
    departments = leadership | level2 | level3 | level4

    heads_needed = len(departments) + 3  # + 3 vice-chairmen
    users = Users.create(
        [
            {"name": f"Head {i:05d}", "login": f"{prefix}_head_{i:05d}", "company_id": company.id,
             "company_ids": [(6, 0, company.ids)]}
            for i in range(heads_needed)
        ]
    )
    heads = Employee.create(
        [
            {"name": user.name, "user_id": user.id, "company_id": company.id}
            for user in users
        ]
    )
    chairman, vices, unit_heads = heads[0], heads[1:4], heads[4:]
    # leadership
    leadership.write({"manager_id": chairman.id, "civ_deputy_ids": [(6, 0, vices.ids)]})
    chairman.department_id = leadership
    vices.write({"department_id": leadership.id, "parent_id": chairman.id})
    # every other department's head reports to the head of the parent department
    # (sections report to a vice-chairman)
    head_of = {leadership.id: chairman}
    for dept, head in zip(level2 | level3 | level4, unit_heads, strict=True):
        head_of[dept.id] = head
        dept.manager_id = head
    for index, dept in enumerate(level2 | level3 | level4):
        parent = vices[index % 3] if dept.parent_id == leadership else head_of[dept.parent_id.id]
        head_of[dept.id].write({"department_id": dept.id, "parent_id": parent.id})

    n_staff = max(0, n_employees - len(heads))
    staff_vals = []
    for i in range(n_staff):
        team = level4[i % len(level4)]
        staff_vals.append(
            {
                "name": f"Staff {i:05d}",
                "department_id": team.id,
                "parent_id": head_of[team.id].id,
                "company_id": company.id,
                "job_title": "Chuyên viên",
            }
        )
    staff = Employee.browse()
    for start in range(0, len(staff_vals), 2000):
        staff |= Employee.create(staff_vals[start:start + 2000])
    env.flush_all()
    return {
        "departments": departments,
        "heads": heads,
        "staff": staff,
        "chairman": chairman,
        "head_of": head_of,
        "teams": level4,
    }
