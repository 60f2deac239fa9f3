"""The timeline under concurrent writers (docs/contract.md §11.3).

Several writers on one shared job and each on a job of its own, under READ
COMMITTED and REPEATABLE READ (serialization failures, 40001, retried as a
client would), write with explicit created_at values that are often earlier
than rows already stored (late rows, backfills, restarts), finish inputs at
earlier times, and sometimes change or delete a row; each transaction holds
its rows a moment before committing, so transactions commit out of order.
Meanwhile readers compare, in one REPEATABLE READ snapshot, the stored
timeline of the shared job with its definition (EXCEPT both ways). After
the writes, jobs.check_timeline() is empty for every job.
"""
import random
import threading
import time

import psycopg2
import psycopg2.extensions

import db

INPUTS = 20
KINDS = ("infer", "embed")
SHARED = "tl_shared"

# Rows of the stored timeline that the definition lacks, and the reverse,
# for both timelines of one job: all 0 when they are equal.
_DIFF_SQL = """
SELECT (SELECT count(*) FROM (SELECT kind, created_at, id, success, failed FROM jobs_internal.kind_timeline
                              WHERE job_id = %(job)s
                              EXCEPT SELECT * FROM jobs_internal.kind_timeline_of(%(job)s)) a)
     + (SELECT count(*) FROM (SELECT * FROM jobs_internal.kind_timeline_of(%(job)s)
                              EXCEPT SELECT kind, created_at, id, success, failed FROM jobs_internal.kind_timeline
                              WHERE job_id = %(job)s) b)
     + (SELECT count(*) FROM (SELECT completed_at, input_id, completed, failed FROM jobs_internal.file_timeline
                              WHERE job_id = %(job)s
                              EXCEPT SELECT * FROM jobs_internal.file_timeline_of(%(job)s)) c)
     + (SELECT count(*) FROM (SELECT * FROM jobs_internal.file_timeline_of(%(job)s)
                              EXCEPT SELECT completed_at, input_id, completed, failed FROM jobs_internal.file_timeline
                              WHERE job_id = %(job)s) d)
"""


def _one_transaction(cur, rnd, job, isolation):
    cur.execute("BEGIN ISOLATION LEVEL " + isolation)
    rows = []
    for _ in range(rnd.randint(1, 5)):
        inp = rnd.choice([None] + ["in%d" % i for i in range(INPUTS)])
        # Seconds before now: mostly recent, sometimes far back (a backfill).
        back = rnd.choice([rnd.uniform(0, 5), rnd.uniform(0, 5), rnd.uniform(0, 600)])
        rows.append((job, inp, rnd.choice(KINDS), back,
                     '{"success": %d, "failed": %d}' % (rnd.randint(0, 50), rnd.randint(0, 3))))
    cur.execute("INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics) VALUES "
                + ", ".join(["(%s, %s, %s, now() - make_interval(secs => %s), %s)"] * len(rows)),
                [v for r in rows for v in r])
    r = rnd.random()
    if r < 0.15:
        cur.execute("UPDATE jobs.job_inputs SET status = %s, completed_at = now() - make_interval(secs => %s)"
                    " WHERE job_id = %s AND id = %s AND completed_at IS NULL",
                    (rnd.choice(["completed", "failed"]), rnd.uniform(0, 60), job, "in%d" % rnd.randrange(INPUTS)))
    elif r < 0.22:
        cur.execute("UPDATE jobs.job_progress SET metrics = jsonb_build_object('success', 7), created_at = created_at"
                    " - interval '1 second' WHERE id = (SELECT max(id) FROM jobs.job_progress WHERE job_id = %s)", (job,))
    elif r < 0.27:
        cur.execute("DELETE FROM jobs.job_progress WHERE id = (SELECT min(id) FROM jobs.job_progress"
                    " WHERE job_id = %s AND id > (SELECT max(id) - 20 FROM jobs.job_progress WHERE job_id = %s))",
                    (job, job))
    time.sleep(rnd.uniform(0, 0.01))  # hold the lock a moment: others queue and commit out of order
    cur.execute("COMMIT")


