/*
 * jobs.progress_traces(job_id, buckets, from, to) -> json: the API's answer
 * (docs/contract.md §2), with PostgREST's conditional-request handling (contract §4).
 */
#include "glue.h"

#include "fmgr.h"

static char *
render_json(FunctionCallInfo fcinfo, const tr_trace *trace, text *job_id, size_t *len, tr_error *err)
{
	return tr_trace_render_json(trace, VARDATA_ANY(job_id), VARSIZE_ANY_EXHDR(job_id),
								traces_palloc_noerror, len, err);
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
