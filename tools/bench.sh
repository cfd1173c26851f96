#!/usr/bin/env bash
# make bench: benchmarks on a fresh throwaway database of the private PostgreSQL cluster.
#   BENCH_EMPLOYEES=10000 (default) tools/bench.sh
#   BENCH_YEAR_END=1 also runs bench_year_end.py (12 locked months generated in SQL, the year-end
#   preparation; long at 100,000 people)
#   BENCH_KEEP_DB=1 keeps the database (its name is printed) for inspection
#   BENCH_SCRIPTS="bench_project.py" tools/bench.sh   runs only these scripts of bench/
source "$(dirname "$0")/common.sh"
require_odoo
"$ROOT/tools/pg.sh" start
db="civ_bench_$$"
cleanup() { [ "${BENCH_KEEP_DB:-0}" = 1 ] && { log "Kept database $db"; return; }; as_pg "$PGBIN/dropdb" -h "$PGHOST" -p "$PGPORT" -U "$DB_USER" --if-exists "$db" >/dev/null 2>&1 || true; }
trap cleanup EXIT
log "Installing $ADDONS (without demo data) into $db"
"$PY" "$ODOO_SRC/odoo-bin" --addons-path="$ADDONS_PATH" --db_host="$PGHOST" --db_port="$PGPORT" \
  --db_user="$DB_USER" --data-dir="$ROOT/.odoo-data" -d "$db" -i "$ADDONS" --without-demo=all \
  --stop-after-init --log-level=error
for script in "$ROOT"/bench/bench_*.py; do
  [ "$(basename "$script")" = bench_common.py ] && continue
  if [ -n "${BENCH_SCRIPTS:-}" ]; then
    [[ " $BENCH_SCRIPTS " != *" $(basename "$script") "* ]] && continue
  else
    [ "$(basename "$script")" = bench_year_end.py ] && [ "${BENCH_YEAR_END:-0}" != 1 ] && continue
  fi
  log "Running $(basename "$script")"
  "$PY" "$script" --odoo-src "$ODOO_SRC" --addons-path "$ADDONS_PATH" --db-host "$PGHOST" \
    --db-port "$PGPORT" --db-user "$DB_USER" --database "$db" --employees "${BENCH_EMPLOYEES:-10000}"
done
