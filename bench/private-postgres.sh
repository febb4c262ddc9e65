# Sourced by the benchmarks that need PostgreSQL: start_private_postgres DIR starts Debian's
# postgres in DIR/pg on a free loopback port (its own folder and pid, fsync off: a benchmark's
# database, not a durable one), waits until it answers, and sets pg_port and pg_pid;
# stop_private_postgres stops it by that pid.

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

start_private_postgres() {
  local root="$1"
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  mkdir -p "$root/pg" "$root/run"
  local as_pg=()
  if [ "$(id -u)" = 0 ]; then
    chown -R postgres:postgres "$root/pg" "$root/run"
    as_pg=(setpriv --reuid=postgres --regid=postgres --init-groups --)
  fi
  "${as_pg[@]}" "$pg_bin/initdb" -D "$root/pg/data" -U pacer --auth=trust --no-sync >/dev/null
  pg_port=$(free_port)
  "${as_pg[@]}" "$pg_bin/postgres" -D "$root/pg/data" -p "$pg_port" -k "$root/run" -c listen_addresses=127.0.0.1 \
    -c fsync=off -c synchronous_commit=off -c max_connections=200 >"$root/pg.log" 2>&1 &
  pg_pid=$!
  for _ in $(seq 1 100); do
    if "$pg_bin/pg_isready" -h 127.0.0.1 -p "$pg_port" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  echo "PostgreSQL did not start; see $root/pg.log" >&2
  return 1
}

stop_private_postgres() {
  if [ -n "${pg_pid:-}" ]; then
    kill -INT "$pg_pid" 2>/dev/null && wait "$pg_pid" 2>/dev/null || true
    pg_pid=""
  fi
}
