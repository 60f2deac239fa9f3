"""What the timeline costs writers (issue "The write path pays"), against a
database created with CREATE EXTENSION traces VERSION '1.0' in the same
cluster, in one run:

  flock /tmp/traces-pg.lock test/load/write_budget [--rows N] [--singles N] [--seconds S]

  * one progress report and one input completion, through the write API and
    through a plain INSERT / UPDATE, each its own transaction, appended to a
    job of 20 000 rows: p50 and p99;
  * write throughput of 4 writers (report_progress, 5 rows a call) on one
    shared job and on a job each;
  * bulk load of the bench's M job (bench/generate.sql) with its progress
    rows shuffled, by INSERT ... SELECT and by COPY; then the same rows
    built by jobs.build_timelines() in the 1.1 database (the upgrade's cost
    per million rows).
Prints a Markdown table (docs/load.md, bench/RESULTS.md).
"""
import argparse
import io
import os
import random
import threading
import time

import db
from results import percentile

BENCH_SQL = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bench", "generate.sql")
# "1.1 off": 1.1 with its maintenance triggers disabled (the kinds, the
# counts and the timeline: one trigger per table and event), to tell their
# share from the rest of 1.1's write path (the validation, the lock, phase 2).
DATABASES = {"1.0": "budget_v10", "1.1 off": "budget_v11off", "1.1": "budget_v11"}
MAINTENANCE_TRIGGERS = [(t, e) for t in ("jobs.job_progress", "jobs.job_inputs")
                        for e in ("insert", "update", "delete", "truncate")]


def sql(conn, text, args=()):
    with conn.cursor() as cur:
        cur.execute(text, args or None)  # no arguments: % is not a placeholder
        return cur.fetchall() if cur.description else None


def timed(conn, text, args=()):
    t = time.perf_counter()
    sql(conn, text, args)
    return time.perf_counter() - t


def setup(version):
    admin = db.connect("budget-admin")
    sql(admin, "DROP DATABASE IF EXISTS " + DATABASES[version])
    sql(admin, "CREATE DATABASE " + DATABASES[version])
    admin.close()
    conn = connect(version)
    sql(conn, "CREATE EXTENSION traces VERSION %s", (version.split()[0],))
    if version.endswith("off"):
        for table, event in MAINTENANCE_TRIGGERS:
            sql(conn, "ALTER TABLE %s DISABLE TRIGGER maintain_%s" % (table, event))
    return conn


def connect(version):
    conn = db.psycopg2.connect("dbname=" + DATABASES[version], application_name="budget")
    conn.autocommit = True
    return conn


def prepare_singles(conn, n, seed_rows):
    """A job of seed_rows rows that single writes are appended to."""
    sql(conn, "INSERT INTO jobs.jobs (id, tenant_id, status, created_at, started_at)"
              " VALUES ('single', 't', 'running', now() - interval '1 day', now() - interval '1 day')")
    sql(conn, "SELECT jobs.add_inputs('single', ARRAY(SELECT 'in' || g FROM generate_series(0, 4 * %s) g))", (n,))
    sql(conn, "INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics)"
              " SELECT 'single', 'in' || (g %% 100), 'k' || (g %% 3), now() - interval '1 day' + g * interval '1 ms',"
              " jsonb_build_object('success', g) FROM generate_series(1, %s) g", (seed_rows,))
    sql(conn, "VACUUM ANALYZE jobs.job_progress, jobs.job_inputs")


def singles(conn, n, part, parts):
    """Latencies of single writes, each its own transaction: this part's
    share of n per case (the parts of the versions are interleaved)."""
    share = n // parts
    # name: (statement, its input for warm-up call i, its input for measured call i)
    cases = {
        "report (write API)": ("SELECT jobs.report_progress(ARRAY['single'], ARRAY[%s], ARRAY['k1'],"
                               " ARRAY[clock_timestamp()], ARRAY['{\"success\": 5}'::jsonb])",
                               lambda i: i % 100, lambda i: i % 100),
        "report (INSERT)": ("INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics)"
                            " VALUES ('single', %s, 'k2', clock_timestamp(), '{\"success\": 5}')",
                            lambda i: i % 100, lambda i: i % 100),
        "finish (write API)": ("SELECT jobs.finish_input('single', %s, 'completed', clock_timestamp())",
                               lambda i: 3 * n + 50 * part + i, lambda i: share * part + i),
        "finish (UPDATE)": ("UPDATE jobs.job_inputs SET status = 'completed', completed_at = clock_timestamp()"
                            " WHERE job_id = 'single' AND id = %s", lambda i: 3 * n + 50 * (parts + part) + i,
                            lambda i: n + share * part + i),
    }
    out = {}
    for name, (text, warm, measured) in cases.items():
        for i in range(50):  # warm the session's caches
            sql(conn, text, ("in%d" % warm(i),))
        out[name] = [timed(conn, text, ("in%d" % measured(i),)) for i in range(share)]
    return out


