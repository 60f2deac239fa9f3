"""What the writers have written, as the readers may check it.

For each job: totals per kind and finished inputs, counted twice: `started`
grows before a writer's COMMIT is sent, `committed` after it returns. A
trace whose statement began after `committed` was read must show at least
that; a trace that ended before `started` was read can show at most that.
"""
import copy
import threading


class Accounting:
    def __init__(self):
        self.lock = threading.Lock()
        self.started = {}
        self.committed = {}

    def seed(self, job_id, items, completed, failed):
        """items: {kind: [success, failed]} as found in the tables."""
        tot = {"items": {k: list(v) for k, v in items.items()}, "completed": completed, "failed": failed}
        with self.lock:
            self.started[job_id] = tot
            self.committed[job_id] = copy.deepcopy(tot)

    @staticmethod
    def _add(tot, item_deltas, finished):
        for kind, (ds, df) in item_deltas.items():
            v = tot["items"].setdefault(kind, [0, 0])
            v[0] += ds
            v[1] += df
        if finished:
            tot[finished] += 1

    def before_commit(self, job_id, item_deltas, finished):
        """finished: None, 'completed' or 'failed'."""
        with self.lock:
            self._add(self.started[job_id], item_deltas, finished)

    def after_commit(self, job_id, item_deltas, finished):
        with self.lock:
            self._add(self.committed[job_id], item_deltas, finished)

    def committed_now(self, job_id):
        with self.lock:
            return copy.deepcopy(self.committed[job_id])

    def started_now(self, job_id):
        with self.lock:
            return copy.deepcopy(self.started[job_id])


def bound_problems(point, low, high):
    """The trace's last point (the job's totals) between two accountings."""
    p = []
    for name in ("completed", "failed"):
        v = point["files"][name]
        if not low[name] <= v <= high[name]:
            p.append("files.%s = %d outside [%d, %d]" % (name, v, low[name], high[name]))
    kinds = set(low["items"]) | set(high["items"]) | set(point["items"])
    for kind in sorted(kinds):
        got = point["items"].get(kind, {"success": 0, "failed": 0})
        lo = low["items"].get(kind, [0, 0])
        hi = high["items"].get(kind, [0, 0])
        for i, name in enumerate(("success", "failed")):
            if not lo[i] <= got[name] <= hi[i]:
                p.append("items[%r].%s = %d outside [%d, %d]" % (kind, name, got[name], lo[i], hi[i]))
    return p


def below(total, point):
    """True when some committed total is above what the trace shows."""
    return bool(bound_problems(point, total, {
        "completed": 1 << 62, "failed": 1 << 62,
        "items": {k: [1 << 62, 1 << 62] for k in set(total["items"]) | set(point["items"])}}))
