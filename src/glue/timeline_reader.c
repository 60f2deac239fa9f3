/*
 * A trace from the job's timeline (docs/contract.md §11.7) instead of its
 * rows: for each point, one backward probe of the file timeline and one of
 * each kind's timeline, "the last row at or before t_k", whose values are
 * what the point shows. The cost is points × kinds index probes, whatever
 * the number of rows behind them.
 *
 * One kept plan does every probe of a trace: the point times go in as an
 * array, and the rows (one per point for the files, one per kind and point
 * for the items) stream from the executor into a DestReceiver of ours,
 * which hands them to the core in batches, so memory holds the answer's
 * cells and never the job's rows. Like the scan (job_reader.c), it runs
 * inside SPI, read-only, as the tables' owner after the caller's
 * visibility check (owner_access.c), and so sees the calling statement's
 * snapshot: the triggers that keep the timeline write in the writer's
 * transaction, so any snapshot sees a timeline equal to the rows it sees.
 */
#include "glue.h"

#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

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

/*
 * $1 the job, $2 each point's probe time ('infinity' for a last point that
 * takes every row, contract §2.5). The job's kinds come from the kind
 * timeline's own primary key, one probe per kind (a skip scan), so that
 * exactly the kinds with rows are met, as the scan meets them. Each point's
 * probe reads the probe_key index backwards from the probe time: its key is
 * a hash of the job (and kind), fixed-width like the time after it, so a
 * descent compares no text (60_timeline.sql). The rows it meets are then
 * filtered on the job and kind themselves, so a pair sharing the hash is
 * walked over, never taken. The filter stays in the probe's own WHERE, with
 * no OFFSET 0 fence: behind a fence, a plan made before the tables had
 * statistics read and sorted every row of the key below the time (1.5 s a
 * trace of a fresh 40,000-row job), where this one is one backward walk of
 * either index whatever the statistics. A stored total
 * past 2^63-1 comes as `fits` false (the core refuses it where the scan
 * would); a kind with no row yet at a point comes with null values.
 */
static const char *const values_sql =
	"WITH RECURSIVE kinds(kind) AS ("
	"   SELECT min(t.kind) FROM jobs_internal.kind_timeline t WHERE t.job_id = $1"
	"  UNION ALL"
	"   SELECT (SELECT min(t.kind) FROM jobs_internal.kind_timeline t"
	"           WHERE t.job_id = $1 AND t.kind > k.kind)"
	"   FROM kinds k WHERE k.kind IS NOT NULL),"
	" points(at, point) AS (SELECT p.at, (p.n - 1)::integer FROM unnest($2::timestamptz[]) WITH ORDINALITY p(at, n))"
	" SELECT NULL::text, p.point, true, true, f.completed, f.failed"
	" FROM points p CROSS JOIN LATERAL ("
	"   SELECT t.completed, t.failed FROM jobs_internal.file_timeline t"
	"   WHERE t.probe_key = hashtextextended($1, 0) AND t.completed_at <= p.at AND t.job_id = $1"
	"   ORDER BY t.probe_key DESC, t.completed_at DESC, t.input_id DESC LIMIT 1) f"
	" UNION ALL"
	" SELECT k.kind, p.point, v.success IS NOT NULL,"
	"        coalesce(v.success <= 9223372036854775807 AND v.failed <= 9223372036854775807, true),"
	"        least(v.success, 9223372036854775807)::bigint, least(v.failed, 9223372036854775807)::bigint"
	" FROM (SELECT k.kind, hashtextextended(k.kind, hashtextextended($1, 0)) AS probe_key"
	"       FROM kinds k WHERE k.kind IS NOT NULL) k"
	" CROSS JOIN points p LEFT JOIN LATERAL ("
	"   SELECT t.success, t.failed FROM jobs_internal.kind_timeline t"
	"   WHERE t.probe_key = k.probe_key AND t.created_at <= p.at AND t.job_id = $1 AND t.kind = k.kind"
	"   ORDER BY t.probe_key DESC, t.created_at DESC, t.id DESC LIMIT 1) v ON true";

#define VALUE_KIND		0
#define VALUE_POINT		1
#define VALUE_FOUND		2
#define VALUE_FITS		3
#define VALUE_SUCCESS	4
#define VALUE_FAILED	5
#define VALUE_COLUMNS	6

static SPIPlanPtr latest_plan, pending_plan, values_plan;

/*
 * Whether the timeline may be read here: the schema has it (a library newer
 * than the installed SQL, docs/versions.md, has none) and the role reading
 * (the tables' owner, unless they were re-owned apart) may read it.
 */
