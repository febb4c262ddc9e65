#!/usr/bin/env python3
"""`pacer run` against a real nginx keeping limit_req and limit_conn (429 with Retry-After: 1 on
refusal), on several service shapes, told the truth and told 5x too much with --adaptive. Every
figure comes from nginx's own access log: the time from the first request's arrival to the last
answer, and the share of calls answered 429. Prints a markdown table.

    bench/adaptive-nginx.py --pacer PATH [--shapes slow,fast,...]

Each nginx gets its own prefix folder, port and pid, and is stopped by that pid. On "halves" the
service halves its rate mid-run (a new configuration and `nginx -s reload`); told the truth there
means told the first rate, with --adaptive, so that the lane has to follow.
"""
import argparse, math, os, shutil, signal, socket, subprocess, sys, tempfile, threading, time

# name: (rate, per, burst, concurrency, latency_s, requests[, (after_s, new_rate)])
SHAPES = {
    "slow":        (2,   "s", 0,  2,  0.10, 60),
    "fast":        (100, "s", 20, 16, 0.02, 2000),
    "conc-binds":  (200, "s", 50, 3,  0.20, 300),
    "long-lat":    (20,  "s", 5,  10, 0.30, 400),
    "big-burst":   (20,  "s", 40, 8,  0.05, 600),
    "per-minute":  (120, "m", 5,  4,  0.05, 60),
    "mid":         (20,  "s", 5,  4,  0.05, 600),
    "halves":      (40,  "s", 10, 8,  0.05, 900, (10, 20)),
}

CONF = """load_module /usr/lib/nginx/modules/ngx_http_echo_module.so;
daemon off; master_process on; worker_processes 1;
pid {p}/nginx.pid; error_log {p}/error.log warn;
events {{ worker_connections 4096; }}
http {{
  log_format pacer '$msec $request_time $status $request_uri';
  access_log {p}/access.log pacer;
  client_body_temp_path {p}/t1; proxy_temp_path {p}/t2; fastcgi_temp_path {p}/t3; uwsgi_temp_path {p}/t4; scgi_temp_path {p}/t5;
  limit_req_zone $server_name zone=rate:1m rate={rate}r/{per};
  limit_conn_zone $server_name zone=conn:1m;
  limit_req_status 429; limit_conn_status 429;
  server {{
    listen 127.0.0.1:{port}; server_name pacer;
    location / {{
      limit_req zone=rate{burst} nodelay; limit_conn conn {conc};
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

def least_time(rate_per_s, burst, conc, lat, n, change=None):
    # The first burst+1 at once, the rest at the rate (the new one after a change); and no faster
    # than the concurrency allows.
    by_rate = max(0, n - 1 - burst) / rate_per_s
    if change is not None:
        at, new_rate = change
        admitted_by_change = burst + 1 + rate_per_s * at
        if n > admitted_by_change:
            by_rate = at + (n - admitted_by_change) / new_rate
    by_conc = math.ceil(n / conc) * lat
    return max(by_rate, by_conc)

def run_shape(pacer, name, told):
    rate, per, burst, conc, lat, n, *rest = SHAPES[name]
    change = rest[0] if rest else None
    rate_per_s = rate if per == "s" else rate / 60
    timer = None
    prefix = tempfile.mkdtemp(prefix="pacer-bench-nginx-")
    port = free_port()
    with open(os.path.join(prefix, "nginx.conf"), "w") as f:
        # nginx takes no "burst=0": no burst is written as none.
        f.write(CONF.format(p=prefix, rate=rate, per=per, burst=f" burst={burst}" if burst else "", conc=conc, lat=lat, port=port))
    nginx = subprocess.Popen(["nginx", "-p", prefix, "-c", os.path.join(prefix, "nginx.conf"), "-e", os.path.join(prefix, "error.log")])
    try:
        for _ in range(100):
            if nginx.poll() is not None:
                raise RuntimeError(f"nginx exited with {nginx.returncode} for shape {name}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        lines = "".join('{"id":%d,"url":"http://127.0.0.1:%d/item/%d"}\n' % (i, port, i) for i in range(n))
        factor = 1 if told == "truth" else 5
        if change is not None:
            def halve():
                with open(os.path.join(prefix, "nginx.conf"), "w") as f:
                    f.write(CONF.format(p=prefix, rate=change[1], per=per, burst=f" burst={burst}" if burst else "", conc=conc, lat=lat, port=port))
                subprocess.run(["nginx", "-p", prefix, "-c", os.path.join(prefix, "nginx.conf"), "-e", os.path.join(prefix, "error.log"), "-s", "reload"], check=True)
            timer = threading.Timer(change[0], halve)
            timer.start()
        flag_rate = ["--rps", str(rate * factor)] if per == "s" else ["--rpm", str(rate * factor)]
        args = [pacer, "run", "-", *flag_rate, "--burst", str(max(1, burst) * factor), "--concurrency", str(conc * factor),
                "--retries", "20", "--progress", "none"]
        if told != "truth" or change is not None:
            args.append("--adaptive")
        started = time.time()
        out = subprocess.run(args, input=lines, capture_output=True, text=True, timeout=900)
        wall = time.time() - started
        rows = []
        with open(os.path.join(prefix, "access.log")) as f:
            for line in f:
                end, took, status, uri = line.split()[:4]
                rows.append((float(end) - float(took), float(end), int(status), uri))
        ok = sum(1 for r in rows if r[2] == 200)
        refused = sum(1 for r in rows if r[2] == 429)
        span = max(r[1] for r in rows) - min(r[0] for r in rows)
        least = least_time(rate_per_s, burst, conc, lat, n, change)
        return dict(shape=name, told=told, n=n, ok=ok, calls=len(rows), refused=refused, span=span, least=least,
                    ratio=span / least if least else float("nan"), wall=wall, rc=out.returncode)
    finally:
        if timer is not None:
            timer.cancel()
            timer.join()
        nginx.send_signal(signal.SIGTERM)
        try:
            nginx.wait(timeout=10)
        except subprocess.TimeoutExpired:
            nginx.kill()
        shutil.rmtree(prefix, ignore_errors=True)

def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pacer", required=True, help="the built pacer (src/Pacer.Cli/bin/Release/net10.0/Pacer.Cli)")
    parser.add_argument("--shapes", default=",".join(SHAPES), help="comma-separated: " + ", ".join(SHAPES))
    args = parser.parse_args()
    print("| shape: rate, burst, concurrency, latency, requests | told | time (nginx log) | least | × least | calls answered 429 | every line 200 |")
    print("|---|---|---:|---:|---:|---:|---|")
    for name in args.shapes.split(","):
        rate, per, burst, conc, lat, n, *rest = SHAPES[name]
        if rest:
            per = f"{per}, then {rest[0][1]}/{per} after {rest[0][0]} s"
        for told in ("truth", "5x, --adaptive"):
            r = run_shape(args.pacer, name, told)
            share = r["refused"] / r["calls"] if r["calls"] else 0
            if rest and told == "truth":
                told = "truth (the first rate), --adaptive"
            print(f"| {name}: {rate}/{per}, {burst}, {conc}, {int(lat*1000)} ms, {n} | {told} | {r['span']:.2f} s | {r['least']:.2f} s | "
                  f"{r['ratio']:.2f}× | {share:.1%} ({r['refused']} of {r['calls']}) | {'yes' if r['ok'] == n and r['rc'] == 0 else 'no (rc %d, %d of %d)' % (r['rc'], r['ok'], n)} |", flush=True)

if __name__ == "__main__":
    sys.exit(main())
