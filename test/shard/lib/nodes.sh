# Throwaway PostgreSQL 15 nodes on loopback for the sharded suite.
# Source it; every node lives under one temp directory owned by postgres,
# listens on 127.0.0.1 only, and is removed by nodes_teardown (call it from
# an EXIT trap). Servers always run as postgres, never as root.
#
#   nodes_setup                  make the base directory
#   node_create NAME             initdb + config, picks a free port
#   node_start / node_stop NAME  pg_ctl start / fast stop
#   node_freeze / node_thaw NAME SIGSTOP / SIGCONT every process of the node
#   node_psql NAME [DB] ARGS...  psql as postgres over the node's socket
#   NODE_PORT[NAME]              its port

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
declare -A NODE_PORT
NODES_BASE=""

as_postgres() { runuser -u postgres -- "$@"; }

nodes_setup() {
  NODES_BASE=$(mktemp -d /tmp/traces-shard.XXXXXX)
  chown postgres: "$NODES_BASE"
  chmod 700 "$NODES_BASE"
}

# A port nobody listens on, away from the default 5432.
free_port() {
  local p
  for _ in $(seq 1 200); do
    p=$((20000 + RANDOM % 20000))
    if ! ss -Hltn "sport = :$p" 2>/dev/null | grep -q .; then
      echo "$p"; return 0
    fi
  done
  return 1
}

node_create() {
  local name=$1 dir="$NODES_BASE/$1" port
  port=$(free_port) || return 1
  NODE_PORT[$name]=$port
  # Local socket: trust (the suite is root acting through postgres).
  # TCP on loopback: passwords (scram), as the proxy's user mapping uses.
  as_postgres "$PG_BIN/initdb" -D "$dir" -U postgres -E UTF8 --locale=C \
    --auth-local=trust --auth-host=scram-sha-256 >"$NODES_BASE/$name.initdb.log" 2>&1 || {
      cat "$NODES_BASE/$name.initdb.log"; return 1; }
  cat >>"$dir/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$NODES_BASE'
max_connections = 30
shared_buffers = 16MB
fsync = off
track_functions = all
full_page_writes = off
log_min_messages = warning
logging_collector = off
EOF
}

node_start() {
  as_postgres "$PG_BIN/pg_ctl" -D "$NODES_BASE/$1" -l "$NODES_BASE/$1.log" -w -t 30 start >/dev/null
}

node_stop() {
  as_postgres "$PG_BIN/pg_ctl" -D "$NODES_BASE/$1" -m fast -w -t 30 stop >/dev/null
}

node_pids() {
  local pid
  pid=$(head -1 "$NODES_BASE/$1/postmaster.pid" 2>/dev/null) || return 0
  echo "$pid"
  pgrep -P "$pid" || true
}

# A hung node: the kernel still accepts TCP connections, nothing answers.
node_freeze() { kill -STOP $(node_pids "$1"); }
node_thaw() { kill -CONT $(node_pids "$1") 2>/dev/null || true; }

node_psql() {
  local name=$1 db=$2; shift 2
  as_postgres psql -X -q -v ON_ERROR_STOP=1 -h "$NODES_BASE" -p "${NODE_PORT[$name]}" -d "$db" "$@"
}

nodes_teardown() {
  local dir name
  [ -n "$NODES_BASE" ] && [ -d "$NODES_BASE" ] || return 0
  for dir in "$NODES_BASE"/*/; do
    [ -f "$dir/PG_VERSION" ] || continue
    name=$(basename "$dir")
    node_thaw "$name"
    if [ -f "$dir/postmaster.pid" ]; then
      as_postgres "$PG_BIN/pg_ctl" -D "$dir" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
    fi
  done
  rm -rf "$NODES_BASE"
  NODES_BASE=""
}
