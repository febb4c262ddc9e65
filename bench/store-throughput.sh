#!/usr/bin/env bash
# Jobs a second through the PostgreSQL job store (docs/benchmarks.md, "PostgreSQL job store
# throughput"): a private PostgreSQL (Debian's postgresql, its own port, folder and pid, stopped by
# that pid), then Pacer.Bench store-throughput: N no-op jobs (default 100,000) run by W StoreWorkers
# (default 4), each with its own connection pool, and the same jobs stored again and run by W bare
# SKIP LOCKED claim-and-complete loops, in the same run on the same database. One JSON line per
# round (default 3): jobs/s of each and their ratio.
#
#   bench/store-throughput.sh [--jobs N] [--workers W] [--rounds R]
set -euo pipefail
cd "$(dirname "$0")/.."

jobs=100000
workers=4
rounds=3
while [ $# -gt 0 ]; do
  case "$1" in
    --jobs) jobs="$2"; shift 2 ;;
    --workers) workers="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "store-throughput.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

dotnet build bench/Pacer.Bench -c Release --nologo -v quiet >/dev/null
bench=bench/Pacer.Bench/bin/Release/net10.0/Pacer.Bench.dll
source bench/private-servers.sh
private_servers_root pacer-store-bench

start_private_postgres "$root"
for _ in $(seq 1 "$rounds"); do
  dotnet "$bench" store-throughput --postgres "Host=127.0.0.1;Port=$pg_port;Username=pacer;Database=postgres" --jobs "$jobs" --workers "$workers"
done
