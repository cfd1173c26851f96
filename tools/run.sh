#!/usr/bin/env bash
# make run: private PostgreSQL, a demo database with civ_evaluation, Odoo on http://127.0.0.1:$HTTP_PORT
source "$(dirname "$0")/common.sh"
require_odoo
"$ROOT/tools/pg.sh" start
odoo=("$PY" "$ODOO_SRC/odoo-bin" --addons-path="$ADDONS_PATH" --db_host="$PGHOST" --db_port="$PGPORT"
      --db_user="$DB_USER" --data-dir="$ROOT/.odoo-data" --db-filter="^$DEMO_DB\$")
if ! as_pg "$PGBIN/psql" -h "$PGHOST" -p "$PGPORT" -U "$DB_USER" -d postgres -tAc \
     "SELECT 1 FROM pg_database WHERE datname='$DEMO_DB'" | grep -q 1; then
  log "Creating the demo database $DEMO_DB (a few minutes)"
  "${odoo[@]}" -d "$DEMO_DB" -i civ_evaluation --load-language=vi_VN --stop-after-init --log-level=warn
fi
cat <<MSG

  Odoo with civ_evaluation: http://127.0.0.1:$HTTP_PORT/web   (database $DEMO_DB)
  Logins to try (password = login):
    admin        / admin        administrator
    nhanvien     / nhanvien     an employee (chuyên viên)
    truongphong  / truongphong  a section head (trưởng phòng)
    chutich      / chutich      the chairman (chủ tịch UBND)
    canbotccb    / canbotccb    an HR officer (phòng Nội vụ)
    every leader of the district has a user: see "The demo district" in README.md
  Ctrl-C stops the server; 'make stop' stops PostgreSQL.

MSG
exec "${odoo[@]}" -d "$DEMO_DB" --http-interface=127.0.0.1 --http-port="$HTTP_PORT"
