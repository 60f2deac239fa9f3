/*
 * Turning the core's reported errors into PostgreSQL errors. Called only
 * after the C++ frames that produced the error have returned.
 */
#include "glue.h"

#include "utils/builtins.h"
#include "utils/memutils.h"

void
traces_raise(const tr_error *err)
{
	int			code;

	switch (err->kind)
	{
		case TR_INVALID_VALUE:
			code = ERRCODE_INVALID_PARAMETER_VALUE;
			break;
		case TR_NUMERIC_OVERFLOW:
			code = ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE;
			break;
		case TR_DATETIME_OVERFLOW:
			code = ERRCODE_DATETIME_VALUE_OUT_OF_RANGE;
			break;
		case TR_TOO_LARGE:
			code = ERRCODE_PROGRAM_LIMIT_EXCEEDED;
			break;
		case TR_OUT_OF_MEMORY:
			code = ERRCODE_OUT_OF_MEMORY;
			break;
		default:
			code = ERRCODE_INTERNAL_ERROR;
			break;
	}
	ereport(ERROR, (errcode(code), errmsg("traces: %s", err->message)));
}

/* An allocator the core may call: it returns NULL rather than raising. */
void *
traces_palloc_noerror(size_t size)
{
	return palloc_extended(size, MCXT_ALLOC_NO_OOM | MCXT_ALLOC_HUGE);
}

text *
traces_text_result(char *doc, size_t len, const tr_error *err)
{
	text	   *result;

	if (doc == NULL)
		traces_raise(err);
	result = cstring_to_text_with_len(doc, (int) len);
	pfree(doc);
	return result;
}
