"""Checks on one trace (docs/contract.md §2), and between successive traces of a job.

Each function returns a list of problems (strings); empty means fine.
"""
from datetime import datetime, timezone

TOP_KEYS = ["job_id", "bucket_seconds", "latest_event_at", "points"]
POINT_KEYS = ["t", "step", "files", "items"]


_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def micros(rfc3339):
    """RFC 3339 text -> Unix microseconds (text order is not time order:
    fractions are variable-length)."""
    d = datetime.fromisoformat(rfc3339) - _EPOCH
    return (d.days * 86400 + d.seconds) * 1000000 + d.microseconds


def clamp_buckets(buckets):
    return 100 if buckets is None else min(max(buckets, 10), 1000)


def _is_count(v):
    return isinstance(v, int) and not isinstance(v, bool) and 0 <= v < 2**63


def internal_problems(trace, job_id, buckets, max_files):
    """Shape, key order, step = completed + failed, counters that only grow
    along the series, files never above the inputs that exist."""
    p = []
    if list(trace) != TOP_KEYS:
        return ["top-level keys %r" % list(trace)]
    if trace["job_id"] != job_id:
        p.append("job_id %r" % trace["job_id"])
    points = trace["points"]
    if len(points) != clamp_buckets(buckets):
        p.append("%d points for buckets=%r" % (len(points), buckets))
    prev = None
    for k, pt in enumerate(points):
        if list(pt) != POINT_KEYS or list(pt["files"]) != ["completed", "failed"]:
            p.append("point %d keys %r" % (k, list(pt)))
            continue
        c, f = pt["files"]["completed"], pt["files"]["failed"]
        if not (_is_count(c) and _is_count(f) and _is_count(pt["step"])):
            p.append("point %d: counters not 64-bit counts" % k)
            continue
        if pt["step"] != c + f:
            p.append("point %d: step %d != %d + %d" % (k, pt["step"], c, f))
        if c + f > max_files:
            p.append("point %d: %d finished inputs, only %d exist" % (k, c + f, max_files))
        kinds = list(pt["items"])
        if kinds != sorted(kinds, key=lambda s: s.encode()):
            p.append("point %d: kinds not in byte order %r" % (k, kinds))
        for kind, v in pt["items"].items():
            if list(v) != ["success", "failed"] or not all(_is_count(x) for x in v.values()):
                p.append("point %d: items[%r] = %r" % (k, kind, v))
        if prev is not None:
            if micros(pt["t"]) <= micros(prev["t"]):
                p.append("point %d: t %s not after %s" % (k, pt["t"], prev["t"]))
            if not covers(pt, prev):
                p.append("point %d decreases from point %d" % (k, k - 1))
        prev = pt
    return p


def covers(later, earlier):
    """True when every counter of `later` is >= the same counter of
    `earlier` (a kind present earlier must still be present)."""
    if later["files"]["completed"] < earlier["files"]["completed"]:
        return False
    if later["files"]["failed"] < earlier["files"]["failed"]:
        return False
    for kind, v in earlier["items"].items():
        w = later["items"].get(kind)
        if w is None or w["success"] < v["success"] or w["failed"] < v["failed"]:
            return False
    return True


def backwards_problems(older, newer):
    """Successive traces of a live job whose streams only grow: for every
    point of the older trace except its last (which also holds events after
    that trace's end), each point of the newer trace at the same or a later
    time shows at least as much. Points at equal t are the special case the
    issue names; since end = now() moves, t rarely repeats, so the ordering
    by time is what is compared."""
    p = []
    new_points = newer["points"]
    new_t = [micros(q["t"]) for q in new_points]
    j = 0
    for pt in older["points"][:-1]:
        t = micros(pt["t"])
        while j < len(new_points) and new_t[j] < t:
            j += 1
        if j == len(new_points):
            break
        if not covers(new_points[j], pt):
            p.append("point at %s went backwards: %r then %r at %s"
                     % (pt["t"], _counters(pt), _counters(new_points[j]), new_points[j]["t"]))
            break
    if not covers(new_points[-1], older["points"][-1]):
        p.append("totals went backwards: %r then %r"
                 % (_counters(older["points"][-1]), _counters(new_points[-1])))
    if older["latest_event_at"] is not None and (
            newer["latest_event_at"] is None
            or micros(newer["latest_event_at"]) < micros(older["latest_event_at"])):
        p.append("latest_event_at went backwards")
    return p


def _counters(pt):
    return {"files": pt["files"], "items": pt["items"]}


def last_point(trace):
    return trace["points"][-1]
