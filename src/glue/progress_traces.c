/*
 * jobs.progress_traces(job_id, buckets) -> json: the API's answer (docs/contract.md §2),
 * with PostgREST's conditional-request handling (contract §4).
 */
#include "glue.h"

#include "executor/spi.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/memutils.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(traces_progress_traces);

/*
 * Writes the answer straight into the result datum, sized first: no other
 * copy of it is ever made. A point at a time, with an interrupt check after
 * each, so a cancel stops the rendering of even the largest answer.
 */
static text *
render_answer(const tr_trace *trace, text *job_id)
{
	int32		n = tr_trace_points(trace);
	ErrorContextCallback context;
	size_t		size, left;
	text	   *result;
	char	   *pos;

	traces_push_answer_context(&context, &n);
	size = traces_answer_size(trace, job_id);
	result = (text *) palloc(VARHDRSZ + size);
	pos = VARDATA(result);
	left = size;
	for (int32 k = 0; k < n; k++)
	{
		tr_error	err;
		size_t		len;

		if (!tr_trace_json_part(trace, VARDATA_ANY(job_id), VARSIZE_ANY_EXHDR(job_id), k, k + 1,
								pos, left, &len, &err))
			traces_raise(&err);
		pos += len;
		left -= len;
		CHECK_FOR_INTERRUPTS();
	}
	traces_pop_answer_context(&context);
	SET_VARSIZE(result, VARHDRSZ + size);
	return result;
}

Datum
traces_progress_traces(PG_FUNCTION_ARGS)
{
	text	   *job_id = traces_job_id_arg(fcinfo);
	int32		buckets = traces_buckets_arg(fcinfo);
	MemoryContext caller_cxt = CurrentMemoryContext;
	MemoryContext trace_cxt;
	TracedJob	job;
	tr_trace   *trace;
	text	   *result;

	SPI_connect();
	traces_require_job(job_id, &job);
	if (traces_http_answer_not_modified(job_id))
	{
		SPI_finish();
		PG_RETURN_NULL();
	}
	trace = traces_build(&job, buckets, caller_cxt, &trace_cxt);
	SPI_finish();

	result = render_answer(trace, job_id);
	MemoryContextDelete(trace_cxt);
	PG_RETURN_TEXT_P(result);
}
