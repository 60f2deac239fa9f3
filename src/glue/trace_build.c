/*
 * From a visible job to its finished trace, shared by both SQL functions.
 */
#include "glue.h"

#include "executor/spi.h"
#include "fmgr.h"
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
 * The C++ trace lives outside PostgreSQL's memory contexts; tie its life to
 * `owner` so that an error or a cancel anywhere below frees it too.
 */
typedef struct TraceOwner
{
	tr_trace   *trace;
	MemoryContextCallback callback;
} TraceOwner;

static void
release_trace(void *arg)
{
	TraceOwner *owner = (TraceOwner *) arg;

	tr_trace_free(owner->trace);
	owner->trace = NULL;
}

tr_trace *
traces_build(const TracedJob *job, int32 buckets, MemoryContext owner_cxt)
{
	tr_error	err;
	TraceOwner *owner = MemoryContextAllocZero(owner_cxt, sizeof(TraceOwner));

	owner->trace = tr_trace_create_zoomed(job->start_us, job->end_us, buckets, &job->zoom, &err);
	if (owner->trace == NULL)
		traces_raise(&err);
	owner->callback.func = release_trace;
	owner->callback.arg = owner;
	MemoryContextRegisterResetCallback(owner_cxt, &owner->callback);

	{
		OwnerAccess access;

		traces_enter_owner_access(&access);
		traces_read_rows(job, owner->trace);
		traces_leave_owner_access(&access);
	}
	if (!tr_trace_finish(owner->trace, &err))
		traces_raise(&err);
	return owner->trace;
}

/* Arguments (job_id, buckets, from, to, ...): the order of every trace function. */
#define TRACES_FROM_ARGNO 2

tr_trace *
traces_build_for_rows(FunctionCallInfo fcinfo, text *job_id)
{
	int32		buckets = traces_buckets_arg(fcinfo);
	MemoryContext caller_cxt = CurrentMemoryContext;
	TracedJob	job;
	tr_trace   *trace;

	SPI_connect();
	traces_require_job(job_id, &job);
	traces_zoom_args(fcinfo, TRACES_FROM_ARGNO, &job);
	trace = traces_build(&job, buckets, caller_cxt);
	SPI_finish();
	return trace;
}

/*
 * As traces_build_for_rows, with PostgREST's conditional request in between
 * (contract §4): the job's visibility first, then the window, then the 304
 * (which computes nothing), then the trace.
 */
tr_trace *
traces_build_for_http(FunctionCallInfo fcinfo, text *job_id)
{
	int32		buckets = traces_buckets_arg(fcinfo);
	MemoryContext caller_cxt = CurrentMemoryContext;
	TracedJob	job;
	tr_trace   *trace = NULL;

	SPI_connect();
	traces_require_job(job_id, &job);
	traces_zoom_args(fcinfo, TRACES_FROM_ARGNO, &job);
	if (!traces_http_answer_not_modified(job_id))
		trace = traces_build(&job, buckets, caller_cxt);
	SPI_finish();
	return trace;
}

Datum
traces_http_document(FunctionCallInfo fcinfo, traces_renderer render)
{
	text	   *job_id = traces_job_id_arg(fcinfo);
	tr_trace   *trace = traces_build_for_http(fcinfo, job_id);
	tr_error	err;
	size_t		len = 0;
	char	   *doc;

	if (trace == NULL)
		PG_RETURN_NULL();
	doc = render(fcinfo, trace, job_id, &len, &err);
	return traces_text_result(doc, len, &err);
}
