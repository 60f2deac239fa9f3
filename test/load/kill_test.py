"""Item 2, crash: a backend killed with SIGKILL while workers write. The
postmaster then ends every session and recovers from the WAL. Afterwards
the tables must be consistent (indexes and heap verified by amcheck, no
progress of unknown inputs, every transaction whole or absent, every
acknowledged commit present), the trace must equal the recount and the
timeline its definition.

Each writer transaction appends snapshots tagged with its own token and,
sometimes, finishes the input together with a final snapshot marked
"final": so a half-applied transaction would be visible.
"""
import json
import os
import random
import signal
import threading
import time

import psycopg2

import db
import fixtures
import recount
import trace_checks

INPUTS = 600
ROWS_PER_TXN = 5


def writer(job, w, writers, stop, acked, ended, lock, errors):
    rnd = random.Random(300 + w)
    try:
        conn = db.connect("crash-writer-%d" % w)
    except psycopg2.Error as e:
        errors.append("writer %d could not connect: %s" % (w, e))
        return
    cur = conn.cursor()
    mine = ["in%d" % i for i in range(INPUTS) if i % writers == w]
    counts = {}
    seq = 0
    while not stop.is_set() and mine:
        inp = rnd.choice(mine)
        seq += 1
        token = "%d-%d" % (w, seq)
        final = rnd.random() < 0.02
        rows = []
        for r in range(ROWS_PER_TXN):
            kind = fixtures.KINDS[r % len(fixtures.KINDS)]
            s, f = counts.get((inp, kind), (0, 0))
            s, f = s + rnd.randint(1, 20), f + rnd.randint(0, 1)
            counts[(inp, kind)] = (s, f)
            m = {"success": s, "failed": f, "txn": token}
            if final and r == ROWS_PER_TXN - 1:
                m["final"] = True
            rows.append((job, inp, kind, json.dumps(m)))
        try:
            cur.execute("BEGIN")
            cur.execute("INSERT INTO jobs.job_progress (job_id, input_id, kind, metrics) VALUES "
                        + ", ".join(["(%s, %s, %s, %s)"] * len(rows)), [v for r in rows for v in r])
            if final:
                cur.execute("UPDATE jobs.job_inputs SET status = 'completed', completed_at = now()"
                            " WHERE job_id = %s AND id = %s", (job, inp))
            cur.execute("COMMIT")
        except psycopg2.Error:
            with lock:
                ended.append(w)  # the crash ended this session, as expected
            return
        with lock:
            acked.append(token)
        if final:
            mine.remove(inp)


def poller(job, stop, errors):
    try:
        conn = db.connect("crash-poller")
    except psycopg2.Error as e:
        errors.append("poller could not connect: %s" % e)
        return
    while not stop.is_set():
        try:
            db.get_trace(conn, job, 100)
        except psycopg2.Error:
            return


def wait_for_server(timeout_s=120.0):
    conn = db.connect_retrying("crash-check", timeout_s)
    # Connections are accepted only once recovery has finished, but be sure.
    while db.scalar(conn, "SELECT pg_is_in_recovery()"):
        time.sleep(0.2)
    return conn


def one_crash(results, round_no, writers, write_s):
    """A fresh job per crash, so that every stream starts at 0 and grows."""
    job = "crash_job_%d" % round_no
    conn = db.connect("crash-setup")
    with conn.cursor() as cur:
        fixtures.create_job(cur, job, "tenant_crash", inputs=INPUTS)
    conn.close()
    stop, lock = threading.Event(), threading.Lock()
    acked, ended, errors = [], [], []
    threads = [threading.Thread(target=writer, args=(job, w, writers, stop, acked, ended, lock, errors))
               for w in range(writers)]
    threads.append(threading.Thread(target=poller, args=(job, stop, errors)))
    for t in threads:
        t.start()
    time.sleep(write_s)
    conn = db.connect("crash-killer")
    pids = [r[0] for r in _rows(conn, "SELECT pid FROM pg_stat_activity"
                                      " WHERE application_name LIKE 'crash-writer-%%'"
                                      " AND state <> 'idle' ORDER BY random() LIMIT 1")]
    if not pids:
        pids = [r[0] for r in _rows(conn, "SELECT pid FROM pg_stat_activity"
                                          " WHERE application_name LIKE 'crash-writer-%%' LIMIT 1")]
    conn.close()
    if pids:
        os.kill(pids[0], signal.SIGKILL)    # a backend of this test's own cluster
    t_kill = time.perf_counter()
    # The postmaster ends every session before it recovers: each writer sees
    # its connection die. Only then is a new connection sure to be after it.
    for t in threads[:writers]:
        t.join(60)
    conn = wait_for_server()
    recovery_s = time.perf_counter() - t_kill
    stop.set()
    for t in threads:
        t.join()
    print("  | crash %d: killed backend %s after %.1f s of writes; %d commits acknowledged;"
          " server back in %.1f s" % (round_no, pids[0] if pids else None, write_s, len(acked),
                                       recovery_s))
    name = "crash %d: " % round_no
    results.check(name + "a writer backend was killed and the server restarted every session",
                  errors + ([] if pids else ["no writer backend found"])
                  + ([] if len(ended) == writers else ["only %d of %d writers lost their session"
                                                       % (len(ended), writers)]))

    check_consistent(results, name, conn, job, acked)
    conn.close()


