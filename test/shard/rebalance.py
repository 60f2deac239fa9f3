"""Rebalancing: the stable layout of shard/bin/cluster-sql, and
shard/bin/move-partition moving partitions while writers run, compared
with the single node afterwards. Registered through suite.py like
promises.py, before the fault tests."""
import datetime as dt
import subprocess
import threading
import time

from suite import (BASE, PARTITIONS, PORT, ROOT, STATE, check, connect, error_of, job_on, md5_hash, one, rows,
                   test, worker)

CONNSTR = {s: "host=127.0.0.1 port=%s dbname=traces" % PORT[s] for s in ("s0", "s1")}


def layout(partitions, shards):
    out = subprocess.run([ROOT + "/shard/bin/cluster-sql", "--partitions", str(partitions), "--show"]
                         + ["shard%d" % i for i in range(shards)], check=True, capture_output=True, text=True)
    return [int(line.split()[1]) for line in out.stdout.splitlines()]


@test
def adding_a_shard_moves_only_the_partitions_it_takes():
    for partitions in (8, 16, 64):
        check(layout(partitions, 2) == [p % 2 for p in range(partitions)], "2 shards: round-robin as before")
        for shards in range(2, 6):
            old, new = layout(partitions, shards), layout(partitions, shards + 1)
            moved = [p for p in range(partitions) if old[p] != new[p]]
            check(all(new[p] == shards for p in moved), "%d->%d: a partition moved between old shards"
                  % (shards, shards + 1))
            check(len(moved) == partitions // (shards + 1), "%d->%d: moved %d" % (shards, shards + 1, len(moved)))
            counts = [new.count(s) for s in range(shards + 1)]
            check(max(counts) - min(counts) <= 1, "balanced: %r" % counts)
    STATE["layout"] = "16 partitions, 2->3 shards: %d move (round-robin moved 10)" % (
        sum(1 for a, b in zip(layout(16, 2), layout(16, 3)) if a != b))


def move(partition, src, dst, *extra):
    out = subprocess.run(
        [ROOT + "/shard/bin/move-partition", "--proxy", "host=%s port=%s dbname=proxy user=postgres" % (BASE, PORT["px"]),
         "--partitions", str(PARTITIONS), "--partition", str(partition), "--from", CONNSTR[src], "--to", CONNSTR[dst],
         "--from-admin", "host=%s port=%s dbname=traces user=postgres" % (BASE, PORT[src]),
         "--to-admin", "host=%s port=%s dbname=traces user=postgres" % (BASE, PORT[dst]), "--wait", "20"]
        + list(extra),
        capture_output=True, text=True)
    check(out.returncode == 0, "move-partition %d: %s %s" % (partition, out.stdout, out.stderr))
    return out.stdout.strip()


def writer(jobs, stop, errors, n_calls):
    """One worker's calls, each to the single node and then to the proxy,
    until told to stop: reports of growing counters, then finishes."""
    conns = {side: connect("px", "single" if side == "single" else "proxy", "traces_worker_demo")
             for side in ("single", "px")}
    t0 = dt.datetime(2026, 5, 1, 9, 0, tzinfo=dt.timezone.utc)

    def call(sql, args):
        for side in ("single", "px"):
            try:
                one(conns[side], sql, args)
            except Exception as e:  # noqa: BLE001
                errors.append("%s %s: %r" % (side, sql[:40], e))
        n_calls[0] += 1
    for j in jobs:
        call("SELECT jobs.create_job(%s, %s)", (j, t0))
        call("SELECT jobs.add_inputs(%s, ARRAY['a', 'b'])", (j,))
        call("SELECT jobs.start_job(%s, %s)", (j, t0))
    k = 0
    while not stop.is_set() or k < 5:
        k += 1
        stamp = t0 + dt.timedelta(seconds=k // 2)  # pairs share an instant: ids decide their order
        call("SELECT jobs.report_progress(%s, %s, %s, %s::timestamptz[], %s::jsonb[])",
             (jobs + jobs, ["a"] * len(jobs) + [None] * len(jobs), ["k"] * (2 * len(jobs)),
              [stamp] * (2 * len(jobs)), ['{"success": %d}' % k] * (2 * len(jobs))))
        time.sleep(0.005)
    end = t0 + dt.timedelta(hours=1)
    for j in jobs:
        call("SELECT jobs.finish_input(%s, 'a', 'completed', %s)", (j, end))
        call("SELECT jobs.finish_job(%s, 'completed', %s)", (j, end))


@test
def partitions_move_online_while_writers_run():
    # Two partitions of s0 and one of s1 (2-shard layout: p % 2), not the one
    # holding the 300 000-row job of the figures test: copying it (online,
    # through the validation triggers) would add about a minute to the suite.
    big = md5_hash(job_on("s1", "job_big")) & (PARTITIONS - 1)
    moving = [2, 4, next(p for p in (3, 5, 7) if p != big)]
    jobs_of = {}
    for p in moving + [0, 1]:
        found, i = [], 0
        while len(found) < 2:
            j = "job_move_%d_%d" % (p, i)
            if md5_hash(j) & (PARTITIONS - 1) == p:
                found.append(j)
            i += 1
        jobs_of[p] = found
    stop, errors, n_calls = threading.Event(), [], [0]
    threads = [threading.Thread(target=writer, args=(jobs_of[p], stop, errors, n_calls)) for p in jobs_of]
    for t in threads:
        t.start()
    time.sleep(0.5)
    reports = []
    try:
        for p in moving:  # away ...
            src = "s%d" % (p % 2)
            reports.append(move(p, src, "s1" if src == "s0" else "s0"))
        time.sleep(0.3)
        for p in moving:  # ... and back, so the layout the other tests assume holds again
            dst = "s%d" % (p % 2)
            reports.append(move(p, "s1" if dst == "s0" else "s0", dst))
    finally:
        stop.set()
        for t in threads:
            t.join(60)
    check(not errors, "writers saw errors: %r" % errors[:5])
    # Every trace equals the single node's; every job's rows are in the same
    # order (ids) on both sides; no id is on both shards.
    single, proxy = worker("single", "demo"), worker("px", "demo")
    order = ("SELECT input_id, kind, created_at, metrics::text FROM jobs.job_progress WHERE job_id = %s ORDER BY id")
    for job_id in [j for js in jobs_of.values() for j in js]:
        for buckets in (10, 1000):
            a = one(single, "SELECT jobs.progress_traces(%s, %s)::text", (job_id, buckets))
            b = one(proxy, "SELECT jobs.progress_traces(%s, %s)::text", (job_id, buckets))
            check(a == b, "trace of %s differs after the moves" % job_id)
        shard = "s%d" % (md5_hash(job_id) & 1)
        check(rows(connect("px", "single"), order, (job_id,)) == rows(connect(shard, "traces"), order, (job_id,)),
              "row order (ids) of %s" % job_id)
    ids = [set(r[0] for r in rows(connect(s, "traces"), "SELECT id FROM jobs.job_progress")) for s in ("s0", "s1")]
    check(not (ids[0] & ids[1]), "ids on both shards: %r" % sorted(ids[0] & ids[1])[:5])
    paused = [float(r.split("writes paused ")[1].split(" ms")[0]) for r in reports]
    STATE["moves"] = "6 moves under %d writer calls: traces and row order equal to the single node; " \
                     "writes paused %.0f-%.0f ms per move" % (n_calls[0], min(paused), max(paused))


def partition_of(job_id):
    return md5_hash(job_id) & (PARTITIONS - 1)


@test
def a_pause_longer_than_the_statement_timeout():
    """A write whose partition stays fenced longer than the proxy's
    statement_timeout gets PT503 (retry later) before the timeout, never the
    caller's 57014; and move-partition keeps its pause under --max-pause by
    lifting the fence and trying again while an old transaction holds it."""
    px = worker("px", "demo")
    job_id = job_on("s0", "job_pause")
    one(px, "SELECT jobs.create_job(%s, '2026-05-01 09:00Z')", (job_id,))
    s0 = connect("s0", "traces")
    fence = (PARTITIONS, partition_of(job_id))
    rows(s0, "INSERT INTO jobs_shard.partition_fence (partitions, partition) VALUES (%s, %s)", fence)
    try:
        t0 = time.perf_counter()
        got = error_of(px, "SELECT jobs.start_job(%s, '2026-05-01 09:01Z')", (job_id,))
        waited = time.perf_counter() - t0
    finally:
        rows(s0, "DELETE FROM jobs_shard.partition_fence WHERE (partitions, partition) = (%s, %s)", fence)
    timeout = one(px, "SELECT extract(epoch FROM current_setting('statement_timeout')::interval)")
    check(got == ("PT503", 'the shard of job "%s" is unavailable' % job_id), "fenced write: %r" % (got,))
    check(1.0 < waited < float(timeout), "answered after %.2f s (statement_timeout %s s)" % (waited, timeout))
    check(one(px, "SELECT jobs.start_job(%s, '2026-05-01 09:01Z')", (job_id,)) is True, "after the fence")

    # An old transaction on the old shard for 1.2 s; the move's pause is
    # bounded at 0.3 s: attempts lift the fence until it has ended.
    others = [j for j in ("job_pause_w%d" % i for i in range(200)) if partition_of(j) == fence[1]][:2]
    stop, errors, n_calls = threading.Event(), [], [0]
    w = threading.Thread(target=writer, args=(others, stop, errors, n_calls))
    w.start()
    old = connect("s0", "traces")
    old.autocommit = False
    rows(old, "SELECT txid_current()")
    result = {}
    mover = threading.Thread(target=lambda: result.update(
        out=move(fence[1], "s0", "s1", "--max-pause", "0.3", "--attempts", "50")))
    try:
        time.sleep(0.3)
        mover.start()
        time.sleep(1.2)
        old.rollback()
        mover.join(60)
        back = move(fence[1], "s1", "s0")
    finally:
        stop.set()
        w.join(60)
    out = result.get("out", "")
    check(out, "the bounded move did not finish")
    attempt = int(out.split("(attempt ")[1].split(")")[0])
    paused = float(out.split("writes paused ")[1].split(" ms")[0])
    check(attempt > 1, "the old transaction did not make the move try again: %s" % out)
    check(paused < 300 + 200, "paused %.0f ms with --max-pause 0.3" % paused)
    check(not errors, "writers saw errors: %r" % errors[:5])
    single, proxy = worker("single", "demo"), worker("px", "demo")
    for j in others:
        check(one(single, "SELECT jobs.progress_traces(%s, 100)::text", (j,))
              == one(proxy, "SELECT jobs.progress_traces(%s, 100)::text", (j,)), "trace of %s" % j)
    STATE["pause"] = ("fenced past the proxy's %s s statement_timeout: PT503 after %.2f s; a move held by a 1.2 s "
                      "transaction: %d attempts, writes paused %.0f ms (--max-pause 0.3 s); back: %s"
                      % (timeout, waited, attempt, paused, back.split("; ")[-2]))
