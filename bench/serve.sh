#!/usr/bin/env bash
# pacer serve against the simulator started on its own (no limits, zero latency), on the targets of
# docs/benchmarks.md, in one run on one machine:
#   accepting: one POST /api/runs of N lines (default 100,000), stored and answered (jobs/s);
#   running:   the same N jobs through the SQLite store, from the POST to the last result streamed
#              (?wait=true), against `pacer run` on the same input and lane (concurrency C, default
#              64) writing its out file, run just before: the rate of each and the ratio;
#   memory:    the server's resident set with 1,000,000 jobs stored (9 more runs of N/10 x 10 lines
#              held by a lane allowed 1 request a minute);
#   live feed: 100 lanes busy, the lane snapshots the event stream gives in 10 s.
# With --postgres, the server keeps its runs in a private PostgreSQL (pacer serve --store; fsync
# off, as for every benchmark's database) instead of SQLite: accepting and running only.
#
#   bench/serve.sh [--jobs N] [--concurrency C] [--postgres] [--no-build]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/cli-common.sh

jobs=100000
concurrency=64
build=1
postgres=0
while [ $# -gt 0 ]; do
  case "$1" in
    --jobs) jobs="$2"; shift 2 ;;
    --concurrency) concurrency="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    --postgres) postgres=1; shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "serve.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

if [ "$build" -eq 1 ]; then
  build_projects src/Pacer.Cli src/Pacer.Simulator
fi

serve_pid=""
stop_server() {
  if [ -n "$serve_pid" ] && kill -0 "$serve_pid" 2>/dev/null; then
    kill "$serve_pid" 2>/dev/null || true
    wait "$serve_pid" 2>/dev/null || true
  fi
  serve_pid=""
}
trap 'stop_server; cleanup' EXIT
store_args=()
if [ "$postgres" -eq 1 ]; then
  source bench/private-servers.sh
  private_servers_root pacer-serve-bench
  trap 'stop_server; cleanup; stop_private_servers; rm -rf "$root"' EXIT
  start_private_postgres "$root"
fi

# start_server CONFIG DB: sets $serve_url once /health answers.
start_server() {
  local port
  port="$(free_port)"
  local where=(--db "$2")
  if [ "$postgres" -eq 1 ]; then
    "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U pacer "$(basename "$2" .db)"
    where=(--store "Host=127.0.0.1;Port=$pg_port;Username=pacer;Database=$(basename "$2" .db)")
  fi
  dotnet "$(dll_of Pacer.Cli)" serve --config "$1" "${where[@]}" --urls "http://127.0.0.1:$port" --max-body 1GiB > "$work/serve.log" 2>&1 &
  serve_pid=$!
  serve_url="http://127.0.0.1:$port"
  for _ in $(seq 1 300); do
    curl -sf "$serve_url/health" > /dev/null && return 0
    kill -0 "$serve_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "pacer serve did not start:" >&2
  cat "$work/serve.log" >&2
  exit 1
}

field() { python3 -c "import json, sys; print(json.load(sys.stdin)$1)"; }

start_simulator
echo_input "$work/input.jsonl" "$jobs"
cat > "$work/pacer.yaml" <<YAML
lanes:
  sim:
    baseUrl: $sim_url
    concurrency: $concurrency
  held:
    baseUrl: $sim_url/held/
    rpm: 1
YAML
echo "# $(nproc) cores, $jobs jobs, concurrency $concurrency, store $([ "$postgres" -eq 1 ] && echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}')" || echo SQLite), load before: $(cut -d' ' -f1-3 /proc/loadavg)"

# pacer run: the rate to reach.
measure dotnet "$(dll_of Pacer.Cli)" run "$work/input.jsonl" --config "$work/pacer.yaml" --out "$work/run.jsonl" --progress none 2> "$work/run.err"
[ "$exit_code" -eq 0 ] && [ "$(wc -l < "$work/run.jsonl")" -eq "$jobs" ] || { echo "serve.sh: pacer run exited $exit_code" >&2; tail "$work/run.err" >&2; exit 1; }
run_rps="$(awk -v n="$jobs" -v s="$wall_s" 'BEGIN { printf "%.0f", n / s }')"
echo "pacer run:  $jobs jobs in ${wall_s} s = $run_rps jobs/s (process wall time, start-up included; peak RSS ${peak_rss_mb} MB)"

