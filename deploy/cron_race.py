"""One of two cron workers racing on the same job (make deploy-check starts two at the same instant).

    python deploy/cron_race.py --odoo-src ... --addons-path ... --db-host ... --db-port ... \
        --db-user ... --database DB --job open|lock --today 2026-10-05 --batch-size 200 \
        --start-at EPOCH --name A

Calls the addon's "open periods" or "lock periods" cron method the way Odoo's cron worker does: one
call per transaction, committed, called again while it reports work left (ir.cron progress API) and
until --idle-calls calls in a row found nothing to do; a
call that fails (e.g. a serialization failure against the other process) is rolled back and counts as
a conflict, and the next call goes on, as the next cron run would. Bounded: at most --max-calls calls
and --max-seconds seconds. Prints one JSON line: calls, conflicts (with their messages), seconds.
"""

import argparse
import json
import sys
import time
from datetime import date


def main():
    parser = argparse.ArgumentParser()
    for name in ("odoo-src", "addons-path", "db-host", "db-port", "db-user", "database", "name"):
        parser.add_argument(f"--{name}", required=True)
    parser.add_argument("--job", choices=("open", "lock"), required=True)
    parser.add_argument("--today", required=True)
    parser.add_argument("--batch-size", type=int, default=200)
    parser.add_argument("--start-at", type=float, default=0)
    parser.add_argument("--max-calls", type=int, default=200)
    parser.add_argument("--max-seconds", type=float, default=300)
    parser.add_argument("--idle-calls", type=int, default=3)
    args = parser.parse_args()

    sys.path.insert(0, args.odoo_src)
    import odoo  # noqa: PLC0415  (importable once its source is on sys.path)
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    odoo.tools.config.parse_config(
        [
            f"--addons-path={args.addons_path}",
            f"--db_host={args.db_host}",
            f"--db_port={args.db_port}",
            f"--db_user={args.db_user}",
            "--log-level=warn",
        ]
    )
    registry = odoo.modules.registry.Registry(args.database)
    today = date.fromisoformat(args.today)
    # the helpers behind the private cron entry points, where the day and the batch size can be given
    method_name = {"open": "_civ_open_periods", "lock": "_civ_lock_periods"}[args.job]

    while time.time() < args.start_at:
        time.sleep(0.01)
    started = time.monotonic()
    calls, conflicts, remaining, idle = 0, [], None, 0
    while calls < args.max_calls and time.monotonic() - started < args.max_seconds:
        calls += 1
        try:
            with registry.cursor() as cr:  # commits at the end of the block, rolls back on error
                env = api.Environment(cr, SUPERUSER_ID, {})
                Period = env["civ.period"]
                remaining = getattr(Period, method_name)(today=today, batch_size=args.batch_size)
        except Exception as error:  # noqa: BLE001  (any failure of a cron run is reported)
            conflicts.append(f"{type(error).__name__}: {str(error).splitlines()[0][:200]}")
            continue
        # a cron worker triggered again: stop after a few calls in a row found nothing left (a call
        # skipped while the other worker holds the job also returns 0: the next one may take over)
        idle = idle + 1 if not remaining else 0
        if idle >= args.idle_calls:
            break
        time.sleep(0.05)
    print(
        json.dumps(
            {
                "worker": args.name,
                "job": args.job,
                "calls": calls,
                "remaining": remaining,
                "conflicts": len(conflicts),
                "messages": sorted(set(conflicts)),
                "seconds": round(time.monotonic() - started, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
