/*
 * jobs.progress_traces(job_id, buckets, from, to) -> json: the API's answer
 * (docs/contract.md §2), with PostgREST's conditional-request handling (contract §4).
 */
#include "glue.h"

#include "fmgr.h"
#include "miscadmin.h"

/*
 * Writes the answer straight into the result datum, sized first: no other
 * copy of it is ever made. A point at a time, with an interrupt check after
 * each, so a cancel stops the rendering of even the largest answer.
 */
static text *
render_json(FunctionCallInfo fcinfo, const tr_trace *trace, text *job_id)
{
	int32		n = tr_trace_points(trace);
	ErrorContextCallback context;
	size_t		size,
				left;
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

static Datum
progress_traces(FunctionCallInfo fcinfo)
{
	return traces_http_document(fcinfo, render_json);
}

/*
 * Two entry points, one behaviour: 1.0's SQL definition (job_id, buckets)
 * keeps its symbol, 1.1's (job_id, buckets, from, to) has its own. Arguments
 * past those passed count as null.
 */
TRACES_ENTRY_POINT(traces_progress_traces, progress_traces)
TRACES_ENTRY_POINT(traces_progress_traces_zoom, progress_traces)
