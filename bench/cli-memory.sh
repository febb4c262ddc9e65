#!/usr/bin/env bash
# Peak memory of `pacer run` on a large input: N lines (default 1,000,000) of POST /echo against
# the simulator started on its own (no limits, zero latency), once in order and once with
# --unordered (default --window 1000, no --concurrency). Prints peak RSS and wall time per mode;
# the target is under 200 MB for both. Exits 1 if a run fails or leaves a line without a result.
#
#   bench/cli-memory.sh [--lines N] [--no-build]
#
# PACER_BENCH_ARTIFACTS sets the build's artifacts path (default /tmp/pacer-bench-artifacts).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/cli-common.sh

lines=1000000
build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --lines) lines="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "cli-memory.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

if [ "$build" -eq 1 ]; then
  build_projects src/Pacer.Cli src/Pacer.Simulator
fi

start_simulator
echo_input "$work/input.jsonl" "$lines"
echo "# $(nproc) cores, $lines lines, load before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-12s %14s %10s %10s\n' mode peak_rss_mb wall_s results
failed=0
for mode in ordered unordered; do
  flags=()
  [ "$mode" = unordered ] && flags+=(--unordered)
  rm -f "$work/out.jsonl"
  measure dotnet "$(dll_of Pacer.Cli)" run "$work/input.jsonl" --out "$work/out.jsonl" --progress none "${flags[@]}" 2> "$work/$mode.err"
  results="$(wc -l < "$work/out.jsonl")"
  printf '%-12s %14s %10s %10s\n' "$mode" "$peak_rss_mb" "$wall_s" "$results"
  if [ "$exit_code" -ne 0 ] || [ "$results" -ne "$lines" ]; then
    echo "cli-memory.sh: $mode exited $exit_code with $results results:" >&2
    tail -n 20 "$work/$mode.err" >&2
    failed=1
  fi
done
echo "# simulator requests: $(sim_requests), load after: $(cut -d' ' -f1-3 /proc/loadavg)"
exit "$failed"
