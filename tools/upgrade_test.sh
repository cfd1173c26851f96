#!/usr/bin/env bash
# make upgrade-test (and make test, after the Odoo tests): upgrade a database of the previous release to
# the working tree and check that its history is kept.
#   1. the previous release (the commit named in tools/upgrade_from) is taken from git (git archive into a
#      temporary folder outside the repository) and installed with its demo data on a throwaway database
#      of the private cluster;
#   2. tools/upgrade_check.py before (the old code): locks the month its demo decided (the demo locked
#      another), decides some year-end results, records a disciplinary fact, snapshots the locked months;
#   3. -u of the addons with the working tree; an addon the previous release did not have (the bridge,
#      the API) is installed afterwards;
#   4. tools/upgrade_check.py after (the new code): data kept, seals, a change in SQL detected, crons,
#      the workflow of a new month.
# Fails on a failed step, a failed check, an ERROR or CRITICAL line in any log, or a WARNING line in the
# logs of the upgrade, the bridge's installation and the checks (the previous release's installation
# may warn: its warnings are listed, not counted). Ends with "upgrade test: passed|failed (N s)".
#   UPGRADE_FROM=<commit> overrides tools/upgrade_from; UPGRADE_KEEP_DB=1 keeps the database.
source "$(dirname "$0")/common.sh"
require_odoo
cd "$ROOT"
started=$(date +%s)

from=${UPGRADE_FROM:-$(grep -v '^[[:space:]]*#' tools/upgrade_from | awk 'NF { print $1; exit }')}
git rev-parse --verify --quiet "$from^{commit}" >/dev/null || {
  echo "upgrade test: failed (the commit $from of tools/upgrade_from is not in this clone: fetch the full history)"
  exit 1
}

pg_was_running=0
as_pg "$PGBIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1 && pg_was_running=1
"$ROOT/tools/pg.sh" start
db="civ_upgrade_$$_$(date +%s)"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/civ-upgrade-XXXXXX")
logdir="$ROOT/.odoo-data"
mkdir -p "$logdir"
log_old="$logdir/upgrade-$db-1-install-old.log"
log_up="$logdir/upgrade-$db-2-upgrade.log"
cleanup() {
  if [ "${UPGRADE_KEEP_DB:-0}" = 1 ]; then
    log "Kept database $db"
  else
    as_pg "$PGBIN/dropdb" -h "$PGHOST" -p "$PGPORT" -U "$DB_USER" --if-exists "$db" >/dev/null 2>&1 || true
    rm -rf "$logdir/filestore/$db"
  fi
  rm -rf "$tmp"
  [ "$pg_was_running" = 1 ] || "$ROOT/tools/pg.sh" stop || true
}
trap cleanup EXIT

odoo() {  # odoo ADDONS_PATH LOGFILE ARGS...
  local path=$1 logfile=$2 t0 rc=0
  shift 2
  t0=$(date +%s)
  "$PY" "$ODOO_SRC/odoo-bin" --addons-path="$path" --db_host="$PGHOST" --db_port="$PGPORT" \
    --db_user="$DB_USER" --data-dir="$logdir" -d "$db" --stop-after-init --http-port=0 \
    --max-cron-threads=0 --log-level=info "$@" >>"$logfile" 2>&1 || rc=$?
  log "  done in $(($(date +%s) - t0)) s"
  return $rc
}
check() {  # check PHASE ADDONS_PATH LOGFILE: tools/upgrade_check.py PHASE
  local phase=$1 path=$2 logfile=$3 rc=0 t0
  t0=$(date +%s)
  "$PY" tools/upgrade_check.py "$phase" --snapshot "$tmp/snapshot.json" --odoo-src "$ODOO_SRC" \
    --addons-path "$path" --db-host "$PGHOST" --db-port "$PGPORT" --db-user "$DB_USER" \
    --data-dir "$logdir" --database "$db" >>"$logfile" 2>&1 || rc=$?
  grep -E '^(  (ok|FAIL)|upgrade check)' "$logfile" | sed -n "/upgrade check ($phase)/,\$p" >&2
  log "  done in $(($(date +%s) - t0)) s"
  return $rc
}
failed=""
fail() { failed="${failed:+$failed; }$*"; }

