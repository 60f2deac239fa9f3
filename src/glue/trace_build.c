/*
 * From a visible job to its finished trace, shared by every trace function.
 */
#include "glue.h"

#include "executor/spi.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

text *
traces_job_id_arg(FunctionCallInfo fcinfo)
{
	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("job_id must not be null")));
	return PG_GETARG_TEXT_PP(0);
}

int32
traces_buckets_arg(FunctionCallInfo fcinfo)
{
	if (PG_NARGS() < 2 || PG_ARGISNULL(1))
		return tr_clamp_buckets(true, 0);
	return tr_clamp_buckets(false, PG_GETARG_INT32(1));
}

/*
 * A zoom bound in Unix microseconds. Infinities and times past what the core's
 * int64 can hold saturate: -infinity as "from" and infinity as "to" are no bound
 * at all (the caller's doing), the others can only fail to overlap the job.
 */
static int64
zoom_bound_us(TimestampTz t)
{
	if (TIMESTAMP_IS_NOBEGIN(t))
		return PG_INT64_MIN;
	if (TIMESTAMP_IS_NOEND(t) || t > PG_INT64_MAX - TRACES_PG_EPOCH_SHIFT_US)
		return PG_INT64_MAX;
	return timestamptz_to_unix_us(t);
}

/*
 * The optional "from" and "to" at from_argno and the next (contract §2.13),
 * checked against the job's window: call after traces_require_job. A 1.0 SQL
 * definition passes fewer arguments, which means no zoom.
 */
void
traces_zoom_args(FunctionCallInfo fcinfo, int from_argno, TracedJob *job)
{
	tr_error	err;

	memset(&job->zoom, 0, sizeof(job->zoom));
	if (PG_NARGS() > from_argno && !PG_ARGISNULL(from_argno) &&
		!TIMESTAMP_IS_NOBEGIN(PG_GETARG_TIMESTAMPTZ(from_argno)))
	{
		job->zoom.has_from = true;
		job->zoom.from_us = zoom_bound_us(PG_GETARG_TIMESTAMPTZ(from_argno));
	}
	if (PG_NARGS() > from_argno + 1 && !PG_ARGISNULL(from_argno + 1) &&
		!TIMESTAMP_IS_NOEND(PG_GETARG_TIMESTAMPTZ(from_argno + 1)))
	{
		job->zoom.has_to = true;
		job->zoom.to_us = zoom_bound_us(PG_GETARG_TIMESTAMPTZ(from_argno + 1));
	}
	if (!tr_zoom_check(job->start_us, job->end_us, &job->zoom, &err))
		traces_raise(&err);
}

/*
 * The trace's memory: the core allocates every byte of its state through
 * these, in a context of its own under the caller's, so the state shows in
 * the context tree (pg_backend_memory_contexts, "traces trace") and goes
 * with the query's memory on error or cancel. They never raise, since they
 * are called from C++ frames: a failed allocation returns NULL, which the
 * core turns into std::bad_alloc and the bridge into TR_OUT_OF_MEMORY.
 */
static void *
trace_alloc(void *context, size_t size)
{
	/* MCXT_ALLOC_NO_OOM still raises for a size it deems invalid. */
	if (size > MaxAllocHugeSize)
		return NULL;
	return MemoryContextAllocExtended((MemoryContext) context, size,
									  MCXT_ALLOC_NO_OOM | MCXT_ALLOC_HUGE);
}

static void
trace_release(void *context, void *ptr)
{
	pfree(ptr);
}

tr_trace *
traces_build(const TracedJob *job, int32 buckets, MemoryContext parent, MemoryContext *trace_cxt)
{
	tr_error	err;
	tr_memory	memory;
	tr_trace   *trace;
	ErrorContextCallback context;
	int32		points = buckets;

	traces_push_answer_context(&context, &points);
	*trace_cxt = AllocSetContextCreate(parent, "traces trace", ALLOCSET_DEFAULT_SIZES);
	memory.alloc = trace_alloc;
	memory.release = trace_release;
	memory.context = *trace_cxt;
	{
		OwnerAccess access;

		traces_enter_owner_access(&access);
		/* The timeline when it can answer (timeline_reader.c), else every row. */
		trace = traces_read_timeline(job, buckets, &memory);
		if (trace == NULL)
		{
			trace = tr_trace_create_zoomed(job->start_us, job->end_us, buckets, &job->zoom, &memory, &err);
			if (trace == NULL)
				traces_raise(&err);
			traces_read_rows(job, trace);
		}
		traces_leave_owner_access(&access);
	}
	if (!tr_trace_finish(trace, &err))
		traces_raise(&err);
	traces_pop_answer_context(&context);
	return trace;
}

