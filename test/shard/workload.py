"""A deterministic stream of write-API calls for the differential test.

The same calls, in the same order, go to the single-node reference and to
the proxy; each call is (role, sql, params) with SQL that reads the same on
both sides (the proxy exposes the single node's function signatures). It
covers what the trace distinguishes: jobs never started, reference and
failed inputs, several kinds, job-level streams, snapshots that restart
from 0, identical re-sends, events after the job's end, batches mixing
jobs of both tenants (hence of every shard), and running jobs.
"""
import datetime as dt
import random

T0 = dt.datetime(2026, 4, 14, 10, 0, tzinfo=dt.timezone.utc)
KINDS = ["inference", "embedding", "ocr", "Zeta", "é-kind"]
TENANT_ROLE = {"demo": "traces_worker_demo", "b": "traces_worker_b"}


def _ts(seconds):
    return T0 + dt.timedelta(seconds=seconds)


def generate(seed=20260414, jobs=28, batch=40):
    rnd = random.Random(seed)
    setup, progress, finishes, ends = [], [], [], []
    job_list = []  # (job_id, tenant, terminal)
    for j in range(jobs):
        job_id = "job_%02d_%s" % (j, "".join(rnd.choice("0123456789abcdef") for _ in range(6)))
        tenant = "b" if rnd.random() < 0.3 else "demo"
        role = TENANT_ROLE[tenant]
        created = rnd.randint(0, 600) + rnd.choice([0, 0, 0.25, 0.5])
        setup.append((role, "SELECT jobs.create_job(%s, %s)", (job_id, _ts(created))))
        started = None
        if rnd.random() < 0.85:
            started = created + rnd.randint(0, 90)
            setup.append((role, "SELECT jobs.start_job(%s, %s)", (job_id, _ts(started))))
        begin = started if started is not None else created
        inputs = ["in_%02d" % i for i in range(rnd.randint(0, 6))]
        if inputs:
            setup.append((role, "SELECT jobs.add_inputs(%s, %s)", (job_id, inputs)))
        refs = ["ref_%d" % i for i in range(rnd.randint(0, 2))]
        if refs:
            setup.append((role, "SELECT jobs.add_inputs(%s, %s, 'reference')", (job_id, refs)))
        last = begin
        streams = [(i, k) for i in inputs for k in rnd.sample(KINDS, rnd.randint(1, 2))]
        if rnd.random() < 0.4:
            streams.append((None, rnd.choice(KINDS)))
        for input_id, kind in streams:
            t, ok, bad = begin + rnd.randint(-30, 60), 0, 0
            for _ in range(rnd.randint(1, 6)):
                t += rnd.randint(0, 120) + rnd.choice([0, 0.125, 0.5])
                if rnd.random() < 0.1:
                    ok, bad = 0, 0  # the input was retried: the stream restarts
                ok += rnd.randint(0, 50)
                bad += rnd.randint(0, 3) if rnd.random() < 0.3 else 0
                metrics = '{"success": %d, "failed": %d}' % (ok, bad)
                if rnd.random() < 0.15:
                    metrics = '{"success": %d, "note": "x"}' % ok
                progress.append((tenant, job_id, input_id, kind, _ts(t), metrics))
                if rnd.random() < 0.15:  # the same snapshot sent again
                    progress.append((tenant, job_id, input_id, kind, _ts(t), metrics))
                last = max(last, t)
        for input_id in inputs:
            if rnd.random() < 0.7:
                status = "failed" if rnd.random() < 0.2 else "completed"
                when = last + rnd.randint(-60, 60)
                finishes.append((role, "SELECT jobs.finish_input(%s, %s, %s, %s)",
                                 (job_id, input_id, status, _ts(when))))
                last = max(last, when)
        terminal = rnd.random() < 0.8
        if terminal:
            status = rnd.choice(["completed", "completed", "failed", "cancelled"])
            # Sometimes before the last event: later events count at the end.
            when = max(created, last + rnd.randint(-100, 200))
            ends.append((role, "SELECT jobs.finish_job(%s, %s, %s)", (job_id, status, _ts(when))))
        job_list.append((job_id, tenant, terminal))

    rnd.shuffle(progress)
    calls = list(setup)
    for tenant in TENANT_ROLE:
        rows = [p for p in progress if p[0] == tenant]
        for i in range(0, len(rows), batch):
            chunk = rows[i:i + batch]
            calls.append((TENANT_ROLE[tenant],
                          "SELECT jobs.report_progress(%s, %s, %s, %s::timestamptz[], %s::jsonb[])",
                          ([c[1] for c in chunk], [c[2] for c in chunk], [c[3] for c in chunk],
                           [c[4] for c in chunk], [c[5] for c in chunk])))
    calls += finishes + ends
    return job_list, calls
