/*
 * From a visible job to its finished trace, shared by both SQL functions.
 */
#include "glue.h"

#include "fmgr.h"
#include "utils/memutils.h"

text *
traces_job_id_arg(FunctionCallInfo fcinfo)
{
	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("job_id must not be null")));
	return PG_GETARG_TEXT_PP(0);
}

int32
traces_buckets_arg(FunctionCallInfo fcinfo)
{
	if (PG_NARGS() < 2 || PG_ARGISNULL(1))
		return tr_clamp_buckets(true, 0);
	return tr_clamp_buckets(false, PG_GETARG_INT32(1));
}

/*
 * The C++ trace lives outside PostgreSQL's memory contexts; tie its life to
 * `owner` so that an error or a cancel anywhere below frees it too.
 */
typedef struct TraceOwner
{
	tr_trace   *trace;
	MemoryContextCallback callback;
} TraceOwner;

static void
release_trace(void *arg)
{
	TraceOwner *owner = (TraceOwner *) arg;

	tr_trace_free(owner->trace);
	owner->trace = NULL;
}

tr_trace *
traces_build(const TracedJob *job, int32 buckets, MemoryContext owner_cxt)
{
	tr_error	err;
	TraceOwner *owner = MemoryContextAllocZero(owner_cxt, sizeof(TraceOwner));

	owner->trace = tr_trace_create(job->start_us, job->end_us, buckets, &err);
	if (owner->trace == NULL)
		traces_raise(&err);
	owner->callback.func = release_trace;
	owner->callback.arg = owner;
	MemoryContextRegisterResetCallback(owner_cxt, &owner->callback);

	{
		OwnerAccess access;

		traces_enter_owner_access(&access);
		traces_read_rows(job, owner->trace);
		traces_leave_owner_access(&access);
	}
	if (!tr_trace_finish(owner->trace, &err))
		traces_raise(&err);
	return owner->trace;
}
