/*
 * Reading one job's rows with SPI: kept plans, read-only (so every query
 * sees the calling statement's snapshot). The job row is read as the
 * caller, under its grants and row-level security (traces_require_job);
 * the callers run the latest-event probe and the row reads as the tables'
 * owner, after that one check (owner_access.c). The many rows (finished inputs,
 * progress) go straight from the executor into a DestReceiver of ours, which
 * hands them to the engine in fixed-size batches: no tuple is copied or
 * formed, and memory does not grow with the number of rows.
 */
#include "glue.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "executor/tuptable.h"
#include "nodes/params.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

/* Rows per call into the engine: amortises the call, stays in cache. */
#define TRACES_BATCH_ROWS 8192

/*
 * No status list here: a job has finished_at exactly when its status is
 * terminal (CHECK jobs_finished_at_iff_terminal, built from the one list in
 * jobs_internal.terminal_job_statuses()), so finished_at alone says where
 * the trace ends.
 */
static const char *const job_sql =
	"SELECT created_at, started_at, finished_at FROM jobs.jobs WHERE id = $1";

/*
 * The ETag's query is the SQL function's own (one definition); being a
 * single-expression SQL function it is inlined into this plan, so the two
 * index probes are planned here as if written out.
 */
static const char *const latest_sql = "SELECT jobs.latest_event_at($1)";

/*
 * The index's columns in its order (job_inputs_finished_idx), so that rows
 * come over without a projection; the receiver tells failed from completed.
 */
static const char *const files_sql =
	"SELECT job_id, completed_at, status FROM jobs.job_inputs"
	" WHERE job_id = $1 AND completed_at IS NOT NULL";

#define FILES_COMPLETED_AT	1
#define FILES_STATUS		2
#define FILES_COLUMNS		3

/*
 * Stream order, served by job_progress_stream_idx without a sort. The
 * columns keep their own collation, the index's: any deterministic collation
 * keeps each (input_id, kind) stream contiguous, which is all the builder
 * needs (it sorts kinds by bytes itself). COLLATE "C" here would not match
 * the index unless the database collation is C, and costs a full sort.
 * The select list is the index's columns in the index's order, so the
 * index-only scan hands its rows over as they are: no projection, and no
 * junk column (`id`, needed by ORDER BY) to filter out of every row.
 */
static const char *const progress_sql =
	"SELECT job_id, input_id, kind, created_at, id, success, failed FROM jobs.job_progress"
	" WHERE job_id = $1"
	" ORDER BY input_id, kind, created_at, id";

/* Columns of progress_sql (0-based), the index's own layout. */
#define PROGRESS_INPUT_ID	1
#define PROGRESS_KIND		2
#define PROGRESS_CREATED_AT 3
#define PROGRESS_SUCCESS	5
#define PROGRESS_FAILED		6
#define PROGRESS_COLUMNS	7

static SPIPlanPtr job_plan, latest_plan, files_plan, progress_plan;