def prepare_throughput(conn, writers=4):
    for job in ["tp_shared"] + ["tp_own_%d" % w for w in range(writers)]:
        sql(conn, "INSERT INTO jobs.jobs (id, tenant_id, status, created_at) VALUES (%s, 't', 'running', now())", (job,))
        sql(conn, "SELECT jobs.add_inputs(%s, ARRAY(SELECT 'in' || g FROM generate_series(0, 99) g))", (job,))


def throughput(version, seconds, writers=4):
    """report_progress calls of 5 rows per second: writers on one shared job, then a job each."""
    out = {}
    for shape in ("shared", "separate"):
        stop = threading.Event()
        counts = [0] * writers

        def work(w):
            c = connect(version)
            rnd = random.Random(w)
            job = "tp_shared" if shape == "shared" else "tp_own_%d" % w
            while not stop.is_set():
                inputs = ["in%d" % rnd.randrange(100) for _ in range(5)]
                sql(c, "SELECT jobs.report_progress(ARRAY[%s, %s, %s, %s, %s], %s, ARRAY['a', 'b', 'a', 'b', 'a'],"
                       " ARRAY[clock_timestamp(), clock_timestamp(), clock_timestamp(), clock_timestamp(), clock_timestamp()],"
                       " ARRAY['{\"success\": 1}', '{\"success\": 2}', '{\"success\": 3}', '{\"success\": 4}', '{\"success\": 5}']::jsonb[])",
                    [job] * 5 + [inputs])
                counts[w] += 1
            c.close()

        db.run_threads_for([threading.Thread(target=work, args=(w,)) for w in range(writers)], seconds, stop)
        out[shape] = sum(counts)
    return out


