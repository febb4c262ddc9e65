# Shared by bench/cli-memory.sh and bench/cli-overhead.sh (sourced, not run): builds pacer and the
# simulator in Release, starts the simulator on a free port, measures a child's peak RSS and wall
# time, and stops the simulator by its pid on exit.

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1

artifacts="${PACER_BENCH_ARTIFACTS:-/tmp/pacer-bench-artifacts}"
work="$(mktemp -d /tmp/pacer-cli-bench.XXXXXX)"
sim_pid=""

cleanup() {
  if [ -n "$sim_pid" ] && kill -0 "$sim_pid" 2>/dev/null; then
    kill "$sim_pid" 2>/dev/null || true
    wait "$sim_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

build_projects() {
  for project in "$@"; do
    dotnet build "$project" -c Release --nologo -v quiet --artifacts-path "$artifacts" >&2
  done
}

dll_of() { echo "$artifacts/bin/$1/release/$1.dll"; }

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# start_simulator [simulator options]: sets $sim_url; no limits and zero latency unless told.
start_simulator() {
  local port
  port="$(free_port)"
  dotnet "$(dll_of Pacer.Simulator)" --port "$port" "$@" > "$work/simulator.log" 2>&1 &
  sim_pid=$!
  sim_url="http://127.0.0.1:$port"
  for _ in $(seq 1 300); do
    if curl -sf "$sim_url/_sim/stats" > /dev/null; then
      return 0
    fi
    kill -0 "$sim_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "the simulator did not start:" >&2
  cat "$work/simulator.log" >&2
  exit 1
}

sim_requests() {
  curl -sf "$sim_url/_sim/stats" | python3 -c 'import json, sys; print(json.load(sys.stdin)["total"]["requests"])'
}

# echo_input FILE N: N lines, each a POST to the simulator's /echo with the body {"n": i}.
echo_input() {
  python3 - "$1" "$2" "$sim_url/echo" <<'PY'
import sys
path, n, url = sys.argv[1], int(sys.argv[2]), sys.argv[3]
with open(path, "w") as f:
    for i in range(n):
        f.write('{"id":%d,"url":"%s","method":"POST","body":{"n":%d}}\n' % (i, url, i))
PY
}

# measure CMD...: runs CMD; sets $exit_code, $peak_rss_mb (the process's peak resident set) and
# $wall_s. `dotnet X.dll` runs X in the dotnet process itself, so that is the process measured.
measure() {
  local start end hwm value pid
  start="$(date +%s.%N)"
  if [ -x /usr/bin/time ]; then
    set +e
    /usr/bin/time -f '%M' -o "$work/time" "$@"
    exit_code=$?
    set -e
    end="$(date +%s.%N)"
    hwm="$(tail -n 1 "$work/time")"
  else
    # No /usr/bin/time: sample VmHWM (the kernel's own peak) from /proc while it runs.
    "$@" &
    pid=$!
    hwm=0
    while kill -0 "$pid" 2>/dev/null; do
      value="$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)"
      if [ -n "$value" ] && [ "$value" -gt "$hwm" ]; then hwm="$value"; fi
      sleep 0.05
    done
    set +e
    wait "$pid"
    exit_code=$?
    set -e
    end="$(date +%s.%N)"
  fi
  peak_rss_mb="$(awk -v kb="$hwm" 'BEGIN { printf "%.1f", kb / 1024 }')"
  wall_s="$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')"
}