log "Upgrade test: the previous release $(git log -1 --format='%h (%ad) %s' --date=short "$from" | cut -c1-100)"
mkdir -p "$tmp/old"
git archive "$from" | tar -x -C "$tmp/old"
old_path="$ODOO_SRC/addons,$ODOO_SRC/odoo/addons,$tmp/old"
# the addons the previous release had (the bridge and the API came later)
old_addons=""
for addon in ${ADDONS//,/ }; do
  [ -f "$tmp/old/$addon/__manifest__.py" ] && old_addons="${old_addons:+$old_addons,}$addon"
done
log "Installing $old_addons of $from with its demo data on $db (log: $log_old)"
odoo "$old_path" "$log_old" -i "$old_addons" || fail "installing the previous release failed"
if [ -z "$failed" ]; then
  log "Previous release: a month locked, year-end results decided, the content recorded"
  check before "$old_path" "$log_old" || fail "the previous release's checks failed"
fi
if [ -z "$failed" ]; then
  log "Upgrading to the working tree: -u $ADDONS (log: $log_up)"
  odoo "$ADDONS_PATH" "$log_up" -u "$ADDONS" || fail "the upgrade failed"
fi
if [ -z "$failed" ]; then
  for addon in ${ADDONS//,/ }; do
    state=$(as_pg "$PGBIN/psql" -h "$PGHOST" -p "$PGPORT" -U "$DB_USER" -d "$db" -Atc \
      "SELECT state FROM ir_module_module WHERE name = '$addon'")
    if [ "$state" != installed ]; then
      log "Installing $addon, new since $from"
      odoo "$ADDONS_PATH" "$log_up" -i "$addon" || fail "installing $addon failed"
    fi
  done
fi
if [ -z "$failed" ]; then
  log "Checking the upgraded database"
  check after "$ADDONS_PATH" "$log_up" || fail "checks of the upgraded database failed"
fi

# the logs: no ERROR anywhere; no WARNING from the upgrade on (but docutils' on the rebranded copy's
# module descriptions, see tools/test_summary.py)
level='^\S+ \S+ [0-9]+ (ERROR|CRITICAL|WARNING) '
tolerated="docutils' system message present: .*Title underline too short"
old_warnings=$(grep -E "$level" "$log_old" | grep -Ev "$tolerated" | grep -v ' ERROR \| CRITICAL ' || true)
if [ -n "$old_warnings" ]; then
  log "Warnings of the previous release's installation (not counted):"
  printf '%s\n' "$old_warnings" | cut -c1-300 | sed 's/^/  /' >&2
fi
old_errors=$(grep -cE '^\S+ \S+ [0-9]+ (ERROR|CRITICAL) ' "$log_old" || true)
[ "$old_errors" = 0 ] || fail "$old_errors ERROR line(s) in $log_old"
bad=$(grep -E "$level" "$log_up" | grep -Ev "$tolerated" || true)
if [ -n "$bad" ]; then
  printf '%s\n' "$bad" | head -20 | cut -c1-400 | sed 's/^/  /' >&2
  fail "$(printf '%s\n' "$bad" | wc -l) ERROR/WARNING line(s) in $log_up"
fi
echo "docutils 'Title underline too short' warnings (rebranded Odoo copy): $(grep -cE "$tolerated" "$log_old" "$log_up" | tr '\n' ' ')" >&2

elapsed=$(($(date +%s) - started))
if [ -n "$failed" ]; then
  echo "upgrade test: failed ($elapsed s): $failed"
  exit 1
fi
echo "upgrade test: passed ($elapsed s)"
