"""Item 2, cancels: a trace of a multi-million-row job cancelled mid-way,
again and again, by statement_timeout and by pg_cancel_backend from another
session. The backend must survive, its memory return to what it was, and
the next call answer exactly as before.

The C++ trace lives in a memory context of its own under the calling
context and goes with it; with 32 kinds and 1000 buckets it holds about
1.5 MB, so a trace leaked per cancel would show in RssAnon.
"""
import json
import random
import threading
import time

import psycopg2
import psycopg2.errors

import db
import fixtures
import memory
import recount
from results import figure

KINDS = ["k%02d" % i for i in range(32)]
BUCKETS = 1000
JOB = "cancel_big"
# Growth of the backend's private memory allowed after all the cancels: far
# below what the leaked traces would hold (about 1 MB each).
RSS_TOLERANCE_KB = 3 * 1024
CONTEXT_TOLERANCE_BYTES = 64 * 1024


def make_big_job(rows):
    conn = db.connect("cancel-setup")
    cur = conn.cursor()
    t0 = time.perf_counter()
    fixtures.create_job(cur, JOB, "tenant_big", status="completed", inputs=2000,
                        finished_inputs=2000, kinds=KINDS, age="6 hours", finished_at_sql="now()")
    fixtures.add_progress(cur, JOB, rows, 2000, KINDS, "6 hours")
    cur.execute("VACUUM ANALYZE jobs.job_progress")
    figure("generated %d progress rows in %.1f s" % (rows, time.perf_counter() - t0))
    conn.close()


def one_cancel(cur, killer, pid, mode, delay_s):
    """Runs the trace with a cancel due after delay_s. Returns (outcome,
    seconds, peak RssAnon kB): outcome 'cancelled' or the finished text."""
    timer = None
    if mode == "timeout":
        cur.execute("SET statement_timeout = %d" % max(1, int(delay_s * 1000)))
    else:
        timer = threading.Timer(delay_s, lambda: db.scalar(killer, "SELECT pg_cancel_backend(%s)", (pid,)))
    outcome = None
    with memory.PeakSampler(pid) as sampler:
        t0 = time.perf_counter()
        if timer:
            timer.start()
        try:
            cur.execute("SELECT jobs.progress_traces(%s, %s)::text", (JOB, BUCKETS))
            outcome = cur.fetchone()[0]
        except psycopg2.errors.QueryCanceled:
            outcome = "cancelled"
        elapsed = time.perf_counter() - t0
        if timer:
            timer.join()
    if mode == "timeout":
        cur.execute("RESET statement_timeout")
    return outcome, elapsed, sampler.peak_kb


def run(results, rows, cancels):
    print("== cancel: %d cancels of a %d-row job's trace (buckets=%d, %d kinds)"
          % (cancels, rows, BUCKETS, len(KINDS)))
    make_big_job(rows)
    conn = db.connect("cancel-victim")
    killer = db.connect("cancel-killer")
    cur = conn.cursor()
    pid = db.backend_pid(conn)
    started = db.scalar(killer, "SELECT pg_postmaster_start_time()")

    times, reference = [], None
    # Complete traces first: caches, plans and the allocator's high-water
    # mark settle, so the baseline is what a session that has traced holds.
    # A leak then shows as growth after each cancel. Seven: the timeline
    # reader's kept plan is planned afresh for its first five executions and
    # then cached as a generic plan (PostgreSQL's plan cache), ~80 kB that a
    # baseline taken earlier would count as growth.
    for _ in range(7):
        t0 = time.perf_counter()
        cur.execute("SELECT jobs.progress_traces(%s, %s)::text", (JOB, BUCKETS))
        text = cur.fetchone()[0]
        times.append(time.perf_counter() - t0)
        reference = reference or text
    full_s = min(times)
    # The recount runs in the other session: the victim's memory must see
    # nothing but traces.
    with killer.cursor() as kcur:
        results.check("cancel: the big job's totals equal the recount",
                      recount.recount_problems(kcur, json.loads(reference), only_last=True))
    base_rss = memory.proc_kb(pid, "RssAnon")
    base_ctx = memory.contexts_bytes(cur)
    figure("full trace %.2f s; baseline RssAnon %d kB, memory contexts %d kB"
           % (full_s, base_rss, base_ctx // 1024))

    rnd = random.Random(7)
    landed, wrong, peaks, after_each = 0, [], [], []
    for i in range(cancels):
        mode = "timeout" if i % 2 == 0 else "pg_cancel_backend"
        outcome, elapsed, peak = one_cancel(cur, killer, pid, mode, rnd.uniform(0.2, 0.8) * full_s)
        peaks.append(peak)
        after_each.append(memory.proc_kb(pid, "RssAnon"))
        if outcome == "cancelled":
            landed += 1
        elif outcome != reference:
            wrong.append("%s: a trace that finished before its cancel differs" % mode)
    after_rss = memory.proc_kb(pid, "RssAnon")
    after_ctx = memory.contexts_bytes(cur)
    cur.execute("SELECT jobs.progress_traces(%s, %s)::text", (JOB, BUCKETS))
    next_answer = cur.fetchone()[0]
    http = db.get_trace(conn, JOB, BUCKETS)

    figure("cancels landed mid-trace: %d of %d" % (landed, cancels))
    figure("RssAnon kB: baseline %d, peak during traces %d, after each cancel %s, after %d"
           % (base_rss, max(peaks), after_each, after_rss))
    figure("memory contexts kB: baseline %d, after %d" % (base_ctx // 1024, after_ctx // 1024))

    results.check("cancel: most cancels land mid-trace (57014)",
                  [] if landed >= cancels // 2 else ["only %d of %d landed" % (landed, cancels)])
    results.check("cancel: the backend survives (same pid, no server restart)",
                  db.backend_pid(conn) == pid
                  and db.scalar(killer, "SELECT pg_postmaster_start_time()") == started)
    results.check("cancel: backend memory returns to baseline",
                  [] if after_rss - base_rss <= RSS_TOLERANCE_KB else
                  ["RssAnon grew by %d kB" % (after_rss - base_rss)])
    results.check("cancel: memory contexts return to baseline",
                  [] if after_ctx - base_ctx <= CONTEXT_TOLERANCE_BYTES else
                  ["contexts grew by %d bytes" % (after_ctx - base_ctx)])
    results.check("cancel: the next call answers exactly as before", wrong + (
        [] if next_answer == reference and http.status == 200 and
        http.body is not None else ["next answer differs"]))
    conn.close()
    killer.close()
