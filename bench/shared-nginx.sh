#!/usr/bin/env bash
# Exact across processes (docs/benchmarks.md, "Shared lane state: several processes against
# nginx"): a private Redis and a private PostgreSQL (Debian's packages, each with its own port,
# folder and pid, stopped by that pid), then bench/shared-nginx.py: one `pacer run` alone, then P
# processes (default 4) sharing one lane of 20/s with a burst of 5 through each store, against a
# real nginx keeping that limit with limit_req; figures from nginx's access log. Needs nginx-light
# and libnginx-mod-http-echo (./test.sh installs them).
#
#   bench/shared-nginx.sh [--processes P] [--requests N]
set -euo pipefail
cd "$(dirname "$0")/.."

extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --processes|--requests) extra+=("$1" "$2"); shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "shared-nginx.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

dotnet build src/Pacer.Cli -c Release -nologo -v q > /dev/null
source bench/private-servers.sh
private_servers_root pacer-shared-nginx

start_private_redis "$root"
start_private_postgres "$root"

bench/shared-nginx.py --pacer src/Pacer.Cli/bin/Release/net10.0/Pacer.Cli \
  --state "redis://127.0.0.1:$redis_port" --state "postgres://pacer@127.0.0.1:$pg_port/postgres" "${extra[@]}"
