"""Jobs for the tests, generated set-based.

Every stream's snapshots grow with (created_at, id), and inputs only move
from pending to finished: counters only grow, which is what lets the load
test say a trace may never go backwards. (A retried input that restarts from
0 legitimately lowers a trace; the workload never does that.)
"""

# Kinds whose byte order differs from other orders people assume
# (upper case first, a non-ASCII kind last).
KINDS = ["Zeta", "embedding", "inference", "\u00fcnicode"]


def create_job(cur, job_id, tenant, status="running", inputs=0, finished_inputs=0,
               seed_rows=0, kinds=KINDS, age="20 minutes", finished_at_sql="NULL"):
    """A job started `age` ago with `inputs` inputs in0..in<N-1>; the first
    `finished_inputs` already finished (every tenth failed); `seed_rows`
    progress rows spread over the past, cycling through inputs and kinds,
    plus job-level rows (input_id null). Returns nothing; the caller reads
    the state back."""
    cur.execute(
        "INSERT INTO jobs.jobs (id, tenant_id, status, created_at, started_at, finished_at)"
        " VALUES (%s, %s, %s, now() - %s::interval - interval '1 minute', now() - %s::interval, "
        + finished_at_sql + ")", (job_id, tenant, status, age, age))
    cur.execute(
        "INSERT INTO jobs.job_inputs (job_id, id, status, completed_at)"
        " SELECT %s, 'in' || g,"
        "   CASE WHEN g >= %s THEN 'pending' WHEN g %% 10 = 9 THEN 'failed' ELSE 'completed' END,"
        "   CASE WHEN g >= %s THEN NULL ELSE now() - %s::interval * (1 - g / (2.0 * %s)) END"
        " FROM generate_series(0, %s - 1) g",
        (job_id, finished_inputs, finished_inputs, age, max(finished_inputs, 1), inputs))
    if seed_rows:
        add_progress(cur, job_id, seed_rows, inputs, kinds, age)


def add_progress(cur, job_id, rows, inputs, kinds, age, first_row=0, chunk=500000):
    """`rows` snapshots: row g belongs to stream (input g % (inputs+1), kind
    g / (inputs+1) % K), where input number `inputs` stands for the
    job-level stream; its r-th snapshot (r = g / ((inputs+1) * K)) is at
    now() - age + r * age / R (R snapshots per stream, spread evenly over
    the past `age`) with success 3r and failed r/10. Inserted in chunks to
    keep the statement's trigger queue modest."""
    streams = (inputs + 1) * len(kinds)
    per_stream = -(-(first_row + rows) // streams) + 1
    for lo in range(first_row, first_row + rows, chunk):
        hi = min(lo + chunk, first_row + rows)
        cur.execute(
            "INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics)"
            " SELECT %(job)s,"
            "   CASE WHEN g %% (%(inputs)s + 1) = %(inputs)s THEN NULL"
            "        ELSE 'in' || (g %% (%(inputs)s + 1)) END,"
            "   (%(kinds)s::text[])[1 + (g / (%(inputs)s + 1)) %% %(k)s],"
            "   now() - %(age)s::interval + (g / %(streams)s) * (%(age)s::interval / %(per)s),"
            "   jsonb_build_object('success', 3 * (g / %(streams)s), 'failed', g / %(streams)s / 10,"
            "                      'note', 'seed')"
            " FROM generate_series(%(lo)s, %(hi)s - 1) g",
            {"job": job_id, "inputs": inputs, "kinds": list(kinds), "k": len(kinds),
             "age": age, "streams": streams, "per": per_stream, "lo": lo, "hi": hi})


def stream_state(cur, job_id):
    """{(input_id, kind): (success, failed)}: each stream's latest snapshot."""
    cur.execute(
        "SELECT DISTINCT ON (input_id, kind) input_id, kind, success, failed"
        " FROM jobs.job_progress WHERE job_id = %s"
        " ORDER BY input_id, kind, created_at DESC, id DESC", (job_id,))
    return {(i, k): (s, f) for i, k, s, f in cur.fetchall()}


def open_inputs(cur, job_id):
    cur.execute("SELECT id FROM jobs.job_inputs WHERE job_id = %s AND status = 'pending'"
                " ORDER BY id", (job_id,))
    return [r[0] for r in cur.fetchall()]


def finished_counts(cur, job_id):
    cur.execute("SELECT count(*) FILTER (WHERE status = 'completed'),"
                " count(*) FILTER (WHERE status = 'failed')"
                " FROM jobs.job_inputs WHERE job_id = %s", (job_id,))
    return cur.fetchone()
