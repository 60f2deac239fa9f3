"""Peak anonymous memory of one backend process while a statement runs.

The kernel keeps a high-water mark only for the whole resident set (VmHWM),
which for a backend is dominated by the shared buffers it touches. What a
trace itself allocates (palloc'd memory and the C++ engine's heap alike) is
anonymous memory, so a thread reads RssAnon from /proc/<pid>/status in a
loop (every ~0.2 ms: thousands of samples even in a short trace) and keeps the largest value seen.
"""
import threading
import time


def rss_anon_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("RssAnon:"):
                return int(line.split()[1])
    raise RuntimeError(f"no RssAnon for pid {pid}")


class PeakSampler:
    def __init__(self, pid):
        self.pid = pid
        self.peak_kb = 0
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _sample(self):
        kb = rss_anon_kb(self.pid)
        if kb > self.peak_kb:
            self.peak_kb = kb
        self.samples += 1

    def _loop(self):
        while not self._stop.is_set():
            self._sample()
            time.sleep(0.0001)

    def __enter__(self):
        # One sample before and one after, so that a statement shorter than
        # the sampling period still has a peak (at least its end state).
        self._sample()
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self._sample()
        return False
