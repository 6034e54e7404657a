#!/usr/bin/env bash
# A real PostgreSQL streaming standby of the local primary (127.0.0.1:5432), for the read-replica
# tests (tests/readReplicas.test.ts, README "Read replicas"): PostgreSQL's own pg_basebackup -R
# and a hot standby on STANDBY_PORT (5433). Idempotent: a second run finds it running and only
# prints its URL base. `scripts/startStandby.sh stop` stops it (the data directory stays, so the
# next start resumes streaming instead of copying again).
#
# What it changes on the primary, once: a `host replication all 127.0.0.1/32 trust` line in
# pg_hba.conf, then a reload (wal_level replica and max_wal_senders 10 are PostgreSQL 15's
# defaults; a primary with wal_level minimal is refused, since changing it needs a restart).
# Runs as root (commands for the cluster run as the postgres OS user) or as postgres itself.
set -euo pipefail

port="${STANDBY_PORT:-5433}"
primary_port="${PRIMARY_PORT:-5432}"
version="${PG_VERSION:-$(ls /etc/postgresql | sort -n | tail -1)}"
bin="/usr/lib/postgresql/$version/bin"
dir="${STANDBY_DIR:-/var/lib/postgresql/$version/cg-standby}"
log="$dir/standby.log"

as_postgres() {
  if [ "$(id -un)" = postgres ]; then "$@"; else runuser -u postgres -- "$@"; fi
}

running() {
  as_postgres "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1
}

if [ "${1:-start}" = stop ]; then
  if running; then as_postgres "$bin/pg_ctl" -D "$dir" -m fast -w stop >/dev/null; fi
  echo "standby on port $port stopped"
  exit 0
fi

if [ -f "$dir/standby.signal" ] && running; then
  echo "standby already running: postgres://postgres@127.0.0.1:$port"
  exit 0
fi

primary() { psql -h 127.0.0.1 -p "$primary_port" -U postgres -Atq -v ON_ERROR_STOP=1 "$@"; }

if [ "$(primary -c 'show wal_level')" = minimal ]; then
  echo "the primary runs with wal_level minimal: set wal_level = replica and restart it" >&2
  exit 1
fi

# Replication connections from 127.0.0.1 (the "all" database entry does not cover them).
hba="$(primary -c 'show hba_file')"
if ! grep -Eq '^host[[:space:]]+replication[[:space:]]+all[[:space:]]+127\.0\.0\.1/32' "$hba"; then
  echo "host replication all 127.0.0.1/32 trust" >>"$hba"
  primary -c 'select pg_reload_conf()' >/dev/null
  echo "pg_hba.conf: replication from 127.0.0.1 allowed; primary reloaded"
fi

if [ ! -f "$dir/standby.signal" ]; then
  rm -rf "$dir"
  install -d -o postgres -g postgres -m 700 "$dir"
  # -R writes standby.signal and primary_conninfo; -X stream copies the WAL written meanwhile;
  # -c fast checkpoints at once (the default waits for a spread checkpoint: 4 min measured here).
  as_postgres "$bin/pg_basebackup" -h 127.0.0.1 -p "$primary_port" -U postgres -D "$dir" -R -X stream -c fast
  # Debian keeps a cluster's configuration in /etc/postgresql, outside its data directory: the
  # standby gets its own, enough for a hot standby on 127.0.0.1.
  as_postgres tee "$dir/postgresql.conf" >/dev/null <<EOF
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
hot_standby = on
max_connections = 100
shared_buffers = 32MB
# Queries are not cancelled while replay waits up to 30 s (the gateway reads the primary then).
max_standby_streaming_delay = 30s
logging_collector = off
EOF
  as_postgres tee "$dir/pg_hba.conf" >/dev/null <<EOF
local all all trust
host all all 127.0.0.1/32 trust
EOF
  echo "base backup taken into $dir"
fi

as_postgres "$bin/pg_ctl" -D "$dir" -l "$log" -w -t 60 start >/dev/null
for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p "$port" -q && break; sleep 1; done
pg_isready -h 127.0.0.1 -p "$port" -q
echo "standby running: postgres://postgres@127.0.0.1:$port (in recovery: $(psql -h 127.0.0.1 -p "$port" -U postgres -Atc 'select pg_is_in_recovery()'))"
