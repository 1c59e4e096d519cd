#!/usr/bin/env python3
"""Summarise repeated `cargo bench -p jwtgate-core --bench verify` runs.

Each log holds criterion's lines such as
    RS256/raw_aws_lc        time:   [15.9 µs 16.0 µs 16.1 µs]
and we take the middle value (criterion's point estimate) of each benchmark
in each run. Across runs we print min/median/max, and the ratio to the raw
aws-lc check is taken *within each run* (both measured minutes apart on the
same loaded machine) and then summarised the same way, because other builds
share this 2-core machine and absolute times drift between runs.

    python3 bench/criterion_summary.py LOG [LOG ...]
"""
import re
import statistics
import sys

UNITS = {"ps": 1e-6, "ns": 1e-3, "µs": 1.0, "us": 1.0, "ms": 1e3, "s": 1e6}
LINE = re.compile(r"^(\S+)/(\S+)\s+time:\s+\[\S+ \S+ (\S+) (\S+) \S+ \S+\]")
# criterion prints the name on its own line when it is long, then "time:" on the next.
NAME_ONLY = re.compile(r"^(\S+)/(\S+)\s*$")
TIME_ONLY = re.compile(r"^\s+time:\s+\[\S+ \S+ (\S+) (\S+) \S+ \S+\]")


def parse(path):
    """{(group, bench): microseconds} for one run."""
    out, pending = {}, None
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = LINE.match(line)
            if m:
                out[(m[1], m[2])] = float(m[3]) * UNITS[m[4]]
                pending = None
                continue
            m = NAME_ONLY.match(line)
            if m:
                pending = (m[1], m[2])
                continue
            m = TIME_ONLY.match(line)
            if m and pending:
                out[pending] = float(m[1]) * UNITS[m[2]]
                pending = None
    return out


def fmt(us):
    return f"{us * 1000:.0f} ns" if us < 1 else f"{us:.2f} µs"


def main(paths):
    runs = [parse(p) for p in paths]
    runs = [r for r in runs if r]
    if not runs:
        sys.exit("no criterion results found in " + " ".join(paths))
    groups = []
    for r in runs:
        for g, _ in r:
            if g not in groups:
                groups.append(g)
    print(f"{len(runs)} runs; times are criterion point estimates, min / median / max over runs;")
    print("ratio = bench / raw_aws_lc of the same run, median over runs (min-max)\n")
    print("| alg | bench | min | median | max | × raw (median, min-max) |")
    print("|---|---|---|---|---|---|")
    for g in groups:
        benches = []
        for r in runs:
            for gg, b in r:
                if gg == g and b not in benches:
                    benches.append(b)
        for b in benches:
            vals = sorted(r[(g, b)] for r in runs if (g, b) in r)
            ratios = sorted(r[(g, b)] / r[(g, "raw_aws_lc")] for r in runs if (g, b) in r and (g, "raw_aws_lc") in r)
            ratio = f"{statistics.median(ratios):.2f}× ({ratios[0]:.2f}-{ratios[-1]:.2f})" if ratios else "-"
            print(f"| {g} | {b} | {fmt(vals[0])} | {fmt(statistics.median(vals))} | {fmt(vals[-1])} | {ratio} |")


if __name__ == "__main__":
    main(sys.argv[1:])
