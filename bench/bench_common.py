"""Shared pieces of the benchmarks: starting Odoo in-process and building a generated city in SQL."""

import argparse
import sys
import time
from contextlib import contextmanager

# the generated city is made of agencies (companies) of this many people
AGENCY_SIZE = 2000
CITY_PREFIX = "Bench City Agency"
# the tables of the months (sheets, their lines, review steps, the points each level gave)
TABLES = ("civ_evaluation", "civ_evaluation_line", "civ_review_step", "civ_review_step_point")


def parse_args(description):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--odoo-src", required=True)
    parser.add_argument("--addons-path", required=True)
    parser.add_argument("--db-host", required=True)
    parser.add_argument("--db-port", required=True)
    parser.add_argument("--db-user", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--employees", type=int, default=10000)
    parser.add_argument("--agency-size", type=int, default=AGENCY_SIZE)
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


# ---------------------------------------------------------------------------- the city, in SQL
def _columns(cr, table):
    """[(column, SQL type)] of a table, id excluded."""
    cr.execute(
        """
        SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute
         WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped AND attname != 'id'
      ORDER BY attnum
    """,
        [table],
    )
    return cr.fetchall()


def clone_rows(cr, table, template_id, overrides, count, own_id_columns=()):
    """Insert `count` copies of the row `template_id` of `table`, each with its own values of the
    columns in `overrides` ({column: list of `count` values}) and its own new id in the columns
    `own_id_columns`; return the new ids, in order.
    Every other column (NOT NULL ones, defaults) is copied from the template row, which was created
    through the ORM: the copies are what the ORM would have written, at SQL speed."""
    if not count:
        return []
    cr.execute(f"SELECT nextval('{table}_id_seq') FROM generate_series(1, %s)", [count])  # noqa: S608
    ids = [row[0] for row in cr.fetchall()]
    overrides = dict(overrides, **{column: [None] * count for column in own_id_columns})
    columns = _columns(cr, table)
    types = dict(columns)
    names = list(overrides)
    select = ", ".join(f"v.{name}" if name in overrides else f"t.{name}" for name, _type in columns)
    unnest = ", ".join(f"%s::{types[name]}[]" for name in names)
    for start in range(0, count, 20000):
        stop = start + 20000
        params = [ids[start:stop]] + [overrides[name][start:stop] for name in names]
        cr.execute(
            f"INSERT INTO {table} (id, {', '.join(name for name, _type in columns)}) "  # noqa: S608
            f"SELECT v.new_id, {select} FROM {table} t, unnest(%s::int[], {unnest}) "
            f"AS v(new_id, {', '.join(names)}) WHERE t.id = %s",
            params + [template_id],
        )
    # planned with the new rows counted: the foreign key checks of the next statements (their plans
    # are cached by the session) look rows up by index rather than scanning the table for each row
    cr.execute(f"ANALYZE {table}")
    for column in own_id_columns:  # set after the ANALYZE, for the same reason
        cr.execute(f"UPDATE {table} SET {column} = id WHERE id IN (SELECT unnest(%s::int[]))", [ids])
    return ids


def build_city(env, n_employees, agency_size=AGENCY_SIZE, sections=10, subunits=4, teams=2, prefix="bc"):
    """A generated city of about `n_employees` people in agencies (companies) of `agency_size`.

    Each agency: departments 4 levels deep (a leadership unit with its chairman and 3 vice-chairmen;
    `sections` sections, `subunits` sub-units per section, `teams` teams per sub-unit), a head with a
    user for every department (the reviewers), one job position; staff spread over the teams, their
    direct leader being the team head. The companies, departments and jobs (a few thousand rows) are
    created through the ORM; the users, partners, resources and employees (the bulk) are copies of
    one template employee and user made by the ORM, inserted in SQL (see clone_rows). The positions
    that the ORM would compute from the departments are written with them.
    """
    cr = env.cr
    quiet = dict(env.context, tracking_disable=True, mail_create_nolog=True, no_reset_password=True)
    env = env(context=quiet)
    n_agencies = max(1, round(n_employees / agency_size))
    companies = env["res.company"].create(
        # the city's agencies are named CITY_PREFIX (find_city); another benchmark's city of the
        # same database is named by its prefix (company names are unique)
        [
            {"name": f"{CITY_PREFIX if prefix == 'bc' else prefix} {index + 1:03d}"}
            for index in range(n_agencies)
        ]
    )
    # companies will be evaluated in January 2027 for the year 2026 (see bench_year_end.py)
    companies.write({"civ_annual_deadline": "01-15"})
    template_user = env["res.users"].create(
        {
            "name": f"{prefix} template",
            "login": f"{prefix}_template",
            "company_id": companies[0].id,
            "company_ids": [(6, 0, companies[:1].ids)],
        }
    )
    template = env["hr.employee"].create(
        {
            "name": f"{prefix} template",
            "company_id": companies[0].id,
            "job_title": "Chuyên viên",
            "work_contact_id": template_user.partner_id.id,
        }
    )
    template_partner = env["res.partner"].create({"name": f"{prefix} template contact"})
    env.flush_all()
    cr.execute("SELECT gid FROM res_groups_users_rel WHERE uid = %s", [template_user.id])
    group_ids = [row[0] for row in cr.fetchall()]

    agencies = []
    for index, company in enumerate(companies):
        cenv = env(context=dict(quiet, allowed_company_ids=company.ids))
        Department = cenv["hr.department"]
        size = agency_size if index < n_agencies - 1 else n_employees - agency_size * (n_agencies - 1)
        leadership = Department.create(
            {"name": "Leadership", "civ_is_leadership": True, "company_id": company.id}
        )
        level2 = Department.create(
            [
                {"name": f"S{i:02d}", "parent_id": leadership.id, "company_id": company.id}
                for i in range(sections)
            ]
        )
        level3 = Department.create(
            [
                {"name": f"{s.name}-U{j}", "parent_id": s.id, "company_id": company.id}
                for s in level2
                for j in range(subunits)
            ]
        )
        level4 = Department.create(
            [
                {"name": f"{u.name}-T{k}", "parent_id": u.id, "company_id": company.id}
                for u in level3
                for k in range(teams)
            ]
        )
        job = cenv["hr.job"].create({"name": "Chuyên viên", "company_id": company.id})
        agencies.append(
            {
                "company": company,
                "leadership": leadership,
                "level2": level2,
                "level3": level3,
                "level4": level4,
                "job": job,
                "size": size,
            }
        )
    env.flush_all()

    # who is who, agency by agency: (company, department, parent index, position, user?)
    people = []  # dicts; parent is an index in people
    for agency in agencies:
        company, leadership = agency["company"], agency["leadership"]
        base = len(people)
        people.append(
            {
                "company": company.id,
                "dept": leadership.id,
                "parent": None,
                "position": "agency_head",
                "user": True,
            }
        )
        for _ in range(3):
            people.append(
                {
                    "company": company.id,
                    "dept": leadership.id,
                    "parent": base,
                    "position": "deputy_agency_head",
                    "user": True,
                }
            )
        head_of = {leadership.id: base}
        others = agency["level2"] | agency["level3"] | agency["level4"]
        for position, dept in enumerate(others):
            if dept.parent_id == leadership:
                parent = base + 1 + position % 3
            else:
                parent = head_of[dept.parent_id.id]
            head_of[dept.id] = len(people)
            people.append(
                {
                    "company": company.id,
                    "dept": dept.id,
                    "parent": parent,
                    "position": "unit_head",
                    "user": True,
                }
            )
        agency["head_of"] = head_of
        agency["first"] = base
        teams_ = agency["level4"]
        n_staff = max(0, agency["size"] - (len(people) - base))
        for i in range(n_staff):
            team = teams_[i % len(teams_)]
            people.append(
                {
                    "company": company.id,
                    "dept": team.id,
                    "parent": head_of[team.id],
                    "position": "staff",
                    "user": False,
                }
            )
        agency["last"] = len(people)
    job_of = {agency["company"].id: agency["job"].id for agency in agencies}

    # partners: one per person (the user's partner for the heads, the work contact for everyone)
    names = [f"{'Head' if p['user'] else 'Staff'} {i:06d}" for i, p in enumerate(people)]
    partner_ids = clone_rows(
        cr,
        "res_partner",
        template_partner.id,
        {
            "name": names,
            "complete_name": names,
            "company_id": [p["company"] for p in people],
            "employee": [True] * len(people),
            "email": [None] * len(people),
            "email_normalized": [None] * len(people),
        },
        len(people),
        own_id_columns=("commercial_partner_id",),
    )
    # users of the heads
    heads = [i for i, p in enumerate(people) if p["user"]]
    user_ids = clone_rows(
        cr,
        "res_users",
        template_user.id,
        {
            "login": [f"{prefix}_{i:06d}" for i in heads],
            "partner_id": [partner_ids[i] for i in heads],
            "company_id": [people[i]["company"] for i in heads],
            "password": [None] * len(heads),
        },
        len(heads),
    )
    user_of = dict(zip(heads, user_ids, strict=True))
    cr.execute(
        """
        INSERT INTO res_groups_users_rel (gid, uid) SELECT g, u FROM unnest(%s::int[]) g, unnest(%s::int[]) u
    """,
        [group_ids, user_ids],
    )
    cr.execute(
        "INSERT INTO res_company_users_rel (cid, user_id) SELECT * FROM unnest(%s::int[], %s::int[])",
        [[people[i]["company"] for i in heads], user_ids],
    )
    # resources and employees
    resource_ids = clone_rows(
        cr,
        "resource_resource",
        template.resource_id.id,
        {
            "name": names,
            "company_id": [p["company"] for p in people],
            "user_id": [user_of.get(i) for i in range(len(people))],
        },
        len(people),
    )
    employee_ids = clone_rows(
        cr,
        "hr_employee",
        template.id,
        {
            "name": names,
            "resource_id": resource_ids,
            "company_id": [p["company"] for p in people],
            "department_id": [p["dept"] for p in people],
            "job_id": [job_of[p["company"]] for p in people],
            "user_id": [user_of.get(i) for i in range(len(people))],
            "work_contact_id": partner_ids,
            "civ_position": [p["position"] for p in people],
            "work_email": [None] * len(people),
        },
        len(people),
    )
    cr.execute(
        """
        UPDATE hr_employee e SET parent_id = v.parent FROM unnest(%s::int[], %s::int[]) v(id, parent)
         WHERE e.id = v.id
    """,
        [employee_ids, [employee_ids[p["parent"]] if p["parent"] is not None else None for p in people]],
    )
    # the departments' heads and the leadership's deputies
    dept_heads = [
        (p["dept"], employee_ids[i])
        for i, p in enumerate(people)
        if p["position"] in ("agency_head", "unit_head")
    ]
    cr.execute(
        """
        UPDATE hr_department d SET manager_id = v.head FROM unnest(%s::int[], %s::int[]) v(id, head)
         WHERE d.id = v.id
    """,
        [[d for d, _e in dept_heads], [e for _d, e in dept_heads]],
    )
    deputies = [
        (p["dept"], employee_ids[i]) for i, p in enumerate(people) if p["position"] == "deputy_agency_head"
    ]
    cr.execute(
        "INSERT INTO civ_department_deputy_rel (department_id, employee_id) "
        "SELECT * FROM unnest(%s::int[], %s::int[])",
        [[d for d, _e in deputies], [e for _d, e in deputies]],
    )
    # the templates are not part of the city
    cr.execute("UPDATE hr_employee SET active = FALSE, civ_evaluated = FALSE WHERE id = %s", [template.id])
    cr.execute("UPDATE res_users SET active = FALSE WHERE id = %s", [template_user.id])
    env.invalidate_all()
    env.registry.clear_cache()
    for agency in agencies:
        agency["employee_ids"] = employee_ids[agency["first"] : agency["last"]]
    return {"companies": companies, "agencies": agencies, "employee_ids": employee_ids, "user_ids": user_ids}


def find_city(env):
    """The companies of a city built by an earlier benchmark script in the same database."""
    return env["res.company"].search([("name", "=like", f"{CITY_PREFIX} %")], order="id")


# ---------------------------------------------------------------------------- storage
def storage(cr):
    """{table: (heap+toast bytes, index bytes, rows, {index: bytes})}"""
    out = {}
    for table in TABLES:
        cr.execute(
            """
            SELECT pg_table_size(%s::regclass), pg_indexes_size(%s::regclass), count(*) FROM
        """
            + table,
            [table, table],
        )  # noqa: S608 (fixed names)
        heap, indexes, rows = cr.fetchone()
        cr.execute(
            """
            SELECT c.relname, pg_relation_size(c.oid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
             WHERE i.indrelid = %s::regclass ORDER BY 2 DESC
        """,
            [table],
        )
        out[table] = (heap, indexes, rows, dict(cr.fetchall()))
    return out


def print_storage(label, sizes, sheets):
    print(f"  storage {label} ({sheets:,} sheet-months):")
    total = 0
    for table, (heap, indexes, rows, by_index) in sizes.items():
        total += heap + indexes
        print(
            f"    {table:<24} {rows:>12,} rows  table {heap / 2**20:9.1f} MiB  indexes "
            f"{indexes / 2**20:9.1f} MiB  ({(heap + indexes) / max(sheets, 1):7.0f} B/sheet-month)"
        )
        for index, size in by_index.items():
            print(f"      {index:<52} {size / 2**20:9.1f} MiB  ({size / max(sheets, 1):6.0f} B/sheet-month)")
    per_sheet = total / max(sheets, 1)
    print(
        f"    {'total':<24} {total / 2**30:9.2f} GiB, {per_sheet:,.0f} bytes per sheet-month; "
        f"5 years of 100,000 people (6,000,000 sheet-months): {per_sheet * 6e6 / 2**30:,.0f} GiB"
    )
    return per_sheet
