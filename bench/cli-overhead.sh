#!/usr/bin/env bash
# Overhead of `pacer run`: N requests (default 100,000) POST /echo to the simulator started on its
# own (no limits, zero latency), sent by `pacer run --concurrency C` (default 64) and by a bare
# HttpClient loop at the same concurrency (bench/Pacer.HttpBaseline), alternately, in the same
# run. Requests per second are N over each process's wall time (start-up included for both).
# Prints both and the ratio pacer / HttpClient; the target is at least 0.8.
#
#   bench/cli-overhead.sh [--jobs N] [--concurrency C] [--reps R] [--no-build]
#
# PACER_BENCH_ARTIFACTS sets the build's artifacts path (default /tmp/pacer-bench-artifacts).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/cli-common.sh

jobs=100000
concurrency=64
reps=1
build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --jobs) jobs="$2"; shift 2 ;;
    --concurrency) concurrency="$2"; shift 2 ;;
    --reps) reps="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "cli-overhead.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

if [ "$build" -eq 1 ]; then
  build_projects src/Pacer.Cli src/Pacer.Simulator bench/Pacer.HttpBaseline
fi

start_simulator
echo_input "$work/input.jsonl" "$jobs"
echo "# $(nproc) cores, $jobs requests, concurrency $concurrency, load before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-4s %-11s %10s %10s %14s\n' rep sender wall_s rps peak_rss_mb
failed=0
for rep in $(seq 1 "$reps"); do
  measure dotnet "$(dll_of Pacer.HttpBaseline)" "$sim_url/echo" "$jobs" "$concurrency" > "$work/baseline.out" 2>&1
  [ "$exit_code" -eq 0 ] || { echo "cli-overhead.sh: the baseline exited $exit_code:" >&2; cat "$work/baseline.out" >&2; failed=1; }
  base_wall="$wall_s"
  base_rps="$(awk -v n="$jobs" -v s="$wall_s" 'BEGIN { printf "%.0f", n / s }')"
  printf '%-4s %-11s %10s %10s %14s\n' "$rep" httpclient "$wall_s" "$base_rps" "$peak_rss_mb"

  rm -f "$work/out.jsonl"
  measure dotnet "$(dll_of Pacer.Cli)" run "$work/input.jsonl" --out "$work/out.jsonl" --concurrency "$concurrency" --progress none 2> "$work/pacer.err"
  results="$(wc -l < "$work/out.jsonl")"
  if [ "$exit_code" -ne 0 ] || [ "$results" -ne "$jobs" ]; then
    echo "cli-overhead.sh: pacer exited $exit_code with $results results:" >&2
    tail -n 20 "$work/pacer.err" >&2
    failed=1
  fi
  pacer_rps="$(awk -v n="$jobs" -v s="$wall_s" 'BEGIN { printf "%.0f", n / s }')"
  printf '%-4s %-11s %10s %10s %14s\n' "$rep" "pacer run" "$wall_s" "$pacer_rps" "$peak_rss_mb"
  echo "# rep $rep: ratio pacer / httpclient = $(awk -v a="$base_wall" -v b="$wall_s" 'BEGIN { printf "%.2f", a / b }') (baseline's own timing: $(cat "$work/baseline.out"))"
done
echo "# simulator requests: $(sim_requests), load after: $(cut -d' ' -f1-3 /proc/loadavg)"
exit "$failed"
