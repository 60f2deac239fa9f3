"""One psql session driven over a pipe: statements in, lines out.

psql (not a driver library) so the benchmark needs nothing beyond the
PostgreSQL client; \\timing gives the client-side elapsed time of each
statement, the latency a caller such as PostgREST sees.
"""
import re
import subprocess

_END = "__bench_end__"
_TIME = re.compile(r"^Time: ([0-9.]+) ms")


class PsqlError(RuntimeError):
    pass


class PsqlSession:
    def __init__(self):
        self.proc = subprocess.Popen(
            ["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True, bufsize=1)
        self.run("\\timing off\nSET client_min_messages = warning;")

    def run(self, sql):
        """Runs statements; returns the output lines (errors raise). A
        final SQL statement without its semicolon gets one."""
        sql = sql.rstrip()
        last = sql.splitlines()[-1].lstrip()
        if not last.startswith("\\") and not sql.endswith(";"):
            sql += ";"
        self.proc.stdin.write(sql + "\n\\echo " + _END + "\n")
        self.proc.stdin.flush()
        lines = []
        while True:
            line = self.proc.stdout.readline()
            if line == "":
                raise PsqlError("psql ended:\n" + "\n".join(lines[-20:]))
            line = line.rstrip("\n")
            if line == _END:
                break
            lines.append(line)
        for line in lines:
            if "ERROR:" in line or "FATAL:" in line or line.startswith("psql: error"):
                raise PsqlError("\n".join(lines))
        return lines

    def value(self, sql):
        """The single value a one-row, one-column query returns."""
        lines = self.run(sql)
        if len(lines) != 1:
            raise PsqlError(f"expected one line from {sql!r}, got {lines!r}")
        return lines[0]

    def timed(self, sql):
        """Elapsed milliseconds of one statement (client side), and its output."""
        sql = sql.rstrip()
        if not sql.endswith(";"):
            sql += ";"
        lines = self.run("\\timing on\n" + sql + "\n\\timing off")
        times = [float(m.group(1)) for m in map(_TIME.match, lines) if m]
        if len(times) != 1:
            raise PsqlError(f"expected one timing from {sql!r}, got {lines!r}")
        return times[0], [line for line in lines if not _TIME.match(line)]

    def close(self):
        if self.proc.poll() is None:
            self.proc.stdin.write("\\q\n")
            self.proc.stdin.close()
            self.proc.wait(timeout=30)
