#!/usr/bin/env python3
"""Summarise a JMH JSON result (-rf json) of VerifyBench as a Markdown table.

Per benchmark and alg: min / median / max over the measurement iterations
(µs per verification), and for the peers the ratio peer / jwtgate of the
medians (JMH runs the benchmarks one after another, so unlike the C and
Python benches this ratio is not taken within one round).

    python3 ffi/java/jmh/summarize.py RESULT.json
"""
import json
import statistics
import sys


def fmt(us):
    return f"{us * 1000:.0f} ns" if us < 1 else f"{us:.2f} µs"


def main(path):
    with open(path, encoding="utf-8") as f:
        results = json.load(f)
    rows, med = [], {}
    for r in results:
        name = r["benchmark"].rsplit(".", 1)[1]
        alg = r.get("params", {}).get("alg", "-")
        unit = r["primaryMetric"]["scoreUnit"]
        scale = {"us/op": 1.0, "ns/op": 1e-3, "ms/op": 1e3}[unit]
        vals = sorted(v * scale for fork in r["primaryMetric"]["rawData"] for v in fork)
        med[(alg, name)] = statistics.median(vals)
        rows.append((alg, name, vals))
    print("| alg | benchmark | min | median | max | peer / jwtgate (medians) |")
    print("|---|---|---|---|---|---|")
    for alg, name, vals in rows:
        ratio = ""
        if name in ("jose4j", "nimbus") and (alg, "jwtgate") in med:
            ratio = f"{med[(alg, name)] / med[(alg, 'jwtgate')]:.2f}×"
        print(f"| {alg} | {name} | {fmt(vals[0])} | {fmt(statistics.median(vals))} | {fmt(vals[-1])} | {ratio} |")


if __name__ == "__main__":
    main(sys.argv[1])
