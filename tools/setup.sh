#!/usr/bin/env bash
# make setup: idempotent. Odoo source, Debian packages, virtualenv with Odoo's and our requirements.
source "$(dirname "$0")/common.sh"

ODOO_ARCHIVE_URL=${ODOO_ARCHIVE_URL:-https://nightly.odoo.com/18.0/nightly/src/odoo_18.0.latest.tar.gz}

# 1. Odoo 18.0 source
if [ ! -f "$ODOO_SRC/odoo-bin" ]; then
  log "No Odoo source at $ODOO_SRC: trying the official Odoo 18.0 source archive"
  tmp=$(mktemp -d)
  if curl -fsSL --connect-timeout 15 --max-time 900 -o "$tmp/odoo.tar.gz" "$ODOO_ARCHIVE_URL" \
     && mkdir -p "$ODOO_SRC" && tar -xzf "$tmp/odoo.tar.gz" -C "$ODOO_SRC" --strip-components=1; then
    log "Odoo unpacked into $ODOO_SRC"
  else
    rm -rf "$tmp"
    die "Odoo 18.0 source not found at $ODOO_SRC and the official archive ($ODOO_ARCHIVE_URL) cannot be reached.
  Provide it yourself: unpack Odoo 18.0 community source so that $ODOO_SRC/odoo-bin exists
  (or point ODOO_SRC at an existing checkout), then run 'make setup' again."
  fi
  rm -rf "$tmp"
fi
grep -q "version_info = (18, 0" "$ODOO_SRC/odoo/release.py" 2>/dev/null \
  || die "$ODOO_SRC does not hold Odoo 18.0 (odoo/release.py)."

# 2. Debian packages: PostgreSQL, headers for python-ldap, Chromium for the browser tests,
#    wkhtmltopdf for the printable evaluation sheet and Liberation Serif for its font (metric-compatible
#    with the Times New Roman of Decree 30/2020): fonts-liberation2, as Debian 12's fonts-liberation
#    (1.07) lacks the Vietnamese letters (ệ, ở, ...), which wkhtmltopdf then takes from another font;
#    PgBouncer for make deploy-check
need=()
[ -n "$PGBIN" ] && [ -x "$PGBIN/initdb" ] || need+=(postgresql)
for pkg in libldap2-dev libsasl2-dev libpq-dev chromium wkhtmltopdf fonts-liberation2 pgbouncer; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    log "Installing Debian packages: ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    die "Missing Debian packages: ${need[*]}. Install them (sudo apt-get install ${need[*]}) and run 'make setup' again."
  fi
fi

# 3. Virtualenv (ignored by git) with Odoo's requirements and ours
stamp="$VENV/.civ-setup-stamp"
want=$(cat "$ODOO_SRC/requirements.txt" "$ROOT/requirements-dev.txt" | sha1sum | cut -c1-40)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$PY" ]; then
  log "Virtualenv $VENV is up to date"
else
  [ -x "$PY" ] || { log "Creating virtualenv $VENV"; python3 -m venv "$VENV"; }
  # cbor2 5.4.2 only builds with setuptools<81
  "$PY" -m pip install -q "setuptools<81" wheel "setuptools_scm<9"
  log "Installing Odoo's requirements (first run takes a few minutes)"
  PIP_CONSTRAINT= "$PY" -m pip install -q --no-build-isolation -r "$ODOO_SRC/requirements.txt"
  log "Installing the project's requirements"
  "$PY" -m pip install -q -r "$ROOT/requirements-dev.txt"
  echo "$want" > "$stamp"
fi
# 4. Locust (make loadtest, make deploy-check) in its own virtualenv: its Flask and Werkzeug do not
#    fit the versions Odoo pins in $VENV
LT_VENV=${LT_VENV:-$ROOT/.venv-loadtest}
lt_stamp="$LT_VENV/.civ-setup-stamp"
lt_want=$(sha1sum < "$ROOT/loadtest/requirements.txt" | cut -c1-40)
if [ -f "$lt_stamp" ] && [ "$(cat "$lt_stamp")" = "$lt_want" ] && [ -x "$LT_VENV/bin/locust" ]; then
  log "Load-test virtualenv $LT_VENV is up to date"
else
  [ -x "$LT_VENV/bin/python" ] || { log "Creating the load-test virtualenv $LT_VENV"; python3 -m venv "$LT_VENV"; }
  log "Installing Locust (loadtest/requirements.txt)"
  "$LT_VENV/bin/python" -m pip install -q -r "$ROOT/loadtest/requirements.txt"
  echo "$lt_want" > "$lt_stamp"
fi
# 5. OCA's checks (make lint, make test) in their own virtualenv: oca-odoo-pre-commit-hooks requires
#    polib 1.2, Odoo pins polib 1.1.1 in $VENV (requirements-lint.txt)
lint_stamp="$LINT_VENV/.civ-setup-stamp"
lint_want=$(sha1sum < "$ROOT/requirements-lint.txt" | cut -c1-40)
if [ -f "$lint_stamp" ] && [ "$(cat "$lint_stamp")" = "$lint_want" ] && [ -x "$LINT_VENV/bin/oca-checks-odoo-module" ]; then
  log "Lint virtualenv $LINT_VENV is up to date"
else
  [ -x "$LINT_VENV/bin/python" ] || { log "Creating the lint virtualenv $LINT_VENV"; python3 -m venv "$LINT_VENV"; }
  log "Installing OCA's checks (requirements-lint.txt)"
  "$LINT_VENV/bin/python" -m pip install -q -r "$ROOT/requirements-lint.txt"
  echo "$lint_want" > "$lint_stamp"
fi
log "Setup done: Odoo at $ODOO_SRC, Python at $PY"
