/*
 * jobs_internal.metric_count(metrics jsonb, key text) -> bigint: a progress report's
 * counter, validated (docs/contract.md §1.4). Runs once per row written, never on reads.
 */
#include "glue.h"

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

PG_FUNCTION_INFO_V1(traces_metric_count);

Datum
traces_metric_count(PG_FUNCTION_ARGS)
{
	Jsonb	   *metrics = PG_GETARG_JSONB_P(0);
	text	   *key = PG_GETARG_TEXT_PP(1);
	char	   *key_str = text_to_cstring(key);
	JsonbValue *v;
	char	   *digits;
	int64		count;
	const char *problem;

	if (!JB_ROOT_IS_OBJECT(metrics))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("progress metrics must be a JSON object")));

	v = getKeyJsonValueFromContainer(&metrics->root, VARDATA_ANY(key), VARSIZE_ANY_EXHDR(key), NULL);
	if (v == NULL)
		PG_RETURN_INT64(0);		/* a missing counter means 0 */
	if (v->type != jbvNumeric)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("progress metrics \"%s\" must be a non-negative integer, not a JSON %s",
						key_str, JsonbTypeName(v))));

	digits = DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(v->val.numeric)));
	if (!tr_parse_count(digits, strlen(digits), &count, &problem))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("progress metrics \"%s\" must be a non-negative integer: %s %s",
						key_str, digits, problem)));
	PG_RETURN_INT64(count);
}