# pacer serve: accept, then run the same jobs.
start_server "$work/pacer.yaml" "$work/pacer.db"
start="$(date +%s.%N)"
answer="$(curl -s -w '\n%{time_total}' -X POST "$serve_url/api/runs" -H 'Content-Type: application/x-ndjson' --data-binary @"$work/input.jsonl")"
accept_s="$(tail -n 1 <<<"$answer")"
run_id="$(head -n 1 <<<"$answer" | field '["id"]')"
echo "accepting:  $jobs lines stored and answered in ${accept_s} s = $(awk -v n="$jobs" -v s="$accept_s" 'BEGIN { printf "%.0f", n / s }') jobs/s (target 50,000)"
# The results, streamed in input order as they become ready, until the run ends: the analog of pacer run's out file.
curl -s "$serve_url/api/runs/$run_id/results?wait=true" -o "$work/serve.jsonl"
end="$(date +%s.%N)"
[ "$(wc -l < "$work/serve.jsonl")" -eq "$jobs" ] || { echo "serve.sh: $(wc -l < "$work/serve.jsonl") results streamed, not $jobs" >&2; exit 1; }
serve_s="$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')"
serve_rps="$(awk -v n="$jobs" -v s="$serve_s" 'BEGIN { printf "%.0f", n / s }')"
succeeded="$(curl -s "$serve_url/api/runs/$run_id" | field '["counts"]["succeeded"]')"
echo "running:    $succeeded of $jobs succeeded, all results streamed, in ${serve_s} s from the POST = $serve_rps jobs/s; $(awk -v a="$serve_rps" -v b="$run_rps" 'BEGIN { printf "%.2f", a / b }') of pacer run (target 0.70)"

if [ "$postgres" -eq 1 ]; then
  echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
  exit 0
fi

# Memory with 1,000,000 jobs stored.
tenth=$((jobs / 10))
python3 - "$work/held.jsonl" "$tenth" "$sim_url/held/x" <<'PY'
import sys
path, n, url = sys.argv[1], int(sys.argv[2]), sys.argv[3]
with open(path, "w") as f:
    for i in range(n):
        f.write('{"id":%d,"url":"%s"}\n' % (i, url))
PY
stored=$jobs
while [ "$stored" -lt 1000000 ]; do
  curl -sf -o /dev/null -X POST "$serve_url/api/runs" -H 'Content-Type: application/x-ndjson' --data-binary @"$work/held.jsonl"
  stored=$((stored + tenth))
done
curl -s "$serve_url/api/runs?limit=1" > /dev/null
rss_mb="$(awk '/^VmRSS:/ {printf "%.0f", $2 / 1024}' "/proc/$serve_pid/status")"
hwm_mb="$(awk '/^VmHWM:/ {printf "%.0f", $2 / 1024}' "/proc/$serve_pid/status")"
echo "memory:     $stored jobs stored ($(du -m "$work/pacer.db" | cut -f1) MB file): RSS ${rss_mb} MB now, peak ${hwm_mb} MB (target under 300)"
stop_server

# Live feed: 100 lanes, each busy for longer than the 10 s watched.
python3 - "$work/lanes.yaml" "$work/lanes.jsonl" "$sim_url" <<'PY'
import sys
config, lines, url = sys.argv[1], sys.argv[2], sys.argv[3]
with open(config, "w") as f:
    f.write("lanes:\n")
    for lane in range(100):
        f.write(f"  l{lane}:\n    baseUrl: {url}\n    rps: 2\n    concurrency: 1\n")
with open(lines, "w") as f:
    for i in range(100 * 40):
        f.write('{"url":"/echo","lane":"l%d","method":"POST","body":{"n":%d}}\n' % (i % 100, i))
PY
start_server "$work/lanes.yaml" "$work/lanes.db"
curl -sf -o /dev/null -X POST "$serve_url/api/runs" -H 'Content-Type: application/x-ndjson' --data-binary @"$work/lanes.jsonl"
sleep 1
curl -s -N --max-time 10 "$serve_url/api/events" > "$work/events.txt" || true
python3 - "$work/events.txt" <<'PY'
import json, sys
snapshots = [json.loads(line[6:]) for line in open(sys.argv[1]) if line.startswith("data: {\"lanes\"")]
busy = [sum(1 for l in s["lanes"] if l["now"]["running"] + l["now"]["queued"] > 0) for s in snapshots]
print(f"live feed:  {len(snapshots)} lane snapshots in 10 s, each of {len(snapshots[0]['lanes']) if snapshots else 0} lanes, busy lanes per snapshot {min(busy) if busy else 0}-{max(busy) if busy else 0} (target 1 a second)")
PY
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
