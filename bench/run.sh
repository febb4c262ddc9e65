#!/usr/bin/env bash
# Runs every (workload, library) pair of WORKLOADS.md, one fresh process each, N repetitions,
# collects the JSON lines in bench/results/latest.jsonl and prints the median table with the
# ratios the targets need (bench/summarize.py).
#
#   bench/run.sh [--reps N] [--quick] [--workloads W1,W2] [--libs pacer,polly] [--no-build] [--out FILE]
#
#   --reps N        repetitions of each pair (default 3)
#   --quick         reduced job counts (W1 100,000; W2 2,000; W3 500; W4 100,000), to check it works
#   --workloads     which workloads (default W1,W2,W3,W4)
#   --libs          which libraries (default pacer,pacer-submit,pacer-batch,semaphore,parallel,ratelimiting,polly)
#   --no-build      run the dll already built
#   --out FILE      where the JSON lines go (default bench/results/latest.jsonl)
#
# PACER_BENCH_ARTIFACTS sets the build's artifacts path (default /tmp/pacer-bench-artifacts), so
# that this build does not collide with other builds of the tree. PACER_BENCH_TIMEOUT bounds each
# process in seconds (default 180).
set -euo pipefail
script="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")"
cd "$(dirname "$script")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1

artifacts="${PACER_BENCH_ARTIFACTS:-/tmp/pacer-bench-artifacts}"
per_run_timeout="${PACER_BENCH_TIMEOUT:-180}"
reps=3
quick=0
build=1
workloads="W1,W2,W3,W4"
libs="pacer,pacer-submit,pacer-batch,semaphore,parallel,ratelimiting,polly"
out="bench/results/latest.jsonl"

while [ $# -gt 0 ]; do
  case "$1" in
    --reps) reps="$2"; shift 2 ;;
    --quick) quick=1; shift ;;
    --workloads) workloads="$2"; shift 2 ;;
    --libs) libs="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) sed -n '2,17p' "$script"; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

if [ "$build" -eq 1 ]; then
  dotnet build bench/Pacer.Bench -c Release --nologo -v quiet --artifacts-path "$artifacts" >&2
fi

dll="$artifacts/bin/Pacer.Bench/release/Pacer.Bench.dll"
if [ ! -f "$dll" ]; then
  echo "run.sh: $dll not found; build first (drop --no-build)" >&2
  exit 2
fi

quick_jobs() {
  case "$1" in
    W1) echo 100000 ;;
    W2) echo 2000 ;;
    W3) echo 500 ;;
    W4) echo 100000 ;;
  esac
}

# Parallel.ForEachAsync and SemaphoreSlim have no rate limit: W3 does not apply to them.
applies() {
  [ "$1" != "W3" ] || { [ "$2" != "semaphore" ] && [ "$2" != "parallel" ]; }
}

mkdir -p "$(dirname "$out")"
: > "$out"
failures=0

IFS=',' read -r -a workload_list <<< "$workloads"
IFS=',' read -r -a lib_list <<< "$libs"

echo "# $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), .NET $(dotnet --list-runtimes | grep -m1 NETCore.App | cut -d' ' -f2), load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for rep in $(seq 1 "$reps"); do
  for w in "${workload_list[@]}"; do
    for lib in "${lib_list[@]}"; do
      applies "$w" "$lib" || continue
      args=("$w" --lib "$lib")
      if [ "$quick" -eq 1 ]; then
        args+=(--jobs "$(quick_jobs "$w")")
      fi

      echo "# rep $rep/$reps: ${args[*]}" >&2
      if line="$(timeout "$per_run_timeout" dotnet "$dll" "${args[@]}")"; then
        echo "$line" >> "$out"
      else
        echo "run.sh: '${args[*]}' failed or timed out (exit $?)" >&2
        failures=$((failures + 1))
      fi
    done
  done
done

echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
python3 bench/summarize.py "$out"
if [ "$failures" -ne 0 ]; then
  echo "run.sh: $failures run(s) failed" >&2
  exit 1
fi
