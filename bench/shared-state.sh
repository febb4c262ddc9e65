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
source bench/private-servers.sh
private_servers_root pacer-shared-bench

start_private_redis "$root"
start_private_postgres "$root"

for n in $(printf "%s\n" 1 "$processes" | sort -un); do
  dotnet "$bench" shared-acquire --redis "redis://127.0.0.1:$redis_port" --processes "$n" --seconds "$seconds"
  dotnet "$bench" shared-acquire --postgres "Host=127.0.0.1;Port=$pg_port;Username=pacer;Database=postgres" --processes "$n" --seconds "$seconds"
done
