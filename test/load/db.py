"""Connections and the per-request SQL PostgREST runs for a GET.

The cluster comes from libpq's environment (PGHOST, PGPORT, ... as exported
by pg_virtualenv), so the tests always talk to a throwaway server over
loopback.
"""
import json
import time

import psycopg2
import psycopg2.extensions

# SQLSTATE classes that mean the server, not the caller, failed (PostgREST
# answers 5xx for them): insufficient resources, system error, internal.
SERVER_FAULT_CLASSES = ("53", "58", "XX")


def connect(app, autocommit=True):
    conn = psycopg2.connect("", application_name=app)
    conn.autocommit = autocommit
    return conn


def connect_retrying(app, timeout_s=90.0):
    """Connects, waiting out a crash recovery in progress."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            return connect(app)
        except psycopg2.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def run_threads_for(threads, seconds, stop):
    """Starts the threads, lets them run for `seconds`, sets `stop`, joins them."""
    for t in threads:
        t.start()
    time.sleep(seconds)
    stop.set()
    for t in threads:
        t.join()


def backend_pid(conn):
    with conn.cursor() as cur:
        cur.execute("select pg_backend_pid()")
        return cur.fetchone()[0]


def scalar(conn, sql, args=()):
    with conn.cursor() as cur:
        cur.execute(sql, args)
        return cur.fetchone()[0]


# The statement PostgREST v12 builds for GET /rpc/progress_traces: the scalar
# result aggregated, and the response GUCs read after the call in the same
# statement.
_CALL_SQL = (
    "SELECT coalesce(json_agg(_t.pgrst_scalar)->0, 'null')::text,"
    " nullif(current_setting('response.headers', true), ''),"
    " nullif(current_setting('response.status', true), '')"
    " FROM (SELECT jobs.progress_traces(%s, %s) AS pgrst_scalar) _t")


class Response:
    __slots__ = ("status", "body", "etag", "headers")

    def __init__(self, status, body, etag, headers):
        self.status, self.body, self.etag, self.headers = status, body, etag, headers


def get_trace(conn, job_id, buckets, if_none_match=None):
    """One PostgREST-style request on an autocommit connection. Returns a
    Response (status 200 or 304); database errors propagate."""
    headers = {"accept": "application/json", "authorization": "Bearer load-test"}
    if if_none_match is not None:
        headers["if-none-match"] = if_none_match
    with conn.cursor() as cur:
        cur.execute(
            "BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;"
            " SELECT set_config('request.method', 'GET', true),"
            " set_config('request.path', '/rpc/progress_traces', true),"
            " set_config('request.headers', %s, true)",
            (json.dumps(headers),))
        try:
            cur.execute(_CALL_SQL, (job_id, buckets))
            body_text, headers_text, status_text = cur.fetchone()
        finally:
            cur.execute("ROLLBACK" if conn.info.transaction_status ==
                        psycopg2.extensions.TRANSACTION_STATUS_INERROR else "COMMIT")
    response_headers = {}
    for h in json.loads(headers_text or "[]"):
        response_headers.update(h)
    etag = response_headers.get("ETag")
    status = int(status_text) if status_text else 200
    # Python dicts keep the JSON key order, which the checks look at.
    return Response(status, json.loads(body_text), etag, response_headers)


def is_server_fault(sqlstate):
    return sqlstate is not None and sqlstate[:2] in SERVER_FAULT_CLASSES
