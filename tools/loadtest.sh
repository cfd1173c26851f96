#!/usr/bin/env bash
# make loadtest: the deadline evening under Locust, against the addon's own Odoo in prefork mode.
#   LT_USERS=200 LT_SECONDS=75 LT_EMPLOYEES=1200 tools/loadtest.sh
# 1. a throwaway database with civ_evaluation and a generated agency (loadtest/prepare.py), month open;
# 2. Odoo with --workers=4 --max-cron-threads=1 on 127.0.0.1 only;
# 3. Locust headless, LT_USERS users for LT_SECONDS seconds (loadtest/locustfile.py);
# 4. per-action figures (loadtest/report.py), lock waits logged by PostgreSQL, and the check that every
#    sheet submitted and every point sent is in the database once (loadtest/verify.py).
# Everything started here is stopped on exit; the database is dropped unless LT_KEEP=1.
source "$(dirname "$0")/common.sh"
require_odoo
LT_VENV=${LT_VENV:-$ROOT/.venv-loadtest}
[ -x "$LT_VENV/bin/locust" ] || die "Locust is not installed in $LT_VENV: run 'make setup'."
LT_USERS=${LT_USERS:-200}
LT_SECONDS=${LT_SECONDS:-75}
LT_EMPLOYEES=${LT_EMPLOYEES:-1200}
LT_REVIEWERS=${LT_REVIEWERS:-40}
LT_OFFICERS=${LT_OFFICERS:-10}
LT_PORT=${LT_PORT:-18269}
LT_WORKERS=${LT_WORKERS:-4}
# Through PgBouncer / with a replica (tools/deploy_check.sh sets these); default: the private cluster
LT_DB_HOST=${LT_DB_HOST:-$PGHOST}
LT_DB_PORT=${LT_DB_PORT:-$PGPORT}
LT_EXTRA_ARGS=${LT_EXTRA_ARGS:-}
[ "$LT_SECONDS" -le 600 ] && [ "$LT_USERS" -le 1000 ] || die "LT_SECONDS <= 600 and LT_USERS <= 1000 only."

run=$ROOT/.loadtest-run
mkdir -p "$run"
"$ROOT/tools/pg.sh" start
db=${LT_DB:-civ_loadtest_$$}
odoo_pid=""
cleanup() {
  if [ -n "$odoo_pid" ] && kill -0 "$odoo_pid" 2>/dev/null; then
    kill -TERM "$odoo_pid" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$odoo_pid" 2>/dev/null || break; sleep 1; done
    kill -KILL "$odoo_pid" 2>/dev/null || true
  fi
  if [ "${LT_KEEP:-0}" != 1 ] && [ -z "${LT_DB:-}" ]; then
    as_pg "$PGBIN/dropdb" -h "$PGHOST" -p "$PGPORT" -U "$DB_USER" --if-exists "$db" >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT

if [ -z "${LT_DB:-}" ]; then
  log "Database $db: installing civ_evaluation (without demo data)"
  "$PY" "$ODOO_SRC/odoo-bin" --addons-path="$ADDONS_PATH" --db_host="$PGHOST" --db_port="$PGPORT" \
    --db_user="$DB_USER" --data-dir="$ROOT/.odoo-data" -d "$db" -i civ_evaluation --without-demo=all \
    --stop-after-init --log-level=warn --max-cron-threads=0 >"$run/install.log" 2>&1 \
    || { tail -20 "$run/install.log"; die "installing civ_evaluation failed"; }
  log "Generating the agency ($LT_EMPLOYEES people) and opening the month"
  "$PY" loadtest/prepare.py --odoo-src "$ODOO_SRC" --addons-path "$ADDONS_PATH" --db-host "$PGHOST" \
    --db-port "$PGPORT" --db-user "$DB_USER" --database "$db" --employees "$LT_EMPLOYEES" \
    --sections "$LT_REVIEWERS" --officers "$LT_OFFICERS" --out "$run/agency.json" \
    --data-dir "$ROOT/.odoo-data"
fi
# PostgreSQL logs every lock wait longer than 200 ms in this database (counted below)
as_pg "$PGBIN/psql" -h "$PGHOST" -p "$PGPORT" -U "$DB_USER" -d postgres -qc \
  "ALTER DATABASE \"$db\" SET log_lock_waits = on; ALTER DATABASE \"$db\" SET deadlock_timeout = '200ms'"
pglog_start=$(stat -c %s "$PGDATA/server.log" 2>/dev/null || echo 0)

: > "$run/odoo.log"
log "Odoo on http://127.0.0.1:$LT_PORT: --workers=$LT_WORKERS --max-cron-threads=1 (log: $run/odoo.log)"
# shellcheck disable=SC2086
"$PY" "$ODOO_SRC/odoo-bin" --addons-path="$ADDONS_PATH" --db_host="$LT_DB_HOST" --db_port="$LT_DB_PORT" \
  --db_user="$DB_USER" --data-dir="$ROOT/.odoo-data" -d "$db" --db-filter="^$db\$" \
  --http-interface=127.0.0.1 --http-port="$LT_PORT" --gevent-port="$((LT_PORT + 1))" \
  --workers="$LT_WORKERS" --max-cron-threads=1 --limit-time-real=300 --limit-time-cpu=240 \
  --log-level=info --logfile="$run/odoo.log" $LT_EXTRA_ARGS &
odoo_pid=$!
for _ in $(seq 1 60); do
  curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$LT_PORT/web/health" 2>/dev/null && break
  kill -0 "$odoo_pid" 2>/dev/null || die "Odoo stopped (see $run/odoo.log)"
  sleep 1
done
curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$LT_PORT/web/health" || die "Odoo did not answer"

journal=$run/journal.jsonl
: > "$journal"
log "Locust: $LT_USERS users ($LT_REVIEWERS reviewers, $LT_OFFICERS officers, the rest employees) for $LT_SECONDS s"
CIV_LOGIN_SHARE=${LT_LOGIN_SHARE:-0.1} CIV_AGENCY="$run/agency.json" CIV_DB="$db" CIV_JOURNAL="$journal" CIV_REVIEWERS="$LT_REVIEWERS" \
CIV_OFFICERS="$LT_OFFICERS" "$LT_VENV/bin/locust" -f loadtest/locustfile.py --headless \
  --host "http://127.0.0.1:$LT_PORT" -u "$LT_USERS" -r "$(( LT_USERS / 10 > 0 ? LT_USERS / 10 : 1 ))" \
  -t "${LT_SECONDS}s" --stop-timeout 60 --csv "$run/locust" --only-summary --loglevel WARNING \
  >"$run/locust.out" 2>&1 || true   # Locust exits 1 when some request failed: reported below

log "Stopping Odoo"
kill -TERM "$odoo_pid" 2>/dev/null || true
for _ in $(seq 1 30); do kill -0 "$odoo_pid" 2>/dev/null || break; sleep 1; done
odoo_pid=""

echo "=== Load test: $LT_USERS users, $LT_SECONDS s, Odoo --workers=$LT_WORKERS --max-cron-threads=1, $(date -u +%F)"
"$PY" loadtest/report.py "$run/locust" "$run/odoo.log"
lock_waits=$(tail -c +"$((pglog_start + 1))" "$PGDATA/server.log" | grep -c "still waiting for" || true)
echo "postgresql: $lock_waits lock waits over 200 ms"
"$PY" loadtest/verify.py --dsn "host=$PGHOST port=$PGPORT dbname=$db user=$DB_USER" \
  --journal "$journal" --agency "$run/agency.json"
