/*
 * jobs.progress_trace_points(job_id, buckets, from, to): the same series as rows
 * (t, step, files_completed, files_failed, items), one per point, in order.
 */
#include "glue.h"

#include "fmgr.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

static Datum
progress_trace_points(FunctionCallInfo fcinfo)
{
	text	   *job_id = traces_job_id_arg(fcinfo);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	tr_trace   *trace;
	int32		n;

	InitMaterializedSRF(fcinfo, 0);
	trace = traces_build_for_rows(fcinfo, job_id);

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

/* 1.0's definition and 1.1's, as for progress_traces (see there). */
TRACES_ENTRY_POINT(traces_progress_trace_points, progress_trace_points)
TRACES_ENTRY_POINT(traces_progress_trace_points_zoom, progress_trace_points)