static bool
timeline_readable(void)
{
	static const char *const tables[] = {"kind_timeline", "file_timeline", "timeline_pending"};
	Oid			nsp = get_namespace_oid("jobs_internal", true);

	if (!OidIsValid(nsp))
		return false;
	for (int i = 0; i < lengthof(tables); i++)
	{
		Oid			relid = get_relname_relid(tables[i], nsp);

		if (!OidIsValid(relid) || pg_class_aclcheck(relid, GetUserId(), ACL_SELECT) != ACLCHECK_OK)
			return false;
	}
	return true;
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

/* Point k's probe time, 'infinity' where the point takes every row. */
static ArrayType *
probe_times(const tr_trace *trace)
{
	int32		n = tr_timeline_points(trace);
	Datum	   *times = palloc(sizeof(Datum) * n);
	ArrayType  *array;

	for (int32 k = 0; k < n; k++)
	{
		tr_error	err;
		int64		t_us;
		bool		every_row;

		if (!tr_timeline_probe_time(trace, k, &t_us, &every_row, &err))
			traces_raise(&err);
		times[k] = TimestampTzGetDatum(every_row ? DT_NOEND : unix_us_to_timestamptz(t_us));
	}
	array = construct_array(times, n, TIMESTAMPTZOID, sizeof(TimestampTz), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE);
	pfree(times);
	return array;
}

/* The probes' rows, to the core in batches; kind names copied once per kind. */
typedef struct ValuesReceiver
{
	DestReceiver pub;
	tr_trace   *trace;
	MemoryContext batch_cxt;
	int			n;
	tr_timeline_value values[TIMELINE_BATCH];
} ValuesReceiver;

static void
flush_values(ValuesReceiver *r)
{
	tr_error	err;

	if (r->n > 0 && !tr_timeline_add(r->trace, r->values, r->n, &err))
		traces_raise(&err);
	traces_next_batch(&r->n, r->batch_cxt);
}

static int64
int64_or_zero(TupleTableSlot *slot, int column)
{
	return slot->tts_isnull[column] ? 0 : DatumGetInt64(slot->tts_values[column]);
}

static bool
receive_value(TupleTableSlot *slot, DestReceiver *self)
{
	ValuesReceiver *r = (ValuesReceiver *) self;
	tr_timeline_value *v = &r->values[r->n];
	const tr_timeline_value *prev = r->n > 0 ? v - 1 : NULL;

	slot_getsomeattrs(slot, VALUE_COLUMNS);
	v->kind = NULL;
	v->kind_len = 0;
	if (!slot->tts_isnull[VALUE_KIND])
	{
		MemoryContext old = MemoryContextSwitchTo(r->batch_cxt);
		const char *data;
		size_t		len;

		traces_text_bytes(slot->tts_values[VALUE_KIND], &data, &len);
		v->kind = traces_stream_copy(r->batch_cxt, data, len, prev ? prev->kind : NULL,
									 prev ? prev->kind_len : 0);
		v->kind_len = len;
		MemoryContextSwitchTo(old);
	}
	v->point = DatumGetInt32(slot->tts_values[VALUE_POINT]);
	v->found = DatumGetBool(slot->tts_values[VALUE_FOUND]);
	v->fits = DatumGetBool(slot->tts_values[VALUE_FITS]);
	v->success = int64_or_zero(slot, VALUE_SUCCESS);
	v->failed = int64_or_zero(slot, VALUE_FAILED);
	if (++r->n == TIMELINE_BATCH)
		flush_values(r);
	return true;
}

static void
read_values(const TracedJob *job, tr_trace *trace)
{
	Oid			argtypes[2] = {TEXTOID, TIMESTAMPTZARRAYOID};
	ParamListInfo params = makeParamList(2);
	ValuesReceiver *r = palloc(sizeof(ValuesReceiver));

	traces_set_param(params, 0, TEXTOID, PointerGetDatum(job->id));
	traces_set_param(params, 1, TIMESTAMPTZARRAYOID, PointerGetDatum(probe_times(trace)));
	traces_init_receiver(&r->pub, receive_value);
	r->trace = trace;
	r->batch_cxt = AllocSetContextCreate(CurrentMemoryContext, "traces timeline batch", ALLOCSET_DEFAULT_SIZES);
	r->n = 0;
	traces_run_into(traces_kept_plan(&values_plan, values_sql, 2, argtypes), params, &r->pub);
	flush_values(r);
	MemoryContextDelete(r->batch_cxt);
	pfree(r);
	pfree(params);
}

tr_trace *
traces_read_timeline(const TracedJob *job, int32 buckets, const tr_memory *memory)
{
	tr_error	err;
	tr_trace   *trace;
	int64		latest_us = 0;
	bool		has_latest;

	if (traces_read_path != TRACES_READ_TIMELINE || !timeline_readable() || timeline_pending(job->id))
		return NULL;
	trace = tr_timeline_create_zoomed(job->start_us, job->end_us, buckets, &job->zoom, memory, &err);
	if (trace == NULL)
		traces_raise(&err);
	/* latest_event_at: the ETag's own two index probes. */
	has_latest = latest_event(job->id, &latest_us);
	if (!tr_timeline_set_latest(trace, has_latest, latest_us, &err))
		traces_raise(&err);
	read_values(job, trace);
	return trace;
}
