/*
 * jobs.progress_chart(job_id, buckets, from, to, width, panel_height) -> the SVG
 * chart of the trace (docs/contract.md §2.14), with the trace's conditional
 * requests (contract §4): same ETag, same 304.
 */
#include "glue.h"

#include "fmgr.h"

#define CHART_WIDTH_ARGNO 4
#define CHART_PANEL_HEIGHT_ARGNO 5

/* A size argument clamped by `clamp`; absent or null means its default. */
static int32
size_arg(FunctionCallInfo fcinfo, int argno, int32 (*clamp) (bool, int64_t))
{
	if (PG_NARGS() <= argno || PG_ARGISNULL(argno))
		return clamp(true, 0);
	return clamp(false, PG_GETARG_INT32(argno));
}

/*
 * The chart draws the same trace the JSON answer carries, so it is held to
 * that answer's bound first (measured with interrupt checks, contract §3),
 * then to its own: no SVG past kChartMaxBytes (16 MiB) is ever rendered.
 */
static text *
render_svg(FunctionCallInfo fcinfo, const tr_trace *trace, text *job_id)
{
	int32		n = tr_trace_points(trace);
	ErrorContextCallback context;
	tr_error	err;
	size_t		len = 0;
	char	   *svg;
	text	   *result;

	traces_push_answer_context(&context, &n);
	(void) traces_answer_size(trace, job_id);
	svg = tr_trace_render_svg(trace, VARDATA_ANY(job_id), VARSIZE_ANY_EXHDR(job_id),
							  size_arg(fcinfo, CHART_WIDTH_ARGNO, tr_clamp_chart_width),
							  size_arg(fcinfo, CHART_PANEL_HEIGHT_ARGNO, tr_clamp_chart_panel_height),
							  traces_palloc_noerror, &len, &err);
	result = traces_text_result(svg, len, &err);
	traces_pop_answer_context(&context);
	return result;
}

static Datum
progress_chart(FunctionCallInfo fcinfo)
{
	return traces_http_document(fcinfo, render_svg);
}

TRACES_ENTRY_POINT(traces_progress_chart, progress_chart)
