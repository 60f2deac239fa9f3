"""Item 1: writers append snapshots and finish inputs of live jobs while
pollers fetch traces the way PostgREST does, with If-None-Match.

Asserted: no errors; every 200 internally consistent and within what the
writers had committed / started; a 304 only for the tag sent, and always for
jobs nobody writes to; successive traces of a job never go backwards; after
the load, each trace equals a recount from the tables.
"""
import random
import threading
import time

import psycopg2

import db
import fixtures
import recount
import trace_checks
from accounting import Accounting, below, bound_problems
from results import figure, latency_line

MAX_PROBLEMS = 50


class Shared:
    """State the threads share: a stop flag, problems, timings."""

    def __init__(self):
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.errors = []
        self.problems = {}      # check name -> [problem]
        self.write_lat = []
        self.write_rows = 0
        self.lat = {200: [], 304: []}
        self.stale_304 = 0
        self.quiet_200 = 0

    def problem(self, check, text):
        with self.lock:
            lst = self.problems.setdefault(check, [])
            if len(lst) < MAX_PROBLEMS:
                lst.append(text)

    def error(self, who, exc):
        with self.lock:
            if len(self.errors) < MAX_PROBLEMS:
                self.errors.append("%s: %s %s" % (who, getattr(exc, "pgcode", None),
                                                  str(exc).strip().splitlines()[0]))


def writer(w, writers, jobs, streams, open_inputs, acct, sh, finish_prob, think_s):
    """Owns the inputs whose number is w modulo `writers` (and, for w = 0,
    the job-level streams), so each stream has one writer and grows."""
    rnd = random.Random(1000 + w)
    conn = db.connect("load-writer-%d" % w)
    cur = conn.cursor()
    mine = {j: [i for i in open_inputs[j] if int(i[2:]) % writers == w] for j in jobs}
    if w == 0:
        for j in jobs:
            mine[j].append(None)
    while not sh.stop.is_set():
        live = [j for j in jobs if mine[j]]
        if not live:
            break
        j = rnd.choice(live)
        inp = rnd.choice(mine[j])
        state = streams[j]
        rows, deltas, new_state = [], {}, {}
        for _ in range(rnd.randint(1, 3)):
            kind = rnd.choice(fixtures.KINDS)
            s, f = new_state.get(kind) or state.get((inp, kind), (0, 0))
            ds, df = rnd.randint(0, 40), rnd.randint(0, 2)
            new_state[kind] = (s + ds, f + df)
            d = deltas.setdefault(kind, [0, 0])
            d[0] += ds
            d[1] += df
            rows.append((j, inp, kind, '{"success": %d, "failed": %d, "worker": %d}' % (s + ds, f + df, w)))
        finished = None
        if inp is not None and rnd.random() < finish_prob:
            finished = "failed" if rnd.random() < 0.1 else "completed"
        acct.before_commit(j, deltas, finished)
        t0 = time.perf_counter()
        try:
            cur.execute("BEGIN")
            cur.execute("INSERT INTO jobs.job_progress (job_id, input_id, kind, metrics) VALUES "
                        + ", ".join(["(%s, %s, %s, %s)"] * len(rows)),
                        [v for r in rows for v in r])
            if finished:
                cur.execute("UPDATE jobs.job_inputs SET status = %s, completed_at = now()"
                            " WHERE job_id = %s AND id = %s AND status = 'pending'", (finished, j, inp))
                if cur.rowcount != 1:
                    raise RuntimeError("input %s/%s was not pending" % (j, inp))
            cur.execute("COMMIT")
        except (psycopg2.Error, RuntimeError) as e:
            sh.error("writer %d" % w, e)
            conn.rollback()
            continue
        elapsed = time.perf_counter() - t0
        acct.after_commit(j, deltas, finished)
        for kind, v in new_state.items():
            state[(inp, kind)] = v
        if finished:
            mine[j].remove(inp)
        with sh.lock:
            sh.write_lat.append(elapsed)
            sh.write_rows += len(rows)
        if think_s:
            time.sleep(rnd.uniform(0, 2 * think_s))
    conn.close()


def poller(p, jobs, quiet, inputs, buckets, acct, sh):
    rnd = random.Random(2000 + p)
    conn = db.connect("load-poller-%d" % p)
    last = {}                # job -> last 200 answer
    bare = p % 2 == 0        # half send the bare timestamp, half the ETag
    i = rnd.randrange(len(jobs))
    while not sh.stop.is_set():
        j = jobs[i % len(jobs)]
        i += 1
        prev = last.get(j)
        inm = None
        if prev is not None and prev["latest_event_at"] is not None:
            inm = prev["latest_event_at"] if bare else 'W/"%s"' % prev["latest_event_at"]
        low = acct.committed_now(j)
        t0 = time.perf_counter()
        try:
            r = db.get_trace(conn, j, buckets, inm)
        except psycopg2.Error as e:
            sh.error("poller %d" % p, e)
            continue
        elapsed = time.perf_counter() - t0
        high = acct.started_now(j)
        with sh.lock:
            sh.lat.setdefault(r.status, []).append(elapsed)
        if r.status == 304:
            if inm is None or r.body is not None or r.etag != 'W/"%s"' % prev["latest_event_at"]:
                sh.problem("304 only for the tag sent, with that ETag and no body",
                           "%s: sent %r, got ETag %r body %r" % (j, inm, r.etag, r.body))
            if below(low, prev["points"][-1]):
                with sh.lock:
                    sh.stale_304 += 1
            continue
        if r.status != 200 or r.body is None:
            sh.problem("every answer is 200 or 304", "%s: status %r body %r" % (j, r.status, r.body))
            continue
        trace = r.body
        if j in quiet and prev is not None:
            with sh.lock:
                sh.quiet_200 += 1
        want_etag = None if trace["latest_event_at"] is None else 'W/"%s"' % trace["latest_event_at"]
        if r.etag != want_etag:
            sh.problem("ETag is the trace's latest_event_at", "%s: %r vs %r" % (j, r.etag, want_etag))
        for prob in trace_checks.internal_problems(trace, j, buckets, inputs):
            sh.problem("every trace internally consistent", "%s: %s" % (j, prob))
        for prob in bound_problems(trace["points"][-1], low, high):
            sh.problem("totals between committed and started writes", "%s: %s" % (j, prob))
        if prev is not None:
            for prob in trace_checks.backwards_problems(prev, trace):
                sh.problem("successive traces never go backwards", "%s: %s" % (j, prob))
        last[j] = trace
    conn.close()


