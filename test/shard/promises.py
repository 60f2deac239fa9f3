"""Tests that the proxy keeps the single node's promises (issue: values
under any session setting, rights per role, the same API, the error of a
batch). suite.py imports them after its own tests of the same kind; they
use its helpers and run against the same clusters."""
import time

import psycopg2

from suite import STATE, check, connect, job_on, one, rows, test, worker

# Session settings a client may use, each a combination that changes how
# timestamps are read or written as text (the proxy's old failure mode).
SESSION_SETTINGS = [
    {"DateStyle": "SQL, DMY", "IntervalStyle": "postgres", "TimeZone": "Asia/Kolkata", "extra_float_digits": "0"},
    {"DateStyle": "German", "IntervalStyle": "sql_standard", "TimeZone": "America/New_York",
     "extra_float_digits": "-15"},
    {"DateStyle": "Postgres, MDY", "IntervalStyle": "iso_8601", "TimeZone": "Europe/Berlin",
     "extra_float_digits": "3"},
    {"DateStyle": "SQL, MDY", "IntervalStyle": "postgres_verbose", "TimeZone": "Asia/Kolkata",
     "extra_float_digits": "1"},
    {"DateStyle": "ISO, DMY", "IntervalStyle": "postgres", "TimeZone": "Pacific/Chatham",
     "extra_float_digits": "2"},
]


def session(side, settings):
    conn = connect("px", "single" if side == "single" else "proxy", "traces_worker_demo")
    for name, value in settings.items():
        rows(conn, "SELECT set_config(%s, %s, false)", (name, value))
    return conn


def write_api_calls(job_id):
    """Every write function once, with times as text the session parses
    (ambiguous by DateStyle, zone-less, or with the IST abbreviation)."""
    return [
        ("SELECT jobs.create_job(%s, %s)", (job_id, "01/02/2026 10:00:00")),
        ("SELECT jobs.add_inputs(%s, ARRAY['a', 'b'])", (job_id,)),
        ("SELECT jobs.start_job(%s, %s)", (job_id, "2026-02-01 10:30:00 IST")),
        ("SELECT jobs.report_progress(ARRAY[%s, %s, %s], ARRAY['a', 'b', NULL], ARRAY['k', 'k', 'j'], "
         "%s::timestamptz[], ARRAY['{\"success\": 2}', '{\"success\": 1, \"failed\": 1}', "
         "'{\"success\": 0.5e1}']::jsonb[])",
         (job_id, job_id, job_id, ["03/02/2026 11:00:00", "2026-02-03 11:00:00+05:30", "03/02/2026 12:00 IST"])),
        ("SELECT jobs.finish_input(%s, 'a', 'completed', %s)", (job_id, "04/02/2026 09:15:00.25")),
        ("SELECT jobs.finish_job(%s, 'failed', %s)", (job_id, "05/02/2026 08:00:00 IST")),
    ]


READS = [
    "SELECT jobs.progress_traces(%s, 7)::text",
    "SELECT string_agg(p::text, ';') FROM jobs.progress_trace_points(%s, 5) p",
    "SELECT jobs.latest_event_at(%s)::text",
]


def stored_instants(job_ids):
    """Every stored time of these jobs, as epoch seconds, on each side."""
    sql = ("SELECT j.id, extract(epoch FROM j.created_at), extract(epoch FROM j.started_at), "
           "extract(epoch FROM j.finished_at), "
           "(SELECT array_agg(extract(epoch FROM i.completed_at) ORDER BY i.id) FROM jobs.job_inputs i "
           " WHERE i.job_id = j.id), "
           "(SELECT array_agg(extract(epoch FROM p.created_at) ORDER BY p.input_id, p.kind, p.created_at) "
           " FROM jobs.job_progress p WHERE p.job_id = j.id) "
           "FROM jobs.jobs j WHERE j.id = ANY(%s) ORDER BY j.id")
    single = rows(connect("px", "single"), sql, (job_ids,))
    shards = sorted(rows(connect("s0", "traces"), sql, (job_ids,)) + rows(connect("s1", "traces"), sql, (job_ids,)))
    return single, shards


