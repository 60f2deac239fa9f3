#!/usr/bin/env python3
"""Random jobs for the differential test, as SQL on stdout.

    generate.py --seed N --jobs N > data.sql

The same seed gives the same SQL. Terminal jobs use absolute timestamps, so
their traces are fully reproducible; live jobs (end = now()) are written
relative to the time of insertion (`now() + N * 1 µs`), so their shape is
reproducible but the window moves with the clock.

Each job draws a shape: terminal or live, started or not, a span from
sub-second to multi-year (or negative), timestamps with and without
microseconds, events before start / after end / exactly on bucket edges,
ties on created_at, out-of-order arrival, retried streams restarting from 0,
job-level (null input) streams, 0..5 kinds with names that test byte order,
a kind appearing late, rows written after the others (a backfill of old
timestamps, stragglers landing between two snapshots of their stream),
all input statuses, huge counters. Besides the rows it fills difftest.cases
(the buckets values to compare) and difftest.shapes (a one-line summary).

About half the jobs (drawn by a generator of their own, so the rows a seed
makes stay what they were) write their inputs and progress through the
write API with the sibling fields of contract §7.1 (port names, file ids,
data, created_at, error messages; steps, messages, payloads, indexes) and
start_input / finish_input, instead of INSERTs: the siblings' plain-SQL
references (siblings.sql) then compare non-null fields. `--writes 1.0`
keeps every job on INSERTs of 1.0's columns (a 1.0 database has neither the
columns nor the parameters: test/versions/run).
"""
import argparse
import datetime
import random

US = 1_000_000
MINUTE, HOUR, DAY, YEAR = 60 * US, 3600 * US, 86400 * US, 365 * 86400 * US
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
MIN_US = -62135596800 * US             # 0001-01-01T00:00:00Z, the earliest the tables allow
MAX_US = 253402300799 * US + 999999    # 9999-12-31T23:59:59.999999Z
INT64_MAX = 2**63 - 1

TERMINAL = ["completed", "failed", "cancelled"]
LIVE = ["pending", "admitted", "running", "preempted"]

# Kind names that sort differently in byte order than in any language's
# order: case, prefixes, non-ASCII (2-, 3-, 4-byte UTF-8), punctuation and
# characters JSON must escape (no control characters: contract §7.5 refuses
# them when written).
KINDS = ["inference", "a", "ab", "aB", "A", "B", "b", "Z", "z", "_", "~", "a b", "e",
         "é", "ö", "Ω", "日本", "😀", "ab\u00e9", 'quo"te', "back\\slash", "tab\u00a0here",
         "x\u00ad", "x", "e\u0301", "embedding", "tokenize"]
# Input id stems: besides plain ones, names a language collation treats as
# equal or near-equal to each other (case, accents, é precomposed and
# decomposed, an ignorable soft hyphen), so that any grouping of streams
# by anything but exact bytes shows.
INPUT_STEMS = ["in_", "in_", "in_", "IN_", "In_", "é", "e\u0301", "ä", "a", "x\u00ad", "x", "日"]
# Job ids, mostly plain, sometimes with characters JSON must escape.
ODD_IDS = ['job "quoted"', "job\\back", "job\u00a0tab", "jöb_ünï", "job_😀", "job\u00ad", "j"]


def lit(s):
    """A SQL string literal (standard_conforming_strings is on)."""
    return "'" + s.replace("'", "''") + "'"


def ts_lit(us):
    t = EPOCH + datetime.timedelta(microseconds=us)
    return lit("%04d-%02d-%02d %02d:%02d:%02d.%06d+00" % (
        t.year, t.month, t.day, t.hour, t.minute, t.second, t.microsecond))


class Clock:
    """Writes times: absolute for terminal jobs, relative to now() for live ones."""

    def __init__(self, live):
        self.live = live

    def sql(self, us):
        if us is None:
            return "NULL"
        if self.live:
            return "(now() + %d * interval '1 microsecond')" % us
        return ts_lit(us)


def lit_or_null(s):
    return "NULL" if s is None else lit(s)


def array_sql(elements, sql_type):
    return "ARRAY[%s]::%s[]" % (", ".join(elements), sql_type)


def clamp_buckets(b):
    if b is None:
        return 100
    return min(max(b, 10), 1000)


