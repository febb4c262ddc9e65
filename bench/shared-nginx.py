#!/usr/bin/env python3
"""Several `pacer run` processes, one lane, one limit kept together through a shared lane state
(Redis, PostgreSQL), against a real nginx keeping that limit with limit_req: how close together
they come to the least time the limit allows, and how many calls nginx refused. Every figure comes
from nginx's own access log. One process alone, told the same, is measured beside them. Prints a
markdown table.

    bench/shared-nginx.py --pacer PATH --state URL [--state URL ...] [--processes 4] [--requests 600]

Each nginx gets its own prefix folder, port and pid, and is stopped by that pid.
"""
import argparse, os, shutil, signal, socket, subprocess, sys, tempfile, time

RATE, BURST, LATENCY = 20, 5, 0.02

CONF = """load_module /usr/lib/nginx/modules/ngx_http_echo_module.so;
daemon off; master_process on; worker_processes 1;
pid {p}/nginx.pid; error_log {p}/error.log warn;
events {{ worker_connections 4096; }}
http {{
  log_format pacer '$msec $request_time $status $request_uri';
  access_log {p}/access.log pacer;
  client_body_temp_path {p}/t1; proxy_temp_path {p}/t2; fastcgi_temp_path {p}/t3; uwsgi_temp_path {p}/t4; scgi_temp_path {p}/t5;
  limit_req_zone $server_name zone=rate:1m rate={rate}r/s;
  limit_req_status 429;
  server {{
    listen 127.0.0.1:{port}; server_name pacer;
    location / {{
      limit_req zone=rate burst={burst} nodelay;
      error_page 429 = @refused; default_type application/json;
      echo_sleep {lat}; echo '{{"ok":true}}';
    }}
    location @refused {{ add_header Retry-After 1 always; default_type application/json; return 429 '{{"error":"too many requests"}}'; }}
  }}
}}
"""

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

def run(pacer, state, processes, requests):
    prefix = tempfile.mkdtemp(prefix="pacer-bench-shared-")
    port = free_port()
    with open(os.path.join(prefix, "nginx.conf"), "w") as f:
        f.write(CONF.format(p=prefix, rate=RATE, burst=BURST, lat=LATENCY, port=port))
    nginx = subprocess.Popen(["nginx", "-p", prefix, "-c", os.path.join(prefix, "nginx.conf"), "-e", os.path.join(prefix, "error.log")])
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        config = os.path.join(prefix, "pacer.yaml")
        with open(config, "w") as f:
            f.write(f"lanes:\n  nginx:\n    baseUrl: http://127.0.0.1:{port}/\n    rps: {RATE}\n    burst: {BURST}\n    retries: 0\n"
                    + (f"    state: {state}\n" if state else ""))
        each = requests // processes
        runs = []
        for p in range(processes):
            lines = os.path.join(prefix, f"in{p}.jsonl")
            with open(lines, "w") as f:
                f.write("".join('{"id":%d,"url":"http://127.0.0.1:%d/p%d/%d"}\n' % (i, port, p, i) for i in range(each)))
            runs.append(subprocess.Popen([pacer, "run", lines, "--config", config, "--progress", "none", "--out", os.path.join(prefix, f"out{p}.jsonl")],
                                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True))
        codes = [r.wait(timeout=900) for r in runs]
        rows = []
        with open(os.path.join(prefix, "access.log")) as f:
            for line in f:
                end, took, status, uri = line.split()[:4]
                rows.append((float(end) - float(took), float(end), int(status)))
        n = each * processes
        starts = sorted(r[0] for r in rows)
        worst = max(sum(1 for s in starts[i:] if s < starts[i] + 1) for i in range(len(starts)))
        span = max(r[1] for r in rows) - min(r[0] for r in rows)
        least = max(0, n - 1 - BURST) / RATE + LATENCY
        return dict(n=n, calls=len(rows), ok=sum(1 for r in rows if r[2] == 200), refused=sum(1 for r in rows if r[2] == 429),
                    span=span, least=least, worst=worst, codes=codes)
    finally:
        nginx.send_signal(signal.SIGTERM)
        try:
            nginx.wait(timeout=10)
        except subprocess.TimeoutExpired:
            nginx.kill()
        shutil.rmtree(prefix, ignore_errors=True)

def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pacer", required=True, help="the built pacer (src/Pacer.Cli/bin/Release/net10.0/Pacer.Cli)")
    parser.add_argument("--state", action="append", default=[], help="a shared lane state: redis://… or postgres://…")
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--requests", type=int, default=600)
    args = parser.parse_args()
    print(f"| processes | lane state | requests | time (nginx log) | least | × least | most in any 1 s (limit {RATE + BURST}) | calls answered 429 | every run exit 0 |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|---|")
    for processes, state in [(1, None)] + [(args.processes, s) for s in args.state]:
        r = run(args.pacer, state, processes, args.requests)
        kind = "local" if state is None else state.split(":")[0]
        print(f"| {processes} | {kind} | {r['n']} | {r['span']:.2f} s | {r['least']:.2f} s | {r['span'] / r['least']:.3f}× | {r['worst']} | "
              f"{r['refused']} of {r['calls']} | {'yes' if all(c == 0 for c in r['codes']) and r['ok'] == r['n'] else 'no ' + str(r['codes'])} |", flush=True)

if __name__ == "__main__":
    sys.exit(main())