@test
def values_cross_unchanged_under_every_session_setting():
    job_ids = []
    for n, settings in enumerate(SESSION_SETTINGS):
        job_id = "job_settings_%d" % n
        job_ids.append(job_id)
        answers = {}
        for side in ("single", "px"):
            conn = session(side, settings)
            answers[side] = [one(conn, sql, args) for sql, args in write_api_calls(job_id)]
            answers[side] += [one(conn, sql, (job_id,)) for sql in READS]
            conn.close()
        check(answers["single"] == answers["px"], "under %r:\nsingle %r\nproxy  %r" % (
            settings, answers["single"], answers["px"]))
    single, shards = stored_instants(job_ids)
    check(len(single) == len(SESSION_SETTINGS) and single == shards,
          "stored instants differ:\n%r\n%r" % (single, shards))
    # And they are the instants the client meant: 1 February in DMY (not 2
    # January), in the session's zone; IST
    # read by both as PostgreSQL's abbreviation table says (+02 by default).
    first = dict((r[0], r) for r in single)
    check(first["job_settings_0"][1] == 1769920200, "DMY created_at (1 Feb, 10:00 in Kolkata): %r"
          % first["job_settings_0"][1])
    STATE["settings"] = "%d session settings x 6 write functions and 3 reads: equal" % len(SESSION_SETTINGS)


def as_role(side, role):
    """A session acting as `role` the way it reaches the database: direct
    login, or (web/anon) PostgREST's SET ROLE with a verified claim."""
    db = "single" if side == "single" else "proxy"
    if role in ("traces_web", "traces_anon"):
        conn = connect("px", db)
        rows(conn, "SET ROLE %s" % role)
        rows(conn, "SELECT set_config('request.jwt.claims', '{\"tenant_id\": \"tenant_demo\"}', false)")
        return conn
    return connect("px", db, role)


RIGHTS_ROLES = ["traces_web", "traces_anon", "traces_analytics_demo", "traces_worker_demo", "traces_worker_b",
                "traces_rights_reader"]


def rights_calls(job_id):
    """Every public function, called so that a role allowed to write
    changes nothing (each call repeats one already made)."""
    return [
        ("create_job", "SELECT jobs.create_job(%s, '2026-04-14 10:00Z')", (job_id,)),
        ("add_inputs", "SELECT jobs.add_inputs(%s, ARRAY['a'])", (job_id,)),
        ("start_job", "SELECT jobs.start_job(%s, '2026-04-14 10:01Z')", (job_id,)),
        ("report_progress", "SELECT jobs.report_progress(ARRAY[%s], ARRAY['a'], ARRAY['k'], "
                            "ARRAY['2026-04-14 10:02Z']::timestamptz[], ARRAY['{\"success\": 1}']::jsonb[])",
         (job_id,)),
        ("finish_input", "SELECT jobs.finish_input(%s, 'a', 'completed', '2026-04-14 10:03Z')", (job_id,)),
        ("finish_job", "SELECT jobs.finish_job(%s, 'completed', '2026-04-14 10:04Z')", (job_id,)),
        ("progress_traces", "SELECT jobs.progress_traces(%s, 3) IS NOT NULL", (job_id,)),
        ("progress_trace_points", "SELECT count(*) FROM jobs.progress_trace_points(%s, 3)", (job_id,)),
        ("latest_event_at", "SELECT jobs.latest_event_at(%s)::text", (job_id,)),
    ]


def outcome(conn, sql, args, read_only):
    conn.autocommit = False
    try:
        with conn.cursor() as cur:
            cur.execute("SET TRANSACTION READ ONLY" if read_only else "SET TRANSACTION READ WRITE")
            cur.execute(sql, args)
            return "ok %r" % (cur.fetchone()[0],)
    except Exception as e:  # noqa: BLE001
        return getattr(e, "pgcode", None) or repr(e)
    finally:
        conn.rollback()
        conn.autocommit = True


