#!/usr/bin/env bash
# make deploy-check: the reference deployment of deploy/ brought up on this machine, loopback only.
#  1. a throwaway database with a generated agency (loadtest/prepare.py) on the private cluster (primary)
#  2. a streaming replica of the cluster on port $REPLICA_PORT (deploy/replica.sh, pg_basebackup)
#  3. PgBouncer (deploy/pgbouncer.ini, transaction pooling) on 127.0.0.1:$PGB_PORT in front of the primary
#  4. two real processes run the "open periods" cron at the same instant, then the "lock periods"
#     cron, through PgBouncer (deploy/cron_race.py): every sheet must be created once and locked once
#  5. Odoo HTTP workers (-c deploy/odoo.conf: writes through PgBouncer, db_replica_* = the replica) and
#     a cron node (-c deploy/odoo-cron.conf) on 127.0.0.1; a short Locust load (tools/loadtest.sh);
#     the replica's own statistics must show the read-only requests it served
# Everything started here is stopped on exit (trap), the replica and the database are removed.
#   DC_USERS=40 DC_SECONDS=40 DC_EMPLOYEES=600 tools/deploy_check.sh
source "$(dirname "$0")/common.sh"
require_odoo
LT_VENV=${LT_VENV:-$ROOT/.venv-loadtest}
[ -x "$LT_VENV/bin/locust" ] || die "Locust is not installed in $LT_VENV: run 'make setup'."
PGBOUNCER=${PGBOUNCER:-$(command -v pgbouncer || echo /usr/sbin/pgbouncer)}
[ -x "$PGBOUNCER" ] || die "PgBouncer is not installed: run 'make setup' (Debian package pgbouncer)."
export REPLICA_PORT=${REPLICA_PORT:-54330}
PGB_PORT=${PGB_PORT:-54331}
DC_PORT=${DC_PORT:-18369}
DC_USERS=${DC_USERS:-40}
DC_SECONDS=${DC_SECONDS:-40}
DC_EMPLOYEES=${DC_EMPLOYEES:-600}
RUN=$ROOT/.deploy-run
LT_RUN=$ROOT/.loadtest-run
db=civ_deploy_$$

psql_p() { as_pg "$PGBIN/psql" -h "$PGHOST" -p "$PGPORT" -U "$DB_USER" -d "$db" -XAtqc "$1"; }
psql_r() { as_pg "$PGBIN/psql" -h "$PGHOST" -p "$REPLICA_PORT" -U "$DB_USER" -d "$db" -XAtqc "$1"; }

pg_was_running=0
as_pg "$PGBIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1 && pg_was_running=1
cron_pid=""
sampler_pid=""
cleanup() {
  set +e
  for pid in $sampler_pid $cron_pid; do
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -KILL "$pid" 2>/dev/null
  done
  if [ -f "$RUN/pgbouncer.pid" ]; then
    kill -TERM "$(cat "$RUN/pgbouncer.pid")" 2>/dev/null
    sleep 1
  fi
  "$ROOT/deploy/replica.sh" destroy >/dev/null 2>&1
  as_pg "$PGBIN/dropdb" -h "$PGHOST" -p "$PGPORT" -U "$DB_USER" --if-exists "$db" >/dev/null 2>&1
  [ "$pg_was_running" = 1 ] || "$ROOT/tools/pg.sh" stop
  log "deploy-check: everything it started is stopped"
}
trap cleanup EXIT
failures=()

# ---------------------------------------------------------------- 1. primary + database
rm -rf "$RUN" && mkdir -p "$RUN" "$LT_RUN"
[ -n "$PG_OS_USER" ] && chown "$PG_OS_USER" "$RUN"
"$ROOT/tools/pg.sh" start
[ -f "$ROOT/.pgreplica/PG_VERSION" ] && "$ROOT/deploy/replica.sh" destroy
log "Database $db: installing civ_evaluation, generating an agency of $DC_EMPLOYEES people"
"$PY" "$ODOO_SRC/odoo-bin" --addons-path="$ADDONS_PATH" --db_host="$PGHOST" --db_port="$PGPORT" \
  --db_user="$DB_USER" --data-dir="$ROOT/.odoo-data" -d "$db" -i civ_evaluation --without-demo=all \
  --stop-after-init --log-level=warn --max-cron-threads=0 >"$RUN/install.log" 2>&1 \
  || { tail -20 "$RUN/install.log"; die "installing civ_evaluation failed"; }
"$PY" loadtest/prepare.py --odoo-src "$ODOO_SRC" --addons-path "$ADDONS_PATH" --db-host "$PGHOST" \
  --db-port "$PGPORT" --db-user "$DB_USER" --database "$db" --employees "$DC_EMPLOYEES" \
  --sections 20 --officers 5 --out "$LT_RUN/agency.json" --data-dir "$ROOT/.odoo-data"

