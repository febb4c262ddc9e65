#!/usr/bin/env python3
"""Median table per workload from the JSON lines of bench/run.sh, with the ratios Pacer's targets need.

    python3 bench/summarize.py bench/results/latest.jsonl

Each figure is the median over repetitions, except the start windows of W3, which are the worst
(largest) seen: a limit holds only if it holds in every run.
"""
import json
import statistics
import sys
from collections import defaultdict

LIB_ORDER = ["pacer", "pacer-submit", "pacer-batch", "semaphore", "parallel", "ratelimiting", "polly"]

# (field, heading, format, how to combine repetitions)
COLUMNS = {
    "W1": [("jobs_per_s", "jobs/s", "{:,.0f}", "median"), ("peak_rss_mb", "peak RSS MB", "{:.1f}", "median")],
    "W2": [("makespan_s", "makespan s", "{:.3f}", "median"), ("efficiency", "efficiency", "{:.3f}", "median"),
           ("body_mean_ms", "mean body ms", "{:.2f}", "median"), ("efficiency_vs_body", "efficiency vs body", "{:.3f}", "median")],
    "W3": [("makespan_s", "makespan s", "{:.3f}", "median"), ("efficiency", "efficiency", "{:.3f}", "median"),
           ("max_starts_1000ms", "max starts / 1000 ms", "{:.0f}", "max"), ("max_starts_100ms", "max starts / 100 ms", "{:.0f}", "max")],
    "W4": [("bytes_per_job_rss", "bytes/job RSS", "{:.0f}", "median"), ("bytes_per_job_heap", "bytes/job heap", "{:.0f}", "median"),
           ("enqueue_s", "enqueue s", "{:.3f}", "median"), ("drain_s", "drain s", "{:.3f}", "median"), ("jobs_per_s", "drain jobs/s", "{:,.0f}", "median")],
}

TITLES = {
    "W1": "W1 — engine overhead (completed bodies, concurrency 64)",
    "W2": "W2 — 50 ms bodies at concurrency 200",
    "W3": "W3 — 10 ms bodies at concurrency 100 and 500 starts/s",
    "W4": "W4 — memory per queued job (concurrency 1)",
}


def combine(values, how):
    values = [v for v in values if v is not None]
    if not values:
        return None
    return max(values) if how == "max" else statistics.median(values)


def main(path):
    runs = defaultdict(list)
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line:
                r = json.loads(line)
                runs[(r["workload"], r["lib"])].append(r)

    med = {}
    for key, rs in runs.items():
        fields = {c[0] for w in COLUMNS.values() for c in w}
        hows = {c[0]: c[3] for c in COLUMNS[key[0]]}
        med[key] = {f: combine([r.get(f) for r in rs], hows.get(f, "median")) for f in fields}
        med[key].update(library=rs[0]["library"], version=rs[0]["version"], jobs=rs[0]["jobs"], reps=len(rs))

    for w in sorted({k[0] for k in runs}):
        libs = sorted((k[1] for k in runs if k[0] == w), key=lambda l: LIB_ORDER.index(l) if l in LIB_ORDER else 99)
        cols = COLUMNS[w]
        pacer = med.get((w, "pacer"))
        print(f"\n### {TITLES.get(w, w)} — {med[(w, libs[0])]['jobs']:,} jobs, medians of {max(med[(w, l)]['reps'] for l in libs)} run(s)\n")
        head = ["library", "version"] + [c[1] for c in cols]
        ratio_head = {"W1": "Pacer jobs/s ÷ this", "W4": "Pacer RSS/job ÷ this"}.get(w)
        if ratio_head:
            head.append(ratio_head)
        print("| " + " | ".join(head) + " |")
        print("|" + "|".join(["---"] * 2 + ["---:"] * (len(head) - 2)) + "|")
        for lib in libs:
            m = med[(w, lib)]
            row = [m["library"], m["version"]]
            row += ["—" if m[c[0]] is None else c[2].format(m[c[0]]) for c in cols]
            if ratio_head:
                field = "jobs_per_s" if w == "W1" else "bytes_per_job_rss"
                row.append(f"{pacer[field] / m[field]:.2f}×" if pacer and m[field] else "—")
            print("| " + " | ".join(row) + " |")

    print("\n### Targets (Pacer)\n")
    print("| target | measured | goal | verdict |")
    print("|---|---:|---:|---|")

    def check(label, value, goal, ok, fmt):
        if value is None:
            print(f"| {label} | not run | {goal} | — |")
        else:
            print(f"| {label} | {fmt.format(value)} | {goal} | {'met' if ok(value) else 'MISSED'} |")

    def get(w, lib, field):
        m = med.get((w, lib))
        return None if m is None else m.get(field)

    def ratio(w, a, b, field):
        x, y = get(w, a, field), get(w, b, field)
        return None if x is None or not y else x / y

    check("W1 jobs/s, Pacer ÷ Polly", ratio("W1", "pacer", "polly", "jobs_per_s"), "≥ 2×", lambda v: v >= 2, "{:.2f}×")
    check("W1 jobs/s, Pacer ÷ SemaphoreSlim", ratio("W1", "pacer", "semaphore", "jobs_per_s"), "≥ 0.5×", lambda v: v >= 0.5, "{:.2f}×")
    check("W2 efficiency", get("W2", "pacer", "efficiency"), "≥ 0.99", lambda v: v >= 0.99, "{:.3f}")
    check("W3 efficiency", get("W3", "pacer", "efficiency"), "≥ 0.99", lambda v: v >= 0.99, "{:.3f}")
    check("W3 max starts / 1000 ms", get("W3", "pacer", "max_starts_1000ms"), "≤ 501", lambda v: v <= 501, "{:.0f}")
    check("W3 max starts / 100 ms", get("W3", "pacer", "max_starts_100ms"), "≤ 51", lambda v: v <= 51, "{:.0f}")
    check("W4 bytes/job RSS", get("W4", "pacer", "bytes_per_job_rss"), "≤ 160", lambda v: v <= 160, "{:.0f}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "bench/results/latest.jsonl")
