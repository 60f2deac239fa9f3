/*
 * Reading one job's rows with SPI: kept plans, read-only (so every query
 * sees the calling statement's snapshot), row-level security and grants
 * applied as for any query of the caller, and cursors fetched in batches so
 * memory does not grow with the number of rows.
 */
#include "glue.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

/* Rows per fetch: large enough to amortise a call, small enough for cache. */
#define TRACES_BATCH_ROWS 8192

static const char *const job_sql =
	"SELECT status IN ('completed', 'failed', 'cancelled'), created_at, started_at, finished_at"
	" FROM jobs.jobs WHERE id = $1";

static const char *const latest_sql =
	"SELECT greatest("
	" (SELECT max(p.created_at) FROM jobs.job_progress p WHERE p.job_id = $1),"
	" (SELECT max(i.completed_at) FROM jobs.job_inputs i"
	"   WHERE i.job_id = $1 AND i.completed_at IS NOT NULL))";

static const char *const files_sql =
	"SELECT completed_at, status = 'failed' FROM jobs.job_inputs"
	" WHERE job_id = $1 AND completed_at IS NOT NULL";

/*
 * Stream order, served by job_progress_stream_idx without a sort. The
 * columns keep their own collation, the index's: any deterministic collation
 * keeps each (input_id, kind) stream contiguous, which is all the builder
 * needs (it sorts kinds by bytes itself). COLLATE "C" here would not match
 * the index unless the database collation is C, and costs a full sort.
 */
static const char *const progress_sql =
	"SELECT input_id, kind, created_at, success, failed FROM jobs.job_progress"
	" WHERE job_id = $1"
	" ORDER BY input_id, kind, created_at, id";

static SPIPlanPtr job_plan, latest_plan, files_plan, progress_plan;

static SPIPlanPtr
kept_plan(SPIPlanPtr *slot, const char *sql)
{
	if (*slot == NULL)
	{
		Oid			argtypes[1] = {TEXTOID};
		SPIPlanPtr	plan = SPI_prepare(sql, 1, argtypes);

		if (plan == NULL)
			elog(ERROR, "traces: SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
		if (SPI_keepplan(plan) != 0)
			elog(ERROR, "traces: SPI_keepplan failed");
		*slot = plan;
	}
	return *slot;
}

static void
run_for_job(SPIPlanPtr *slot, const char *sql, text *job_id)
{
	Datum		arg = PointerGetDatum(job_id);
	int			rc = SPI_execute_plan(kept_plan(slot, sql), &arg, NULL, true, 2);

	if (rc != SPI_OK_SELECT)
		elog(ERROR, "traces: query failed: %s", SPI_result_code_string(rc));
}

static TimestampTz
get_time(HeapTuple tuple, TupleDesc desc, int attno, bool *isnull)
{
	Datum		d = heap_getattr(tuple, attno, desc, isnull);

	return *isnull ? 0 : DatumGetTimestampTz(d);
}

void
traces_require_job(text *job_id, TracedJob *job)
{
	HeapTuple	tuple;
	TupleDesc	desc;
	bool		terminal, isnull, started_null, finished_null;
	TimestampTz created, started, finished, end;

	run_for_job(&job_plan, job_sql, job_id);
	/* Missing, or hidden by row-level security: the same answer (SPEC §3). */
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_TRACES_NOT_FOUND),
				 errmsg("job \"%s\" not found", text_to_cstring(job_id))));

	tuple = SPI_tuptable->vals[0];
	desc = SPI_tuptable->tupdesc;
	terminal = DatumGetBool(heap_getattr(tuple, 1, desc, &isnull));
	created = get_time(tuple, desc, 2, &isnull);
	started = get_time(tuple, desc, 3, &started_null);
	finished = get_time(tuple, desc, 4, &finished_null);

	/* Terminal jobs end at finished_at (the constraints make it non-null). */
	end = (terminal && !finished_null) ? finished : GetCurrentTransactionStartTimestamp();
	job->id = job_id;
	job->start_us = timestamptz_to_unix_us(started_null ? created : started);
	job->end_us = timestamptz_to_unix_us(end);
}

