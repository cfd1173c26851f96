#!/usr/bin/env bash
# make screenshots: the user guide's screenshots (civ_evaluation/readme/USAGE.md) from a throwaway demo
# database, into civ_evaluation/static/description/*.png, where the addon's README and Odoo's Apps screen
# show them (make readme is not needed: the README refers to the files).
source "$(dirname "$0")/common.sh"
require_odoo
cd "$ROOT"
"$ROOT/tools/pg.sh" start
db="civ_screens_$$"
port=${SHOTS_PORT:-8079}
odoo=("$PY" "$ODOO_SRC/odoo-bin" --addons-path="$ADDONS_PATH" --db_host="$PGHOST" --db_port="$PGPORT"
      --db_user="$DB_USER" --data-dir="$ROOT/.odoo-data" -d "$db" --db-filter="^$db\$")
server=""
cleanup() {
  [ -z "$server" ] || { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; }
  as_pg "$PGBIN/dropdb" -h "$PGHOST" -p "$PGPORT" -U "$DB_USER" --if-exists "$db" >/dev/null 2>&1 || true
}
trap cleanup EXIT
log "Demo database $db"
"${odoo[@]}" -i civ_evaluation --load-language=vi_VN --stop-after-init --log-level=warn
"${odoo[@]}" --http-interface=127.0.0.1 --http-port="$port" --max-cron-threads=0 --log-level=warn &
server=$!
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$port/web/login" >/dev/null 2>&1 && break
  sleep 1
done
"$PY" tools/screenshots.py --url "http://127.0.0.1:$port" --db "$db" --out civ_evaluation/static/description
