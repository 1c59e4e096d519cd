#!/usr/bin/env python3
"""Inclusive instructions per call of one function in a callgrind output.

    python3 bench/callgrind_per_call.py CALLGRIND_OUT FUNCTION [COUNT_FUNCTION]

FUNCTION is a regular expression searched in callgrind's "file:symbol" name.
COUNT_FUNCTION, when given, supplies the call count instead (for code that
was inlined into the bench loop, e.g. aws-lc-rs's hmac::verify: its cost is
the bench loop's entry for hmac.rs, its count the calls of HMAC_Final).

Reads `callgrind_annotate --inclusive=yes --tree=caller`: each block lists the
callers of a function ("<" lines, with "(N x)" call counts) and then the
function itself ("*" line, inclusive instructions). Inlined code can give one
symbol several entries (by source file); the outermost entry, the one with the
largest inclusive count, holds the others, so that is the one used. Its call
count is the sum over its callers. Prints the integer quotient.
"""
import re
import subprocess
import sys

NUM = r"([\d,]+)"
CALLER = re.compile(NUM + r" \([^)]*\)\s+<\s.*\((" + r"[\d,]+" + r")x\)")
SELF = re.compile(NUM + r" \([^)]*\)\s+\*\s+(.*)")


def entry(text, fn, need_calls=True):
    """(inclusive, calls) of the largest entry whose name matches fn."""
    best = None  # (inclusive, calls)
    calls = 0
    for line in text.splitlines():
        line = line.strip()
        m = CALLER.match(line)
        if m:
            calls += int(m[2].replace(",", ""))
            continue
        m = SELF.match(line)
        if m:
            if re.search(fn, m[2]):
                inclusive = int(m[1].replace(",", ""))
                if (calls or not need_calls) and (best is None or inclusive > best[0]):
                    best = (inclusive, calls)
            calls = 0
            continue
        if not line:
            calls = 0
    if best is None:
        sys.exit(f"{fn} not found")
    return best


def main(path, fn, count_fn=None):
    text = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--tree=caller", path],
                          check=True, capture_output=True, text=True).stdout
    inclusive, calls = entry(text, fn, need_calls=not count_fn)
    if count_fn:
        calls = entry(text, count_fn)[1]
    print(inclusive // calls)


if __name__ == "__main__":
    main(*sys.argv[1:4])