@test
def every_role_has_the_single_nodes_rights():
    # A role that reads tenant_demo on both sides but may write nothing
    # (SELECT only on the single node; no write_grants row on the proxy).
    for db in ("single", "proxy"):
        admin = connect("px", db)
        rows(admin, "DO $$BEGIN CREATE ROLE traces_rights_reader LOGIN; EXCEPTION WHEN duplicate_object THEN END$$")
        rows(admin, "GRANT USAGE ON SCHEMA jobs TO traces_rights_reader")
        table = "jobs.tenant_roles" if db == "single" else "jobs_proxy.tenant_roles"
        rows(admin, "INSERT INTO %s VALUES ('traces_rights_reader', 'tenant_demo', false) "
                    "ON CONFLICT DO NOTHING" % table)
        if db == "single":
            rows(admin, "GRANT SELECT ON jobs.jobs, jobs.job_inputs, jobs.job_progress TO traces_rights_reader")
    job_id = job_on("s1", "job_rights")
    for side in ("single", "px"):
        c = worker(side, "demo")
        for name, sql, args in rights_calls(job_id)[:6]:
            one(c, sql, args)
    differ, table = [], {}
    for role in RIGHTS_ROLES:
        conns = {side: as_role(side, role) for side in ("single", "px")}
        for name, sql, args in rights_calls(job_id):
            for read_only in (False, True):
                got = {side: outcome(conns[side], sql, args, read_only) for side in conns}
                table[(role, name, read_only)] = got["px"]
                if got["single"] != got["px"]:
                    differ.append((role, name, "read only" if read_only else "read write", got))
        for conn in conns.values():
            conn.close()
    check(not differ, "rights differ: %r" % differ)
    # The outcomes the issue named, spelled out.
    check(table[("traces_analytics_demo", "create_job", False)] == "42501", "analytics creates")
    check(table[("traces_analytics_demo", "report_progress", False)] == "42501", "analytics reports")
    check(table[("traces_web", "create_job", True)] == "25006", "web creates in a GET")
    check(table[("traces_worker_demo", "finish_job", True)] == "25006", "worker finishes read-only")
    check(table[("traces_worker_demo", "finish_job", False)] == "ok False", "worker repeats finish_job")
    # A READ ONLY transaction never writes on a shard, even for a new job.
    fresh = job_on("s0", "job_rights_ro")
    worker_px = as_role("px", "traces_worker_demo")
    check(outcome(worker_px, "SELECT jobs.create_job(%s)", (fresh,), True) == "25006", "read-only create")
    check(one(connect("s0", "traces"), "SELECT count(*) FROM jobs.jobs WHERE id = %s", (fresh,)) == 0,
          "a read-only transaction wrote on the shard")
    STATE["rights"] = "%d roles x %d functions x (read write, read only): equal" % (
        len(RIGHTS_ROLES), len(rights_calls(job_id)))


# The public API is schema jobs, on both sides (docs/contract.md §8).
# Each function with its comment (PostgREST's OpenAPI, psql's \df+). The
# timeline's operator functions are not API: they maintain one node's own
# tables, so an operator runs them on each shard (docs/sharding.md).
CATALOG = ("SELECT p.proname::text, pg_get_function_arguments(p.oid), pg_get_function_result(p.oid), "
           "obj_description(p.oid, 'pg_proc') "
           "FROM pg_proc p WHERE p.pronamespace = 'jobs'::regnamespace "
           "AND p.proname NOT IN ('build_timelines', 'check_timeline', 'rebuild_timeline') ORDER BY 1, 2")
# The functions that carry a call (shard/generate): each says what it does.
UNCOMMENTED = ("SELECT p.oid::regprocedure::text FROM pg_proc p "
               "WHERE p.pronamespace = %s::regnamespace AND p.proname::text = ANY (%s) "
               "AND obj_description(p.oid, 'pg_proc') IS NULL")


@test
def proxy_api_catalog_equals_single_node():
    single = rows(connect("px", "single"), CATALOG)
    proxy = rows(connect("px", "proxy"), CATALOG)
    check(single == proxy, "catalogs differ:\nonly single: %r\nonly proxy: %r" % (
        [r for r in single if r not in proxy], [r for r in proxy if r not in single]))
    check(any(r[0] == "latest_event_at" for r in proxy), "latest_event_at listed")
    check(all(r[3] for r in proxy), "a public function without a comment: %r" % [r for r in proxy if not r[3]])
    carriers = [r[0] + suffix for r in proxy for suffix in ("", "_whole", "_check")]
    for node, db, schema in (("px", "proxy", "jobs_proxy"), ("s0", "traces", "jobs_shard")):
        missing = rows(connect(node, db), UNCOMMENTED, (schema, carriers))
        check(not missing, "%s: generated functions without a comment: %r" % (schema, missing))
    # Same answers from the new member, including null for null and for a
    # job the caller cannot see.
    for job_id, tenant, _ in STATE["jobs"][:8] + [(None, "demo", True), ("no_such_job", "demo", True)]:
        a = one(worker("single", tenant), "SELECT jobs.latest_event_at(%s)", (job_id,))
        b = one(worker("px", tenant), "SELECT jobs.latest_event_at(%s)", (job_id,))
        check(a == b, "latest_event_at(%r): %r vs %r" % (job_id, a, b))
    STATE["catalog"] = "%d public functions, same arguments, defaults, results and comments" % len(proxy)


BATCH = ("SELECT jobs.report_progress(%s, %s, %s, %s::timestamptz[], %s::jsonb[])")


