"""A bulk write's memory does not grow with its rows (issue 11: "bulk
writes are applied set-based per statement"). The maintenance triggers read
the statement's transition tables where they are; copying them into arrays
(as 1.1 did before the triggers were merged) took about 0.6 kB of the
backend's private memory per row: +155 MB for 200 000 rows, +445 MB for
800 000, so 5M rows passed the 1 GB cap of an array. Read from outside the
backend (/proc RssAnon), as the cancel test does.

What remains per row is PostgreSQL's own queue of the foreign keys' row
triggers (a few dozen bytes a row); the bound below allows that and refuses
anything of the size of a copy of the rows."""
import time

import db
import memory

# What the test asserts is growth: the same insert is made twice, with a
# quarter of the rows and with all of them, and the second may add at most
# this many bytes per extra row (plus SLACK for the sampler's noise). A
# fixed allowance would not do: what a statement holds whatever its rows
# (plans, caches, the work_mem of its sorts and hashes) measured 16 to 37 MB
# here depending on the path, while a copy of the rows adds 550-775 bytes a
# row (the arrays), i.e. 40+ MB more for 75 000 more rows.
MAX_BYTES_PER_ROW = 150
SLACK = 8 * 2**20


def run(results, rows=400000):
    conn = db.connect("bulk-memory")
    cur = conn.cursor()
    cur.execute("SELECT pg_backend_pid()")
    pid = cur.fetchone()[0]
    problems = []
    for job, how in (("bulk_mem_new", "a new job (its kinds' timeline from the rows alone)"),
                     ("bulk_mem_late", "late rows into a job with rows (the general statement)")):
        small = _insert(cur, pid, job + "_small", how, rows // 4)
        big = _insert(cur, pid, job, how, rows)
        if big - small > SLACK + MAX_BYTES_PER_ROW * (rows - rows // 4):
            problems.append("%s: +%d MB for %d rows, +%d MB for %d rows"
                            % (how, big >> 20, rows, small >> 20, rows // 4))
    cur.execute("SELECT count(*) FROM jobs.jobs j CROSS JOIN LATERAL jobs.check_timeline(j.id)"
                " WHERE j.id LIKE 'bulk\\_mem\\_%%'")
    diffs = cur.fetchone()[0]
    cur.execute("DELETE FROM jobs.jobs WHERE id LIKE 'bulk\\_mem\\_%%'")
    conn.close()
    results.check("bulk memory: a bulk insert's memory does not grow with its rows", problems)
    results.check("bulk memory: the bulk inserts' timelines equal their definition", diffs == 0)


def _insert(cur, pid, job, how, rows):
    """One bulk insert of `rows` rows into a new job `job` (late rows when
    `how` says so); returns the bytes of private memory it added at its peak."""
    cur.execute("INSERT INTO jobs.jobs (id, tenant_id, status, created_at)"
                " VALUES (%s, 't', 'running', now() - interval '2 days')", (job,))
    cur.execute("SELECT jobs.add_inputs(%s, ARRAY(SELECT 'in' || g FROM generate_series(0, 999) g))", (job,))
    if job.startswith("bulk_mem_late"):
        # One row per kind at the end: every bulk row below is then late.
        cur.execute("INSERT INTO jobs.job_progress (job_id, kind, created_at, metrics)"
                    " SELECT %s, 'k' || g, now() - interval '1 hour', '{\"success\": 1}'"
                    " FROM generate_series(0, 2) g", (job,))
    base = memory.proc_kb(pid, "RssAnon")
    t = time.monotonic()
    with memory.PeakSampler(pid) as sampler:
        cur.execute("INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics)"
                    " SELECT %s, 'in' || (g %% 1000), 'k' || (g %% 3),"
                    "        now() - interval '1 day' + (random() * 80000) * interval '1 s',"
                    "        jsonb_build_object('success', g)"
                    " FROM generate_series(1, %s) g", (job, rows))
    grown = (sampler.peak_kb - base) * 1024
    print("  | bulk insert of %d rows, %s: %.1f s, peak RssAnon +%d MB (%d bytes a row)"
          % (rows, how, time.monotonic() - t, grown >> 20, grown // rows))
    return grown
