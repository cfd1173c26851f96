#!/usr/bin/env bash
# make test: static checks, then the addon's Odoo tests on a fresh throwaway database.
# Ends with one line "N passed, N failed" counting the Odoo tests and, on full runs, the upgrade test
# (tools/upgrade_test.sh: the previous release upgraded to the working tree; UPGRADE_TEST=0 skips it).
#   TEST_TAGS=/civ_evaluation:TestX tools/test.sh   runs a subset (comma-separated; the bridge's are
#   /civ_evaluation_project:TestX)
#   TEST_TAGS=civ_access tools/test.sh   runs one concern of both addons (the tags: README, Development)
# The addons of the repository ($ADDONS: the core, the bridge to Project, the API, the dashboard) are installed and tested.
source "$(dirname "$0")/common.sh"
require_odoo
cd "$ROOT"

log "Static checks"
"$PY" tools/static_checks.py || { echo "0 passed, 1 failed"; die "static checks failed"; }

log "Wheels: building odoo-addon-civ_evaluation and odoo-addon-civ_evaluation_project with whool and checking their content"
bash tools/wheel.sh || { echo "0 passed, 1 failed"; die "the wheel is incomplete (see above)"; }

pg_was_running=0
as_pg "$PGBIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1 && pg_was_running=1
"$ROOT/tools/pg.sh" start || { echo "0 passed, 1 failed"; die "PostgreSQL did not start"; }
db="civ_test_$$_$(date +%s)"
logfile="$ROOT/.odoo-data/test-$db.log"
mkdir -p "$ROOT/.odoo-data"
cleanup() {
  as_pg "$PGBIN/dropdb" -h "$PGHOST" -p "$PGPORT" -U "$DB_USER" --if-exists "$db" >/dev/null 2>&1 || true
  # leave PostgreSQL as we found it
  [ "$pg_was_running" = 1 ] || "$ROOT/tools/pg.sh" stop || true
}
trap cleanup EXIT
log "Odoo tests on throwaway database $db (log: $logfile)"
set +e
"$PY" "$ODOO_SRC/odoo-bin" --addons-path="$ADDONS_PATH" --db_host="$PGHOST" --db_port="$PGPORT" \
  --db_user="$DB_USER" --data-dir="$ROOT/.odoo-data" -d "$db" -i "$ADDONS" \
  --test-enable --test-tags "${TEST_TAGS:-/civ_evaluation,/civ_evaluation_project,/civ_evaluation_api,/civ_evaluation_dashboard}" --stop-after-init --http-port=0 \
  --log-level=info --max-cron-threads=0 2>&1 | tee "$logfile" | grep -E --line-buffered \
  "(ERROR|WARNING|CRITICAL|FAIL:|odoo.tests.result|Starting |Ran [0-9]+ test)"
odoo_rc=${PIPESTATUS[0]}
# Every translatable term of the installed addons must have a Vietnamese translation in i18n/vi.po.
i18n_rc=0
for addon in ${ADDONS//,/ }; do
  log "Translations: exporting the terms of $addon from $db and checking $addon/i18n/vi.po"
  pot="$ROOT/.odoo-data/terms-$db-$addon.pot"
  rc=0
  "$PY" "$ODOO_SRC/odoo-bin" --addons-path="$ADDONS_PATH" --db_host="$PGHOST" --db_port="$PGPORT" \
    --db_user="$DB_USER" --data-dir="$ROOT/.odoo-data" -d "$db" --i18n-export="$pot" \
    --modules="$addon" --log-level=warn >>"$logfile" 2>&1 || rc=$?
  if [ "$rc" = 0 ]; then
    "$PY" tools/i18n.py check "$pot" "$addon/i18n/vi.po" || rc=$?
  else
    echo "i18n: exporting the terms of $addon failed (see $logfile)"
  fi
  rm -f "$pot"
  [ "$rc" = 0 ] || { i18n_rc=$rc; echo "i18n: untranslated terms - run 'make i18n', translate the new terms in $addon/i18n/vi.po"; }
done
# The upgrade from the previous release (tools/upgrade_test.sh, one more test), on full runs only
# (not with TEST_TAGS; UPGRADE_TEST=0 skips it).
upgrade_rc=()
if [ -z "${TEST_TAGS:-}" ] && [ "${UPGRADE_TEST:-1}" != 0 ]; then
  log "Upgrade test: the previous release upgraded to the working tree"
  rc=0
  bash tools/upgrade_test.sh || rc=$?
  upgrade_rc=("$rc")
fi
set -e
"$PY" tools/test_summary.py "$logfile" "$odoo_rc" "$i18n_rc" "${upgrade_rc[@]}"
