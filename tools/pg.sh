#!/usr/bin/env bash
# The project's private PostgreSQL cluster: data in .pgdata, socket in .pgrun (no TCP port),
# an `odoo` role for Odoo (never the postgres role).
#   tools/pg.sh start | stop | status | env
source "$(dirname "$0")/common.sh"

pg_ctl_() { as_pg "$PGBIN/pg_ctl" -D "$PGDATA" "$@"; }

start() {
  [ -n "$PGBIN" ] && [ -x "$PGBIN/initdb" ] || die "PostgreSQL server binaries not found: run 'make setup'."
  mkdir -p "$PGHOST"
  if [ ! -f "$PGDATA/PG_VERSION" ]; then
    log "Creating the private PostgreSQL cluster in $PGDATA"
    mkdir -p "$PGDATA"
    if [ -n "$PG_OS_USER" ]; then
      chown "$PG_OS_USER" "$PGDATA" "$PGHOST"
      # the postgres account must be able to reach the folders below the repo
      d=$ROOT; while [ "$d" != / ]; do chmod o+x "$d" 2>/dev/null || true; d=$(dirname "$d"); done
    fi
    as_pg "$PGBIN/initdb" -D "$PGDATA" -U "$DB_USER" --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    cat >> "$PGDATA/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$PGHOST'
port = $PGPORT
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 256MB
max_connections = 60
CONF
  fi
  [ -n "$PG_OS_USER" ] && chown "$PG_OS_USER" "$PGHOST"
  if ! pg_ctl_ status >/dev/null 2>&1; then
    pg_ctl_ -l "$PGDATA/server.log" -w -t 60 start >/dev/null || { tail -20 "$PGDATA/server.log"; die "PostgreSQL did not start"; }
    log "PostgreSQL running (socket $PGHOST, port $PGPORT)"
  fi
}

case "${1:-status}" in
  start) start ;;
  stop) if [ -f "$PGDATA/PG_VERSION" ] && pg_ctl_ status >/dev/null 2>&1; then pg_ctl_ -m fast stop >/dev/null; log "PostgreSQL stopped"; fi ;;
  status) pg_ctl_ status ;;
  *) die "usage: tools/pg.sh start|stop|status" ;;
esac