/*
 * While a trace is read, built, measured or written, an error (a cancel, a
 * bound) says so in its CONTEXT line, one line whichever path read the job
 * (timeline or rows, docs/contract.md §11.7): where a cancel lands depends
 * on the path (the timeline's probes, the rows' scan, the writing), and the
 * answer must not. sql/96_answer_bounds.sql checks it under both paths.
 */
static void
answer_context(void *arg)
{
	errcontext("traces: making a trace of %d points", *(const int32 *) arg);
}

void
traces_push_answer_context(ErrorContextCallback *callback, const int32 *points)
{
	callback->callback = answer_context;
	callback->arg = (void *) points;
	callback->previous = error_context_stack;
	error_context_stack = callback;
}

void
traces_pop_answer_context(ErrorContextCallback *callback)
{
	error_context_stack = callback->previous;
}

/*
 * The answer's size in bytes of JSON, measured a point at a time with an
 * interrupt check after each, before anything is allocated for it; past
 * TR_MAX_ANSWER_BYTES the call is refused (docs/contract.md §3). Every
 * trace function (JSON, rows, long format, chart) carries the same content,
 * so all are held to the same bound.
 */
size_t
traces_answer_size(const tr_trace *trace, text *job_id)
{
	int32		n = tr_trace_points(trace);
	size_t		total = 0;

	for (int32 k = 0; k < n; k++)
	{
		tr_error	err;
		size_t		len;

		if (!tr_trace_json_part(trace, VARDATA_ANY(job_id), VARSIZE_ANY_EXHDR(job_id), k, k + 1,
								NULL, 0, &len, &err))
			traces_raise(&err);
		total += len;
		if (total > TR_MAX_ANSWER_BYTES)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("traces: answer too large: more than %zu bytes of JSON at %d points",
							TR_MAX_ANSWER_BYTES, (int) n),
					 errhint("Ask for fewer buckets.")));
		CHECK_FOR_INTERRUPTS();
	}
	return total;
}

/* Arguments (job_id, buckets, from, to, ...): the order of every trace function. */
#define TRACES_FROM_ARGNO 2

tr_trace *
traces_build_for_rows(FunctionCallInfo fcinfo, text *job_id, MemoryContext *trace_cxt)
{
	int32		buckets = traces_buckets_arg(fcinfo);
	MemoryContext caller_cxt = CurrentMemoryContext;
	TracedJob	job;
	tr_trace   *trace;

	SPI_connect();
	traces_require_job(job_id, &job);
	traces_zoom_args(fcinfo, TRACES_FROM_ARGNO, &job);
	trace = traces_build(&job, buckets, caller_cxt, trace_cxt);
	SPI_finish();
	return trace;
}

/*
 * As traces_build_for_rows, with PostgREST's conditional request in between
 * (contract §4): the job's visibility first, then the window, then the 304
 * (which computes nothing), then the trace.
 */
tr_trace *
traces_build_for_http(FunctionCallInfo fcinfo, text *job_id, MemoryContext *trace_cxt)
{
	int32		buckets = traces_buckets_arg(fcinfo);
	MemoryContext caller_cxt = CurrentMemoryContext;
	TracedJob	job;
	tr_trace   *trace = NULL;

	SPI_connect();
	traces_require_job(job_id, &job);
	traces_zoom_args(fcinfo, TRACES_FROM_ARGNO, &job);
	if (!traces_http_answer_not_modified(job_id))
		trace = traces_build(&job, buckets, caller_cxt, trace_cxt);
	SPI_finish();
	return trace;
}

/*
 * The trace's memory goes as soon as the document is made: the document
 * never points into it.
 */
Datum
traces_http_document(FunctionCallInfo fcinfo, traces_renderer render)
{
	text	   *job_id = traces_job_id_arg(fcinfo);
	MemoryContext trace_cxt;
	tr_trace   *trace = traces_build_for_http(fcinfo, job_id, &trace_cxt);
	text	   *doc;

	if (trace == NULL)
		PG_RETURN_NULL();
	doc = render(fcinfo, trace, job_id);
	MemoryContextDelete(trace_cxt);
	PG_RETURN_TEXT_P(doc);
}
