"""Checks deploy/nginx.conf: `nginx -t`, then the rewrite on a live nginx.

The shipped file is validated as it is; for the live part a copy listens on
a free 127.0.0.1 port and proxies to a second server block of the same nginx
that stands in for PostgREST and echoes what it received (URI and headers).
Prints one line per check and, last, "N passed, N failed".
"""
import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHIPPED = os.path.join(REPO, "deploy", "nginx.conf")
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

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


def main_conf(tmp, include, extra=""):
    """An nginx.conf with every path in tmp, including the site file."""
    temp_paths = "\n".join(f"    {k}_temp_path {tmp}/{k};" for k in
                           ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return f"""
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
worker_processes 1;
events {{ worker_connections 64; }}
http {{
    access_log {tmp}/access.log;
{temp_paths}
    include {include};
{extra}
}}
"""


def nginx(tmp, conf, *args):
    return subprocess.run([NGINX, "-p", tmp + "/", "-c", conf, *args],
                          capture_output=True, text=True, timeout=30)


# The stand-in for PostgREST: echoes the request it got; answers 304 with an
# ETag when If-None-Match is W/"x", as PostgREST does when the function says so.
STAND_IN = """
    server {{
        listen 127.0.0.1:{port};
        location / {{
            add_header ETag 'W/"x"' always;
            if ($http_if_none_match = 'W/"x"') {{ return 304; }}
            default_type text/plain;
            return 200 "uri=$request_uri\\nmethod=$request_method\\nauthorization=$http_authorization\\nif-none-match=$http_if_none_match\\naccept=$http_accept\\nprefer=$http_prefer\\n";
        }}
    }}
"""


def request(port, method, path, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request(method, path, headers=headers or {})
    resp = conn.getresponse()
    body = resp.read().decode()
    conn.close()
    echoed = dict(line.split("=", 1) for line in body.splitlines() if "=" in line)
    return resp.status, dict(resp.getheaders()), echoed


def live_checks(port):
    base = "/v0.5/batch/jobs/job_2abc/inputs/progress/traces"
    auth = {"Authorization": "Bearer a.b.c", "If-None-Match": 'W/"2026-04-14T10:15:00Z"'}

    status, _, got = request(port, "GET", base + "?buckets=50", auth)
    check("GET with buckets -> /rpc/progress_traces?job_id=..&buckets=..",
          status == 200 and got.get("uri") == "/rpc/progress_traces?job_id=job_2abc&buckets=50", (status, got))
    check("Authorization passed through", got.get("authorization") == "Bearer a.b.c", got)
    check("If-None-Match passed through", got.get("if-none-match") == 'W/"2026-04-14T10:15:00Z"', got)
    check("Accept forced to application/json", got.get("accept") == "application/json", got)

    status, _, got = request(port, "GET", base, {"Prefer": "tx=rollback", "Accept": "application/vnd.pgrst.plan"})
    check("buckets optional", got.get("uri") == "/rpc/progress_traces?job_id=job_2abc", got)
    check("Prefer dropped, Accept replaced",
          got.get("prefer") == "" and got.get("accept") == "application/json", got)
    check("no If-None-Match sent when the client sent none", got.get("if-none-match") == "", got)

    _, _, got = request(port, "GET", base + "?buckets=")
    check("empty buckets is left to the default", got.get("uri") == "/rpc/progress_traces?job_id=job_2abc", got)
    _, _, got = request(port, "GET", base + "?buckets=abc")
    check("non-integer buckets reaches PostgREST (its cast answers 400)",
          got.get("uri") == "/rpc/progress_traces?job_id=job_2abc&buckets=abc", got)
    _, _, got = request(port, "GET", base + "?select=*&buckets=20&job_id=job_x&order=id")
    check("other query parameters are dropped",
          got.get("uri") == "/rpc/progress_traces?job_id=job_2abc&buckets=20", got)
    _, _, got = request(port, "GET", "/v0.5/batch/jobs/job%20x%26y/inputs/progress/traces")
    check("percent-encoded id stays encoded", got.get("uri") == "/rpc/progress_traces?job_id=job%20x%26y", got)

    status, _, _ = request(port, "GET", "/v0.5/batch/jobs/a&buckets=5/inputs/progress/traces")
    check("raw & in the id is refused (404)", status == 404, status)
    status, _, _ = request(port, "GET", "/v0.5/batch/jobs/a%2Fb/inputs/progress/traces")
    check("an id with an encoded slash matches no route (404)", status == 404, status)
    status, _, _ = request(port, "GET", "/rpc/progress_traces?job_id=job_2abc")
    check("PostgREST's own paths are not exposed (404)", status == 404, status)
    status, _, _ = request(port, "GET", base + "/extra")
    check("longer path (404)", status == 404, status)
    status, _, _ = request(port, "POST", base)
    check("POST refused (403)", status == 403, status)
    status, _, got = request(port, "HEAD", base)
    check("HEAD allowed", status == 200, status)

    status, headers, _ = request(port, "GET", base, {"If-None-Match": 'W/"x"'})
    check("upstream 304 and its ETag reach the client",
          status == 304 and headers.get("ETag") == 'W/"x"', (status, headers))


def chart_checks(port):
    """The chart's URL: what reaches PostgREST, and what the client gets back."""
    base = "/v0.5/batch/jobs/job_2abc/inputs/progress/chart.svg"
    img = {"Accept": "image/avif,image/webp,*/*", "Authorization": "Bearer a.b.c"}
    status, headers, got = request(port, "GET", base + "?buckets=200", img)
    for name, ok in (
            ("GET -> /rpc/progress_chart?job_id=..&buckets=..",
             status == 200 and got.get("uri") == "/rpc/progress_chart?job_id=job_2abc&buckets=200"),
            ("an <img>'s Accept becomes image/svg+xml", got.get("accept") == "image/svg+xml"),
            ("Authorization passed through", got.get("authorization") == "Bearer a.b.c"),
            ("CSP and nosniff on the answer",
             headers.get("Content-Security-Policy", "").startswith("default-src 'none'")
             and headers.get("X-Content-Type-Options") == "nosniff")):
        check("chart: " + name, ok, (status, got, headers))
    zoom = "?to=2026-04-14T10:10:00Z&width=1200&from=2026-04-14T10:00:00%2B00:00&panel_height=90&select=*&buckets="
    for name, query, uri in (
            ("zoom and sizes passed raw, empty and unknown ones dropped", zoom,
             "&from=2026-04-14T10:00:00%2B00:00&to=2026-04-14T10:10:00Z&width=1200&panel_height=90"),
            ("every parameter optional", "", "")):
        got = request(port, "GET", base + query)[2]
        check("chart: " + name, got.get("uri") == "/rpc/progress_chart?job_id=job_2abc" + uri, got)
    for name, method, path, want in (
            ("raw & in the id is refused", "GET", "/v0.5/batch/jobs/a&buckets=5/inputs/progress/chart.svg", 404),
            ("POST refused", "POST", base, 403)):
        status = request(port, method, path)[0]
        check(f"chart: {name} ({want})", status == want, status)
    status, headers, _ = request(port, "GET", base, {"If-None-Match": 'W/"x"'})
    check("chart: upstream 304 and its ETag reach the client",
          status == 304 and headers.get("ETag") == 'W/"x"', (status, headers))


def main():
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
            f.write(main_conf(tmp, os.path.join(tmp, "site.conf"), STAND_IN.format(port=upstream)))
        r = nginx(tmp, conf, "-t")
        check("nginx -t accepts the test copy", r.returncode == 0, r.stderr.strip())
        r = nginx(tmp, conf)
        started = r.returncode == 0
        check("nginx starts on 127.0.0.1", started, r.stderr.strip())
        if started:
            try:
                deadline = time.time() + 10
                while time.time() < deadline:
                    try:
                        socket.create_connection(("127.0.0.1", port), timeout=1).close()
                        break
                    except OSError:
                        time.sleep(0.1)
                live_checks(port)
                chart_checks(port)
            finally:
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
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