/* The plan of `sql` over `nargs` parameters, prepared once per backend. */
SPIPlanPtr
traces_kept_plan(SPIPlanPtr *slot, const char *sql, int nargs, Oid *argtypes)
{
	if (*slot == NULL)
	{
		SPIPlanPtr	plan = SPI_prepare(sql, nargs, argtypes);

		if (plan == NULL)
			elog(ERROR, "traces: SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
		if (SPI_keepplan(plan) != 0)
			elog(ERROR, "traces: SPI_keepplan failed");
		*slot = plan;
	}
	return *slot;
}

static SPIPlanPtr
kept_plan(SPIPlanPtr *slot, const char *sql)
{
	Oid			argtypes[1] = {TEXTOID};

	return traces_kept_plan(slot, sql, 1, argtypes);
}

static void
run_for_job(SPIPlanPtr *slot, const char *sql, text *job_id)
{
	Oid			type = TEXTOID;
	Datum		arg = PointerGetDatum(job_id);
	int			rc = traces_execute_plan(kept_plan(slot, sql), 1, &type, &arg, 2);

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
	bool		isnull, started_null, finished_null;
	TimestampTz created, started, finished, end;

	run_for_job(&job_plan, job_sql, job_id);
	/* Missing, or hidden by row-level security: the same answer (contract §3). */
	if (SPI_processed == 0)
		traces_raise_pt("PT404",
						psprintf("job \"%s\" not found",
								 traces_echoed_id(VARDATA_ANY(job_id), VARSIZE_ANY_EXHDR(job_id))));

	tuple = SPI_tuptable->vals[0];
	desc = SPI_tuptable->tupdesc;
	created = get_time(tuple, desc, 1, &isnull);
	started = get_time(tuple, desc, 2, &started_null);
	finished = get_time(tuple, desc, 3, &finished_null);

	/* Terminal jobs, and only they, end at finished_at; live ones at now(). */
	end = finished_null ? GetCurrentTransactionStartTimestamp() : finished;
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

/*
 * An error raised while one of the readers' statements runs (a cancel, a
 * bound the rows pass) is the trace's error, not the statement's: SPI's
 * CONTEXT line quoting the statement's text (and any line from within it)
 * is dropped, so that the error reads the same whichever path read the job
 * (docs/contract.md §11.7) and no internal query shows. The lines of the
 * callers' contexts stay.
 */
static void
drop_statement_context(ErrorData *edata)
{
	static const char prefix[] = "SQL statement \"";
	char	   *line = edata->context;

	while (line != NULL && *line != '\0')
	{
		char	   *end = strchr(line, '\n');

		if (strncmp(line, prefix, sizeof(prefix) - 1) == 0)
		{
			char	   *rest = end ? pstrdup(end + 1) : NULL;

			pfree(edata->context);
			edata->context = (rest != NULL && *rest != '\0') ? rest : NULL;
			return;
		}
		line = end ? end + 1 : NULL;
	}
}

/* Runs a plan read-only; an error it raises is rethrown as above. */
static int
execute_read_only(SPIPlanPtr plan, const SPIExecuteOptions *options)
{
	MemoryContext cxt = CurrentMemoryContext;
	int			rc = 0;

	PG_TRY();
	{
		rc = SPI_execute_plan_extended(plan, options);
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		MemoryContextSwitchTo(cxt);
		edata = CopyErrorData();
		FlushErrorState();
		drop_statement_context(edata);
		ReThrowError(edata);
	}
	PG_END_TRY();
	return rc;
}

/* A kept plan run read-only with `nargs` constant parameters, up to `count` rows into SPI_tuptable. */
int
traces_execute_plan(SPIPlanPtr plan, int nargs, const Oid *types, const Datum *args, long count)
{
	SPIExecuteOptions options;
	ParamListInfo params = makeParamList(nargs);

	for (int i = 0; i < nargs; i++)
		traces_set_param(params, i, types[i], args[i]);
	memset(&options, 0, sizeof(options));
	options.params = params;
	options.read_only = true;
	options.tcount = count;
	return execute_read_only(plan, &options);
}

/*
 * Runs a kept plan read-only over `params`, sending every row to `dest`
 * (SPI's own result table is never filled).
 */
void
traces_run_into(SPIPlanPtr plan, ParamListInfo params, DestReceiver *dest)
{
	SPIExecuteOptions options;
	int			rc;

	memset(&options, 0, sizeof(options));
	options.params = params;
	options.read_only = true;
	options.dest = dest;
	rc = execute_read_only(plan, &options);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "traces: query failed: %s", SPI_result_code_string(rc));
}

/* A constant, non-null parameter of a kept plan. */
void
traces_set_param(ParamListInfo params, int i, Oid type, Datum value)
{
	params->params[i].value = value;
	params->params[i].isnull = false;
	params->params[i].pflags = PARAM_FLAG_CONST;
	params->params[i].ptype = type;
}

/* A kept plan for the job, every row to `dest`. */
static void
run_into(SPIPlanPtr *slot, const char *sql, text *job_id, DestReceiver *dest)
{
	ParamListInfo params = makeParamList(1);

	traces_set_param(params, 0, TEXTOID, PointerGetDatum(job_id));
	traces_run_into(kept_plan(slot, sql), params, dest);
	pfree(params);
}

static void
receiver_startup(DestReceiver *self, int operation, TupleDesc typeinfo)
{
}

static void
receiver_noop(DestReceiver *self)
{
}

void
traces_init_receiver(DestReceiver *pub, bool (*receive) (TupleTableSlot *, DestReceiver *))
{
	pub->receiveSlot = receive;
	pub->rStartup = receiver_startup;
	pub->rShutdown = receiver_noop;
	pub->rDestroy = receiver_noop;
	/*
	 * Only a tag here, but SPI reads it: DestNone would make it report a
	 * discarded result, DestSPI would make it look for its own result
	 * table. plpgsql's RETURN QUERY receiver is tagged like this too.
	 */
	pub->mydest = DestTuplestore;
}

/* The bytes of a text value, as an unaligned short or plain varlena. */
void
traces_text_bytes(Datum d, const char **data, size_t *len)
{
	struct varlena *v = (struct varlena *) DatumGetPointer(d);

	/*
	 * Compressed or external values (long ids) are expanded in the current
	 * memory context (the progress receiver's batch context).
	 */
	if (VARATT_IS_EXTENDED(v) && !VARATT_IS_SHORT(v))
		v = pg_detoast_datum_packed(v);
	*data = VARDATA_ANY(v);
	*len = VARSIZE_ANY_EXHDR(v);
}

/* Finished inputs: (completed_at, failed) pairs, in batches. */
typedef struct FilesReceiver
{
	DestReceiver pub;
	tr_trace   *trace;
	int			n;
	int64		at[TRACES_BATCH_ROWS];
	bool		failed[TRACES_BATCH_ROWS];
} FilesReceiver;

static void
flush_files(FilesReceiver *r)
{
	tr_error	err;

	if (r->n > 0 && !tr_trace_add_files(r->trace, r->at, r->failed, r->n, &err))
		traces_raise(&err);
	r->n = 0;
	/* Between batches, from a C frame: a cancel may longjmp from here. */
	CHECK_FOR_INTERRUPTS();
}

static bool
receive_file(TupleTableSlot *slot, DestReceiver *self)
{
	FilesReceiver *r = (FilesReceiver *) self;

	const char *status;
	size_t		len;

	slot_getsomeattrs(slot, FILES_COLUMNS);
	r->at[r->n] = timestamptz_to_unix_us(DatumGetTimestampTz(slot->tts_values[FILES_COMPLETED_AT]));
	/* A finished input is 'completed' or 'failed' (CHECK constraints). */
	traces_text_bytes(slot->tts_values[FILES_STATUS], &status, &len);
	r->failed[r->n] = (len == 6 && memcmp(status, "failed", 6) == 0);
	if (++r->n == TRACES_BATCH_ROWS)
		flush_files(r);
	return true;
}

static void
read_files(const TracedJob *job, tr_trace *trace)
{
	FilesReceiver *r = palloc(sizeof(FilesReceiver));

	traces_init_receiver(&r->pub, receive_file);
	r->trace = trace;
	r->n = 0;
	run_into(&files_plan, files_sql, job->id, &r->pub);
	flush_files(r);
	pfree(r);
}

/*
 * Progress rows, in stream order. The row values point into the scan's
 * current index tuple, valid only during the callback: the engine gets
 * copies of the two strings, made once per stream (a row of the stream
 * before it reuses them), in a context reset after each batch.
 */
typedef struct ProgressReceiver
{
	DestReceiver pub;
	tr_trace   *trace;
	MemoryContext batch_cxt;
	int			n;
	tr_progress_row rows[TRACES_BATCH_ROWS];
} ProgressReceiver;

static void
flush_progress(ProgressReceiver *r)
{
	tr_error	err;

	if (r->n > 0 && !tr_trace_add_progress(r->trace, r->rows, r->n, &err))
		traces_raise(&err);
	traces_next_batch(&r->n, r->batch_cxt);
}

/* After a batch went to the core: empty, its copies freed, a chance to cancel. */
void
traces_next_batch(int *n, MemoryContext batch_cxt)
{
	*n = 0;
	MemoryContextReset(batch_cxt);
	/* Between batches, from a C frame: a cancel may longjmp from here. */
	CHECK_FOR_INTERRUPTS();
}

/* `prev`'s copy when it holds the same bytes, else a new copy. */
const char *
traces_stream_copy(MemoryContext cxt, const char *data, size_t len, const char *prev, size_t prev_len)
{
	char	   *copy;

	if (prev != NULL && prev_len == len && memcmp(prev, data, len) == 0)
		return prev;
	copy = MemoryContextAlloc(cxt, len + 1);
	memcpy(copy, data, len);
	copy[len] = '\0';
	return copy;
}

static bool
receive_progress(TupleTableSlot *slot, DestReceiver *self)
{
	ProgressReceiver *r = (ProgressReceiver *) self;
	tr_progress_row *row = &r->rows[r->n];
	const tr_progress_row *prev = r->n > 0 ? row - 1 : NULL;
	MemoryContext old = MemoryContextSwitchTo(r->batch_cxt);
	const char *data;
	size_t		len;

	slot_getsomeattrs(slot, PROGRESS_COLUMNS);
	row->input_is_null = slot->tts_isnull[PROGRESS_INPUT_ID];
	if (row->input_is_null)
	{
		row->input_id = NULL;
		row->input_len = 0;
	}
	else
	{
		traces_text_bytes(slot->tts_values[PROGRESS_INPUT_ID], &data, &len);
		row->input_id = traces_stream_copy(r->batch_cxt, data, len,
									prev && !prev->input_is_null ? prev->input_id : NULL,
									prev ? prev->input_len : 0);
		row->input_len = len;
	}
	traces_text_bytes(slot->tts_values[PROGRESS_KIND], &data, &len);
	row->kind = traces_stream_copy(r->batch_cxt, data, len, prev ? prev->kind : NULL,
							prev ? prev->kind_len : 0);
	row->kind_len = len;
	row->created_at_us = timestamptz_to_unix_us(DatumGetTimestampTz(slot->tts_values[PROGRESS_CREATED_AT]));
	/* Generated from metrics, never null: 0 if ever they were. */
	row->success = slot->tts_isnull[PROGRESS_SUCCESS] ? 0
		: DatumGetInt64(slot->tts_values[PROGRESS_SUCCESS]);
	row->failed = slot->tts_isnull[PROGRESS_FAILED] ? 0
		: DatumGetInt64(slot->tts_values[PROGRESS_FAILED]);
	MemoryContextSwitchTo(old);
	if (++r->n == TRACES_BATCH_ROWS)
		flush_progress(r);
	return true;
}

static void
read_progress(const TracedJob *job, tr_trace *trace, MemoryContext batch_cxt)
{
	ProgressReceiver *r = palloc(sizeof(ProgressReceiver));

	traces_init_receiver(&r->pub, receive_progress);
	r->trace = trace;
	r->batch_cxt = batch_cxt;
	r->n = 0;
	run_into(&progress_plan, progress_sql, job->id, &r->pub);
	flush_progress(r);
	pfree(r);
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
