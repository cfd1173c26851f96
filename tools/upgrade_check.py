"""The two ends of the upgrade test (tools/upgrade_test.sh), run in-process against its database.

  upgrade_check.py before --snapshot FILE ...   with the PREVIOUS release's code: lock the month the demo
      decided, decide some year-end results, record a disciplinary fact, then write what the locked months
      and the decided results hold (counts, levels, a checksum of their content, in SQL) to FILE;
  upgrade_check.py after --snapshot FILE ...    with the working tree's code, once upgraded: the data kept,
      every locked month sealed and verified clean, months and results sealed at the upgrade saying so, a
      change made in SQL detected, the scheduled actions callable, and the workflow still working (a new
      month opened, one sheet self-assessed, submitted, approved and decided, the month locked and sealed).

"before" uses only what both releases have (SQL, and the 18.0.1.0.0 methods action_lock,
prepare_results, action_confirm). Prints one line per check; exits 1 when one fails.
"""

import argparse
import datetime
import json
import re
import sys

failures = []


def check(ok, text):
    print(f"  {'ok  ' if ok else 'FAIL'} {text}", flush=True)
    if not ok:
        failures.append(text)
    return ok


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("phase", choices=("before", "after"))
    parser.add_argument("--snapshot", required=True)
    parser.add_argument("--odoo-src", required=True)
    parser.add_argument("--addons-path", required=True)
    parser.add_argument("--db-host", required=True)
    parser.add_argument("--db-port", required=True)
    parser.add_argument("--db-user", required=True)
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--database", required=True)
    return parser.parse_args()


def odoo_registry(args):
    sys.path.insert(0, args.odoo_src)
    import odoo  # noqa: PLC0415  (importable once its source is on sys.path)

    odoo.tools.config.parse_config(
        [
            f"--addons-path={args.addons_path}",
            f"--db_host={args.db_host}",
            f"--db_port={args.db_port}",
            f"--db_user={args.db_user}",
            f"--data-dir={args.data_dir}",
            "--log-level=info",
            "--max-cron-threads=0",
        ]
    )
    return odoo, odoo.modules.registry.Registry(args.database)


# --------------------------------------------------------------------------- the content, in SQL
# columns both releases have: what an upgrade must keep of a locked month and of a decided result
SHEET = "id, employee_id, period_id, state, self_score, reviewer_score, final_score, level_id, not_evaluated"
LINE = "id, evaluation_id, criterion_id, self_points, reviewer_points, final_points"
STEP = "id, evaluation_id, sequence, state, score, reviewer_user_id, date_done"
RESULT = "id, employee_id, company_id, year, state, level_id, average_score, months_evaluated, date_done"


def _checksum(cr, table, columns, where, params):
    cr.execute(
        f"SELECT count(*), md5(coalesce(string_agg(row({columns})::text, '|' ORDER BY id), '')) "  # noqa: S608
        f"FROM {table} WHERE {where}",
        params,
    )
    count, digest = cr.fetchone()
    return {"count": count, "md5": digest}


def content(cr):
    """What the locked months and the decided year-end results hold."""
    cr.execute(
        "SELECT id, name FROM civ_period p WHERE state = 'locked' "
        "AND EXISTS (SELECT 1 FROM civ_evaluation e WHERE e.period_id = p.id) ORDER BY id"
    )
    months = {}
    for period_id, name in cr.fetchall():
        sheets = "period_id = %s"
        children = "evaluation_id IN (SELECT id FROM civ_evaluation WHERE period_id = %s)"
        cr.execute(
            "SELECT coalesce(l.code, '-'), count(*) FROM civ_evaluation e LEFT JOIN civ_level l "
            "ON l.id = e.level_id WHERE e.period_id = %s GROUP BY 1 ORDER BY 1",
            [period_id],
        )
        levels = dict(cr.fetchall())
        months[str(period_id)] = {
            "name": name,
            "sheets": _checksum(cr, "civ_evaluation", SHEET, sheets, [period_id]),
            "lines": _checksum(cr, "civ_evaluation_line", LINE, children, [period_id]),
            "steps": _checksum(cr, "civ_review_step", STEP, children, [period_id]),
            "levels": levels,
        }
    # the sheets of every month, by state (a month the upgrade or the bridge's demo adds is not compared)
    cr.execute("SELECT period_id, state, count(*) FROM civ_evaluation GROUP BY 1, 2 ORDER BY 1, 2")
    states = {}
    for period_id, state, count in cr.fetchall():
        states.setdefault(str(period_id), {})[state] = count
    return {
        "months": months,
        "sheets_by_state": states,
        "results": _checksum(cr, "civ_annual_result", RESULT, "state = 'done'", []),
    }