bool
traces_latest_event(text *job_id, int64 *latest_us)
{
	bool		isnull;
	TimestampTz latest;

	run_for_job(&latest_plan, latest_sql, job_id);
	latest = get_time(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	if (isnull)
		return false;
	*latest_us = timestamptz_to_unix_us(latest);
	return true;
}

/* A text column of a fetched row, without copying unless it is toasted. */
static void
get_text(HeapTuple tuple, TupleDesc desc, int attno, const char **data, size_t *len, bool *isnull)
{
	Datum		d = heap_getattr(tuple, attno, desc, isnull);
	struct varlena *v;

	if (*isnull)
	{
		*data = NULL;
		*len = 0;
		return;
	}
	v = pg_detoast_datum_packed((struct varlena *) DatumGetPointer(d));
	*data = VARDATA_ANY(v);
	*len = VARSIZE_ANY_EXHDR(v);
}

static Portal
open_cursor(SPIPlanPtr *slot, const char *sql, text *job_id)
{
	Datum		arg = PointerGetDatum(job_id);
	Portal		portal = SPI_cursor_open(NULL, kept_plan(slot, sql), &arg, NULL, true);

	if (portal == NULL)
		elog(ERROR, "traces: could not open cursor: %s", SPI_result_code_string(SPI_result));
	return portal;
}

static void
read_files(const TracedJob *job, tr_trace *trace)
{
	Portal		portal = open_cursor(&files_plan, files_sql, job->id);
	int64	   *at = palloc(sizeof(int64) * TRACES_BATCH_ROWS);
	bool	   *failed = palloc(sizeof(bool) * TRACES_BATCH_ROWS);

	for (;;)
	{
		uint64		n;
		tr_error	err;

		SPI_cursor_fetch(portal, true, TRACES_BATCH_ROWS);
		n = SPI_processed;
		if (n == 0)
			break;
		for (uint64 i = 0; i < n; i++)
		{
			HeapTuple	tuple = SPI_tuptable->vals[i];
			bool		isnull;

			at[i] = timestamptz_to_unix_us(get_time(tuple, SPI_tuptable->tupdesc, 1, &isnull));
			failed[i] = DatumGetBool(heap_getattr(tuple, 2, SPI_tuptable->tupdesc, &isnull));
		}
		if (!tr_trace_add_files(trace, at, failed, n, &err))
			traces_raise(&err);
		SPI_freetuptable(SPI_tuptable);
		CHECK_FOR_INTERRUPTS();
	}
	SPI_cursor_close(portal);
	pfree(at);
	pfree(failed);
}

static void
read_progress(const TracedJob *job, tr_trace *trace, MemoryContext batch_cxt)
{
	Portal		portal = open_cursor(&progress_plan, progress_sql, job->id);
	tr_progress_row *rows = palloc(sizeof(tr_progress_row) * TRACES_BATCH_ROWS);

	for (;;)
	{
		uint64		n;
		TupleDesc	desc;
		MemoryContext old;
		tr_error	err;

		SPI_cursor_fetch(portal, true, TRACES_BATCH_ROWS);
		n = SPI_processed;
		if (n == 0)
			break;
		desc = SPI_tuptable->tupdesc;
		/* Detoasted copies, if any, live only as long as the batch. */
		old = MemoryContextSwitchTo(batch_cxt);
		for (uint64 i = 0; i < n; i++)
		{
			HeapTuple	tuple = SPI_tuptable->vals[i];
			tr_progress_row *r = &rows[i];
			bool		isnull;

			get_text(tuple, desc, 1, &r->input_id, &r->input_len, &r->input_is_null);
			get_text(tuple, desc, 2, &r->kind, &r->kind_len, &isnull);
			r->created_at_us = timestamptz_to_unix_us(get_time(tuple, desc, 3, &isnull));
			r->success = DatumGetInt64(heap_getattr(tuple, 4, desc, &isnull));
			r->failed = DatumGetInt64(heap_getattr(tuple, 5, desc, &isnull));
		}
		MemoryContextSwitchTo(old);
		if (!tr_trace_add_progress(trace, rows, n, &err))
			traces_raise(&err);
		MemoryContextReset(batch_cxt);
		SPI_freetuptable(SPI_tuptable);
		CHECK_FOR_INTERRUPTS();
	}
	SPI_cursor_close(portal);
	pfree(rows);
}

void
traces_read_rows(const TracedJob *job, tr_trace *trace)
{
	MemoryContext batch_cxt = AllocSetContextCreate(CurrentMemoryContext, "traces batch",
													ALLOCSET_DEFAULT_SIZES);

	read_files(job, trace);
	read_progress(job, trace, batch_cxt);
	MemoryContextDelete(batch_cxt);
}
