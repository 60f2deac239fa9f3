#!/usr/bin/env python3
"""The siblings' benchmark (docs/contract.md §12; issue: the trace's
siblings): on one generated job (L by default: 1M inputs, 5M progress rows),
in one run, the median client-side time of

  - keyset pages of 100 inputs of jobs.input_progress: the first, one in the
    middle and the last, unfiltered, with a status filter and with a port
    filter, and an offset-style page in the middle for comparison;
  - jobs.input_progress_counts (all ports, one port) and jobs.progress_summary;
  - the floor (bench/floor.sql: one plain read of the job's rows).

Each page is also run once under auto_explain, to count the index entries
its ranges read and to see that no range was read past the page (no OFFSET
scan, no sort of the job's inputs).

Run by `bench/run --siblings` (its throwaway cluster and settings). Prints a
Markdown report (also written to --out) and, last, "N passed, N failed".
"""
import argparse
import datetime
import re
import statistics
import sys

import bench
from bench import Checks, PsqlSession, fmt_ms, job_name, log

PAGE = 100
PLANS = None  # --plans: every plan explained() saw, for the record
# A keyset page may cost at most this much more than the first page of the
# same filter, and the counts and the summary at most this share of the floor.
PAGE_MAX_RATIO = 2.0
FLOOR_SHARE = 0.1

# name, SQL arguments of jobs.input_progress, the same filter in plain SQL
FILTERS = [
    ("unfiltered", "", "i.status <> 'reference'"),
    ("status failed", ", statuses => '{failed}'", "i.status = 'failed'"),
    ("port images", ", port_name => 'images'", "i.status <> 'reference' AND i.port_name = 'images'"),
]


def page_sql(job, args, after=None, offset=None):
    extra = args + (f", after => '{after}'" if after else "") + (f", p_offset => {offset}" if offset else "")
    return f"SELECT jobs.input_progress('{job}'{extra}, p_limit => {PAGE})"


def timed_sql(sql):
    return f"SELECT octet_length(({sql})::text)"


def position_id(db, job, where, pos):
    """The id of the input at 1-based position pos of the list's asc order,
    from plain SQL (contract §12.2)."""
    return db.value(
        f"SELECT i.id FROM jobs.job_inputs i WHERE i.job_id = '{job}' AND {where}"
        f" ORDER BY i.completed_at IS NULL, i.completed_at, i.id COLLATE \"C\" OFFSET {pos - 1} LIMIT 1")


