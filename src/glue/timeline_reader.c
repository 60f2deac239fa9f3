/*
 * A trace from the job's timeline (docs/contract.md §11.7) instead of its
 * rows: for each point, one backward probe of the file timeline and one of
 * each kind's timeline, "the last row at or before t_k", whose values are
 * what the point shows. The cost is at most points × (kinds + 1) index
 * probes, whatever the number of rows behind them.
 *
 * The probes are made directly on the indexes (timeline_probe.c), never
 * left to a planner, in the calling statement's snapshot, as the tables'
 * owner after the caller's visibility check (owner_access.c), exactly what
 * the scan (job_reader.c) sees: the triggers that keep the timeline write in
 * the writer's transaction, so any snapshot sees a timeline equal to the
 * rows it sees. The values go to the core in batches, so memory holds the
 * answer's cells and never the job's rows.
 */
#include "glue.h"

#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/numeric.h"

#include "timeline_probe.h"

/* Values per call into the core. */
#define TIMELINE_BATCH 4096

/*
 * The trace's latest_event_at: the body of jobs.latest_event_at (two index
 * probes, contract §4.3) without its visibility check, which the trace made
 * already (traces_require_job): called as a function, that SQL function is
 * planned again on every call, a tenth of a trace's time.
 */
static const char *const latest_sql =
	"SELECT greatest("
	" (SELECT max(p.created_at) FROM jobs.job_progress p WHERE p.job_id = $1),"
	" (SELECT max(i.completed_at) FROM jobs.job_inputs i WHERE i.job_id = $1 AND i.completed_at IS NOT NULL))";

static const char *const pending_sql =
	"SELECT EXISTS (SELECT FROM jobs_internal.timeline_pending p WHERE p.job_id = $1)";

static SPIPlanPtr latest_plan, pending_plan;

/*
 * Whether the pending list may be read here: the schema has it (a library
 * newer than the installed SQL, docs/versions.md, has none) and the role
 * reading (the tables' owner, unless they were re-owned apart) may read it.
 * The timeline tables themselves are checked as they are opened
 * (timeline_probe.c).
 */
static bool
pending_readable(void)
{
	Oid			nsp = get_namespace_oid("jobs_internal", true);
	Oid			relid = OidIsValid(nsp) ? get_relname_relid("timeline_pending", nsp) : InvalidOid;

	return OidIsValid(relid) && pg_class_aclcheck(relid, GetUserId(), ACL_SELECT) == ACLCHECK_OK;
}

/* A job stored before the timeline existed, not built yet: read by the scan. */
static bool
timeline_pending(text *job_id)
{
	Oid			argtypes[1] = {TEXTOID};
	Datum		arg = PointerGetDatum(job_id);
	bool		isnull;
	int			rc;

	rc = traces_execute_plan(traces_kept_plan(&pending_plan, pending_sql, 1, argtypes), 1, argtypes, &arg, 1);
	if (rc != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "traces: query failed: %s", SPI_result_code_string(rc));
	return DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
}

/* The job's newest event, false when it has none. */
static bool
latest_event(text *job_id, int64 *latest_us)
{
	Oid			argtypes[1] = {TEXTOID};
	Datum		arg = PointerGetDatum(job_id);
	bool		isnull;
	Datum		latest;
	int			rc;

	rc = traces_execute_plan(traces_kept_plan(&latest_plan, latest_sql, 1, argtypes), 1, argtypes, &arg, 1);
	if (rc != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "traces: query failed: %s", SPI_result_code_string(rc));
	latest = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	if (isnull)
		return false;
	*latest_us = timestamptz_to_unix_us(DatumGetTimestampTz(latest));
	return true;
}

/* Point k's probe time, DT_NOEND ('infinity') where the point takes every row. */
static TimestampTz *
probe_times(const tr_trace *trace)
{
	int32		n = tr_timeline_points(trace);
	TimestampTz *times = palloc(sizeof(TimestampTz) * n);

	for (int32 k = 0; k < n; k++)
	{
		tr_error	err;
		int64		t_us;
		bool		every_row;

		if (!tr_timeline_probe_time(trace, k, &t_us, &every_row, &err))
			traces_raise(&err);
		times[k] = every_row ? DT_NOEND : unix_us_to_timestamptz(t_us);
	}
	return times;
}

/* The values of a trace, to the core in batches; kind names copied once per
 * kind and batch. */
typedef struct ValueBatch
{
	tr_trace   *trace;
	MemoryContext batch_cxt;
	int			n;
	tr_timeline_value values[TIMELINE_BATCH];
} ValueBatch;

static void
flush_values(ValueBatch *b)
{
	tr_error	err;

	if (b->n > 0 && !tr_timeline_add(b->trace, b->values, b->n, &err))
		traces_raise(&err);
	traces_next_batch(&b->n, b->batch_cxt);
}

/* What one probe found: the row's time and values, for the point probed. */
typedef struct Probed
{
	bool		found;
	TimestampTz row_at;
	bool		fits;
	int64		success;
	int64		failed;
} Probed;

static void
add_value(ValueBatch *b, const text *kind, int32 point, const Probed *v)
{
	tr_timeline_value *out = &b->values[b->n];
	const tr_timeline_value *prev = b->n > 0 ? out - 1 : NULL;

	out->kind = NULL;
	out->kind_len = 0;
	if (kind != NULL)
	{
		out->kind_len = VARSIZE_ANY_EXHDR(kind);
		out->kind = traces_stream_copy(b->batch_cxt, VARDATA_ANY(kind), out->kind_len,
									   prev ? prev->kind : NULL, prev ? prev->kind_len : 0);
	}
	out->point = point;
	out->found = v->found;
	out->fits = v->found ? v->fits : true;
	out->success = v->found ? v->success : 0;
	out->failed = v->found ? v->failed : 0;
	if (++b->n == TIMELINE_BATCH)
		flush_values(b);
}

