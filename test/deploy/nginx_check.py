"""Checks deploy/nginx.conf: `nginx -t`, then the rewrite on a live nginx;
and the two settings of the shipped PostgREST files that protect a copy
made verbatim (postgrest_conf_checks).

The shipped file is validated as it is; for the live part a copy listens on
a free 127.0.0.1 port in front of a stand-in for PostgREST
(postgrest_stand_in.py) that answers as v12 or as v16 and records what it
received. Every live check runs against both release lines. Prints one line
per check and, last, "N passed, N failed".
"""
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse

from postgrest_stand_in import StandIn

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHIPPED = os.path.join(REPO, "deploy", "nginx.conf")
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
# deploy/nginx.conf needs the headers-more module; Debian's nginx.conf loads
# it from modules-enabled, the test's own main file loads it here.
HEADERS_MORE = "/usr/lib/nginx/modules/ngx_http_headers_more_filter_module.so"

passed = failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok   {name}")
    else:
        failed += 1
        print(f"FAIL {name} {detail}")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main_conf(tmp, include):
    """An nginx.conf with every path in tmp, including the site file."""
    temp_paths = "\n".join(f"    {k}_temp_path {tmp}/{k};" for k in
                           ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return f"""
load_module {HEADERS_MORE};
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
worker_processes 1;
events {{ worker_connections 64; }}
http {{
    access_log {tmp}/access.log;
{temp_paths}
    include {include};
}}
"""


def nginx(tmp, conf, *args):
    return subprocess.run([NGINX, "-p", tmp + "/", "-c", conf, *args],
                          capture_output=True, text=True, timeout=30)


def request(port, method, path, headers=()):
    """Sends headers as given (a list of pairs, so a name may repeat)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.putrequest(method, path, skip_accept_encoding=True)
    for name, value in headers:
        conn.putheader(name, value)
    conn.endheaders()
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    return resp.status, resp.getheaders(), body


def header(headers, name):
    """All values of one response header, in order."""
    return [v for n, v in headers if n.lower() == name.lower()]


BASE = "/v0.5/batch/jobs/job_2abc/inputs/progress/traces"
MISSING = "/v0.5/batch/jobs/job_gone/inputs/progress/traces"
ETAG = 'W/"2026-04-14T10:15:00Z"'


def sent(stand_in, name):
    """The values of one header in the last request the stand-in got."""
    return [v for n, v in stand_in.last()[2] if n.lower() == name.lower()]


def rewrite_checks(port, up, line):
    status, _, _ = request(port, "GET", BASE + "?buckets=50",
                           [("Authorization", "Bearer a.b.c"), ("If-None-Match", 'W/"old"')])
    check(f"{line}: GET with buckets -> /rpc/progress_traces_routed?slash_job_id=/..&buckets=..",
          status == 200 and up.last()[1] == "/rpc/progress_traces_routed?slash_job_id=/job_2abc&buckets=50", (status, up.last()))
    check(f"{line}: Authorization passed through", sent(up, "Authorization") == ["Bearer a.b.c"], up.last())
    check(f"{line}: If-None-Match passed through", sent(up, "If-None-Match") == ['W/"old"'], up.last())
    check(f"{line}: Accept forced to application/json", sent(up, "Accept") == ["application/json"], up.last())

    request(port, "GET", BASE, [("Accept", "application/vnd.pgrst.plan")])
    check(f"{line}: buckets optional", up.last()[1] == "/rpc/progress_traces_routed?slash_job_id=/job_2abc", up.last())
    check(f"{line}: Accept replaced", sent(up, "Accept") == ["application/json"], up.last())
    check(f"{line}: no If-None-Match sent when the client sent none", sent(up, "If-None-Match") == [], up.last())
    for name, value in (("Prefer", "tx=rollback"), ("Accept-Profile", "public"),
                        ("Content-Profile", "public"), ("Range", "1-"), ("If-Range", ETAG)):
        status, _, _ = request(port, "GET", BASE, [(name, value)])
        check(f"{line}: {name} dropped", status == 200 and sent(up, name) == [], up.last())

    status, _, _ = request(port, "GET", BASE + "?buckets=")
    check(f"{line}: empty buckets is left to the default (200)",
          status == 200 and up.last()[1] == "/rpc/progress_traces_routed?slash_job_id=/job_2abc", (status, up.last()))
    request(port, "GET", BASE + "?buckets=abc")
    check(f"{line}: non-integer buckets reaches PostgREST (its cast answers 400)",
          up.last()[1] == "/rpc/progress_traces_routed?slash_job_id=/job_2abc&buckets=abc", up.last())
    request(port, "GET", BASE + "?select=*&buckets=20&job_id=job_x&order=id")
    check(f"{line}: other query parameters are dropped",
          up.last()[1] == "/rpc/progress_traces_routed?slash_job_id=/job_2abc&buckets=20", up.last())

    before = len(up.requests)
    status, _, _ = request(port, "GET", BASE, [("If-None-Match", ETAG), ("If-None-Match", 'W/"other"')])
    check(f"{line}: several If-None-Match lines: 400 from nginx (a duplicate header), nothing sent upstream",
          status == 400 and len(up.requests) == before, (status, up.last()))
    status, _, _ = request(port, "GET", BASE, [("If-None-Match", 'W/"other", ' + ETAG)])
    check(f"{line}: one If-None-Match line with a list is forwarded whole",
          status == 304 and sent(up, "If-None-Match") == ['W/"other", ' + ETAG], (status, up.last()))


def refusal_checks(port, up, line):
    for method in ("POST", "PUT", "PATCH", "DELETE", "OPTIONS"):
        before = len(up.requests)
        status, headers, _ = request(port, method, BASE)
        check(f"{line}: {method} refused (405, Allow: GET, HEAD), never sent upstream",
              status == 405 and header(headers, "Allow") == ["GET, HEAD"] and len(up.requests) == before,
              (status, headers))
    for path, why in (("/v0.5/batch/jobs/a&buckets=5/inputs/progress/traces", "raw & in the id"),
                      ("/rpc/progress_traces_routed?slash_job_id=/job_2abc", "PostgREST's own paths"),
                      (BASE + "/extra", "longer path")):
        status, _, _ = request(port, "GET", path)
        check(f"{line}: {why}: 404", status == 404, status)


def head_checks(port, up, line):
    auth = [("Authorization", "Bearer a.b.c")]
    g_status, g_headers, g_body = request(port, "GET", BASE, auth)
    h_status, h_headers, h_body = request(port, "HEAD", BASE, auth)
    check(f"{line}: HEAD is sent upstream as GET", up.last()[0] == "GET", up.last())
    same = ("ETag", "Cache-Control", "Vary", "Content-Type", "Content-Range")
    check(f"{line}: HEAD gets GET's status and headers, no body",
          h_status == g_status == 200 and h_body == b"" and g_body != b""
          and all(header(h_headers, n) == header(g_headers, n) for n in same)
          and header(h_headers, "ETag") == [ETAG], (h_status, h_headers, g_headers))
    status, _, _ = request(port, "HEAD", MISSING, auth)
    check(f"{line}: HEAD of a missing job is 404", status == 404, status)
    status, headers, _ = request(port, "HEAD", BASE, auth + [("If-None-Match", ETAG)])
    check(f"{line}: HEAD with a matching If-None-Match is 304",
          status == 304 and header(headers, "ETag") == [ETAG], (status, headers))


def response_header_checks(port, up, line):
    status, headers, body = request(port, "GET", BASE, [("If-None-Match", ETAG)])
    check(f"{line}: 304 with its ETag, no Content-Length, no body",
          status == 304 and header(headers, "ETag") == [ETAG]
          and header(headers, "Content-Length") == [] and body == b"", (status, headers))
    for path, expect in ((BASE, 200), (MISSING, 404)):
        status, headers, _ = request(port, "GET", path)
        check(f"{line}: {status} says Vary: Authorization (once) and Cache-Control: private, no-cache",
              status == expect and header(headers, "Vary") == ["Authorization"]
              and header(headers, "Cache-Control") == ["private, no-cache"], (status, headers))
    status, headers, _ = request(port, "GET", BASE, [("If-None-Match", ETAG)])
    check(f"{line}: 304 says Vary: Authorization (once)",
          status == 304 and header(headers, "Vary") == ["Authorization"], (status, headers))


def id_checks(port, up, line):
    request(port, "GET", "/v0.5/batch/jobs/job%20x%26y/inputs/progress/traces")
    check(f"{line}: percent-encoded id stays encoded",
          up.last()[1] == "/rpc/progress_traces_routed?slash_job_id=/job%20x%26y", up.last())
    # Every id of contract §7.5's alphabet is fetchable, as a client's URL
    # library writes it (quote(..., safe="") or raw sub-delimiters).
    for job in ("eq.x", "in.(a,b)", "not.x", "is.null", "neq(any).{1}", "a/b", "100%", "what?",
                "a#b", "with space", "plus+sign", 'quote"d', "it's", "a&b=c;d", "ジョブ🙂", ".", ".."):
        up.jobs[job] = "2026-04-14T10:15:00Z"
        # "." and ".." must be escaped, or the client and nginx remove them
        # as dot-segments (RFC 3986 §5.2.4).
        writings = {urllib.parse.quote(job, safe=""), urllib.parse.quote(job, safe="!$'()*,:@")}
        if job in (".", ".."):
            writings = {job.replace(".", "%2E")}
        for written in sorted(writings):
            status, _, body = request(port, "GET", f"/v0.5/batch/jobs/{written}/inputs/progress/traces")
            check(f"{line}: id {job!r} written {written!r}: 200 with its trace",
                  status == 200 and json.loads(body)["job_id"] == job, (status, body, up.last()))
    up.jobs["../../../x"] = up.jobs["../../../../x"] = "2026-04-14T10:15:00Z"
    status, _, _ = request(port, "GET", "/v0.5/batch/jobs/..%2F..%2F..%2Fx/inputs/progress/traces")
    check(f"{line}: id '../../../x' (climbing to the root once decoded): 200", status == 200, status)
    status, _, _ = request(port, "GET", "/v0.5/batch/jobs/..%2F..%2F..%2F..%2Fx/inputs/progress/traces")
    check(f"{line}: id '../../../../x' (climbing above the root once decoded): nginx's own 400",
          status == 400, status)
    status, _, _ = request(port, "GET", "/v0.5/batch/jobs/plus+sign/inputs/progress/traces")
    check(f"{line}: a raw + (a space to PostgREST) is refused: 404", status == 404, status)
    longest = "%C3%A9" * 256           # 512 bytes of UTF-8
    request(port, "GET", f"/v0.5/batch/jobs/{longest}/inputs/progress/traces")
    check(f"{line}: a 512-byte id reaches PostgREST", up.last()[1] == f"/rpc/progress_traces_routed?slash_job_id=/{longest}",
          up.last()[1][:80])
    request(port, "GET", f"/v0.5/batch/jobs/{'a' * 1536}/inputs/progress/traces")
    check(f"{line}: 1536 characters reach PostgREST (the database caps ids at 512 bytes)",
          up.last()[1] == f"/rpc/progress_traces_routed?slash_job_id=/{'a' * 1536}", up.last()[1][:80])
    refused = {"CR LF": "x%0D%0ASet-Cookie:a=b", "NUL": "x%00y", "DEL": "x%7Fy", "tab": "x%09y",
               "U+0085 (NEL)": "x%C2%85y", "U+009F": "x%c2%9fy", "1537 characters": "a" * 1537,
               "10 KB": "a%0D%0A" * 1500}
    for why, job in refused.items():
        before = len(up.requests)
        status, headers, _ = request(port, "GET", f"/v0.5/batch/jobs/{job}/inputs/progress/traces")
        check(f"{line}: id with {why}: refused by nginx ({status}), nothing sent upstream",
              status in (400, 404, 414) and len(up.requests) == before and not header(headers, "Set-Cookie"),
              (status, headers))


CHART = "/v0.5/batch/jobs/job_2abc/inputs/progress/chart.svg"


def chart_checks(port, up, line):
    """The chart's URL: what reaches PostgREST, and what the client gets back."""
    img = [("Accept", "image/avif,image/webp,*/*"), ("Authorization", "Bearer a.b.c")]
    status, headers, _ = request(port, "GET", CHART + "?buckets=200", img)
    for name, ok in (
            ("GET -> /rpc/progress_chart?job_id=..&buckets=..",
             status == 200 and up.last()[1] == "/rpc/progress_chart?job_id=job_2abc&buckets=200"),
            ("an <img>'s Accept becomes image/svg+xml", sent(up, "Accept") == ["image/svg+xml"]),
            ("Authorization passed through", sent(up, "Authorization") == ["Bearer a.b.c"]),
            ("CSP and nosniff on the answer",
             header(headers, "Content-Security-Policy") == ["default-src 'none'; style-src 'unsafe-inline'"]
             and header(headers, "X-Content-Type-Options") == ["nosniff"])):
        check(f"{line}: chart: {name}", ok, (status, up.last(), headers))
    zoom = "?to=2026-04-14T10:10:00Z&width=1200&from=2026-04-14T10:00:00%2B00:00&panel_height=90&select=*&buckets="
    for name, query, uri in (
            ("zoom and sizes passed raw, empty and unknown ones dropped", zoom,
             "&from=2026-04-14T10:00:00%2B00:00&to=2026-04-14T10:10:00Z&width=1200&panel_height=90"),
            ("every parameter optional", "", "")):
        request(port, "GET", CHART + query)
        check(f"{line}: chart: {name}", up.last()[1] == "/rpc/progress_chart?job_id=job_2abc" + uri, up.last())
    before = len(up.requests)
    for name, method, path, want in (
            ("raw & in the id is refused", "GET", "/v0.5/batch/jobs/a&buckets=5/inputs/progress/chart.svg", 404),
            ("POST refused", "POST", CHART, 405)):
        status = request(port, method, path)[0]
        check(f"{line}: chart: {name} ({want})", status == want and len(up.requests) == before, status)
    status, headers, _ = request(port, "GET", CHART, [("If-None-Match", ETAG)])
    check(f"{line}: chart: upstream 304 and its ETag reach the client",
          status == 304 and header(headers, "ETag") == [ETAG], (status, headers))
    status, headers, _ = request(port, "GET", BASE)
    check(f"{line}: the trace's answer has no chart-only headers",
          not header(headers, "Content-Security-Policy") and not header(headers, "X-Content-Type-Options"), headers)


SIBLINGS = "/v0.5/batch/jobs/job_2abc"


def sibling_checks(port, up, line):
    """The trace's siblings (docs/contract.md §12.7): each public URL onto its
    routed function, public names onto the function's, repeated status
    folded, free text behind "/"."""
    for public, upstream in (
            ("/inputs/progress", "/rpc/input_progress_routed?slash_job_id=/job_2abc"),
            ("/inputs/progress?port_name=eq.left&status=failed&order=desc&limit=5&offset=10&after=in.(x)",
             "/rpc/input_progress_routed?slash_job_id=/job_2abc&slash_port_name=/eq.left&statuses=failed"
             "&p_order=desc&p_limit=5&p_offset=10&slash_after=/in.(x)"),
            ("/inputs/progress?status=completed&select=*&status=pending&status=completed",
             "/rpc/input_progress_routed?slash_job_id=/job_2abc&statuses=pending,completed"),
            ("/inputs/progress?status=failed&status=Failed",
             "/rpc/input_progress_routed?slash_job_id=/job_2abc&statuses=failed,unknown"),
            ("/inputs/progress?status=",
             "/rpc/input_progress_routed?slash_job_id=/job_2abc&statuses=unknown"),
            ("/inputs/progress?nostatus=failed",
             "/rpc/input_progress_routed?slash_job_id=/job_2abc"),
            ("/inputs/progress/counts?port_name=a%20b&limit=3",
             "/rpc/input_progress_counts_routed?slash_job_id=/job_2abc&slash_port_name=/a%20b"),
            ("/progress?kind=inference&input_id=not.x&offset=2&limit=3&after=41",
             "/rpc/progress_log_routed?slash_job_id=/job_2abc&slash_kind=/inference&slash_input_id=/not.x"
             "&p_offset=2&p_limit=3&after=41"),
            ("/progress", "/rpc/progress_log_routed?slash_job_id=/job_2abc"),
            ("/progress/summary?limit=1", "/rpc/progress_summary_routed?slash_job_id=/job_2abc")):
        status, _, _ = request(port, "GET", SIBLINGS + public, [("Authorization", "Bearer a.b.c")])
        check(f"{line}: {public} -> {upstream}", status == 200 and up.last()[1] == upstream, (status, up.last()))
    for path in ("/inputs/progress/other", "/progress/summary/x", "/inputs"):
        status, _, _ = request(port, "GET", SIBLINGS + path)
        check(f"{line}: {path}: 404", status == 404, status)


def live_checks(port, up):
    for line in ("v12", "v16"):
        up.line = line
        rewrite_checks(port, up, line)
        refusal_checks(port, up, line)
        head_checks(port, up, line)
        response_header_checks(port, up, line)
        id_checks(port, up, line)
        chart_checks(port, up, line)
        sibling_checks(port, up, line)


def postgrest_conf_checks():
    """No working JWT secret to copy, and nothing but the exposed schema on
    the request's search_path, in both shipped PostgREST files."""
    for rel in ("deploy/postgrest.conf", "shard/postgrest.conf"):
        with open(os.path.join(REPO, rel)) as f:
            settings = dict(re.findall(r'^([a-z-]+)\s*=\s*"?(.*?)"?\s*$', f.read(), re.M))
        secret = settings.get("jwt-secret", "")
        check(f"{rel}: jwt-secret is a file reference ({secret})",
              secret.startswith("@/"), secret)
        check(f"{rel}: db-extra-search-path is empty", settings.get("db-extra-search-path") == "", settings)


def wait_for(port):
    deadline = time.time() + 10
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)