def batch(elements):
    """report_progress arguments from (job, input, kind, created_at, metrics) tuples."""
    return tuple(list(col) for col in zip(*elements))


def full_error(conn, sql, args):
    """(sqlstate, message, detail, hint) of the error the statement raises."""
    try:
        rows(conn, sql, args)
    except psycopg2.Error as e:
        return e.pgcode, e.diag.message_primary, e.diag.message_detail, e.diag.message_hint
    raise AssertionError("no error from %s %r" % (sql, args))


@test
def batch_errors_follow_contract_7_4():
    """A batch with bad elements on both shards reports the one error the
    contract's §7.4 fixes, whichever shard answers first, exactly as a
    single node reports it (SQLSTATE, message, DETAIL, HINT), and stores
    nothing anywhere."""
    c_px, c_single = worker("px", "demo"), worker("single", "demo")
    a, b = job_on("s0", "job_e74_a"), job_on("s1", "job_e74_b")
    hidden_s0 = job_on("s0", "job_e74_h")  # tenant b's job, on s0
    for side in ("px", "single"):
        for j in (a, b):
            one(worker(side, "demo"), "SELECT jobs.create_job(%s, '2026-04-14 10:00Z')", (j,))
            one(worker(side, "demo"), "SELECT jobs.add_inputs(%s, ARRAY['in'])", (j,))
        one(worker(side, "b"), "SELECT jobs.create_job(%s, '2026-04-14 10:00Z')", (hidden_s0,))
    t, ok = "2026-04-14 10:05Z", '{"success": 1}'
    late = "10000-01-01 00:00Z"
    missing_s0, missing_s1 = job_on("s0", "job_e74_m0"), job_on("s1", "job_e74_m1")
    # (elements, what §7.4 reports: SQLSTATE and the element or the message)
    cases = [
        # phase 2 on both shards: the lowest position, whichever shard has it
        ([(a, None, "k", t, ok), (b, None, "", t, ok), (a, None, "", t, ok)], ("22023", 2)),
        ([(b, None, "k", t, ok), (a, None, "k", late, ok), (b, None, "", t, ok)], ("22008", 2)),
        ([(b, None, "k", t, ok), (b, None, "k", t, '{"failed": "x"}'), (a, None, "k", t, "[]")], ("22023", 2)),
        # phase 3: the first missing job in byte order, wherever it lives
        ([(a, None, "k", t, ok), (missing_s1, None, "k", t, ok), (missing_s0, None, "k", t, ok)],
         ("PT404", 'job "%s" not found' % min(missing_s0, missing_s1))),
        ([(a, "nope_z", "k", t, ok), (b, "nope_a", "k", t, ok)],
         ("PT404", 'input "%s" of job "%s" not found' % min(("nope_z", a), ("nope_a", b), key=lambda x: x[1]))),
        # missing jobs before missing inputs; bad values before both
        ([(a, "nope", "k", t, ok), (missing_s1, None, "k", t, ok)], ("PT404", 'job "%s" not found' % missing_s1)),
        ([(missing_s0, None, "k", t, ok), (b, None, "k", t, ok), (b, None, "", t, ok)], ("22023", 3)),
        # another tenant's job at 2 (s0), a bad value at 5 (s1): the value
        ([(b, None, "k", t, ok), (hidden_s0, None, "k", t, ok), (a, None, "k", t, ok), (b, None, "k", t, ok),
          (b, None, "k", "infinity", ok)], ("22008", 5)),
        # the same without the bad value: the hidden job, as a missing one
        ([(b, None, "k", t, ok), (hidden_s0, None, "k", t, ok), (a, None, "k", t, ok)],
         ("PT404", 'job "%s" not found' % hidden_s0)),
    ]
    before = rows(connect("s0", "traces"), "SELECT count(*) FROM jobs.job_progress"), \
        rows(connect("s1", "traces"), "SELECT count(*) FROM jobs.job_progress")
    for elements, expected in cases:
        args = batch(elements)
        got = full_error(c_px, BATCH, args)
        if isinstance(expected[1], str):
            check(got[:2] == expected, "%r: expected %r, got %r" % (elements, expected, got))
        else:
            check(got[0] == expected[0] and got[2] == "element %d of the batch" % expected[1],
                  "%r: expected %r, got %r" % (elements, expected, got))
            # The element the error is about: the message that element alone gets.
            alone = full_error(c_px, BATCH, batch([elements[expected[1] - 1]]))
            check(alone[:2] == got[:2] and alone[2] == "element 1 of the batch", "message of element %d" % expected[1])
        single = full_error(c_single, BATCH, args)
        check(single == got, "single node %r, proxy %r" % (single, got))
    after = rows(connect("s0", "traces"), "SELECT count(*) FROM jobs.job_progress"), \
        rows(connect("s1", "traces"), "SELECT count(*) FROM jobs.job_progress")
    check(before == after, "a refused batch stored rows: %r -> %r" % (before, after))
    STATE["errors_7_4"] = "%d cases, each equal to the single node's error" % len(cases)

    # What the validation round costs: a 200-element batch over both shards,
    # and the same batch confined to one shard (no round), per call.
    def timed(jobs, n=20):
        total = 0.0
        for k in range(n):
            elements = [(jobs[i % len(jobs)], None, "k", "2026-04-14 11:%02d:%02dZ" % (k, i % 60),
                         '{"success": %d}' % i) for i in range(200)]
            t0 = time.perf_counter()
            one(c_px, BATCH, batch(elements))
            total += time.perf_counter() - t0
        return total / n * 1e3
    two = timed([a, b])
    a2 = job_on("s0", "job_e74_c")
    one(c_px, "SELECT jobs.create_job(%s, '2026-04-14 10:00Z')", (a2,))
    single_shard = timed([a, a2])
    STATE["validation_cost"] = ("200-element batch: %.1f ms over two shards (validation round + write), "
                                "%.1f ms on one shard (write only)" % (two, single_shard))


