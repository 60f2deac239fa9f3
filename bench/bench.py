#!/usr/bin/env python3
"""The trace benchmark (see docs/benchmark.md). Runs inside a throwaway
cluster made by bench/run, which also builds and installs the extension.

  bench.py --smoke          S only, one round: does everything work, and do the
                            extension and the pure-SQL formulation agree?
  bench.py [--rounds N]     S, M and L: the extension against the best pure SQL
                            and against the floor, the 304 path, peak memory.

Prints a Markdown report (also written to --out) and, last, the checks as
"N passed, N failed".
"""
import argparse
import datetime
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from mem_sampler import PeakSampler, rss_anon_kb  # noqa: E402
from psql_session import PsqlSession  # noqa: E402

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))

# name, inputs, progress rows (3 kinds each); XL only with --xl
SIZES = {"S": (1_000, 5_000), "M": (100_000, 500_000), "L": (1_000_000, 5_000_000),
         "XL": (4_000_000, 20_000_000)}
BUCKETS = (100, 1000)
KINDS = 3
NOT_MODIFIED_RUNS = 200

EXT = "SELECT octet_length(jobs.progress_traces('{job}', {b})::text)"
# The same statement read by the scan path (docs/contract.md §11.7): the
# setting is changed around it, outside the timed statement.
SCAN_ON, SCAN_OFF = "SET traces.read_path = scan", "RESET traces.read_path"
PGBENCH_SECONDS = 30  # per path, in PGBENCH_SLICES slices alternating between the paths
PGBENCH_SLICES = 6
PURE = "SELECT octet_length(bench_sql.progress_traces('{job}', {b})::text)"
FLOOR = "SELECT bench.floor('{job}') IS NOT NULL"
CHART = "SELECT octet_length(jobs.progress_chart('{job}', {b})::text)"
# The chart reads the same trace and draws it: it may cost at most this much more
# than the trace's JSON (docs/contract.md §2.14).
CHART_MAX_RATIO = 2.0


class Checks:
    def __init__(self):
        self.passed = self.failed = 0

    def finish(self, out, path):
        """Prints the report (and writes it to path, if any), then the checks
        as the last line; the exit status."""
        text = "\n".join(out)
        print(text)
        if path:
            with open(path, "w") as f:
                f.write(text + "\n")
        print(f"{self.passed} passed, {self.failed} failed")
        return 0 if self.failed == 0 else 1

    def check(self, ok, what):
        print(f"{'ok    ' if ok else 'FAILED'} {what}", flush=True)
        if ok:
            self.passed += 1
        else:
            self.failed += 1


def log(msg):
    print(f"[{datetime.datetime.now():%H:%M:%S}] {msg}", file=sys.stderr, flush=True)


def job_name(size):
    return f"job_{size}"


def setup(db):
    db.run("CREATE EXTENSION IF NOT EXISTS traces")
    for f in ("generate.sql", "pure_sql.sql", "floor.sql"):
        db.run(f"\\i {os.path.join(BENCH_DIR, f)}")


def load(db, size, generate=True):
    inputs, progress = SIZES[size]
    job = job_name(size)
    t0 = time.monotonic()
    if generate:
        db.run(f"SELECT bench.generate_job('{job}', {inputs}, {progress}, {KINDS})")
    t1 = time.monotonic()
    t_fill = 0.0  # the triggers keep the timeline while loading (contract §11.2): in load_s
    if generate:
        db.run("VACUUM ANALYZE jobs.jobs, jobs.job_inputs, jobs.job_progress,"
               " jobs_internal.kind_timeline, jobs_internal.file_timeline")
    t2 = time.monotonic()
    # Index-only scans need the visibility map set: say so if it is not.
    visible = float(db.value(
        "SELECT round(100.0 * sum(relallvisible) / greatest(sum(relpages), 1), 1) FROM pg_class"
        " WHERE oid IN ('jobs.job_progress'::regclass, 'jobs.job_inputs'::regclass)"))
    streams = int(db.value(
        f"SELECT count(*) FROM (SELECT 1 FROM jobs.job_progress WHERE job_id = '{job}'"
        " GROUP BY input_id, kind) s"))
    rows = int(db.value(f"SELECT count(*) FROM jobs.job_progress WHERE job_id = '{job}'"))
    files = int(db.value(f"SELECT count(*) FROM jobs.job_inputs WHERE job_id = '{job}'"))
    return {"size": size, "job": job, "inputs": files, "rows": rows, "streams": streams,
            "load_s": t1 - t0, "vacuum_s": t2 - t1 - t_fill,
            "all_visible_pct": visible}