# ---------------------------------------------------------------- 2. replica
"$ROOT/deploy/replica.sh" create

# ---------------------------------------------------------------- 3. PgBouncer
sed -e "s|@PGHOST@|$PGHOST|" -e "s|@PGPORT@|$PGPORT|" -e "s|@LISTEN_PORT@|$PGB_PORT|" \
    -e "s|@RUN@|$RUN|g" -e "s|@AUTH_TYPE@|trust|" -e "s|@DB_USER@|$DB_USER|g" \
    deploy/pgbouncer.ini > "$RUN/pgbouncer.ini"
printf '"%s" ""\n' "$DB_USER" > "$RUN/userlist.txt"
[ -n "$PG_OS_USER" ] && chown "$PG_OS_USER" "$RUN"/pgbouncer.ini "$RUN"/userlist.txt
as_pg "$PGBOUNCER" -d -q "$RUN/pgbouncer.ini" || die "PgBouncer did not start (see $RUN/pgbouncer.log)"
for _ in $(seq 1 20); do
  as_pg "$PGBIN/psql" -h 127.0.0.1 -p "$PGB_PORT" -U "$DB_USER" -d "$db" -XAtqc "SELECT 1" >/dev/null 2>&1 && break
  sleep 0.5
done
as_pg "$PGBIN/psql" -h 127.0.0.1 -p "$PGB_PORT" -U "$DB_USER" -d "$db" -XAtqc "SELECT 1" >/dev/null \
  || die "PgBouncer does not answer on 127.0.0.1:$PGB_PORT"
log "PgBouncer on 127.0.0.1:$PGB_PORT (transaction pooling) -> primary $PGHOST:$PGPORT"

# ---------------------------------------------------------------- 4. two cron workers racing
race() {  # race JOB TODAY
  local at
  at=$(python3 -c "import time; print(time.time() + 8)")
  for name in A B; do
    "$PY" deploy/cron_race.py --odoo-src "$ODOO_SRC" --addons-path "$ADDONS_PATH" --db-host 127.0.0.1 \
      --db-port "$PGB_PORT" --db-user "$DB_USER" --database "$db" --job "$1" --today "$2" \
      --batch-size 150 --start-at "$at" --name "$name" --max-calls 100 --max-seconds 240 \
      >"$RUN/race-$1-$name.json" 2>"$RUN/race-$1-$name.log" &
  done
  wait
  cat "$RUN/race-$1-A.json" "$RUN/race-$1-B.json"
}
evaluated=$(psql_p "SELECT count(*) FROM hr_employee WHERE civ_evaluated AND active")
criteria=$(psql_p "SELECT count(*) FROM civ_evaluation_line WHERE evaluation_id = (SELECT min(id) FROM civ_evaluation)")
log "Two processes run the 'open periods' cron at the same instant (October, $evaluated people)"
race open 2026-10-25
october=$(psql_p "SELECT string_agg(id::text, ',') FROM civ_period WHERE date_start = '2026-10-01'")
read -r n_periods n_sheets n_people <<<"$(psql_p "SELECT (SELECT count(*) FROM civ_period WHERE date_start = '2026-10-01'),
  count(*), count(DISTINCT employee_id) FROM civ_evaluation e JOIN civ_period p ON p.id = e.period_id
  WHERE p.date_start = '2026-10-01'" | tr '|' ' ')"
bad_lines=$(psql_p "SELECT count(*) FROM (SELECT e.id FROM civ_evaluation e LEFT JOIN civ_evaluation_line l
  ON l.evaluation_id = e.id WHERE e.period_id IN ($october) GROUP BY e.id
  HAVING count(l.id) != $criteria OR count(DISTINCT l.criterion_id) != count(l.id)) s")
echo "open race: $n_periods period(s) for October, $n_sheets sheets for $n_people people ($evaluated in scope), $bad_lines sheets with missing or duplicate lines"
[ "$n_periods" = 1 ] && [ "$n_sheets" = "$evaluated" ] && [ "$n_people" = "$evaluated" ] && [ "$bad_lines" = 0 ] \
  || failures+=("open race: not one sheet per person")
grep -h '"conflicts": [1-9]' "$RUN"/race-open-*.json >/dev/null && failures+=("open race: failed cron runs")

log "Two processes run the 'lock periods' cron at the same instant"
race lock 2026-11-20
read -r p_state n_locked n_twice <<<"$(psql_p "SELECT (SELECT string_agg(state, ',') FROM civ_period WHERE id IN ($october)),
  count(*) FILTER (WHERE state = 'locked'), count(*) FILTER (WHERE pre_lock_state = 'locked')
  FROM civ_evaluation WHERE period_id IN ($october)" | tr '|' ' ')"
