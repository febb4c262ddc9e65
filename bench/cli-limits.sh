#!/usr/bin/env bash
# `pacer run` against a rate-limited simulator, judged from the service's side (/_sim/stats).
# The simulator allows L requests per second per route (default 20; sliding windows on chat and
# messages, fixed whole-second windows on echo) with 20 ms + up to 20 ms of latency. N requests
# (default 200) go to each route, in two scenarios:
#
#   true      pacer run --rps L            target: no 429, at most L in any second the service
#                                          saw, wall within 1.05 × least + 0.5 s
#   adaptive  pacer run --rps 5L --adaptive (told 5× too high)
#                                          target: at most 5% of calls answered 429, wall within
#                                          1.5 × least
#
# least = (N - 1) / L, the least time the service's limit allows. wall is pacer's own (the
# summary's "wall time": first start to last finish, without process start-up).
#
#   bench/cli-limits.sh [--jobs N] [--rate L] [--reps R] [--routes echo,chat,messages]
#                       [--latency D] [--jitter D] [--no-build]
#
# PACER_BENCH_ARTIFACTS sets the build's artifacts path (default /tmp/pacer-bench-artifacts).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/cli-common.sh

jobs=200
rate=20
reps=1
routes="echo,chat,messages"
latency=20ms
jitter=20ms
build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --jobs) jobs="$2"; shift 2 ;;
    --rate) rate="$2"; shift 2 ;;
    --reps) reps="$2"; shift 2 ;;
    --routes) routes="$2"; shift 2 ;;
    --latency) latency="$2"; shift 2 ;;
    --jitter) jitter="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    *) echo "cli-limits.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

if [ "$build" -eq 1 ]; then
  build_projects src/Pacer.Cli src/Pacer.Simulator
fi

start_simulator --rps "$rate" --latency "$latency" --jitter "$jitter"

path_of() {
  case "$1" in
    echo) echo /echo ;;
    chat) echo /v1/chat/completions ;;
    messages) echo /v1/messages ;;
    *) echo "cli-limits.sh: unknown route $1 (echo, chat, messages)" >&2; exit 2 ;;
  esac
}

# bodies FILE N: N request bodies, fit for every route (a chat request with max_tokens).
bodies() {
  python3 - "$1" "$2" <<'PY'
import sys
path, n = sys.argv[1], int(sys.argv[2])
with open(path, "w") as f:
    for i in range(n):
        f.write('{"model":"sim-1","max_tokens":16,"messages":[{"role":"user","content":"line %d"}]}\n' % i)
PY
}

bodies "$work/input.jsonl" "$jobs"
least="$(awk -v n="$jobs" -v l="$rate" 'BEGIN { printf "%.2f", (n - 1) / l }')"
echo "# $(nproc) cores, $jobs requests per run, service limit $rate/s, latency $latency + up to $jitter, least time ${least}s, load before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-9s %-9s %-4s %6s %8s %10s %8s %8s %6s\n' scenario route rep 429s '429 %' busiest_1s wall_s bound_s ok
failed=0
for scenario in true adaptive; do
  if [ "$scenario" = true ]; then
    flags=(--rps "$rate")
    bound="$(awk -v t="$least" 'BEGIN { printf "%.2f", 1.05 * t + 0.5 }')"
  else
    flags=(--rps "$((5 * rate))" --adaptive)
    bound="$(awk -v t="$least" 'BEGIN { printf "%.2f", 1.5 * t }')"
  fi
  for route in ${routes//,/ }; do
    for rep in $(seq 1 "$reps"); do
      curl -sf -X POST "$sim_url/_sim/reset?limits=true" > /dev/null
      rm -f "$work/out.jsonl"
      set +e
      dotnet "$(dll_of Pacer.Cli)" run "$work/input.jsonl" --url "$sim_url$(path_of "$route")" \
        "${flags[@]}" --progress none --out "$work/out.jsonl" 2> "$work/pacer.err"
      code=$?
      set -e
      wall="$(sed -n 's/^wall time \([0-9.]*\)s.*/\1/p' "$work/pacer.err")"
      read -r refused calls busiest < <(curl -sf "$sim_url/_sim/stats" | python3 -c '
import json, sys
total = json.load(sys.stdin)["total"]
print(total["byStatus"].get("429", 0), total["requests"], total["maxStartsPerSecond"])')
      share="$(awk -v r="$refused" -v c="$calls" 'BEGIN { printf "%.1f", c ? 100 * r / c : 0 }')"
      ok=yes
      if [ "$code" -ne 0 ] || [ -z "$wall" ]; then
        ok=no
        echo "cli-limits.sh: pacer exited $code:" >&2
        tail -n 20 "$work/pacer.err" >&2
      elif [ "$scenario" = true ]; then
        if [ "$refused" -ne 0 ] || [ "$busiest" -gt "$rate" ] || awk -v w="$wall" -v b="$bound" 'BEGIN { exit !(w > b) }'; then ok=no; fi
      else
        if awk -v s="$share" -v w="$wall" -v b="$bound" 'BEGIN { exit !(s > 5 || w > b) }'; then ok=no; fi
      fi
      [ "$ok" = yes ] || failed=1
      printf '%-9s %-9s %-4s %6s %8s %10s %8s %8s %6s\n' "$scenario" "$route" "$rep" "$refused" "$share" "$busiest" "${wall:-?}" "$bound" "$ok"
    done
  done
done
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
exit "$failed"
