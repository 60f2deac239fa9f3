/*
 * The extension's settings (GUCs), defined when the library loads.
 *
 * traces.max_future_skew: how far past the transaction's now() a time a
 * writer stores may lie (docs/contract.md §7.5, §10). PGC_SUSET: only a
 * superuser may change it, so a worker cannot raise it for its own session.
 * A value a non-superuser set before the library loaded is discarded by
 * PostgreSQL when the setting is defined here; the validation triggers read
 * it through jobs_internal.max_future_skew(), which loads the library first.
 *
 * traces.read_path: where a trace reads a job from (docs/contract.md
 * §11.7): `timeline`, the per-point values kept at write time (the
 * default), or `scan`, every row of the job (the reference path the
 * timeline must equal byte for byte). PGC_USERSET: both give the same
 * answer, so any role may choose; it only changes the cost.
 */
#include "glue.h"

#include <limits.h>

#include "fmgr.h"
#include "utils/timestamp.h"
#include "utils/guc.h"

PG_FUNCTION_INFO_V1(traces_max_future_skew);

/* Seconds; -1 turns the rule off. */
static int	max_future_skew_seconds = 3600;

int			traces_read_path = TRACES_READ_TIMELINE;

static const struct config_enum_entry read_path_options[] = {
	{"timeline", TRACES_READ_TIMELINE, false},
	{"scan", TRACES_READ_SCAN, false},
	{NULL, 0, false}
};

void		_PG_init(void);

void
_PG_init(void)
{
	DefineCustomIntVariable("traces.max_future_skew",
							"How far in the future a written time may lie (-1: no limit).",
							"Times later than now() plus this are refused with 22008 "
							"for roles subject to row-level security.",
							&max_future_skew_seconds,
							3600, -1, INT_MAX,
							PGC_SUSET, GUC_UNIT_S,
							NULL, NULL, NULL);
	DefineCustomEnumVariable("traces.read_path",
							 "Where a trace reads a job from: its timeline or its rows.",
							 "timeline (the default) reads the per-point values kept at write "
							 "time; scan reads every row of the job. Both give the same answer.",
							 &traces_read_path,
							 TRACES_READ_TIMELINE, read_path_options,
							 PGC_USERSET, 0,
							 NULL, NULL, NULL);
	MarkGUCPrefixReserved("traces");
}

/* jobs_internal.max_future_skew() -> interval, null when there is no limit. */
Datum
traces_max_future_skew(PG_FUNCTION_ARGS)
{
	Interval   *result;

	if (max_future_skew_seconds < 0)
		PG_RETURN_NULL();
	result = (Interval *) palloc0(sizeof(Interval));
	result->time = (int64) max_future_skew_seconds * USECS_PER_SEC;
	PG_RETURN_INTERVAL_P(result);
}
