"""A backend's memory, read from outside (/proc) and from inside
(pg_backend_memory_contexts of its own session)."""
import threading


def proc_kb(pid, field):
    """A field of /proc/<pid>/status in kB (RssAnon: the backend's private,
    malloc'd memory; shared buffers are RssShmem and do not count)."""
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise KeyError(field)


def contexts_bytes(cur):
    """Total bytes held by the session's own memory contexts."""
    cur.execute("SELECT sum(total_bytes)::bigint FROM pg_backend_memory_contexts")
    return cur.fetchone()[0]


class PeakSampler:
    """Samples a pid's RssAnon every few milliseconds while running."""

    def __init__(self, pid, interval_s=0.005):
        self.pid, self.interval_s = pid, interval_s
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            try:
                self.peak_kb = max(self.peak_kb, proc_kb(self.pid, "RssAnon"))
            except (OSError, KeyError):
                return
            self._stop.wait(self.interval_s)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