lock_msgs=$(psql_p "SELECT count(*) FROM mail_message WHERE model = 'civ.period' AND res_id IN ($october)
  AND body LIKE '%Period locked.%'")
echo "lock race: period $p_state, $n_locked of $n_sheets sheets locked, $n_twice locked twice, $lock_msgs 'Period locked.' message(s)"
[ "$p_state" = locked ] && [ "$n_locked" = "$n_sheets" ] && [ "$n_twice" = 0 ] && [ "$lock_msgs" = 1 ] \
  || failures+=("lock race: not every sheet locked exactly once")
grep -h '"conflicts": [1-9]' "$RUN"/race-lock-*.json >/dev/null && failures+=("lock race: failed cron runs")

# the replica follows: the same figures there once it has replayed the WAL
for _ in $(seq 1 30); do [ "$("$ROOT/deploy/replica.sh" lag)" -le 0 ] && break; sleep 1; done
r_sheets=$(psql_r "SELECT count(*) FROM civ_evaluation WHERE period_id IN ($october) AND state = 'locked'")
echo "replica: $r_sheets locked October sheets replayed (lag $("$ROOT/deploy/replica.sh" lag) bytes)"
[ "$r_sheets" = "$n_sheets" ] || failures+=("the replica does not show the primary's sheets")

# ---------------------------------------------------------------- 5. Odoo on PgBouncer + replica, load
stats_r() {
  psql_r "SELECT (SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()),
    (SELECT coalesce(sum(coalesce(seq_scan, 0) + coalesce(idx_scan, 0)), 0) FROM pg_stat_user_tables
      WHERE relname IN ('civ_evaluation', 'civ_evaluation_line', 'civ_period'))"
}
read -r xact0 scans0 <<<"$(stats_r | tr '|' ' ')"
log "Cron node: -c deploy/odoo-cron.conf (no HTTP, 2 cron workers, primary directly)"
"$PY" "$ODOO_SRC/odoo-bin" -c deploy/odoo-cron.conf --addons-path="$ADDONS_PATH" --data-dir="$ROOT/.odoo-data" \
  --db_host="$PGHOST" --db_port="$PGPORT" -d "$db" --db-filter="^$db\$" --workers=1 --max-cron-threads=1 \
  --logfile="$RUN/odoo-cron.log" &
cron_pid=$!
# who is connected to the replica during the load (bounded: one sample a second)
(
  for _ in $(seq 1 $((DC_SECONDS + 60))); do
    psql_r "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
            AND application_name LIKE 'odoo-%'" 2>/dev/null || true
    sleep 1
  done
) >"$RUN/replica-connections.txt" &
sampler_pid=$!
LT_DB=$db LT_DB_HOST=127.0.0.1 LT_DB_PORT=$PGB_PORT LT_PORT=$DC_PORT LT_USERS=$DC_USERS \
LT_SECONDS=$DC_SECONDS LT_REVIEWERS=20 LT_OFFICERS=5 \
LT_EXTRA_ARGS="-c $ROOT/deploy/odoo.conf --db_replica_host=$PGHOST --db_replica_port=$REPLICA_PORT --db_maxconn=8" \
  bash tools/loadtest.sh || failures+=("load test through PgBouncer: database check failed")
kill -TERM "$sampler_pid" 2>/dev/null || true; wait "$sampler_pid" 2>/dev/null || true; sampler_pid=""
read -r xact1 scans1 <<<"$(stats_r | tr '|' ' ')"
max_conn=$(sort -n "$RUN/replica-connections.txt" | tail -1)
pgb=$(as_pg "$PGBIN/psql" -h 127.0.0.1 -p "$PGB_PORT" -U "$DB_USER" -d pgbouncer -XAtqc "SHOW STATS" 2>/dev/null \
      | awk -F'|' -v db="$db" '$1 == db {print $2 " transactions, " $3 " queries"}')
fallbacks=$(grep -c "Failed to open a readonly cursor" "$LT_RUN/odoo.log" || true)
echo "pgbouncer: $pgb for $db through 127.0.0.1:$PGB_PORT (transaction pooling)"
echo "replica: $((xact1 - xact0)) transactions and $((scans1 - scans0)) scans of the civ_evaluation tables served during the load, up to ${max_conn:-0} Odoo connections at once; $fallbacks read-only fallbacks to the primary"
[ $((xact1 - xact0)) -gt 0 ] && [ $((scans1 - scans0)) -gt 0 ] || failures+=("no read-only request reached the replica")

if [ ${#failures[@]} -gt 0 ]; then
  printf 'deploy-check FAILED: %s\n' "${failures[@]}"
  exit 1
fi
echo "deploy-check passed: primary + streaming replica + PgBouncer + Odoo prefork/cron workers on 127.0.0.1"
