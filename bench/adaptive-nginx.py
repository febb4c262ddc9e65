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
import argparse, math, subprocess, sys, threading, time
from nginx_bench import Nginx

# name: (rate, per, burst, concurrency, latency_s, requests[, (after_s, new_rate)])
SHAPES = {
    "slow":        (2,   "s", 0,  2,  0.10, 200),
    "fast":        (100, "s", 20, 16, 0.02, 2000),
    "conc-binds":  (200, "s", 50, 3,  0.20, 300),
    "long-lat":    (20,  "s", 5,  10, 0.30, 400),
    "big-burst":   (20,  "s", 40, 8,  0.05, 600),
    "per-minute":  (120, "m", 5,  4,  0.05, 200),
    "mid":         (20,  "s", 5,  4,  0.05, 600),
    "halves":      (40,  "s", 10, 8,  0.05, 900, (10, 20)),
}

def least_time(rate_per_s, burst, conc, lat, n, change=None):
    # The first burst+1 at once, the rest at the rate (the new one after a change), the last answer
    # one latency after the last start; and no faster than the concurrency allows.
    by_rate = max(0, n - 1 - burst) / rate_per_s
    if change is not None:
        at, new_rate = change
        admitted_by_change = burst + 1 + rate_per_s * at
        if n > admitted_by_change:
            by_rate = at + (n - admitted_by_change) / new_rate
    by_conc = math.ceil(n / conc) * lat
    return max(by_rate + lat, by_conc)

def run_shape(pacer, name, told):
    rate, per, burst, conc, lat, n, *rest = SHAPES[name]
    change = rest[0] if rest else None
    rate_per_s = rate if per == "s" else rate / 60
    timer = None
    nginx = Nginx(rate, per, burst, conc, lat)
    try:
        lines = "".join('{"id":%d,"url":"http://127.0.0.1:%d/item/%d"}\n' % (i, nginx.port, i) for i in range(n))
        factor = 1 if told == "truth" else 5
        if change is not None:
            timer = threading.Timer(change[0], nginx.change_rate, args=(change[1],))
            timer.start()
        flag_rate = ["--rps", str(rate * factor)] if per == "s" else ["--rpm", str(rate * factor)]
        args = [pacer, "run", "-", *flag_rate, "--burst", str(max(1, burst) * factor), "--concurrency", str(conc * factor),
                "--retries", "20", "--progress", "none"]
        if told != "truth" or change is not None:
            args.append("--adaptive")
        started = time.time()
        out = subprocess.run(args, input=lines, capture_output=True, text=True, timeout=900)
        wall = time.time() - started
        rows = nginx.log()
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
        nginx.stop()

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
