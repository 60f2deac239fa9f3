"""An independent count of a job's trace straight from the tables: plain
SQL over the raw columns (metrics jsonb, not the generated counters), no
function of the extension. Compared point by point with a trace."""

# The points' times come from the trace under test; everything counted at a
# time is recomputed here. An event counts at t when least(u, end) <= t.
_RECOUNT_SQL = """
WITH pts AS (
    SELECT k, t FROM unnest(%(ts)s::timestamptz[]) WITH ORDINALITY AS u(t, k)
), files AS (
    SELECT pts.k,
           count(*) FILTER (WHERE i.status = 'completed') AS completed,
           count(*) FILTER (WHERE i.status = 'failed') AS failed
      FROM pts LEFT JOIN jobs.job_inputs i
        ON i.job_id = %(job)s AND i.status IN ('completed', 'failed')
       AND least(i.completed_at, %(end)s::timestamptz) <= pts.t
     GROUP BY pts.k
), latest AS (
    -- each stream's latest row counting at each point
    SELECT DISTINCT ON (pts.k, p.input_id, p.kind)
           pts.k, p.kind,
           coalesce((p.metrics->>'success')::numeric, 0) AS success,
           coalesce((p.metrics->>'failed')::numeric, 0) AS failed
      FROM pts JOIN jobs.job_progress p
        ON p.job_id = %(job)s AND least(p.created_at, %(end)s::timestamptz) <= pts.t
     ORDER BY pts.k, p.input_id, p.kind, p.created_at DESC, p.id DESC
), items AS (
    SELECT k, kind, sum(success) AS success, sum(failed) AS failed
      FROM latest GROUP BY k, kind
)
SELECT f.k, f.completed, f.failed,
       coalesce((SELECT json_agg(json_build_array(kind, success::text, failed::text)
                                 ORDER BY kind COLLATE "C")
                   FROM items WHERE items.k = f.k), '[]')
  FROM files f ORDER BY f.k
"""


def recount_points(cur, job_id, ts, end):
    """[(completed, failed, {kind: (success, failed)})] for the times ts
    (RFC 3339 strings) of a job whose window ends at `end`."""
    cur.execute(_RECOUNT_SQL, {"ts": list(ts), "job": job_id, "end": end})
    out = []
    for _k, completed, failed, items in cur.fetchall():
        out.append((completed, failed, {kind: (int(s), int(f)) for kind, s, f in items}))
    return out


def trace_counts(trace, only_last=False):
    pts = trace["points"][-1:] if only_last else trace["points"]
    return [(p["files"]["completed"], p["files"]["failed"],
             {k: (v["success"], v["failed"]) for k, v in p["items"].items()}) for p in pts]


def recount_problems(cur, trace, only_last=False):
    """Differences between a trace and the recount, in the caller's snapshot
    (run both in one REPEATABLE READ transaction for a live job)."""
    pts = trace["points"][-1:] if only_last else trace["points"]
    ts = [p["t"] for p in pts]
    expected = recount_points(cur, trace["job_id"], ts, trace["points"][-1]["t"])
    got = trace_counts(trace, only_last)
    problems = []
    for t, e, g in zip(ts, expected, got):
        if e != g:
            problems.append("at %s: trace %r, recount %r" % (t, g, e))
            if len(problems) >= 3:
                break
    return problems
