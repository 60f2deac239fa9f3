/*
 * jobs.progress_trace_points(job_id, buckets): the same series as rows
 * (t, step, files_completed, files_failed, items), one per point, in order.
 */
#include "glue.h"

#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

PG_FUNCTION_INFO_V1(traces_progress_trace_points);

Datum
traces_progress_trace_points(PG_FUNCTION_ARGS)
{
	text	   *job_id = traces_job_id_arg(fcinfo);
	int32		buckets = traces_buckets_arg(fcinfo);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	MemoryContext caller_cxt = CurrentMemoryContext;
	TracedJob	job;
	tr_trace   *trace;
	int32		n;

	InitMaterializedSRF(fcinfo, 0);

	SPI_connect();
	traces_require_job(job_id, &job);
	trace = traces_build(&job, buckets, caller_cxt);
	SPI_finish();

	n = tr_trace_points(trace);
	for (int32 k = 0; k < n; k++)
	{
		tr_point	p;
		tr_error	err;
		char	   *items;
		Datum		values[5];
		bool		nulls[5] = {false, false, false, false, false};

		if (!tr_trace_point(trace, k, &p, &err))
			traces_raise(&err);
		items = tr_trace_point_items_json(trace, k, traces_palloc_noerror, NULL, &err);
		if (items == NULL)
			traces_raise(&err);
		values[0] = TimestampTzGetDatum(unix_us_to_timestamptz(p.t_us));
		values[1] = Int64GetDatum(p.step);
		values[2] = Int64GetDatum(p.files_completed);
		values[3] = Int64GetDatum(p.files_failed);
		values[4] = DirectFunctionCall1(jsonb_in, CStringGetDatum(items));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		pfree(items);
	}
	return (Datum) 0;
}