@test
def batch_caps_apply_before_the_split():
    """Contract §7.5's batch caps hold for the whole batch through the
    proxy, although each shard's share of a batch over them is under them:
    the single node's error (phase 1, before visibility), nothing stored."""
    c_px, c_single = worker("px", "demo"), worker("single", "demo")
    a, b = job_on("s0", "job_cap_a"), job_on("s1", "job_cap_b")
    for side in ("px", "single"):
        for j in (a, b):
            one(worker(side, "demo"), "SELECT jobs.create_job(%s, '2026-04-14 10:00Z')", (j,))
    t = "2026-04-14 10:05Z"
    too_many = [((a, b)[i % 2], None, "k", t, '{"success": %d}' % i) for i in range(10001)]
    jobs_101 = [(job_on("s%d" % (i % 2), "job_cap_%d" % i), None, "k", t, "{}") for i in range(101)]
    at_caps = [(job_on("s%d" % (i % 2), "job_cap_%d" % i), None, "k", t, "{}") for i in range(100)]
    for elements, state in ((too_many, "22023"), (jobs_101, "22023"), (at_caps, "PT404")):
        got = full_error(c_px, BATCH, batch(elements))
        check(got[0] == state, "%d elements: expected %s, got %r" % (len(elements), state, got))
        check(full_error(c_single, BATCH, batch(elements)) == got, "single node differs: %r" % (got,))
    check(rows(connect("s0", "traces"), "SELECT count(*) FROM jobs.job_progress WHERE job_id = %s", (a,))[0][0] == 0,
          "rows stored")
    STATE["batch_caps"] = "10,001 elements and 101 jobs over two shards: the single node's 22023"


@test
def one_proxy_transaction_is_one_shard_transaction_per_call():
    """What docs/sharding.md says one transaction means through the proxy:
    in one REPEATABLE READ transaction a single node answers twice alike,
    the proxy shows a report committed in between (each call is its own
    transaction on the shard)."""
    job_id = job_on("s1", "job_one_tx")
    answers = {}
    for side in ("single", "px"):
        w = worker(side, "demo")
        one(w, "SELECT jobs.create_job(%s, '2026-04-14 10:00Z')", (job_id,))
        one(w, BATCH, batch([(job_id, None, "k", "2026-04-14 10:01Z", '{"success": 1}')]))
        reader = connect("px", "single" if side == "single" else "proxy", "traces_worker_demo")
        reader.autocommit = False
        rows(reader, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        first = one(reader, "SELECT jobs.latest_event_at(%s)", (job_id,))
        one(w, BATCH, batch([(job_id, None, "k", "2026-04-14 10:02Z", '{"success": 2}')]))
        second = one(reader, "SELECT jobs.latest_event_at(%s)", (job_id,))
        reader.rollback()
        reader.close()
        answers[side] = (first, second)
    check(answers["single"][0] == answers["single"][1], "single node: one snapshot %r" % (answers["single"],))
    check(answers["px"][0] != answers["px"][1] and answers["px"][1] == answers["single"][0].replace(minute=2),
          "proxy: the second call sees the report committed in between %r" % (answers["px"],))
