"""A stand-in for PostgREST behind deploy/nginx.conf, for the live nginx test.

There is no PostgREST binary in Debian. This server answers
GET/HEAD /rpc/progress_traces_routed the way PostgREST does once the
function has run (status, headers, body), for the two release lines we
support, and records every request it receives so the test can see exactly
what nginx sent. What the database does for each request is tested separately, by the
pg_regress replays of PostgREST's own statements (test/deploy/postgrest_*.sql).

Per release line (docs/http.md, "What PostgREST does with each request"):
- The query string is decoded ("+" is a space) and a value that starts with
  an operator and a dot is a filter, not an argument: "eq.x" leaves the
  function without its argument (404, PGRST202), "not.x" is a 400.
- HEAD runs a statement whose body column is '' so the function never runs:
  200, no ETag, whatever the job.
- GET of a job the caller cannot see: the function raises PGRST with status
  404, so "404 Not Found" and a JSON body.
- GET with a matching If-None-Match: 304 with the function's headers;
  v13 and later add "Content-Length: 4" (the length of the body "null").
- GET otherwise: 200 with the function's ETag, Cache-Control and Vary.
- v16 adds "Vary: Accept, Prefer, Range" when the function set no Vary.
"""
import http.server
import json
import re
import threading
import urllib.parse

# job id -> latest_event_at, the jobs the stand-in's caller may see.
JOBS = {"job_2abc": "2026-04-14T10:15:00Z"}

# PostgREST's operators (ApiRequest/QueryParams.hs, pOpExpr), optionally
# negated and quantified: a value matching this is parsed as a filter.
# The routed functions and their parameters (deploy/nginx.conf).
ROUTED = {
    "/rpc/progress_traces_routed": {"slash_job_id", "buckets"},
    "/rpc/input_progress_routed": {"slash_job_id", "slash_port_name", "statuses", "p_order", "p_limit",
                                   "p_offset", "slash_after"},
    "/rpc/input_progress_counts_routed": {"slash_job_id", "slash_port_name"},
    "/rpc/progress_log_routed": {"slash_job_id", "slash_kind", "slash_input_id", "p_offset", "p_limit", "after"},
    "/rpc/progress_summary_routed": {"slash_job_id"},
}

FILTER = re.compile(r"^(not\.)?(eq|neq|gte?|lte?|like|ilike|match|imatch|in|is|isdistinct|"
                    r"fts|plfts|phfts|wfts|cs|cd|ov|sl|sr|nxr|nxl|adj)(\([^)]*\))?\.")


class StandIn:
    def __init__(self, port):
        self.line = "v12"           # the release line being imitated
        self.requests = []          # (method, path, [(name, value)]) as received
        self.jobs = dict(JOBS)
        stand_in = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                stand_in.answer(self)

            def do_HEAD(self):
                stand_in.answer(self)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def last(self):
        return self.requests[-1] if self.requests else None

    def answer(self, h):
        self.requests.append((h.command, h.path, list(h.headers.items())))
        url = urllib.parse.urlsplit(h.path)
        pairs = urllib.parse.parse_qsl(url.query, keep_blank_values=True)
        args = {k: v for k, v in pairs if not FILTER.match(v)}
        if url.path == "/rpc/progress_chart":
            # The chart takes the id as a plain argument (deploy/nginx.conf).
            job, known = args.get("job_id"), {"job_id", "buckets", "from", "to", "width", "panel_height"}
        else:
            routed = args.get("slash_job_id", "")
            job = routed[1:] if routed.startswith("/") else None
            known = ROUTED.get(url.path, set())
        function_headers = []
        if not known or set(args) - known or job is None:
            status, reason, body = 404, "Not Found", b'{"code":"PGRST202"}'
        elif h.command == "HEAD":
            status, reason, body = 200, "OK", b""
        elif job not in self.jobs:
            status, reason = 404, "Not Found"
            body = json.dumps({"code": "PT404", "message": f'job "{job}" not found',
                               "details": None, "hint": None}).encode()
        else:
            etag = f'W/"{self.jobs[job]}"'
            function_headers = [("ETag", etag), ("Cache-Control", "private, no-cache"),
                                ("Vary", "Authorization")]
            # Elements of one If-None-Match list, compared as the function
            # does for the stand-in's own tags (no time parsing here).
            tags = [t.strip() for t in (h.headers.get("If-None-Match") or "").split(",")]
            if etag in tags:
                status, reason, body = 304, "Not Modified", b"null"
            else:
                status, reason = 200, "OK"
                body = json.dumps({"job_id": job, "latest_event_at": self.jobs[job]}).encode()
        h.send_response_only(status, reason)
        h.send_header("Content-Range", "0-0/*")
        h.send_header("Content-Type", "application/json; charset=utf-8")
        for name, value in function_headers:
            h.send_header(name, value)
        if self.line == "v16" and not any(n == "Vary" for n, _ in function_headers):
            h.send_header("Vary", "Accept, Prefer, Range")
        if status == 304 and self.line != "v12":
            h.send_header("Content-Length", "4")
        if status == 304 or h.command == "HEAD":
            h.end_headers()
            return
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)