# Same trace: equal as jsonb, bucket_seconds included (numbers compare as
# decimals; both print the double's shortest digits).
SAME_TRACE = ("SELECT e = p"
              " FROM (SELECT jobs.progress_traces('{job}', {b})::jsonb AS e,"
              " bench_sql.progress_traces('{job}', {b})::jsonb AS p) s")


def check_agreement(db, checks, job, buckets):
    same = db.value(SAME_TRACE.format(job=job, b=buckets))
    checks.check(same == "t", f"extension and pure SQL agree on {job}, {buckets} buckets")


def check_read_paths(db, checks, job, buckets):
    """The timeline's answer is the scan's, byte for byte."""
    sql = f"SELECT md5(jobs.progress_traces('{job}', {buckets})::text)"
    timeline = db.value(sql)
    db.run(SCAN_ON)
    scan = db.value(sql)
    db.run(SCAN_OFF)
    checks.check(timeline == scan, f"timeline and scan give the same bytes on {job}, {buckets} buckets")


def check_not_modified(db, checks, job):
    db.run("SELECT set_config('request.headers', json_build_object('if-none-match', 'W/\"'"
           f" || bench_sql.rfc3339(jobs.latest_event_at('{job}')) || '\"')::text, false)")
    line = db.value(f"SELECT jobs.progress_traces('{job}') IS NULL, current_setting('response.status', true)")
    checks.check(line == "t|304", f"If-None-Match with the latest event answers 304 on {job} ({line})")
    db.run("RESET request.headers")


def timed_as(db, name, sql):
    """One timed statement; "scan" is the extension read by the scan path."""
    if name != "scan":
        return db.timed(sql)[0]
    db.run(SCAN_ON)
    try:
        return db.timed(sql)[0]
    finally:
        db.run(SCAN_OFF)


def time_side_by_side(db, job, buckets, rounds, pure=True):
    """Median ms of floor, extension (timeline), extension (scan) and pure
    SQL, interleaved round by round (the order rotates so no one always runs
    on the others' warm cache). Without `pure`, no pure SQL (XL)."""
    stmts = {"floor": FLOOR, "ext": EXT, "scan": EXT, "pure": PURE}
    if not pure:
        del stmts["pure"]
    times = {k: [] for k in stmts}
    for name, sql in stmts.items():  # warm-up: caches, plans, library
        timed_as(db, name, sql.format(job=job, b=buckets))
    order = list(stmts)
    for r in range(rounds):
        for name in order[r % len(order):] + order[:r % len(order)]:
            times[name].append(timed_as(db, name, stmts[name].format(job=job, b=buckets)))
        log(f"  {job} b={buckets} round {r + 1}/{rounds}: "
            + ", ".join(f"{k} {v[-1]:.1f} ms" for k, v in times.items()))
    return {k: statistics.median(v) for k, v in times.items()}, times


POLLED_RUNS = 9


def time_polled(db, job, buckets, runs=POLLED_RUNS):
    """Median ms of the trace asked again and again, as a dashboard polls it:
    one untimed call, then `runs` back to back. The interleaved rounds above
    time each trace right after the floor and the scan have read every row of
    the job; on XL (8 GB of rows and indexes, shared_buffers 2 GB) that evicts
    the timeline's pages, and what those rounds measure there is reading them
    back from the page cache, not the trace (docs/benchmark.md)."""
    db.timed(EXT.format(job=job, b=buckets))
    return statistics.median(db.timed(EXT.format(job=job, b=buckets))[0] for _ in range(runs))


def time_chart(db, job, buckets, rounds):
    """Median ms of the trace (JSON) and of its chart (SVG), interleaved as above."""
    stmts = {"trace": EXT, "chart": CHART}
    times = {k: [] for k in stmts}
    for sql in stmts.values():
        db.timed(sql.format(job=job, b=buckets))
    for r in range(rounds):
        for name in (("trace", "chart") if r % 2 == 0 else ("chart", "trace")):
            ms, _ = db.timed(stmts[name].format(job=job, b=buckets))
            times[name].append(ms)
    return {k: statistics.median(v) for k, v in times.items()}