def statements(db, checks, job):
    """name -> (SQL, rounds divisor); pages are checked for their content."""
    stmts = {}
    for name, args, where in FILTERS:
        total = int(db.value(f"SELECT count(*) FROM jobs.job_inputs i WHERE i.job_id = '{job}' AND {where}"))
        middle, last = max(total // 2, 1), max(total - PAGE, 1)
        pages = {"first": None, "middle": position_id(db, job, where, middle),
                 "last": position_id(db, job, where, last)}
        for which, after in pages.items():
            sql = page_sql(job, args, after)
            start = {"first": 1, "middle": middle + 1, "last": last + 1}[which]
            got = db.value(
                f"SELECT json_array_length(r -> 'items') || '|' || (r ->> 'total') || '|'"
                f" || (r -> 'items' -> 0 -> 'input' ->> 'id') FROM ({sql}) s(r)")
            want = f"{min(PAGE, total - start + 1)}|{total}|{position_id(db, job, where, start)}"
            checks.check(got == want, f"{name}, {which} page: items from position {start} of {total}"
                         f" ({got} vs {want})")
            stmts[(name, which)] = sql
        if name == "unfiltered":
            stmts[(name, "offset middle")] = page_sql(job, args, offset=middle)
            rank = db.value(f"SELECT ({page_sql(job, args, pages['middle'])}) -> 'items' -> 0 ->> 'step'")
            checks.check(rank == str(middle + 1), f"the middle page's first rank is {middle + 1} ({rank})")
    stmts[("counts", "all ports")] = f"SELECT jobs.input_progress_counts('{job}')"
    stmts[("counts", "port images")] = f"SELECT jobs.input_progress_counts('{job}', 'images')"
    stmts[("summary", "")] = f"SELECT jobs.progress_summary('{job}')"
    stmts[("floor", "")] = f"SELECT bench.floor('{job}')"
    return stmts


_ROWS = re.compile(r"\(actual rows=(\d+) loops=(\d+)\)")
_REMOVED = re.compile(r"Rows Removed by Filter: (\d+)")


def explained(db, sql):
    """The page's statement once under auto_explain (nested statements, no
    timing): the index entries its scans of job_inputs returned and removed,
    and whether it read job_inputs otherwise than by the status rank index."""
    db.run("LOAD 'auto_explain'; SET auto_explain.log_min_duration = 0;"
           " SET auto_explain.log_nested_statements = on; SET auto_explain.log_analyze = on;"
           " SET auto_explain.log_timing = off; SET auto_explain.log_level = notice;"
           " SET client_min_messages = notice")
    try:
        lines = db.run(sql)
    finally:
        db.run("SET client_min_messages = warning; SET auto_explain.log_min_duration = -1")
    # The page's own statement: the block of the EXECUTE that builds the items.
    blocks, block = [], []
    for line in lines:
        if line.startswith("NOTICE:"):
            blocks.append(block)
            block = []
        block.append(line)
    blocks.append(block)
    page = [b for b in blocks if any('string_agg(\'{"input":\'' in line for line in b)]
    if len(page) != 1:
        return None, 1
    if PLANS is not None:
        PLANS.extend([f"-- {sql}"] + page[0] + [""])
    read = other = 0
    in_range = False
    for line in page[0]:
        if "->" in line or "Scan" in line:
            in_range = "job_inputs_status_rank_idx" in line
            m = _ROWS.search(line)
            if in_range and m:
                read += int(m.group(1)) * int(m.group(2))
            if "Seq Scan on job_inputs" in line:
                other += 1
            sort = re.search(r"Sort .*actual rows=(\d+)", line)
            if sort and int(sort.group(1)) > 4 * PAGE + 1:
                other += 1
        elif in_range:
            m = _REMOVED.search(line)
            if m:
                read += int(m.group(1))
    return read, other


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", default="L", choices=sorted(bench.SIZES))
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--out", default=None)
    ap.add_argument("--settings", default="")
    ap.add_argument("--command", default="bench/run --siblings")
    ap.add_argument("--no-load", action="store_true", help="reuse the job already loaded")
    ap.add_argument("--plans", default=None, help="write the pages' executed plans to this file")
    args = ap.parse_args()
    global PLANS
    if args.plans:
        PLANS = []

    checks = Checks()
    db = PsqlSession()
    if not args.no_load:
        bench.setup(db)
    date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    log(f"generating {args.size} {bench.SIZES[args.size]}")
    d = bench.load(db, args.size, generate=not args.no_load)
    log(f"  {d}")
    job = job_name(args.size)
    stmts = statements(db, checks, job)

    plans = {}
    for key, sql in stmts.items():
        if key[0] in dict((f[0], 1) for f in FILTERS) and key[1] != "offset middle":
            plans[key] = explained(db, sql)

    times = {key: [] for key in stmts}
    slow = {("unfiltered", "offset middle"), ("floor", "")}
    for r in range(args.rounds):
        log(f"round {r + 1}")
        for key, sql in stmts.items():
            if key in slow and r >= 3:
                continue
            times[key].append(db.timed(timed_sql(sql))[0])
    db.close()
    med = {key: statistics.median(t) for key, t in times.items()}

    out = [f"Date: {date}  ", f"Machine: {bench.machine()}  ",
           f"Command: `{args.command}`, {args.size} ({d['inputs']:,} inputs, {d['rows']:,} progress rows), "
           f"{args.rounds} rounds interleaved, median (3 rounds for the floor and the offset page)  ",
           f"Settings: {args.settings}", "",
           "| call | page | median (ms) | / first page of the filter | / unfiltered first page "
           "| index entries read | / floor |",
           "|---|---|---:|---:|---:|---:|---:|"]
    floor = med[("floor", "")]
    for key in stmts:
        name, which = key
        first = med.get((name, "first"))
        ratio = f"{med[key] / first:.2f}×" if first else ""
        unf = f"{med[key] / med[('unfiltered', 'first')]:.2f}×" if first else ""
        read = str(plans[key][0]) if key in plans else ""
        share = f"{med[key] / floor:.4f}×" if name in ("counts", "summary") else ""
        out.append(f"| {name} | {which} | {fmt_ms(med[key])} | {ratio} | {unf} | {read} | {share} |")
    out.append("")
    for key, (read, other) in plans.items():
        checks.check(other == 0, f"{key[0]}, {key[1]} page: ranges of job_inputs_status_rank_idx only,"
                     " no sort past the ranges' rows")
    for name, _, _ in FILTERS:
        for which in ("middle", "last"):
            r = med[(name, which)] / med[(name, "first")]
            checks.check(r <= PAGE_MAX_RATIO, f"{name}, {which} page ≤ {PAGE_MAX_RATIO:g}× the first ({r:.2f}×)")
    for key in stmts:
        if key[0] in ("counts", "summary"):
            r = med[key] / floor
            checks.check(r <= FLOOR_SHARE, f"{key[0]} {key[1]} ≤ {FLOOR_SHARE:g} of the floor ({r:.4f}×)")
    if args.plans:
        with open(args.plans, "w") as f:
            f.write("\n".join(PLANS) + "\n")
    return checks.finish(out, args.out)


if __name__ == "__main__":
    sys.exit(main())
