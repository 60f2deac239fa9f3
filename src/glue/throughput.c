/*
 * jobs_internal.throughput_json(window_start, window_end, now, files, items,
 * remaining, terminal) -> text: the summary's throughput and eta
 * (docs/contract.md §12.6), computed by the core (src/core/throughput.cpp).
 * The SQL side counts what finished in the window; the arithmetic and its
 * rounding live in one place, unit-tested.
 */
#include "glue.h"

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(traces_throughput_json);

Datum
traces_throughput_json(PG_FUNCTION_ARGS)
{
	tr_error	err;
	char	   *json;

	json = tr_throughput_json(timestamptz_to_unix_us(PG_GETARG_TIMESTAMPTZ(0)),
							  timestamptz_to_unix_us(PG_GETARG_TIMESTAMPTZ(1)),
							  timestamptz_to_unix_us(PG_GETARG_TIMESTAMPTZ(2)),
							  PG_GETARG_INT64(3), PG_GETARG_FLOAT8(4), PG_GETARG_INT64(5),
							  PG_GETARG_BOOL(6), traces_palloc_noerror, &err);
	if (json == NULL)
		traces_raise(&err);
	PG_RETURN_TEXT_P(cstring_to_text(json));
}