def writer(w, stop, stats, lock, errors):
    rnd = random.Random(700 + w)
    isolation = "REPEATABLE READ" if w % 2 else "READ COMMITTED"
    cur = db.connect("timeline-writer-%d" % w).cursor()
    commits = retries = 0
    while not stop.is_set():
        job = SHARED if rnd.random() < 0.7 else "tl_own_%d" % w
        for _attempt in range(50):
            try:
                _one_transaction(cur, rnd, job, isolation)
                commits += 1
                break
            except psycopg2.Error as e:
                cur.execute("ROLLBACK")
                if e.pgcode not in ("40001", "40P01"):
                    errors.append("writer %d (%s): %s %s" % (w, isolation, e.pgcode, e))
                    return
                retries += 1
    with lock:
        stats["commits"] += commits
        stats["retries_" + isolation] += retries


def reader(r, stop, stats, lock, errors):
    conn = db.connect("timeline-reader-%d" % r)
    cur = conn.cursor()
    checks = 0
    while not stop.is_set():
        cur.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        cur.execute(_DIFF_SQL, {"job": SHARED})
        n = cur.fetchone()[0]
        cur.execute("COMMIT")
        checks += 1
        if n:
            errors.append("reader %d: %d rows of the stored timeline differ from the definition in one snapshot" % (r, n))
            return
    with lock:
        stats["reader_checks"] += checks


def run(results, writers=4, readers=2, duration_s=10.0):
    print("== timeline: %d writers (READ COMMITTED and REPEATABLE READ) on one shared job and their own,"
          " late rows, out-of-order commits; %d readers comparing in one snapshot" % (writers, readers))
    conn = db.connect("timeline-setup")
    cur = conn.cursor()
    for job in [SHARED] + ["tl_own_%d" % w for w in range(writers)]:
        cur.execute("INSERT INTO jobs.jobs (id, tenant_id, status, created_at, started_at)"
                    " VALUES (%s, 'tenant_timeline', 'running', now() - interval '1 hour', now() - interval '1 hour')",
                    (job,))
        cur.execute("SELECT jobs.add_inputs(%s, ARRAY(SELECT 'in' || i FROM generate_series(0, %s) i))",
                    (job, INPUTS - 1))
    stop, lock = threading.Event(), threading.Lock()
    stats = {"commits": 0, "retries_READ COMMITTED": 0, "retries_REPEATABLE READ": 0, "reader_checks": 0}
    errors = []
    threads = ([threading.Thread(target=writer, args=(w, stop, stats, lock, errors)) for w in range(writers)]
               + [threading.Thread(target=reader, args=(r, stop, stats, lock, errors)) for r in range(readers)])
    db.run_threads_for(threads, duration_s, stop)
    print("  | %d commits, %d retries under READ COMMITTED, %d under REPEATABLE READ (40001);"
          " %d snapshot comparisons by readers"
          % (stats["commits"], stats["retries_READ COMMITTED"], stats["retries_REPEATABLE READ"],
             stats["reader_checks"]))
    results.check("timeline: concurrent writers commit, retrying only 40001", errors
                  + ([] if stats["commits"] > 0 else ["no commit"])
                  + ([] if stats["reader_checks"] > 0 else ["no reader check"]))
    cur.execute("SELECT j.id, c.timeline, count(*) FROM jobs.jobs j CROSS JOIN LATERAL jobs.check_timeline(j.id) c"
                " WHERE j.id LIKE 'tl\\_%%' GROUP BY 1, 2")
    diffs = ["%s: %d %s differences" % (j, n, t) for j, t, n in cur.fetchall()]
    results.check("timeline: after the writes, check_timeline is empty for every job", diffs)
    cur.execute("SELECT count(*) FROM jobs.job_progress WHERE job_id LIKE 'tl\\_%%'")
    print("  | %d progress rows in the timeline jobs" % cur.fetchone()[0])
    conn.close()
