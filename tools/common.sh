# Shared settings of the dev scripts (sourced, not run).
# shellcheck shell=bash
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ODOO_SRC=${ODOO_SRC:-/opt/odoo}
VENV=${VENV:-$ROOT/.venv}
PY=$VENV/bin/python
# OCA's checks (oca-odoo-pre-commit-hooks) live in a virtualenv of their own (requirements-lint.txt)
export LINT_VENV=${LINT_VENV:-$ROOT/.venv-lint}
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
PGDATA=${PGDATA:-$ROOT/.pgdata}
PGHOST=${PGHOST_CIV:-$ROOT/.pgrun}
PGPORT=${PGPORT_CIV:-54329}
DB_USER=${DB_USER:-odoo}
DEMO_DB=${DEMO_DB:-civ_demo}
HTTP_PORT=${HTTP_PORT:-8069}
ADDONS_PATH="$ODOO_SRC/addons,$ODOO_SRC/odoo/addons,$ROOT"
# the addons of this repository: the core and the bridge to Odoo Project
ADDONS=civ_evaluation,civ_evaluation_project,civ_evaluation_api,civ_evaluation_dashboard

log() { printf '\033[1m[civ]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[civ] %s\033[0m\n' "$*" >&2; exit 1; }

# The unprivileged account that runs PostgreSQL when we are root
# (postgres refuses to run as root; Odoo refuses the postgres role).
PG_OS_USER=""
if [ "$(id -u)" = 0 ]; then PG_OS_USER=postgres; fi

as_pg() {
  if [ -n "$PG_OS_USER" ]; then
    runuser -u "$PG_OS_USER" -- "$@"
  else
    "$@"
  fi
}

require_odoo() {
  [ -f "$ODOO_SRC/odoo-bin" ] || die "No Odoo 18.0 source at $ODOO_SRC (odoo-bin missing).
  Provide one: unpack Odoo 18.0 community source there (or set ODOO_SRC=/path/to/odoo), then run 'make setup'."
  [ -x "$PY" ] || die "No virtualenv at $VENV: run 'make setup' first."
}
