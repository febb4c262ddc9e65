#!/usr/bin/env bash
# A shared lane's decisions with many processes contending on loopback (docs/benchmarks.md, "Shared
# lane state"): a private Redis and a private PostgreSQL (Debian's redis-server and postgresql, each
# with its own port, folder and pid, stopped by that pid), then Pacer.Bench shared-acquire against
# each: N processes (default 8) asking for one start of the same lane, and one concurrency slot, in
# a loop for S seconds (default 5), and one process alone for comparison. One JSON line per store
# and count: p50, p90, p99 in milliseconds.
#
#   bench/shared-state.sh [--processes N] [--seconds S]
set -euo pipefail
cd "$(dirname "$0")/.."

processes=8
seconds=5
while [ $# -gt 0 ]; do
  case "$1" in
    --processes) processes="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "shared-state.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

dotnet build bench/Pacer.Bench -c Release --nologo -v quiet >/dev/null
bench=bench/Pacer.Bench/bin/Release/net10.0/Pacer.Bench.dll
root=$(mktemp -d /tmp/pacer-shared-bench-XXXXXX)
chmod 755 "$root"
redis_pid=""
pg_pid=""
cleanup() {
  [ -n "$redis_pid" ] && kill "$redis_pid" 2>/dev/null && wait "$redis_pid" 2>/dev/null || true
  [ -n "$pg_pid" ] && kill -INT "$pg_pid" 2>/dev/null && wait "$pg_pid" 2>/dev/null || true
  rm -rf "$root"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

redis_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$root" --save "" --appendonly no --daemonize no >"$root/redis.log" 2>&1 &
redis_pid=$!

pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
mkdir -p "$root/pg" "$root/run"
as_pg=()
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
  if redis-cli -p "$redis_port" ping >/dev/null 2>&1 && "$pg_bin/pg_isready" -h 127.0.0.1 -p "$pg_port" >/dev/null 2>&1; then break; fi
  sleep 0.1
done

for n in $(printf "%s\n" 1 "$processes" | sort -un); do
  dotnet "$bench" shared-acquire --redis "redis://127.0.0.1:$redis_port" --processes "$n" --seconds "$seconds"
  dotnet "$bench" shared-acquire --postgres "Host=127.0.0.1;Port=$pg_port;Username=pacer;Database=postgres" --processes "$n" --seconds "$seconds"
done
