#!/usr/bin/env bash
# A streaming replica (hot standby) of the project's private PostgreSQL cluster (tools/pg.sh: data in
# .pgdata, unix socket in .pgrun), made with pg_basebackup, on another port of the same socket folder.
#   deploy/replica.sh create    base backup into .pgreplica (replication slot civ_replica), start it
#   deploy/replica.sh start | stop | status
#   deploy/replica.sh lag       bytes of WAL the replica has still to replay
#   deploy/replica.sh destroy   stop it, drop the slot on the primary, delete .pgreplica
# REPLICA_PORT (default 54330), REPLICA_DATA (default .pgreplica). No TCP: unix socket only.
# In production the same steps run on another server: pg_basebackup -h primary -U replicator -R -C -S ...
source "$(dirname "$0")/../tools/common.sh"
REPLICA_DATA=${REPLICA_DATA:-$ROOT/.pgreplica}
REPLICA_PORT=${REPLICA_PORT:-54330}
SLOT=${REPLICA_SLOT:-civ_replica}

pg_ctl_r() { as_pg "$PGBIN/pg_ctl" -D "$REPLICA_DATA" "$@"; }
psql_p() { as_pg "$PGBIN/psql" -h "$PGHOST" -p "$PGPORT" -U "$DB_USER" -d postgres -XAtqc "$1"; }
psql_r() { as_pg "$PGBIN/psql" -h "$PGHOST" -p "$REPLICA_PORT" -U "$DB_USER" -d postgres -XAtqc "$1"; }

create() {
  [ -f "$REPLICA_DATA/PG_VERSION" ] && die "$REPLICA_DATA exists: 'deploy/replica.sh destroy' first."
  "$ROOT/tools/pg.sh" start
  mkdir -p "$REPLICA_DATA"
  [ -n "$PG_OS_USER" ] && chown "$PG_OS_USER" "$REPLICA_DATA"
  chmod 700 "$REPLICA_DATA"
  log "Base backup of the primary (port $PGPORT) into $REPLICA_DATA, replication slot $SLOT"
  # -R writes primary_conninfo + standby.signal; -C -S a physical slot so that the primary keeps the
  # WAL the replica has not received yet; -X stream copies the WAL written during the backup
  as_pg "$PGBIN/pg_basebackup" -h "$PGHOST" -p "$PGPORT" -U "$DB_USER" -D "$REPLICA_DATA" \
    -R -C -S "$SLOT" -X stream --checkpoint=fast
  cat >> "$REPLICA_DATA/postgresql.conf" <<CONF
# --- replica (deploy/replica.sh)
port = $REPLICA_PORT
hot_standby = on
hot_standby_feedback = on
max_standby_streaming_delay = 5s
CONF
  start
}

start() {
  [ -f "$REPLICA_DATA/standby.signal" ] || die "No replica in $REPLICA_DATA: 'deploy/replica.sh create'."
  if ! pg_ctl_r status >/dev/null 2>&1; then
    pg_ctl_r -l "$REPLICA_DATA/replica.log" -w -t 60 start >/dev/null \
      || { tail -20 "$REPLICA_DATA/replica.log"; die "the replica did not start"; }
  fi
  [ "$(psql_r 'SELECT pg_is_in_recovery()')" = t ] || die "port $REPLICA_PORT is not a standby"
  log "Replica running (socket $PGHOST, port $REPLICA_PORT), streaming from port $PGPORT"
}

lag() {
  local primary
  primary=$(psql_p "SELECT pg_current_wal_lsn()")
  psql_r "SELECT pg_wal_lsn_diff('$primary', pg_last_wal_replay_lsn())::bigint"
}

destroy() {
  if [ -f "$REPLICA_DATA/PG_VERSION" ] && pg_ctl_r status >/dev/null 2>&1; then
    pg_ctl_r -m fast stop >/dev/null
  fi
  if psql_p "SELECT 1" >/dev/null 2>&1 \
     && [ "$(psql_p "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '$SLOT'")" = 1 ]; then
    psql_p "SELECT pg_drop_replication_slot('$SLOT')" >/dev/null
  fi
  rm -rf "$REPLICA_DATA"
  log "Replica removed"
}

case "${1:-status}" in
  create) create ;;
  start) start ;;
  stop) if [ -f "$REPLICA_DATA/PG_VERSION" ] && pg_ctl_r status >/dev/null 2>&1; then pg_ctl_r -m fast stop >/dev/null; fi ;;
  status) pg_ctl_r status ;;
  lag) lag ;;
  destroy) destroy ;;
  *) die "usage: deploy/replica.sh create|start|stop|status|lag|destroy" ;;
esac