# --------------------------------------------------------------------------- before (old code)
def before(odoo, registry, args):
    api, SUPERUSER_ID = odoo.api, odoo.SUPERUSER_ID
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        Period = env["civ.period"]
        # the demo locked a month; lock the next one (the month it decided) with the release's own lock
        to_lock = Period.search([("state", "=", "open")], order="date_start", limit=1)
        if to_lock:
            to_lock.action_lock()
            print(f"  locked {to_lock.name} with the previous release", flush=True)
        locked = Period.search([("state", "=", "locked")])
        check(bool(locked.evaluation_ids), f"{len(locked)} locked months with sheets before the upgrade")
        # year-end results of the locked months' year, some decided by the release's own workflow
        company = locked[:1].company_id
        year = locked[:1].date_start.year
        Result = env["civ.annual.result"]
        results = Result.prepare_results(year, company)
        to_decide = results.filtered(lambda r: r.state == "draft")[:10]
        to_decide.action_confirm(quota_reason="Upgrade test")
        check(
            bool(to_decide) and all(r.state == "done" for r in to_decide),
            f"{len(to_decide)} year-end results of {year} decided before the upgrade",
        )
        # a disciplinary fact recorded by a user (who recorded it is kept by the upgrade)
        admin = env.ref("base.user_admin")
        employee = locked.evaluation_ids[:1].employee_id
        fact = (
            env["civ.discipline"]
            .with_user(admin)
            .sudo()
            .create({"employee_id": employee.id, "date": locked[:1].date_end, "kind": "reprimand"})
        )
        env.flush_all()
        snapshot = content(cr)
        snapshot["discipline"] = {"id": fact.id, "create_uid": admin.id}
        cr.commit()
    with open(args.snapshot, "w", encoding="utf-8") as handle:
        json.dump(snapshot, handle, indent=1, sort_keys=True)
    for period_id, month in snapshot["months"].items():
        print(
            f"  locked month {month['name']} (id {period_id}): {month['sheets']['count']} sheets, "
            f"{month['lines']['count']} lines, {month['steps']['count']} steps, levels {month['levels']}",
            flush=True,
        )


# --------------------------------------------------------------------------- after (new code)
def _sheet_to_play(period):
    """A sheet of the new month with a user and a chain of at least two steps, every one with a
    reviewer who is someone else (the demo's `nhanvien` when there)."""
    candidates = period.evaluation_ids.filtered(
        lambda sheet: sheet.user_id
        and not sheet.chain_problem
        and len(sheet.step_ids) >= 2
        and all(step.reviewer_user_id and step.reviewer_user_id != sheet.user_id for step in sheet.step_ids)
    )
    return candidates.filtered(lambda sheet: sheet.user_id.login == "nhanvien")[:1] or candidates[:1]


def _self_points(line):
    """Points as the demo gives them: good on the standard criteria, none of the bonus, no deduction."""
    criterion = line.criterion_id
    if criterion.group_id.kind == "deduction":
        return criterion.max_points
    if criterion.group_id.kind == "bonus":
        return criterion.min_points
    return round(criterion.min_points + 0.85 * (criterion.max_points - criterion.min_points))


def check_kept(cr, snapshot):
    now = content(cr)
    for period_id, month in snapshot["months"].items():
        after = now["months"].get(period_id)
        if not check(after is not None, f"{month['name']}: still a locked month"):
            continue
        for key in ("sheets", "lines", "steps"):
            check(
                after[key] == month[key],
                f"{month['name']}: {month[key]['count']} {key} kept, content unchanged "
                f"(after: {after[key]['count']})",
            )
        check(after["levels"] == month["levels"], f"{month['name']}: levels kept {month['levels']}")
    before_states = snapshot["sheets_by_state"]
    check(
        {period_id: now["sheets_by_state"].get(period_id) for period_id in before_states} == before_states,
        f"the sheets of the {len(before_states)} months kept, by state: {before_states}",
    )
    check(
        now["results"] == snapshot["results"],
        f"{snapshot['results']['count']} decided year-end results kept, content unchanged",
    )