def bulk(version, rows_text, inputs_text):
    """Seconds to load the shuffled M job (inputs, then progress) by
    INSERT ... SELECT from staging tables, and by COPY: a fresh job each."""
    conn = connect(version)
    out = {}
    for how, job in (("INSERT ... SELECT", "bulk_insert"), ("COPY", "bulk_copy")):
        sql(conn, "INSERT INTO jobs.jobs (id, tenant_id, status, created_at) VALUES (%s, 't', 'running', now())", (job,))
        t = time.perf_counter()
        if how == "COPY":
            with conn.cursor() as cur:
                cur.copy_expert("COPY jobs.job_inputs (id, status, completed_at, job_id) FROM STDIN",
                                io.StringIO(inputs_text.replace("@JOB@", job)))
                cur.copy_expert("COPY jobs.job_progress (input_id, kind, created_at, metrics, job_id) FROM STDIN",
                                io.StringIO(rows_text.replace("@JOB@", job)))
        else:
            sql(conn, "INSERT INTO jobs.job_inputs (job_id, id, status, completed_at)"
                      " SELECT %s, id, status, completed_at FROM stage_inputs", (job,))
            sql(conn, "INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics)"
                      " SELECT %s, input_id, kind, created_at, metrics FROM stage_progress ORDER BY shuffle", (job,))
        out[how] = time.perf_counter() - t
    conn.close()
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--singles", type=int, default=1000)
    ap.add_argument("--seed-rows", type=int, default=20000)
    ap.add_argument("--seconds", type=float, default=12.0)
    ap.add_argument("--inputs", type=int, default=100000)
    ap.add_argument("--rows", type=int, default=500000)
    args = ap.parse_args()

    conns = {v: setup(v) for v in DATABASES}
    # The M job's rows, once, shuffled: generated in the 1.1 database, then
    # handed to both as text (COPY) and as a staging table (INSERT ... SELECT).
    src = conns["1.1"]
    with open(BENCH_SQL) as f:
        sql(src, f.read())
    sql(src, "SELECT bench.generate_job('bench_src', %s, %s, 3)", (args.inputs, args.rows))
    inputs_buf, rows_buf = io.StringIO(), io.StringIO()
    with src.cursor() as cur:
        cur.copy_expert("COPY (SELECT id, status, completed_at, '@JOB@' FROM jobs.job_inputs WHERE job_id = 'bench_src')"
                        " TO STDOUT", inputs_buf)
        cur.copy_expert("COPY (SELECT input_id, kind, created_at, metrics, '@JOB@' FROM jobs.job_progress"
                        " WHERE job_id = 'bench_src' ORDER BY md5(id::text)) TO STDOUT", rows_buf)
    sql(src, "DELETE FROM jobs.jobs WHERE id = 'bench_src'")
    for v, c in conns.items():
        sql(c, "CREATE UNLOGGED TABLE stage_inputs (id text, status text, completed_at timestamptz, job text)")
        sql(c, "CREATE UNLOGGED TABLE stage_progress (input_id text, kind text, created_at timestamptz,"
               " metrics jsonb, job text, shuffle serial)")
        with c.cursor() as cur:
            cur.copy_expert("COPY stage_inputs FROM STDIN", io.StringIO(inputs_buf.getvalue()))
            cur.copy_expert("COPY stage_progress (input_id, kind, created_at, metrics, job) FROM STDIN",
                            io.StringIO(rows_buf.getvalue()))
        sql(c, "ANALYZE stage_inputs, stage_progress")
    parts = 4
    lat = {v: {} for v in DATABASES}
    calls = {v: {"shared": 0, "separate": 0} for v in DATABASES}
    for v in DATABASES:
        prepare_singles(conns[v], args.singles, args.seed_rows)
        prepare_throughput(conns[v])
    # Interleaved, so that the machine's other load falls on every version alike.
    for part in range(parts):
        print("== single writes and throughput, part %d of %d" % (part + 1, parts), flush=True)
        for v in DATABASES:
            for name, values in singles(conns[v], args.singles, part, parts).items():
                lat[v].setdefault(name, []).extend(values)
            for shape, n in throughput(v, args.seconds / parts).items():
                calls[v][shape] += n
    bulk_s = {}
    for v in DATABASES:
        print("== %s: bulk load of the shuffled M job" % v, flush=True)
        bulk_s[v] = bulk(v, rows_buf.getvalue(), inputs_buf.getvalue())
    # The upgrade's cost: the same job built from scratch by build_timelines.
    c = connect("1.1")
    sql(c, "INSERT INTO jobs_internal.timeline_pending VALUES ('bulk_copy')")
    sql(c, "DELETE FROM jobs_internal.kind_timeline WHERE job_id = 'bulk_copy'")
    sql(c, "DELETE FROM jobs_internal.file_timeline WHERE job_id = 'bulk_copy'")
    build_s = timed(c, "SELECT * FROM jobs.build_timelines(10000000)")
    left = sql(c, "SELECT count(*) FROM jobs.jobs j CROSS JOIN LATERAL jobs.check_timeline(j.id)")[0][0]

    print()
    print("| measure | 1.0 | 1.1, maintenance off | 1.1 | 1.1 / 1.0 | maintenance's share (1.1 / 1.1 off) |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name in lat["1.0"]:
        for q in (50, 99):
            a, o, b = (percentile(sorted(lat[v][name]), q) for v in DATABASES)
            print("| %s p%d | %.3f ms | %.3f ms | %.3f ms | %.2f× | %.2f× |" % (name, q, a * 1e3, o * 1e3, b * 1e3, b / a, b / o))
    for shape in ("shared", "separate"):
        a, o, b = (calls[v][shape] / args.seconds for v in DATABASES)
        print("| 4 writers, %s job(s), report_progress calls/s (5 rows each) | %.0f | %.0f | %.0f | %.0f%% | %.0f%% |"
              % (shape, a, o, b, 100 * b / a, 100 * b / o))
    for how in ("INSERT ... SELECT", "COPY"):
        a, o, b = (bulk_s[v][how] for v in DATABASES)
        print("| bulk load, shuffled M job (%d inputs, %d rows), %s | %.1f s | %.1f s | %.1f s | %.2f× | %.2f× |"
              % (args.inputs, args.rows, how, a, o, b, b / a, b / o))
    print("| build_timelines of that job (%d rows + its finished inputs) | | | %.1f s | %.1f s per million rows | |"
          % (args.rows, build_s, build_s / (args.rows / 1e6)))
    print()
    print("check_timeline differences left in the 1.1 database: %d" % left)
    return 0 if left == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