def stop_nginx(tmp):
    # Stop only the nginx started here, by its pid file.
    with open(os.path.join(tmp, "nginx.pid")) as f:
        pid = int(f.read().strip())
    os.kill(pid, 15)
    for _ in range(50):
        try:
            os.kill(pid, 0)
            time.sleep(0.1)
        except ProcessLookupError:
            break


def main():
    postgrest_conf_checks()
    tmp = tempfile.mkdtemp(prefix="traces-nginx-")
    os.chmod(tmp, 0o755)  # nginx workers run unprivileged
    try:
        conf = os.path.join(tmp, "nginx.conf")
        with open(conf, "w") as f:
            f.write(main_conf(tmp, SHIPPED))
        r = nginx(tmp, conf, "-t")
        check("nginx -t accepts deploy/nginx.conf as shipped", r.returncode == 0, r.stderr.strip())

        port, upstream = free_port(), free_port()
        with open(SHIPPED) as f:
            site = f.read()
        site, n1 = re.subn(r"server 127\.0\.0\.1:3000;", f"server 127.0.0.1:{upstream};", site)
        site, n2 = re.subn(r"listen 8080;", f"listen 127.0.0.1:{port};", site)
        check("shipped file has the upstream and listen lines the test rewrites", n1 == 1 and n2 == 1, (n1, n2))
        with open(os.path.join(tmp, "site.conf"), "w") as f:
            f.write(site)
        with open(conf, "w") as f:
            f.write(main_conf(tmp, os.path.join(tmp, "site.conf")))
        up = StandIn(upstream)
        try:
            r = nginx(tmp, conf)
            started = r.returncode == 0
            check("nginx starts on 127.0.0.1", started, r.stderr.strip())
            if started:
                try:
                    wait_for(port)
                    live_checks(port, up)
                finally:
                    stop_nginx(tmp)
        finally:
            up.stop()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