/*
 * A kind's stored total as the core takes it: past 2^63-1 it does not fit
 * (the core refuses it where the scan would, contract §11.7); the
 * conversion rounds as a cast to bigint does.
 */
static int64
stored_total(TupleTableSlot *slot, AttrNumber att, Datum int64_max, bool *fits)
{
	bool		isnull;
	Datum		total = slot_getattr(slot, att, &isnull);

	if (!DatumGetBool(DirectFunctionCall2(numeric_le, total, int64_max)))
	{
		*fits = false;
		return PG_INT64_MAX;
	}
	return DatumGetInt64(DirectFunctionCall1(numeric_int8, total));
}

/* One probe's row, read out before the next probe moves the slot. */
static void
read_probed(TimelineTable *t, bool numeric_totals, Datum int64_max, Probed *v)
{
	bool		isnull;

	v->row_at = DatumGetTimestampTz(slot_getattr(t->slot, t->time_att, &isnull));
	v->fits = true;
	if (numeric_totals)
	{
		v->success = stored_total(t->slot, t->success_att, int64_max, &v->fits);
		v->failed = stored_total(t->slot, t->failed_att, int64_max, &v->fits);
	}
	else
	{
		v->success = DatumGetInt64(slot_getattr(t->slot, t->success_att, &isnull));
		v->failed = DatumGetInt64(slot_getattr(t->slot, t->failed_att, &isnull));
	}
}

/*
 * Every point's value of one key (the files: kind NULL; or a kind), from
 * the last point back. A probe's answer is also the answer at an earlier
 * point whose time is not before the row it found (the last row at or
 * before t_{k+1} that is at or before t_k is the last at or before t_k),
 * and "none" at t_{k+1} is "none" at every earlier time: so a key pays one
 * probe per point where its row changes, not per point. The files come
 * only where a row is found (none: no file has finished, the core's zero);
 * a kind comes at every point, found or not (the core learns its kinds
 * from them).
 */
static void
probe_points(ValueBatch *b, TimelineTable *t, int64 probe_key, const text *job, const text *kind,
			 const TimestampTz *times, int32 n, Datum int64_max, MemoryContext probe_cxt)
{
	Probed		v = {0};
	TimestampTz probed_at = 0;
	bool		probed = false;

	for (int32 k = n - 1; k >= 0; k--)
	{
		if (!probed || times[k] > probed_at || (v.found && v.row_at > times[k]))
		{
			v.found = traces_probe_last(t, probe_key, times[k], job, kind, probe_cxt);
			if (v.found)
			{
				MemoryContext old = MemoryContextSwitchTo(probe_cxt);

				read_probed(t, kind != NULL, int64_max, &v);
				MemoryContextSwitchTo(old);
				MemoryContextReset(probe_cxt);
			}
			probed = true;
		}
		probed_at = times[k];
		if (v.found || kind != NULL)
			add_value(b, kind, k, &v);
		CHECK_FOR_INTERRUPTS();
	}
}

static void
read_values(TimelineProbes *p, const text *job, tr_trace *trace)
{
	ValueBatch *b = palloc(sizeof(ValueBatch));
	MemoryContext probe_cxt = AllocSetContextCreate(CurrentMemoryContext, "traces timeline probe",
													ALLOCSET_SMALL_SIZES);
	int32		n = tr_timeline_points(trace);
	TimestampTz *times = probe_times(trace);
	Datum		int64_max = NumericGetDatum(int64_to_numeric(PG_INT64_MAX));
	int64		job_key = traces_probe_key(p->kinds.job_collation, job, 0);
	text	   *kind = NULL;

	b->trace = trace;
	b->batch_cxt = AllocSetContextCreate(CurrentMemoryContext, "traces timeline batch", ALLOCSET_DEFAULT_SIZES);
	b->n = 0;
	probe_points(b, &p->files, traces_probe_key(p->files.job_collation, job, 0), job, NULL, times, n,
				 int64_max, probe_cxt);
	for (;;)
	{
		text	   *next = traces_next_kind(p, job, kind);

		if (kind != NULL)
			pfree(kind);
		kind = next;
		if (kind == NULL)
			break;
		probe_points(b, &p->kinds, traces_probe_key(p->kinds.kind_collation, kind, job_key), job, kind,
					 times, n, int64_max, probe_cxt);
	}
	flush_values(b);
	MemoryContextDelete(b->batch_cxt);
	MemoryContextDelete(probe_cxt);
	pfree(times);
	pfree(b);
}

tr_trace *
traces_read_timeline(const TracedJob *job, int32 buckets, const tr_memory *memory)
{
	tr_error	err;
	tr_trace   *trace;
	int64		latest_us = 0;
	bool		has_latest;
	TimelineProbes probes;

	if (traces_read_path != TRACES_READ_TIMELINE || !pending_readable() || timeline_pending(job->id))
		return NULL;
	if (!traces_open_timeline(&probes))
		return NULL;
	trace = tr_timeline_create_zoomed(job->start_us, job->end_us, buckets, &job->zoom, memory, &err);
	if (trace == NULL)
		traces_raise(&err);
	/* latest_event_at: the ETag's own two index probes. */
	has_latest = latest_event(job->id, &latest_us);
	if (!tr_timeline_set_latest(trace, has_latest, latest_us, &err))
		traces_raise(&err);
	read_values(&probes, (text *) pg_detoast_datum_packed(job->id), trace);
	traces_close_timeline(&probes);
	return trace;
}
