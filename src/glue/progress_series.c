/*
 * jobs.progress_series(job_id, buckets, from, to): the trace in long format
 * (docs/contract.md §2.15), the shape analytics tools plot as it is: one row
 * (time, metric, value) per point and series.
 */
#include "glue.h"

#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

static void
put_row(ReturnSetInfo *rsinfo, Datum t, const char *metric, int64 value)
{
	Datum		values[3] = {t, CStringGetTextDatum(metric), Int64GetDatum(value)};
	bool		nulls[3] = {false, false, false};

	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	pfree(DatumGetPointer(values[1]));
}

/* "items.<kind>.success" and ".failed" for each kind, made once. */
static char **
kind_metrics(const tr_trace *trace, int32 kinds, int32 *first_points)
{
	char	  **metrics = palloc(sizeof(char *) * 2 * Max(kinds, 1));

	for (int32 i = 0; i < kinds; i++)
	{
		const char *name;
		size_t		len;
		tr_error	err;

		if (!tr_trace_kind(trace, i, &name, &len, &first_points[i], &err))
			traces_raise(&err);
		metrics[2 * i] = psprintf("items.%.*s.success", (int) len, name);
		metrics[2 * i + 1] = psprintf("items.%.*s.failed", (int) len, name);
	}
	return metrics;
}

PG_FUNCTION_INFO_V1(traces_progress_series);
Datum
traces_progress_series(PG_FUNCTION_ARGS)
{
	text	   *job_id = traces_job_id_arg(fcinfo);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	MemoryContext trace_cxt;
	ErrorContextCallback context;
	tr_trace   *trace;
	int32		n,
				kinds,
			   *first_points;
	char	  **metrics;

	InitMaterializedSRF(fcinfo, 0);
	trace = traces_build_for_rows(fcinfo, job_id, &trace_cxt);
	n = tr_trace_points(trace);
	traces_push_answer_context(&context, &n);
	/* The same bound as the JSON answer, checked before any row is made. */
	(void) traces_answer_size(trace, job_id);
	kinds = tr_trace_kinds(trace);
	first_points = palloc(sizeof(int32) * Max(kinds, 1));
	metrics = kind_metrics(trace, kinds, first_points);

	for (int32 k = 0; k < n; k++)
	{
		tr_point	p;
		tr_error	err;
		Datum		t;

		CHECK_FOR_INTERRUPTS();
		if (!tr_trace_point(trace, k, &p, &err))
			traces_raise(&err);
		t = TimestampTzGetDatum(unix_us_to_timestamptz(p.t_us));
		put_row(rsinfo, t, "files.completed", p.files_completed);
		put_row(rsinfo, t, "files.failed", p.files_failed);
		for (int32 i = 0; i < kinds; i++)
		{
			int64		success,
						failed;

			if (k < first_points[i])
				continue;		/* the kind does not exist yet (§2.7) */
			if (!tr_trace_kind_totals(trace, i, k, &success, &failed, &err))
				traces_raise(&err);
			put_row(rsinfo, t, metrics[2 * i], success);
			put_row(rsinfo, t, metrics[2 * i + 1], failed);
		}
	}
	traces_pop_answer_context(&context);
	MemoryContextDelete(trace_cxt);
	return (Datum) 0;
}