class Job:
    def __init__(self, rng, job_id):
        self.rng = rng
        self.id = job_id
        self.tags = []
        self.inputs = []      # (id, status, completed_at_us or None)
        self.progress = []    # (input_id or None, kind, created_at_us, metrics json text)
        self.make_window()
        self.pick_buckets()
        self.api = False      # write through the write API with sibling fields (main)

    # -- the window ---------------------------------------------------------
    def make_window(self):
        rng = self.rng
        self.live = rng.random() < 0.35
        self.status = rng.choice(LIVE if self.live else TERMINAL)
        span_kind = rng.choices(
            ["subsecond", "one_second", "negative", "seconds", "minutes", "hours",
             "days", "multiyear", "odd"],
            [8, 3, 4, 10, 15, 15, 10, 6, 10])[0]
        span = {
            "subsecond": lambda: rng.randint(0, US - 1),
            "one_second": lambda: US,
            "negative": lambda: -rng.randint(1, 10 * HOUR),
            "seconds": lambda: rng.randint(US + 1, 120 * US),
            "minutes": lambda: rng.randint(2 * MINUTE, 90 * MINUTE),
            "hours": lambda: rng.randint(2 * HOUR, 48 * HOUR),
            "days": lambda: rng.randint(2 * DAY, 300 * DAY),
            "multiyear": lambda: rng.randint(2 * YEAR, 40 * YEAR),
            # spans that no bucket count divides
            "odd": lambda: rng.choice([1_000_003, 999_999_937, 7 * DAY + 13, 10**9 + 7, 3 * US + 1]),
        }[span_kind]()
        self.tags.append(("live " if self.live else "terminal ") + self.status)
        self.tags.append("span " + span_kind)

        if self.live:
            end = 0                                 # relative to now()
        else:
            era = rng.choices(["modern", "pre1970", "year1", "year9999"], [85, 7, 4, 4])[0]
            if era == "modern":
                end = rng.randint(0, 130 * YEAR)    # 1970 .. 2100
            elif era == "pre1970":
                end = rng.randint(MIN_US + 50 * YEAR, -1)
            elif era == "year1":
                end = MIN_US + rng.choice([0, 1, 500_000, US - 1, US, US + 1, rng.randint(0, 3 * YEAR)])
            else:
                end = MAX_US - rng.choice([0, 1, 500_000, rng.randint(0, 3 * YEAR)])
            if era != "modern":
                self.tags.append("era " + era)
            end = self.round_time(end)
        start = end - span
        if start < MIN_US:
            start = MIN_US
        self.end = end
        self.start = self.round_time(start) if start > MIN_US else start
        self.started = rng.random() >= 0.2
        if self.started:
            created = self.start - rng.choice([0, rng.randint(1, 10 * MINUTE)])
            self.created = max(created, MIN_US)
            self.started_at = self.start
        else:
            self.tags.append("not started")
            self.created = self.start
            self.started_at = None
        # The window as docs/contract.md §2.3 computes it (for terminal jobs; live ones move).
        self.w_end = end
        self.w_start = self.start if self.started else self.created
        if self.w_end - self.w_start < US:
            self.w_start = self.w_end - US

    def round_time(self, us):
        """Whole seconds, simple fractions, or full microseconds."""
        rng = self.rng
        mode = rng.choices(["micro", "second", "half", "milli"], [60, 20, 10, 10])[0]
        if mode == "second":
            us -= us % US
        elif mode == "half":
            us -= us % (US // 4)
        elif mode == "milli":
            us -= us % 1000
        return min(max(us, MIN_US), MAX_US)

    def pick_buckets(self):
        rng = self.rng
        pool = [None, 1, 9, 10, 11, 1000, 5000, 0, -7, 2**31 - 1, 100,
                rng.randint(12, 999), rng.randint(1, 60)]
        self.buckets = rng.sample(pool, rng.choice([1, 2, 2, 3]))
        self.use_default = rng.random() < 0.1

    # -- event times --------------------------------------------------------
    def edge(self):
        """A bucket edge t_k (or one microsecond either side) of one of the buckets compared."""
        rng = self.rng
        n = clamp_buckets(rng.choice(self.buckets))
        span = self.w_end - self.w_start
        k = rng.randint(0, n - 1)
        return self.w_start + (k + 1) * span // n + rng.choice([-1, 0, 0, 1])

    def event_time(self):
        rng = self.rng
        lo, hi = self.w_start, self.w_end
        kind = rng.choices(
            ["inside", "edge", "before", "after", "at_start", "at_end"],
            [55, 0 if self.live else 20, 8, 8, 4, 5])[0]
        if kind == "inside":
            u = rng.randint(lo, hi)
        elif kind == "edge":
            u = self.edge()
        elif kind == "before":
            u = lo - rng.randint(1, max(1, (hi - lo) // 2 + 1000))
        elif kind == "after":
            u = hi + rng.randint(1, max(1, (hi - lo) // 2 + 1000))
        elif kind == "at_start":
            u = lo
        else:
            u = hi
        if kind not in ("edge", "at_start", "at_end") and rng.random() < 0.3:
            u -= u % US
        if self.live:
            return u
        return min(max(u, MIN_US), MAX_US)

    # -- rows -----------------------------------------------------------------
    def make_inputs(self, count=None):
        rng = self.rng
        if count is None:
            count = rng.choices([0, rng.randint(1, 6), rng.randint(7, 30)], [15, 60, 25])[0]
        statuses = ["completed", "failed", "pending", "processing", "reference"]
        used = set()
        for i in range(count):
            status = rng.choices(statuses, [45, 20, 10, 12, 13])[0]
            at = self.event_time() if status in ("completed", "failed") else None
            # pairs share a number, so 'é3' and 'e\u03013' can both exist
            name = rng.choice(INPUT_STEMS) + "%d" % (i // 2)
            if name in used:
                name = "in_%04d" % i
            used.add(name)
            self.inputs.append((name, status, at))

    def make_progress(self):
        rng = self.rng
        nkinds = rng.choices([0, 1, 2, 3, 4, 5], [12, 35, 20, 15, 10, 8])[0]
        kinds = rng.sample(KINDS, nkinds)
        counters = rng.choices(["small", "2^40", "huge"], [80, 15, 5])[0]
        if counters != "small":
            self.tags.append("counters " + counters)
        streams = []
        for kind in kinds:
            inputs = [i[0] for i in self.inputs if i[1] != "reference" or rng.random() < 0.2]
            chosen = rng.sample(inputs, rng.randint(0, len(inputs))) if inputs else []
            if not chosen or rng.random() < 0.3:
                chosen.append(None)             # the job-level stream of this kind
            streams += [(inp, kind) for inp in chosen]
        cap = {"small": 10**6, "2^40": 2**40 + 2**20, "huge": INT64_MAX // max(1, len(streams))}[counters]
        # A kind that appears late: all its reports in the last fifth of the window or after it.
        late_kind = kinds[-1] if kinds and rng.random() < 0.15 else None
        if late_kind is not None:
            self.tags.append("kind appearing late")
        for input_id, kind in streams:
            self.progress += self.stream_rows(input_id, kind, counters, cap, late=kind == late_kind)

    def late_time(self):
        """An event in the last fifth of the window, or after its end."""
        rng = self.rng
        span = max(self.w_end - self.w_start, 1)
        return min(max(self.w_end - span // 5 + rng.randint(0, span // 2), MIN_US), MAX_US)

    def stream_rows(self, input_id, kind, counters, cap, late=False):
        """Cumulative snapshots of one stream, with retries, re-sends and ties."""
        rng = self.rng
        m = rng.choices([1, rng.randint(2, 8), rng.randint(9, 40)], [30, 55, 15])[0]
        times = sorted((self.late_time() if late else self.event_time()) for _ in range(m))
        if counters == "small":
            base = 0
        elif counters == "2^40":
            base = 2**40 - rng.randint(0, 2**20)
        else:
            base = cap - rng.randint(0, 1000)
        s = f = 0
        rows = []
        for t in times:
            r = rng.random()
            if r < 0.08:
                s = f = 0                        # the input was retried from scratch
            elif r < 0.15 and rows:
                pass                             # the same snapshot re-sent
            else:
                s += rng.randint(0, 50)
                f += rng.choice([0, 0, 0, 1, 2])
            if r > 0.9 and rows:
                t = rows[-1][2]                  # a tie on created_at, broken by id
            rows.append((input_id, kind, t, self.metrics(min(base + s, cap), min(base + f, cap))))
        return rows

    def metrics(self, s, f):
        rng = self.rng
        form = rng.choices(["both", "no_failed", "no_success", "extra", "decimal"], [60, 12, 8, 12, 8])[0]
        if form == "no_failed" and f == 0:
            return '{"success": %d}' % s
        if form == "no_success" and s == 0:
            return '{"failed": %d}' % f
        if form == "extra":
            return '{"success": %d, "failed": %d, "tokens": %d, "note": "x", "ratio": 0.5}' % (s, f, s * 7)
        if form == "decimal" and s < 10**15:
            return '{"success": %d.0, "failed": %de0}' % (s, f)
        return '{"success": %d, "failed": %d}' % (s, f)

    # -- SQL ----------------------------------------------------------------
    def sql(self):
        rng = self.rng
        clock = Clock(self.live)
        finished = self.end if self.status in TERMINAL else None
        out = ["INSERT INTO jobs.jobs (id, tenant_id, status, created_at, started_at, finished_at) "
               "VALUES (%s, 'tenant_diff', %s, %s, %s, %s);" % (
                   lit(self.id), lit(self.status), clock.sql(self.created),
                   clock.sql(self.started_at), clock.sql(finished))]
        if self.inputs and self.api:
            out += self.api_inputs(clock)
        elif self.inputs:
            out.append("INSERT INTO jobs.job_inputs (job_id, id, status, completed_at) VALUES\n  " +
                       ",\n  ".join("(%s, %s, %s, %s)" % (lit(self.id), lit(i), lit(st), clock.sql(at))
                                    for i, st, at in self.inputs) + ";")
        rows = list(self.progress)
        order = rng.choices(["in order", "shuffled", "reversed"], [60, 30, 10])[0]
        if order == "shuffled":
            rng.shuffle(rows)                    # later snapshots may arrive first (lower id)
        elif order == "reversed":
            rows.reverse()
        # Rows written after the others, each set in statements of its own:
        # a backfill of the oldest reports, or single stragglers landing
        # between two snapshots of their stream (both also after the job
        # finished, since the job row says so from the start).
        # Or the rows in statements of 1 to 16 rows, in their order: after
        # the first, small batches of known kinds, at the tail when the rows
        # are in order (the C path of maintenance), with late rows otherwise.
        late = []
        arrival = rng.choices(["together", "backfill", "stragglers", "chunks"], [55, 15, 15, 15])[0]
        if rows and arrival == "backfill":
            by_time = sorted(range(len(rows)), key=lambda i: rows[i][2])
            held = set(by_time[:max(1, len(rows) // 3)])
            late = [[rows[i] for i in sorted(held)]]
            rows = [r for i, r in enumerate(rows) if i not in held]
        elif rows and arrival == "stragglers":
            for _ in range(rng.randint(1, 3)):
                if len(rows) > 1:
                    late.append([rows.pop(rng.randrange(len(rows)))])
        elif rows and arrival == "chunks" and len(rows) <= 2000:
            chunks = []
            while rows:
                size = rng.randint(1, 16)
                chunks.append(rows[:size])
                rows = rows[size:]
            rows, late = chunks[0], chunks[1:]
        if late:
            self.tags.append("arrival " + arrival)
        if rows:
            if order != "in order":
                self.tags.append("arrival " + order)
        for batch in [rows] + late:
            for chunk in range(0, len(batch), 1000):
                if self.api:
                    out.append(self.api_progress(clock, batch[chunk:chunk + 1000]))
                    continue
                out.append("INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics) VALUES\n  " +
                           ",\n  ".join("(%s, %s, %s, %s, %s)" % (
                               lit(self.id), "NULL" if i is None else lit(i), lit(k), clock.sql(t), lit(m))
                               for i, k, t, m in batch[chunk:chunk + 1000]) + ";")
        self.tags.append("%d inputs, %d progress rows" % (len(self.inputs), len(self.progress)))
        out.append("INSERT INTO difftest.shapes VALUES (%s, %s);" % (lit(self.id), lit(", ".join(self.tags))))
        for b in self.buckets:
            out.append("INSERT INTO difftest.cases (job_id, buckets) VALUES (%s, %s);" % (
                lit(self.id), "NULL" if b is None else b))
        if self.use_default:
            out.append("INSERT INTO difftest.cases (job_id, buckets, use_default) VALUES (%s, NULL, true);"
                       % lit(self.id))
        for b, zoom_from, zoom_to in self.zoom_cases():
            out.append("INSERT INTO difftest.cases (job_id, buckets, zoomed, zoom_from, zoom_to) "
                       "VALUES (%s, %s, true, %s, %s);" % (lit(self.id), "NULL" if b is None else b,
                                                           clock.sql(zoom_from), clock.sql(zoom_to)))
        return "\n".join(out)

    # -- the write API with the sibling fields (contract §7.1) ---------------
    def api_inputs(self, clock):
        """add_inputs per status group (pending, reference) with port names,
        file ids, data and created_at, then start_input for the processing
        ones and finish_input (some with an error_message) for the finished."""
        frng = random.Random("%s/fields" % self.id)
        out = []
        for status in ("pending", "reference"):
            group = [i for i, st, _ in self.inputs if (st == "reference") == (status == "reference")]
            if not group:
                continue
            ports = [frng.choice(["left", "right", None, "in é"]) for _ in group]
            files = [frng.choice([None, "file-%d" % frng.randint(0, 99), "f/%s" % i]) for i in group]
            data = [frng.choice([None, '{"rows": %d}' % frng.randint(0, 9), '[1, "x"]', '"s"', "null"])
                    for _ in group]
            created = [frng.choice([None, self.event_time_of(frng)]) for _ in group]
            args = [array_sql([lit(i) for i in group], "text"),
                    lit(status),
                    array_sql([lit_or_null(v) for v in ports], "text"),
                    array_sql([lit_or_null(v) for v in files], "text"),
                    array_sql([lit_or_null(v) for v in data], "jsonb"),
                    array_sql([clock.sql(t) for t in created], "timestamptz")]
            if frng.random() < 0.3:   # a retry of the same call adds nothing
                out.append("SELECT jobs.add_inputs(%s, %s);" % (lit(self.id), ", ".join(args)))
            out.append("SELECT jobs.add_inputs(%s, %s);" % (lit(self.id), ", ".join(args)))
        for i, st, at in self.inputs:
            if st == "processing":
                out.append("SELECT jobs.start_input(%s, %s);" % (lit(self.id), lit(i)))
            elif st in ("completed", "failed"):
                msg = frng.choice([None, "boom: %s" % i, 'quo"te ✓'] if st == "failed" else [None, None, "slow"])
                out.append("SELECT jobs.finish_input(%s, %s, %s, %s, %s);" % (
                    lit(self.id), lit(i), lit(st), clock.sql(at), lit_or_null(msg)))
        return out

    def event_time_of(self, frng):
        return min(max(self.w_start + frng.randint(0, max(self.w_end - self.w_start, 1)), MIN_US), MAX_US)

    def api_progress(self, clock, rows):
        """One report_progress call for rows, in their order (so their ids
        follow it as with an INSERT), with steps, messages, payloads and an
        index that tells every report apart (none is a duplicate, §7.3)."""
        frng = random.Random("%s/progress/%d" % (self.id, len(rows)))
        n = len(rows)
        steps = [frng.choice([None, frng.randint(-3, 10**12)]) for _ in rows]
        messages = [frng.choice([None, "step done", "é ✓ 日本", 'a "quoted" \\ msg']) for _ in rows]
        payloads = [frng.choice([None, '{"tokens": %d}' % frng.randint(0, 999), "[]", "true"]) for _ in rows]
        self.api_reports = getattr(self, "api_reports", 0) + n
        indexes = [str(self.api_reports - n + k) for k in range(n)]
        return "SELECT jobs.report_progress(%s);" % ", ".join([
            array_sql([lit(self.id)] * n, "text"),
            array_sql([lit_or_null(i) for i, _, _, _ in rows], "text"),
            array_sql([lit(k) for _, k, _, _ in rows], "text"),
            array_sql([clock.sql(t) for _, _, t, _ in rows], "timestamptz"),
            array_sql([lit(m) for _, _, _, m in rows], "jsonb"),
            array_sql(["NULL" if v is None else str(v) for v in steps], "bigint"),
            array_sql([lit_or_null(v) for v in messages], "text"),
            array_sql([lit_or_null(v) for v in payloads], "jsonb"),
            array_sql(indexes, "bigint")])

    def zoom_cases(self):
        """Zoom windows (docs/contract.md §2.13) on this job: inside it, from or to alone,
        wider, shorter than a second, at its edges, inverted and outside it. Drawn from
        a generator of their own, so the jobs a seed makes stay what they were."""
        zrng = random.Random("%s/zoom" % self.id)
        span = self.w_end - self.w_start

        def inside():
            return self.w_start + zrng.randint(0, span)

        def near_edge():
            n = clamp_buckets(zrng.choice(self.buckets))
            return self.w_start + (zrng.randint(0, n - 1) + 1) * span // n + zrng.choice([-1, 0, 1])

        def clamp(us):
            return min(max(us, MIN_US), MAX_US)

        cases = []
        for _ in range(2):
            a, b = sorted([inside(), inside()])
            kind = zrng.choice(["inside", "from only", "to only", "wider", "subsecond", "edges",
                                "inverted", "outside", "to at end", "event edges"])
            if kind == "inside":
                z = (a, b if b > a else None)
            elif kind == "from only":
                z = (a, None)
            elif kind == "to only":
                z = (None, b)
            elif kind == "wider":
                z = (self.w_start - zrng.randint(0, span + 1), self.w_end + zrng.randint(1, span + 1))
            elif kind == "subsecond":
                z = (a, a + zrng.randint(1, US - 1))
            elif kind == "edges":
                z = (near_edge(), near_edge())
            elif kind == "inverted":
                z = (b, a)
            elif kind == "outside":
                z = zrng.choice([(self.w_end, None), (None, self.w_start), (self.w_end + 1, self.w_end + US)])
            elif kind == "to at end":
                z = (a, self.w_end)
            else:  # event edges: bounds on an event's time, or one microsecond off
                times = [t for _, _, t in self.inputs if t is not None] + [t for _, _, t, _ in self.progress]
                pick = lambda: zrng.choice(times) + zrng.choice([-1, 0, 1]) if times else inside()
                z = tuple(sorted([pick(), pick()]))
            zoom_from, zoom_to = (None if t is None else clamp(t) for t in z)
            cases.append((zrng.choice(self.buckets), zoom_from, zoom_to))
        return cases


def big_job(rng, job_id):
    """Enough rows to cross the extension's batches of 8192 rows inside a stream."""
    job = Job(rng, job_id)
    job.buckets = [10, None]
    job.use_default = False
    job.tags.append("big")
    job.make_inputs(3000)
    for input_id, _, _ in job.inputs:
        times = sorted(job.event_time() for _ in range(3))
        job.progress += [(input_id, "inference", t, '{"success": %d, "failed": %d}' % (j + 1, j % 2))
                         for j, t in enumerate(times)]
    job.progress += job.stream_rows(None, "inference", "small", 10**6)
    return job


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--jobs", type=int, default=300)
    ap.add_argument("--writes", choices=["1.0", "1.1"], default="1.1",
                    help="1.0: every job by INSERTs of 1.0's columns; 1.1: about half through the write API "
                         "with the sibling fields")
    args = ap.parse_args()
    rng = random.Random(args.seed)

    print("-- differential test data, seed %d, %d jobs" % (args.seed, args.jobs))
    print("BEGIN;")
    for n in range(args.jobs):
        job_id = "job_%d_%04d" % (args.seed, n)
        if rng.random() < 0.03:
            job_id = rng.choice(ODD_IDS) + "_%d" % n
        if n == 0 and args.jobs >= 50:
            job = big_job(rng, job_id)
        else:
            job = Job(rng, job_id)
            shape = rng.choices(["full", "inputs only", "progress only", "empty"], [75, 8, 10, 7])[0]
            if shape != "full":
                job.tags.append(shape)
            if shape in ("full", "inputs only"):
                job.make_inputs()
            if shape in ("full", "progress only"):
                job.make_progress()
        job.api = (args.writes == "1.1" and "big" not in job.tags
                   and random.Random("%s/api" % job.id).random() < 0.5)
        if job.api:
            job.tags.append("written through the API with sibling fields")
        print(job.sql())
    print("COMMIT;")


if __name__ == "__main__":
    main()
