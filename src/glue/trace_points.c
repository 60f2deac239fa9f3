/*
 * jobs.progress_trace_points(job_id, buckets, from, to): the same series as rows
 * (t, step, files_completed, files_failed, items), one per point, in order.
 */
#include "glue.h"

#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/memutils.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

/* Point k's `items` as a NUL-terminated string, sized then written. */
static char *
point_items(const tr_trace *trace, int32 k)
{
	tr_error	err;
	size_t		len;
	char	   *items;

	if (!tr_trace_point_items(trace, k, NULL, 0, &len, &err))
		traces_raise(&err);
	items = palloc(len + 1);
	if (!tr_trace_point_items(trace, k, items, len, &len, &err))
		traces_raise(&err);
	items[len] = '\0';
	return items;
}

static Datum
progress_trace_points(FunctionCallInfo fcinfo)
{
	text	   *job_id = traces_job_id_arg(fcinfo);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	MemoryContext caller_cxt = CurrentMemoryContext;
	MemoryContext trace_cxt,
				row_cxt,
				old;
	ErrorContextCallback context;
	tr_trace   *trace;
	int32		n;

	InitMaterializedSRF(fcinfo, 0);
	trace = traces_build_for_rows(fcinfo, job_id, &trace_cxt);

	n = tr_trace_points(trace);
	traces_push_answer_context(&context, &n);
	/* The same bound as the JSON answer, checked before any row is made. */
	(void) traces_answer_size(trace, job_id);

	/* Each row's values are copied into the tuplestore: free them per row. */
	row_cxt = AllocSetContextCreate(caller_cxt, "traces row", ALLOCSET_DEFAULT_SIZES);
	for (int32 k = 0; k < n; k++)
	{
		tr_point	p;
		tr_error	err;
		Datum		values[5];
		bool		nulls[5] = {false, false, false, false, false};

		if (!tr_trace_point(trace, k, &p, &err))
			traces_raise(&err);
		old = MemoryContextSwitchTo(row_cxt);
		values[0] = TimestampTzGetDatum(unix_us_to_timestamptz(p.t_us));
		values[1] = Int64GetDatum(p.step);
		values[2] = Int64GetDatum(p.files_completed);
		values[3] = Int64GetDatum(p.files_failed);
		values[4] = DirectFunctionCall1(jsonb_in, CStringGetDatum(point_items(trace, k)));
		MemoryContextSwitchTo(old);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		MemoryContextReset(row_cxt);
		CHECK_FOR_INTERRUPTS();
	}
	traces_pop_answer_context(&context);
	MemoryContextDelete(row_cxt);
	MemoryContextDelete(trace_cxt);
	return (Datum) 0;
}

/* 1.0's definition and 1.1's, as for progress_traces (see there). */
TRACES_ENTRY_POINT(traces_progress_trace_points, progress_trace_points)
TRACES_ENTRY_POINT(traces_progress_trace_points_zoom, progress_trace_points)