def _rows(conn, sql, args=()):
    with conn.cursor() as cur:
        cur.execute(sql, args)
        return cur.fetchall()


def check_consistent(results, name, conn, job, acked):
    cur = conn.cursor()
    # amcheck: every index of the schema against its heap, and the heaps.
    cur.execute("CREATE EXTENSION IF NOT EXISTS amcheck")
    probs = []
    cur.execute("SELECT c.oid::regclass::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname IN ('jobs', 'jobs_internal')")
    for (index,) in cur.fetchall():
        try:
            cur.execute("SELECT bt_index_check(%s::regclass, true)", (index,))
        except psycopg2.Error as e:
            probs.append("%s: %s" % (index, e))
    for table in ("jobs.jobs", "jobs.job_inputs", "jobs.job_progress"):
        cur.execute("SELECT count(*) FROM verify_heapam(%s::regclass)", (table,))
        n = cur.fetchone()[0]
        if n:
            probs.append("%s: %d heap problems" % (table, n))
    results.check(name + "indexes and heaps verify (amcheck)", probs)

    # The rules the schema promises, counted directly.
    bad = {
        "progress of unknown inputs": "SELECT count(*) FROM jobs.job_progress p WHERE p.input_id IS NOT NULL"
        " AND NOT EXISTS (SELECT 1 FROM jobs.job_inputs i WHERE i.job_id = p.job_id AND i.id = p.input_id)",
        "inputs of unknown jobs": "SELECT count(*) FROM jobs.job_inputs i"
        " WHERE NOT EXISTS (SELECT 1 FROM jobs.jobs j WHERE j.id = i.job_id)",
        "finished inputs without completed_at or the reverse": "SELECT count(*) FROM jobs.job_inputs"
        " WHERE (status IN ('completed', 'failed')) <> (completed_at IS NOT NULL)",
        "stored counters that differ from metrics": "SELECT count(*) FROM jobs.job_progress"
        " WHERE success <> coalesce((metrics->>'success')::bigint, 0)"
        " OR failed <> coalesce((metrics->>'failed')::bigint, 0)",
        "half-applied transactions": "SELECT count(*) FROM (SELECT metrics->>'txn' FROM jobs.job_progress"
        " WHERE job_id = '%s' AND metrics ? 'txn' GROUP BY 1 HAVING count(*) <> %d) x" % (job, ROWS_PER_TXN),
        "final snapshots of unfinished inputs, or the reverse": "SELECT count(*) FROM jobs.job_inputs i"
        " WHERE i.job_id = '%s' AND (i.status = 'completed') <> EXISTS (SELECT 1 FROM jobs.job_progress p"
        " WHERE p.job_id = i.job_id AND p.input_id = i.id AND p.metrics ? 'final')" % job,
    }
    probs = []
    for what, sql in bad.items():
        cur.execute(sql)
        n = cur.fetchone()[0]
        if n:
            probs.append("%d %s" % (n, what))
    results.check(name + "constraints, foreign keys and transaction atomicity hold", probs)

    cur.execute("SELECT DISTINCT metrics->>'txn' FROM jobs.job_progress WHERE job_id = %s", (job,))
    present = {r[0] for r in cur.fetchall()}
    lost = [t for t in acked if t not in present]
    results.check(name + "every acknowledged commit survived",
                  [] if not lost else ["%d acknowledged transactions missing, e.g. %s"
                                       % (len(lost), lost[:3])])

    cur.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
    cur.execute("SELECT jobs.progress_traces(%s, 100)::text", (job,))
    trace = json.loads(cur.fetchone()[0])
    probs = trace_checks.internal_problems(trace, job, 100, INPUTS)
    probs += recount.recount_problems(cur, trace)
    cur.execute("COMMIT")
    results.check(name + "the trace equals the recount", probs)

    # The timeline kept by the writers (contract §11) is whole: equal to its definition.
    cur.execute("SELECT timeline, count(*) FROM jobs.check_timeline(%s) GROUP BY 1", (job,))
    results.check(name + "the timeline equals its definition (check_timeline is empty)",
                  ["%d %s differences" % (n, t) for t, n in cur.fetchall()])

    try:
        cur.execute("INSERT INTO jobs.job_progress (job_id, kind, metrics)"
                    " VALUES (%s, 'after-crash', '{\"success\": 1}')", (job,))
        probs = []
    except psycopg2.Error as e:
        probs = [str(e)]
    results.check(name + "writes work again after recovery", probs)


def run(results, crashes, writers=3, write_s=3.0):
    print("== kill: %d crash(es), %d writers appending %d-row transactions, a backend SIGKILLed"
          % (crashes, writers, ROWS_PER_TXN))
    for k in range(1, crashes + 1):
        one_crash(results, k, writers, write_s)
