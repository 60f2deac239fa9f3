"""The load and fault suite: test/load/run [--short]."""
import argparse
import sys
import time

import bulk_memory_test
import cancel_test
import db
import kill_test
import load_test
import timeline_test
from results import Results


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--short", action="store_true", help="the CI variant (about 2 minutes)")
    ap.add_argument("--only", choices=["load", "cancel", "kill", "timeline", "bulk"], action="append")
    args = ap.parse_args()
    only = set(args.only or ["load", "cancel", "kill", "timeline", "bulk"])
    results = Results()
    t0 = time.monotonic()
    with db.connect("load-suite") as conn, conn.cursor() as cur:
        cur.execute("CREATE EXTENSION IF NOT EXISTS traces")
    if "load" in only:
        load_test.run(results, duration_s=10 if args.short else 60, think_s=0.002)
    if "cancel" in only:
        cancel_test.run(results, rows=600000 if args.short else 3000000,
                        cancels=8 if args.short else 16)
    if "timeline" in only:
        timeline_test.run(results, duration_s=8 if args.short else 40)
    if "bulk" in only:
        bulk_memory_test.run(results, rows=100000 if args.short else 400000)
    if "kill" in only:
        kill_test.run(results, crashes=1 if args.short else 3)
    print("(%.0f s)" % (time.monotonic() - t0))
    print("%d passed, %d failed" % (results.passed, results.failed))
    return 1 if results.failed else 0


if __name__ == "__main__":
    sys.exit(main())
