# Sourced by the benchmarks that need PostgreSQL or Redis. start_private_postgres DIR starts
# Debian's postgres in DIR/pg on a free loopback port (its own folder and pid, fsync off: a
# benchmark's database, not a durable one), waits until it answers, and sets pg_port and pg_pid;
# start_private_redis DIR starts redis-server likewise (no persistence) and sets redis_port and
# redis_pid. private_servers_root NAME makes the folder they live in ($root, under /tmp) and stops
# whichever was started, by its pid, and removes the folder when the script exits.

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

start_private_redis() {
  local root="$1"
  redis_port=$(free_port)
  redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$root" --save "" --appendonly no --daemonize no >"$root/redis.log" 2>&1 &
  redis_pid=$!
  for _ in $(seq 1 100); do
    if redis-cli -p "$redis_port" ping >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  echo "Redis did not start; see $root/redis.log" >&2
  return 1
}

stop_private_servers() {
  if [ -n "${pg_pid:-}" ]; then
    kill -INT "$pg_pid" 2>/dev/null && wait "$pg_pid" 2>/dev/null || true
    pg_pid=""
  fi
  if [ -n "${redis_pid:-}" ]; then
    kill "$redis_pid" 2>/dev/null && wait "$redis_pid" 2>/dev/null || true
    redis_pid=""
  fi
}

private_servers_root() {
  root=$(mktemp -d "/tmp/$1-XXXXXX")
  chmod 755 "$root"
  trap 'stop_private_servers; rm -rf "$root"' EXIT
}
