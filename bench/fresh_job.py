#!/usr/bin/env python3
"""A trace of a fresh job on tables the planner knows nothing about.

Run by bench/fresh_job in a throwaway cluster with autovacuum off: loads one
job of 40,000 progress rows (bench/generate.sql) into a fresh database and
runs no VACUUM or ANALYZE, so every table of the job, the timeline's
included, is read without statistics. Then times traces of it under both
read paths (contract §11.7). The timeline reader's probes are made on the
indexes directly, never planned, so they cost the same with or without
statistics: an earlier reader whose probes were planned read and sorted
every row of the key here, 1.5 s a trace. Fails when a timeline trace's
median passes --limit-ms, or when the two paths' answers differ.

    fresh_job.py [--rows N] [--rounds N] [--limit-ms N]
"""
import argparse
import os
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from psql_session import PsqlSession  # noqa: E402

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=40000)
    ap.add_argument("--rounds", type=int, default=21)
    ap.add_argument("--limit-ms", type=float, default=100.0)
    args = ap.parse_args()
    db = PsqlSession()
    db.run("CREATE EXTENSION IF NOT EXISTS traces")
    db.run(f"\\i {os.path.join(BENCH_DIR, 'generate.sql')}")
    db.run(f"SELECT bench.generate_job('job_fresh', {args.rows // 5}, {args.rows}, 3)")
    analyzed = db.value(
        "SELECT count(*) FROM pg_stat_user_tables WHERE schemaname IN ('jobs', 'jobs_internal')"
        " AND (last_analyze IS NOT NULL OR last_autoanalyze IS NOT NULL"
        "      OR last_vacuum IS NOT NULL OR last_autovacuum IS NOT NULL)")
    stats = db.value("SELECT count(*) FROM pg_stats WHERE schemaname IN ('jobs', 'jobs_internal')")
    print(f"job_fresh: {args.rows} progress rows; tables vacuumed or analyzed: {analyzed};"
          f" pg_stats rows: {stats}")
    failed = 0
    answers = {}
    for buckets in (100, 1000):
        medians = {}
        for path in ("timeline", "scan"):
            db.run(f"SET traces.read_path = {path}")
            times = []
            for _ in range(args.rounds):
                ms, out = db.timed(f"SELECT md5(jobs.progress_traces('job_fresh', {buckets})::text)")
                times.append(ms)
            answers[path] = out
            medians[path] = statistics.median(times)
        same = answers["timeline"] == answers["scan"]
        ok = same and medians["timeline"] <= args.limit_ms and analyzed == "0" and stats == "0"
        failed += not ok
        print(f"{'ok    ' if ok else 'FAILED'} {buckets} buckets: timeline {medians['timeline']:.1f} ms,"
              f" scan {medians['scan']:.1f} ms (medians of {args.rounds}, client side),"
              f" same answer: {same}, limit {args.limit_ms:g} ms")
    db.run("RESET traces.read_path")
    db.close()
    print(f"{2 - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