def check_seals(env, snapshot, version):
    Period = env["civ.period"]
    locked = Period.search([("state", "=", "locked")]).filtered("evaluation_ids")
    check(all(locked.mapped("seal_hash")), f"every locked month sealed ({len(locked)})")
    check(not locked._integrity_failures(), "every locked month verifies clean (_integrity_failures() empty)")
    upgraded = Period.browse([int(period_id) for period_id in snapshot["months"]])
    for period in upgraded:
        check(
            bool(period.seal_upgrade_date) and period.seal_upgrade_version == version,
            f"{period.name}: marked as sealed at the upgrade ({period.seal_upgrade_date}, "
            f"{period.seal_upgrade_version})",
        )
        message = period.action_verify_integrity()["params"]["message"]
        check(
            "sealed at the upgrade to " + version in message and "match the seal" in message,
            f"{period.name}: Verify Integrity says so: {message!r}",
        )
        notes = period.message_ids.mapped("body")
        check(
            any(f"{version} (" in (body or "") for body in notes),
            f"{period.name}: a note in its chatter says it was sealed at the upgrade to {version}",
        )
    # a change made in SQL to a locked sheet is detected (and rolled back)
    period = upgraded[:1]
    sheet = period.evaluation_ids.sorted("id")[len(period.evaluation_ids) // 2]
    line = sheet.line_ids.sorted("id")[:1]
    with env.cr.savepoint(flush=False) as savepoint:
        env.cr.execute(
            "UPDATE civ_evaluation_line SET final_points = coalesce(final_points, 0) + 1 WHERE id = %s",
            [line.id],
        )
        env.invalidate_all()
        failed = period._integrity_failures()
        check(failed == sheet, f"{period.name}: a line of {sheet.display_name} changed in SQL is detected")
        result = period.action_verify_integrity()["params"]
        check(result["type"] == "danger", f"Verify Integrity reports it: {result['message']!r}")
        savepoint.rollback()
    env.invalidate_all()
    check(not period._integrity_failures(), f"{period.name}: verifies clean again once the change is undone")

    # the year-end results decided before the upgrade
    Result = env["civ.annual.result"]
    decided = Result.search([("state", "=", "done")])
    sealed = bool(decided) and all(decided.mapped("seal_hash"))
    check(sealed, f"{len(decided)} decided year-end results sealed")
    check(not decided._integrity_failures(), "the decided year-end results verify clean")
    check(
        all(r.seal_upgrade_date and r.seal_upgrade_version == version for r in decided),
        "the decided year-end results are marked as sealed at the upgrade",
    )
    message = decided.action_verify_integrity()["params"]["message"]
    check("sealed at the upgrade to " + version in message, f"Verify the Seal says so: {message!r}")
    with env.cr.savepoint(flush=False) as savepoint:
        changed = decided.sorted("id")[:1]
        env.cr.execute(
            "UPDATE civ_annual_result SET average_score = average_score + 1 WHERE id = %s", [changed.id]
        )
        env.invalidate_all()
        check(decided._integrity_failures() == changed, "a decided result changed in SQL is detected")
        savepoint.rollback()
    env.invalidate_all()


def check_reopened(env, snapshot):
    """A month sealed at the upgrade, reopened and locked again, is sealed as any month: the upgrade's
    mark goes with the seal it described."""
    period = env["civ.period"].browse(int(max(snapshot["months"], key=int)))
    admin = env.ref("base.user_admin")
    period.with_user(admin)._reopen("Upgrade test: reopened after the upgrade")
    check(
        period.state == "open" and not period.seal_hash and not period.seal_upgrade_date,
        f"{period.name} reopened: its seal and the upgrade's mark discarded",
    )
    period.with_user(admin).action_lock()
    check(
        bool(period.seal_hash) and not period.seal_upgrade_date and not period._integrity_failures(),
        f"{period.name} locked again: sealed by the lock, verifies clean, no upgrade mark",
    )


def check_data_migrations(env, snapshot):
    fact = env["civ.discipline"].browse(snapshot["discipline"]["id"])
    check(
        fact.recorded_by_id.id == snapshot["discipline"]["create_uid"],
        "a disciplinary fact of the previous release is recorded by who created it "
        f"({fact.recorded_by_id.login})",
    )
    # 18.0.1.2.0: the companies keep deciding above a quota with a reason; Decree 335's texts
    company = env.ref("base.main_company")
    check(
        company.civ_quota_mode == "warn",
        f"the company {company.name} of the previous release keeps quotas with a reason (warn)",
    )
    nd335 = env.ref("civ_evaluation.framework_nd335")
    check(
        "trở lên trong cơ quan" not in (nd335.description or ""),
        "the Decree 335 framework's description counts the A quota over those graded B only",
    )
    groups = env["civ.criteria.group"].search([("scoring_mode", "=", "products")])
    check(
        all(group.unit_result_min_score > 0 for group in groups),
        f"the {len(groups)} groups scored on products count the points of the people led "
        f"({sorted(set(groups.mapped('unit_result_min_score')))})",
    )
    check(
        bool(env.ref("civ_evaluation.framework_party366_quarterly", raise_if_not_found=False)),
        "the framework of Quy định 366-QĐ/TW is installed",
    )
    hanoi = env.ref("civ_evaluation.framework_hanoi_3814")
    check(
        str(hanoi.civil_servants_until) == "2026-01-01",
        "Hà Nội 3814 ends for civil servants on 1/1/2026",
    )
    unregimed = env["civ.evaluation"].search_count([("regime", "=", False)])
    check(unregimed == 0, f"every sheet of the previous release has its regime ({unregimed} without)")
    appeals = env["civ.annual.appeal"].search([])
    check(
        all(appeal.date_filed for appeal in appeals),
        f"the {len(appeals)} year-end requests for review have their filing day",
    )
    crons = env["ir.cron"].with_context(active_test=False).search([("model_id.model", "like", "civ.%")])
    for cron in crons:
        calls = re.findall(r"\bmodel\.(\w+)\(", cron.code or "")
        model = env[cron.model_id.model]
        check(
            bool(calls) and all(hasattr(model, name) for name in calls),
            f"scheduled action {cron.name!r} calls methods that exist: {', '.join(calls)}",
        )
    # 18.0.1.5.0: Odoo's Surveys installed for the colleagues' feedback; each member's points of a
    # leadership collective beside the step's own (two partial unique indexes for the old constraint)
    survey = env["ir.module.module"].search([("name", "=", "survey")])
    check(survey.state == "installed", "Odoo's Surveys installed with the upgrade (colleagues' feedback)")
    env.cr.execute(
        "SELECT conname FROM pg_constraint WHERE conname = 'civ_review_step_point_step_line_unique'"
    )
    old_constraint = env.cr.fetchall()
    env.cr.execute(
        "SELECT indexname FROM pg_indexes WHERE tablename = 'civ_review_step_point' "
        "AND indexname LIKE 'civ_review_step_point_step_line_%%' ORDER BY indexname"
    )
    indexes = [row[0] for row in env.cr.fetchall()]
    check(
        not old_constraint
        and indexes == ["civ_review_step_point_step_line_member", "civ_review_step_point_step_line_own"],
        f"the points of each level: one row per step and line, one per member of a collective ({indexes})",
    )
    check(
        bool(env.ref("civ_evaluation.survey_civ_feedback", raise_if_not_found=False))
        and env.ref("civ_evaluation.framework_hcm_20_2024").feedback_survey_id.survey_type == "civ_feedback",
        "the colleague feedback form (Mẫu 2A/2B) is installed and the TP.HCM framework uses it",
    )
    Module = env["ir.module.module"]
    for name in ("civ_evaluation", "civ_evaluation_project", "civ_evaluation_api"):
        module = Module.search([("name", "=", name)])
        check(module.state == "installed", f"{name} installed, version {module.latest_version}")
    check(Module.search([("name", "=", "civ_evaluation")]).demo, "civ_evaluation keeps its demo data flag")


def check_workflow(env, odoo):
    """A new month opens with sheets, one sheet goes self-assessment -> submit -> approve -> decide, and
    locking the month seals it: as the users who do it."""
    Command = odoo.fields.Command
    Period = env["civ.period"]
    last = Period.search([], order="date_start desc", limit=1)
    company = Period.search([("state", "=", "locked")], limit=1).company_id
    latest = Period.search([("company_id", "=", company.id)], order="date_start desc", limit=1) or last
    start = (latest.date_end + datetime.timedelta(days=1)).replace(day=1)
    officer_group = env.ref("civ_evaluation.group_civ_officer")
    officers = officer_group.users.filtered(lambda user: company in user.company_ids and user.id != 1)
    officer = officers.filtered(lambda user: user.login == "canbotccb")[:1] or officers.sorted("id")[:1]
    default = company.civ_framework_id
    if default._refusal_for_category("cong_chuc", start):
        # Hà Nội 3814 no longer grades civil servants from 2026 (Decree 335/2025): the agency's HR maps
        # them to the national framework after the upgrade, as the opening's refusal tells them to
        env["civ.category.rule"].create(
            {
                "company_id": company.id,
                "category": "cong_chuc",
                "framework_id": env.ref("civ_evaluation.framework_nd335").id,
                "regime": "nd335",
            }
        )
        check(True, f"civil servants of {company.name} mapped to Decree 335 (their framework ends in 2026)")
    period = (
        Period.with_user(officer)
        .with_company(company)
        .create({"company_id": company.id, "date_start": start})
    )
    period.action_open()
    sheets = period.evaluation_ids
    check(period.state == "open" and bool(sheets), f"{period.name} opened: {len(sheets)} sheets")
    sheet = _sheet_to_play(period.sudo())
    if not check(bool(sheet), f"a sheet to play: {sheet.display_name}"):
        return
    owner = sheet.user_id
    own = sheet.with_user(owner)
    points = [Command.update(line.id, {"self_points": _self_points(line)}) for line in sheet.line_ids]
    own.write({"line_ids": points})
    check(own.state == "draft" and own.self_score > 0, f"self-assessed by {owner.login}: {own.self_score}")
    own.action_submit()
    check(sheet.state == "review", "submitted")
    reviewers = []
    for _step in range(len(sheet.step_ids) + 1):
        if sheet.state != "review":
            break
        reviewer = sheet.current_reviewer_user_id
        reviewers.append(reviewer.login)
        sheet.with_user(reviewer).action_approve(quota_reason="Upgrade test")
    check(
        sheet.state == "done" and bool(sheet.level_id),
        f"approved and decided by {', '.join(reviewers)}: {sheet.final_score} {sheet.level_id.code}",
    )
    period.with_user(officer).action_lock()
    check(period.state == "locked" and sheet.state == "locked", f"{period.name} locked by {officer.login}")
    check(bool(period.sudo().seal_hash), "the lock sealed it")
    check(not period._integrity_failures(), "it verifies clean")
    check(not period.sudo().seal_upgrade_date, "it is not marked as sealed at the upgrade")


def after(odoo, registry, args):
    from odoo.modules.module import get_manifest  # noqa: PLC0415

    with open(args.snapshot, encoding="utf-8") as handle:
        snapshot = json.load(handle)
    version = get_manifest("civ_evaluation")["version"]
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        check_kept(cr, snapshot)
        check_seals(env, snapshot, version)
        check_data_migrations(env, snapshot)
        check_workflow(env, odoo)
        check_reopened(env, snapshot)
        cr.rollback()


def main():
    args = parse_args()
    odoo, registry = odoo_registry(args)
    print(f"upgrade check ({args.phase}) on {args.database}", flush=True)
    (before if args.phase == "before" else after)(odoo, registry, args)
    if failures:
        print(f"upgrade check ({args.phase}): {len(failures)} failed", flush=True)
        return 1
    print(f"upgrade check ({args.phase}): all passed", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