def chart_report(chart_timings):
    out = ["### The chart against the trace (median ms, client side)", "",
           "| size | buckets | trace (JSON) | chart (SVG) | chart / trace |", "|---|---:|---:|---:|---:|"]
    for (size, b), t in chart_timings.items():
        out.append(f"| {size} | {b} | {fmt_ms(t['trace'])} | {fmt_ms(t['chart'])} | {t['chart'] / t['trace']:.2f}× |")
    return out + [""]


def pgbench_tps(job, seconds, read_path):
    """Traces per second of 4 clients asking for the job's 100-point trace
    (pgbench, 2 threads), read by `read_path`."""
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as f:
        f.write(EXT.format(job=job, b=100) + ";\n")
        script = f.name
    try:
        env = dict(os.environ, PGOPTIONS=f"-c traces.read_path={read_path}")
        out = subprocess.run(["pgbench", "-n", "-c", "4", "-j", "2", "-T", str(seconds), "-f", script],
                             env=env, capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(script)
    m = re.search(r"^tps = ([0-9.]+) \(without initial connection time\)", out, re.M)
    if not m:
        raise RuntimeError("pgbench printed no tps:\n" + out)
    return float(m.group(1))


def time_not_modified(db, job, runs):
    db.run("SELECT set_config('request.headers', json_build_object('if-none-match', 'W/\"'"
           f" || bench_sql.rfc3339(jobs.latest_event_at('{job}')) || '\"')::text, false)")
    sql = f"SELECT jobs.progress_traces('{job}') IS NULL"
    db.timed(sql)
    client = sorted(db.timed(sql)[0] for _ in range(runs))
    # Server side: the call alone, without the client round trip.
    db.run("DO $$ DECLARE t0 timestamptz := clock_timestamp(); r json; BEGIN"
           f" FOR i IN 1..{runs} LOOP r := jobs.progress_traces('{job}'); END LOOP;"
           " PERFORM set_config('bench.ms', (extract(epoch FROM clock_timestamp() - t0)"
           f" * 1000 / {runs})::text, false); END $$")
    server_ms = float(db.value("SELECT current_setting('bench.ms')"))
    db.run("RESET request.headers")
    return {"runs": runs, "median_ms": statistics.median(client), "p95_ms": client[int(0.95 * (len(client) - 1))],
            "server_mean_ms": server_ms}


def time_as_web_role(db, job, rounds):
    """The extension as PostgREST calls it: in the web role, tenant from the
    JWT claims, row-level security in force (median ms of a 200 answer at
    100 buckets, and of a 304)."""
    roles = os.path.join(BENCH_DIR, "..", "deploy", "roles.sql")
    if not os.path.exists(roles):
        return None
    db.run(f"\\i {roles}")
    latest = db.value(f"SELECT bench_sql.rfc3339(jobs.latest_event_at('{job}'))")
    db.run("SELECT set_config('request.jwt.claims', '{\"role\": \"traces_web\", \"tenant_id\": \"bench\"}', false);"
           "\nSET ROLE traces_web;")
    try:
        sql = EXT.format(job=job, b=100)
        db.timed(sql)
        full = statistics.median(db.timed(sql)[0] for _ in range(rounds))
        db.run("SELECT set_config('request.headers', json_build_object('if-none-match', "
               f"'W/\"{latest}\"')::text, false)")
        check = db.value(f"SELECT jobs.progress_traces('{job}') IS NULL")
        nm_sql = f"SELECT jobs.progress_traces('{job}') IS NULL"
        not_modified = statistics.median(db.timed(nm_sql)[0] for _ in range(NOT_MODIFIED_RUNS))
    finally:
        db.run("RESET ROLE;\nRESET request.headers;\nRESET request.jwt.claims;")
    return {"trace_ms": full, "not_modified_ms": not_modified, "is_304": check == "t"}


def peak_memory(job, buckets, what, warm_job):
    """Peak anonymous memory a trace adds to a fresh backend, in kB;
    warm_job (the smallest job loaded) warms the backend first."""
    db = PsqlSession()
    try:
        pid = int(db.value("SELECT pg_backend_pid()"))
        # Load the library, plans and catalog caches first: they are not the trace's.
        db.run(EXT.format(job=warm_job, b=buckets))
        db.run(PURE.format(job=warm_job, b=buckets))
        base = rss_anon_kb(pid)
        sql = (EXT if what == "ext" else PURE).format(job=job, b=buckets)
        with PeakSampler(pid) as s:
            db.run(sql)
        return {"base_kb": base, "peak_kb": s.peak_kb, "added_kb": s.peak_kb - base,
                "samples": s.samples}
    finally:
        db.close()


def machine():
    cpu = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem_gb = int(f.readline().split()[1]) / 1024 / 1024
    return f"{cpu}, {os.cpu_count()} cores, {mem_gb:.0f} GB RAM, {platform.system()} {platform.release()}"


def fmt_ms(ms):
    return f"{ms:.3f}" if ms < 1 else f"{ms:.1f}" if ms < 100 else f"{ms:.0f}"


def report(out, meta, loads, timings, not_modified, memory, settings, web=None):
    w = out.append
    w(f"Date: {meta['date']}  ")
    w(f"Machine: {meta['machine']}  ")
    w(f"PostgreSQL: {meta['pg']}  ")
    w(f"Command: `{meta['command']}`, {meta['rounds']} rounds (median)  ")
    w(f"Settings: {settings}")
    w("")
    w("| size | inputs | progress rows | streams | load (s) | vacuum analyze (s) | pages all-visible |")
    w("|---|---:|---:|---:|---:|---:|---:|")
    for d in loads:
        w(f"| {d['size']} | {d['inputs']:,} | {d['rows']:,} | {d['streams']:,} "
          f"| {d['load_s']:.1f} | {d['vacuum_s']:.1f} | {d['all_visible_pct']}% |")
    w("")
    w("Median client-side time per call (ms), and ratios:")
    w("")
    w("| size | buckets | floor | timeline | scan | pure SQL | scan / timeline | pure SQL / timeline | timeline / floor |")
    w("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for (size, b), (med, _) in timings.items():
        pure = med.get("pure")
        pure_ms, pure_ratio = (fmt_ms(pure), f"{pure / med['ext']:.1f}×") if pure else ("—", "—")
        w(f"| {size} | {b} | {fmt_ms(med['floor'])} | {fmt_ms(med['ext'])} | {fmt_ms(med['scan'])} "
          f"| {pure_ms} | {med['scan'] / med['ext']:.1f}× | {pure_ratio} | {med['ext'] / med['floor']:.4f}× |")
    w("")
    if not_modified:
        w("304 path (If-None-Match matches the latest event):")
        w("")
        w("| job | runs | median (client) | p95 (client) | mean (server side) |")
        w("|---|---:|---:|---:|---:|")
        for job, r in not_modified.items():
            w(f"| {job} | {r['runs']} | {r['median_ms']:.3f} ms | {r['p95_ms']:.3f} ms "
              f"| {r['server_mean_ms']:.3f} ms |")
        w("")
    if web:
        w("The extension as PostgREST calls it (role traces_web, tenant from the JWT, row-level"
          " security in force; 100 buckets; medians):")
        w("")
        w("| job | trace (ms) | 304 (ms) |")
        w("|---|---:|---:|")
        for job, r in web.items():
            w(f"| {job} | {fmt_ms(r['trace_ms'])} | {r['not_modified_ms']:.3f} |")
        w("")
    w("Peak anonymous memory a trace adds to its backend (RssAnon sampled every ~0.2 ms, minus"
      " the backend's RssAnon just before):")
    w("")
    w("| size | progress rows | streams | buckets | implementation | added (MB) | backend peak (MB) | samples |")
    w("|---|---:|---:|---:|---|---:|---:|---:|")
    rows_of = {d["size"]: d for d in loads}
    for (size, b, what), m in memory.items():
        d = rows_of[size]
        w(f"| {size} | {d['rows']:,} | {d['streams']:,} | {b} | {what} | {m['added_kb'] / 1024:.1f} "
          f"| {m['peak_kb'] / 1024:.1f} | {m['samples']} |")
    w("")


def targets(timings, not_modified, memory, tps, polled):
    """The targets of the timeline (issue: a trace costs points × kinds, not rows)."""
    lines = []

    def line(what, value, ok):
        lines.append(f"- {what}: {value} {'met' if ok else 'MISSED'}")

    med = {key: m for key, (m, _) in timings.items()}
    if ("M", 100) in med:
        m = med[("M", 100)]
        line("M: timeline ≤ 1/10 of the floor", f"{m['ext'] / m['floor']:.4f}×", m["ext"] <= m["floor"] / 10)
        line("M: timeline ≥ 50× faster than the best pure SQL", f"{m['pure'] / m['ext']:.0f}×",
             m["pure"] >= 50 * m["ext"])
        if ("M", 1000) in med:
            r = med[("M", 1000)]["ext"] / m["ext"]
            line("M: 1000 buckets ≤ 10× the 100-bucket time", f"{r:.1f}×", r <= 10)
    if ("L", 100) in med:
        l100 = med[("L", 100)]
        line("L: timeline ≤ 1/50 of the floor", f"{l100['ext'] / l100['floor']:.4f}×",
             l100["ext"] <= l100["floor"] / 50)
    for size in ("L", "XL"):
        if (size, 100) in med and ("M", 100) in med:
            r = med[(size, 100)]["ext"] / med[("M", 100)]["ext"]
            line(f"trace({size}) ≤ 1.5 × trace(M), interleaved with the floor and the scan", f"{r:.2f}×", r <= 1.5)
        if size in polled and "M" in polled:
            r = polled[size] / polled["M"]
            line(f"trace({size}) ≤ 1.5 × trace(M), polled", f"{r:.2f}×", r <= 1.5)
    if tps:
        r = tps["timeline"] / tps["scan"]
        line("pgbench, 4 clients, M trace: timeline ≥ 40× the scan's traces per second",
             f"{tps['timeline']:.0f} vs {tps['scan']:.1f} per second, {r:.0f}×", r >= 40)
    for job, r in not_modified.items():
        line(f"{job}: 304 path median < 1 ms", f"{r['median_ms']:.3f} ms", r["median_ms"] < 1)
    for (size, b, what), m in memory.items():
        if size in ("L", "XL") and b == 100 and what == "ext":
            line(f"{size}: trace peak memory < 256 MB",
                 f"{m['added_kb'] / 1024:.1f} MB added ({m['peak_kb'] / 1024:.1f} MB backend total)",
                 m["peak_kb"] < 256 * 1024)
    return lines


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--sizes", default=None, help="e.g. S,M (default S,M,L; --smoke: S)")
    ap.add_argument("--xl", action="store_true", help="also XL (20M progress rows)")
    ap.add_argument("--out", default=None)
    ap.add_argument("--settings", default="")
    ap.add_argument("--command", default="bench/run")
    ap.add_argument("--no-load", action="store_true",
                    help="reuse jobs already loaded (running against a kept cluster)")
    args = ap.parse_args()
    sizes = (args.sizes or ("S" if args.smoke else "S,M,L")).split(",")
    if args.xl and "XL" not in sizes:
        sizes.append("XL")
    rounds = 1 if args.smoke else args.rounds

    checks = Checks()
    db = PsqlSession()
    if not args.no_load:
        setup(db)
    meta = {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "machine": machine(), "pg": db.value("SHOW server_version"),
            "command": args.command, "rounds": rounds}

    loads = []
    for size in sizes:
        log(f"generating {size} {SIZES[size]}")
        d = load(db, size, generate=not args.no_load)
        loads.append(d)
        log(f"  {d}")
        checks.check(d["inputs"] == SIZES[size][0] and d["rows"] == SIZES[size][1],
                     f"{d['job']} has {SIZES[size][0]} inputs and {SIZES[size][1]} progress rows")
        checks.check(d["all_visible_pct"] >= 99, f"tables all-visible after VACUUM ({d['all_visible_pct']}%)")

    for size in sizes:
        for b in ((10, 100, 1000) if size == "S" else (100,)):
            log(f"agreement {size} b={b}")
            if size != "XL":  # the pure SQL takes a quarter of a minute there
                check_agreement(db, checks, job_name(size), b)
            check_read_paths(db, checks, job_name(size), b)
        check_not_modified(db, checks, job_name(size))

    timings = {}
    for size in sizes:
        for b in BUCKETS:
            log(f"timing {size} b={b}")
            timings[(size, b)] = time_side_by_side(db, job_name(size), b, rounds, pure=size != "XL")
    polled = {}
    if not args.smoke:
        for size in sizes:
            log(f"polled {size} b=100")
            polled[size] = time_polled(db, job_name(size), 100)

    tps, tps_runs = {}, {}
    tps_job = "M" if "M" in sizes else "S" if args.smoke else None
    if tps_job:
        # Slices alternating between the paths, each path's median: on a
        # shared machine the others' load changes from one quarter minute to
        # the next, and a path run in one block would carry it alone.
        slices = 1 if args.smoke else PGBENCH_SLICES
        seconds = 2 if args.smoke else PGBENCH_SECONDS // PGBENCH_SLICES
        runs = {"timeline": [], "scan": []}
        for i in range(slices):
            for path in (("timeline", "scan") if i % 2 == 0 else ("scan", "timeline")):
                log(f"pgbench {tps_job} {path} slice {i + 1}/{slices}")
                runs[path].append(pgbench_tps(job_name(tps_job), seconds, path))
        tps = {path: statistics.median(v) for path, v in runs.items()}
        tps_runs = runs
        checks.check(tps["timeline"] > 0 and tps["scan"] > 0, f"pgbench ran on {job_name(tps_job)} by both paths")

    chart_timings = {}
    for size in sizes:
        for b in BUCKETS:
            log(f"chart {size} b={b}")
            chart_timings[(size, b)] = t = time_chart(db, job_name(size), b, rounds)
            if not args.smoke:  # one round of S says nothing about a ratio
                checks.check(t["chart"] <= CHART_MAX_RATIO * t["trace"],
                             f"the chart of {job_name(size)} at {b} buckets costs at most "
                             f"{CHART_MAX_RATIO:g}x its trace ({t['chart'] / t['trace']:.2f}x)")

    not_modified = {}
    for size in sizes:
        if size == "L" or args.smoke:
            log(f"304 path {size}")
            not_modified[job_name(size)] = time_not_modified(
                db, job_name(size), 10 if args.smoke else NOT_MODIFIED_RUNS)
    web = {}
    for size in sizes:
        if size in ("M", "L") or args.smoke:
            log(f"web role {size}")
            r = time_as_web_role(db, job_name(size), rounds)
            if r is not None:
                web[job_name(size)] = r
                checks.check(r["is_304"], f"the web role gets its 304 on {job_name(size)}")
    db.close()

    memory = {}
    for size in sizes:
        for b in BUCKETS:
            log(f"memory {size} b={b}")
            memory[(size, b, "extension")] = peak_memory(job_name(size), b, "ext", job_name(sizes[0]))
        if not args.smoke and size != "XL":
            memory[(size, 100, "pure SQL")] = peak_memory(job_name(size), 100, "pure", job_name(sizes[0]))

    out = []
    report(out, meta, loads, timings, not_modified, memory, args.settings, web)
    out.extend(chart_report(chart_timings))
    if tps:
        out += [f"pgbench, 4 clients (2 threads), {job_name(tps_job)} at 100 buckets, "
                f"{2 if args.smoke else PGBENCH_SECONDS} s per path in {len(tps_runs['scan'])} "
                f"slice{'s' if len(tps_runs['scan']) != 1 else ''}"
                " alternating between the paths, traces per second (median of the slices; the slices):", "",
                "| timeline | scan | timeline / scan | timeline slices | scan slices |", "|---:|---:|---:|---|---|",
                f"| {tps['timeline']:.0f} | {tps['scan']:.1f} | {tps['timeline'] / tps['scan']:.0f}× "
                f"| {', '.join(f'{v:.0f}' for v in tps_runs['timeline'])} "
                f"| {', '.join(f'{v:.1f}' for v in tps_runs['scan'])} |", ""]
    if polled:
        out += [f"The trace polled: {POLLED_RUNS} traces of 100 buckets back to back after one untimed "
                "(median ms, client side; what a dashboard polling a job sees):", "",
                "| size | polled trace | interleaved trace (above) |", "|---|---:|---:|"]
        out += [f"| {size} | {fmt_ms(ms)} | {fmt_ms(timings[(size, 100)][0]['ext'])} |" for size, ms in polled.items()]
        out.append("")
    if not args.smoke:
        out.append("Targets (100 buckets unless said):")
        out.append("")
        out.extend(targets(timings, not_modified,
                           {(s, b, "ext" if w == "extension" else w): m for (s, b, w), m in memory.items()}, tps,
                           polled))
        out.append("")
    return checks.finish(out, args.out)


if __name__ == "__main__":
    sys.exit(main())
