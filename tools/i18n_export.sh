#!/usr/bin/env bash
# make i18n: install the addons (civ_evaluation, civ_evaluation_project, civ_evaluation_api and civ_evaluation_dashboard, with their demo data, as
# `make test` does) on a throwaway database of the private cluster, export each addon's translatable
# terms to <addon>/i18n/<addon>.pot, then merge them into <addon>/i18n/vi.po (new terms empty,
# obsolete ones dropped).
#   tools/i18n_export.sh            export + merge
#   tools/i18n_export.sh --no-merge export the template only
source "$(dirname "$0")/common.sh"
require_odoo
cd "$ROOT"

pg_was_running=0
as_pg "$PGBIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1 && pg_was_running=1
"$ROOT/tools/pg.sh" start
db="civ_i18n_$$_$(date +%s)"
mkdir -p "$ROOT/.odoo-data"
logfile="$ROOT/.odoo-data/i18n-$db.log"
cleanup() {
  as_pg "$PGBIN/dropdb" -h "$PGHOST" -p "$PGPORT" -U "$DB_USER" --if-exists "$db" >/dev/null 2>&1 || true
  [ "$pg_was_running" = 1 ] || "$ROOT/tools/pg.sh" stop || true
}
trap cleanup EXIT
odoo=("$PY" "$ODOO_SRC/odoo-bin" --addons-path="$ADDONS_PATH" --db_host="$PGHOST" --db_port="$PGPORT"
      --db_user="$DB_USER" --data-dir="$ROOT/.odoo-data" -d "$db" --http-port=0 --max-cron-threads=0)

log "Installing $ADDONS with Vietnamese on throwaway database $db (log: $logfile)"
# loading vi_VN checks that the current vi.po loads without warnings
"${odoo[@]}" -i "$ADDONS" --load-language=vi_VN --stop-after-init --log-level=warn >"$logfile" 2>&1 \
  || { tail -30 "$logfile"; die "installation failed"; }
if grep -E "^\S+ \S+ [0-9]+ (WARNING|ERROR|CRITICAL) " "$logfile" | grep -v "docutils' system message"; then
  die "installing with vi_VN logged warnings (see $logfile)"
fi
for addon in ${ADDONS//,/ }; do
  POT=$addon/i18n/$addon.pot
  PO=$addon/i18n/vi.po
  log "Exporting the terms to $POT"
  old_pot=$(mktemp); [ -f "$POT" ] && cp "$POT" "$old_pot"
  # a .pot file name and no --language: Odoo writes the template (empty msgstr)
  "${odoo[@]}" --i18n-export="$POT" --modules="$addon" --log-level=warn >>"$logfile" 2>&1 \
    || { tail -30 "$logfile"; die "export failed"; }
  # keep the file as it was when only the export dates changed (no noise in the history)
  if [ -s "$old_pot" ] && diff -q <(grep -v -e '^"POT-Creation-Date' -e '^"PO-Revision-Date' "$old_pot") \
             <(grep -v -e '^"POT-Creation-Date' -e '^"PO-Revision-Date' "$POT") >/dev/null; then
    cp "$old_pot" "$POT"
  fi
  rm -f "$old_pot"
  if [ "${1:-}" != "--no-merge" ]; then
    [ -f "$PO" ] || cp "$POT" "$PO"
    "$PY" tools/i18n.py merge "$POT" "$PO"
  fi
done
# e.g. "Failed to extract terms from x.py" (an f-string inside _() hides every term of that file)
if grep -E "^\S+ \S+ [0-9]+ (ERROR|CRITICAL) " "$logfile"; then
  die "the export logged errors (see $logfile): the template is incomplete"
fi
