#!/usr/bin/env python3
"""Prints the differential test's failures and its last line "N passed, N failed".

    report.py RESULTS.jsonl SEED JOBS

RESULTS.jsonl holds one object per compared case (job, buckets) with
`failure` null when the extension and the reference agree. Exits 1 on any
failure or when there are no results at all.
"""
import json
import sys

SHOWN = 25  # failures printed in full; the rest are counted


def main():
    path, seed, jobs = sys.argv[1], sys.argv[2], sys.argv[3]
    try:
        with open(path, encoding="utf-8") as f:
            cases = [json.loads(line) for line in f if line.strip()]
    except (OSError, ValueError) as e:
        print("no results: %s" % e)
        cases = []
    failures = [c for c in cases if c["failure"] is not None]
    for c in failures[:SHOWN]:
        print("FAIL case %d: job %s, buckets %s, seed %s (now() was %s)\n  %s" % (
            c["case_id"], json.dumps(c["job_id"], ensure_ascii=False), c["buckets"], seed,
            c["now"], c["failure"]))
    if len(failures) > SHOWN:
        print("... and %d more failures" % (len(failures) - SHOWN))
    if failures:
        print("reproduce: test/differential/run --seed %s --jobs %s" % (seed, jobs))
    passed = len(cases) - len(failures)
    failed = len(failures) if cases else 1
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