def run(results, duration_s, writers=4, pollers=4, hot_jobs=4, quiet_jobs=2, inputs=600,
        finished_inputs=60, seed_rows=40000, buckets=100, finish_prob=0.03, think_s=0.0):
    print("== load: %d writers, %d pollers, %d live jobs written + %d quiet, %d inputs and"
          " %d seeded progress rows each, %ds" % (writers, pollers, hot_jobs, quiet_jobs, inputs,
                                                 seed_rows, duration_s))
    conn = db.connect("load-setup")
    cur = conn.cursor()
    hot = ["load_hot_%d" % k for k in range(hot_jobs)]
    quiet = ["load_quiet_%d" % k for k in range(quiet_jobs)]
    acct = Accounting()
    streams, open_in = {}, {}
    for j in hot + quiet:
        fixtures.create_job(cur, j, "tenant_load", inputs=inputs, finished_inputs=finished_inputs,
                            seed_rows=seed_rows)
        streams[j] = fixtures.stream_state(cur, j)
        open_in[j] = fixtures.open_inputs(cur, j)
        items = {}
        for (_i, kind), (s, f) in streams[j].items():
            v = items.setdefault(kind, [0, 0])
            v[0] += s
            v[1] += f
        acct.seed(j, items, *fixtures.finished_counts(cur, j))
    cur.execute("ANALYZE jobs.jobs, jobs.job_inputs, jobs.job_progress")

    sh = Shared()
    threads = [threading.Thread(target=writer, args=(w, writers, hot, streams, open_in, acct, sh,
                                                     finish_prob, think_s)) for w in range(writers)]
    threads += [threading.Thread(target=poller, args=(p, hot + quiet, set(quiet), inputs, buckets,
                                                      acct, sh)) for p in range(pollers)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    time.sleep(duration_s)
    sh.stop.set()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0

    n200, n304 = len(sh.lat.get(200, [])), len(sh.lat.get(304, []))
    figure("throughput: %.1f traces/s (200), %.1f 304s/s, %.1f writes/s (%.1f progress rows/s)"
           " over %.1f s" % (n200 / elapsed, n304 / elapsed, len(sh.write_lat) / elapsed,
                             sh.write_rows / elapsed, elapsed))
    figure(latency_line("trace 200", sh.lat.get(200, [])))
    figure(latency_line("trace 304", sh.lat.get(304, [])))
    figure(latency_line("write txn", sh.write_lat))
    figure("304s that hid rows committed late with an older created_at: %d (see docs/load.md)"
           % sh.stale_304)

    results.check("load: no errors", sh.errors)
    results.check("load: the load ran (200s, 304s and writes all happened)",
                  [] if n200 and n304 and sh.write_lat else ["200=%d 304=%d writes=%d"
                                                             % (n200, n304, len(sh.write_lat))])
    for name in ("every answer is 200 or 304", "ETag is the trace's latest_event_at",
                 "304 only for the tag sent, with that ETag and no body",
                 "every trace internally consistent", "totals between committed and started writes",
                 "successive traces never go backwards"):
        results.check("load: " + name, sh.problems.get(name, []))
    results.check("load: jobs nobody writes to answer 304 once polled",
                  [] if sh.quiet_200 == 0 else ["%d full answers for unchanged jobs" % sh.quiet_200])
    final_checks(results, conn, hot + quiet, hot, buckets, inputs, acct)
    conn.close()


def final_checks(results, conn, jobs, hot, buckets, inputs, acct):
    """After the load: each live trace equals the recount and the writers'
    own totals; then, with the written jobs finished, every point of their
    traces equals the recount."""
    cur = conn.cursor()
    probs, probs_acct = [], []
    for j in jobs:
        cur.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        trace = db_trace(cur, j, buckets)
        probs += ["%s: %s" % (j, p) for p in trace_checks.internal_problems(trace, j, buckets, inputs)]
        probs += ["%s: %s" % (j, p) for p in recount.recount_problems(cur, trace, only_last=True)]
        cur.execute("COMMIT")
        done = acct.committed_now(j)
        probs_acct += ["%s: %s" % (j, p) for p in bound_problems(trace["points"][-1], done, done)]
    results.check("load: final trace of each live job equals the recount", probs)
    results.check("load: final totals equal what the writers committed", probs_acct)

    cur.execute("UPDATE jobs.jobs SET status = 'completed', finished_at = now() WHERE id = ANY(%s)",
                (hot,))
    probs = []
    for j in hot:
        trace = db_trace(cur, j, buckets)
        probs += ["%s: %s" % (j, p) for p in recount.recount_problems(cur, trace)]
    results.check("load: every point of each finished job equals the recount", probs)


def db_trace(cur, job_id, buckets):
    import json
    cur.execute("SELECT jobs.progress_traces(%s, %s)::text", (job_id, buckets))
    return json.loads(cur.fetchone()[0])
