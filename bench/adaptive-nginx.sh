#!/usr/bin/env bash
# Adaptive lanes against the world: `pacer run` told the truth and told 5x too much with
# --adaptive, against a real nginx on eight service shapes (bench/adaptive-nginx.py: figures from
# nginx's access log), then against the simulator's routes that state their limits
# (bench/cli-limits.sh: figures from the simulator's side). Needs nginx-light and
# libnginx-mod-http-echo (./test.sh installs them).
#
#   bench/adaptive-nginx.sh [--shapes slow,fast,...] [--no-stated]
set -euo pipefail
cd "$(dirname "$0")/.."

shapes=()
stated=1
while [ $# -gt 0 ]; do
  case "$1" in
    --shapes) shapes=(--shapes "$2"); shift 2 ;;
    --no-stated) stated=0; shift ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "adaptive-nginx.sh: unknown argument $1 (--shapes LIST, --no-stated)" >&2; exit 2 ;;
  esac
done

dotnet build src/Pacer.Cli -c Release -nologo -v q > /dev/null
bench/adaptive-nginx.py --pacer src/Pacer.Cli/bin/Release/net10.0/Pacer.Cli "${shapes[@]}"
if [ "$stated" = 1 ]; then
  echo
  PACER_BENCH_ARTIFACTS="${PACER_BENCH_ARTIFACTS:-/tmp/pacer-bench-adaptive}" bench/cli-limits.sh --reps 1
fi
