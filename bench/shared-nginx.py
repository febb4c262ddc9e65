#!/usr/bin/env python3
"""Several `pacer run` processes, one lane, one limit kept together through a shared lane state
(Redis, PostgreSQL), against a real nginx keeping that limit with limit_req: how close together
they come to the least time the limit allows, and how many calls nginx refused. Every figure comes
from nginx's own access log. One process alone, told the same, is measured beside them. Prints a
markdown table.

    bench/shared-nginx.py --pacer PATH --state URL [--state URL ...] [--processes 4] [--requests 600]

Each nginx gets its own prefix folder, port and pid, and is stopped by that pid.
"""
import argparse, os, subprocess, sys, tempfile
from nginx_bench import Nginx

RATE, BURST, LATENCY = 20, 5, 0.02

def run(pacer, state, processes, requests):
    nginx = Nginx(RATE, "s", BURST, 10_000, LATENCY)
    work = tempfile.mkdtemp(prefix="pacer-bench-shared-", dir=nginx.prefix)
    try:
        config = os.path.join(work, "pacer.yaml")
        with open(config, "w") as f:
            f.write(f"lanes:\n  nginx:\n    baseUrl: http://127.0.0.1:{nginx.port}/\n    rps: {RATE}\n    burst: {BURST}\n    retries: 0\n"
                    + (f"    state: {state}\n" if state else ""))
        each = requests // processes
        runs = []
        for p in range(processes):
            lines = os.path.join(work, f"in{p}.jsonl")
            with open(lines, "w") as f:
                f.write("".join('{"id":%d,"url":"http://127.0.0.1:%d/p%d/%d"}\n' % (i, nginx.port, p, i) for i in range(each)))
            runs.append(subprocess.Popen([pacer, "run", lines, "--config", config, "--progress", "none", "--out", os.path.join(work, f"out{p}.jsonl")],
                                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True))
        codes = [r.wait(timeout=900) for r in runs]
        rows = nginx.log()
        n = each * processes
        starts = sorted(r[0] for r in rows)
        worst = max(sum(1 for s in starts[i:] if s < starts[i] + 1) for i in range(len(starts)))
        span = max(r[1] for r in rows) - min(r[0] for r in rows)
        least = max(0, n - 1 - BURST) / RATE + LATENCY
        return dict(n=n, calls=len(rows), ok=sum(1 for r in rows if r[2] == 200), refused=sum(1 for r in rows if r[2] == 429),
                    span=span, least=least, worst=worst, codes=codes)
    finally:
        nginx.stop()

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
