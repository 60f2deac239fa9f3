/*
 * jobs.progress_traces(job_id, buckets) -> json: the API's answer (docs/contract.md §2),
 * with PostgREST's conditional-request handling (contract §4).
 */
#include "glue.h"

#include "executor/spi.h"
#include "fmgr.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(traces_progress_traces);

Datum
traces_progress_traces(PG_FUNCTION_ARGS)
{
	text	   *job_id = traces_job_id_arg(fcinfo);
	int32		buckets = traces_buckets_arg(fcinfo);
	MemoryContext caller_cxt = CurrentMemoryContext;
	TracedJob	job;
	tr_trace   *trace;
	tr_error	err;
	char	   *json;
	size_t		len;

	SPI_connect();
	traces_require_job(job_id, &job);
	if (traces_http_answer_not_modified(job_id))
	{
		SPI_finish();
		PG_RETURN_NULL();
	}
	trace = traces_build(&job, buckets, caller_cxt);
	SPI_finish();

	json = tr_trace_render_json(trace, VARDATA_ANY(job_id), VARSIZE_ANY_EXHDR(job_id),
								traces_palloc_noerror, &len, &err);
	if (json == NULL)
		traces_raise(&err);
	PG_RETURN_TEXT_P(cstring_to_text_with_len(json, (int) len));
}
