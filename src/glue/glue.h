/*
 * Shared declarations of the PostgreSQL glue (plain C: no C++ object can be
 * alive while these functions call the backend, and the backend may longjmp).
 */
#ifndef TRACES_GLUE_H
#define TRACES_GLUE_H

#include "postgres.h"

#include "datatype/timestamp.h"
#include "fmgr.h"
#include "../bridge/traces_bridge.h"

/* SQLSTATE PT404: PostgREST answers HTTP 404. */
#define ERRCODE_TRACES_NOT_FOUND MAKE_SQLSTATE('P', 'T', '4', '0', '4')

/* PostgreSQL counts from 2000-01-01, the core from 1970-01-01. */
#define TRACES_PG_EPOCH_SHIFT_US \
	((int64) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * USECS_PER_DAY)

static inline int64
timestamptz_to_unix_us(TimestampTz t)
{
	return (int64) t + TRACES_PG_EPOCH_SHIFT_US;
}

static inline TimestampTz
unix_us_to_timestamptz(int64 us)
{
	return (TimestampTz) (us - TRACES_PG_EPOCH_SHIFT_US);
}

/* errors.c */
extern void traces_raise(const tr_error *err) pg_attribute_noreturn();
extern void *traces_palloc_noerror(size_t size);

/* A job as the trace needs it, after the caller's visibility check. */
typedef struct TracedJob
{
	text	   *id;
	int64		start_us;		/* coalesce(started_at, created_at) */
	int64		end_us;			/* finished_at, or now() while live */
} TracedJob;

/* job_reader.c: each runs inside SPI_connect/SPI_finish. */
extern void traces_require_job(text *job_id, TracedJob *job);
extern bool traces_latest_event(text *job_id, int64 *latest_us);
extern void traces_read_rows(const TracedJob *job, tr_trace *trace);

/* owner_access.c: after the visibility check, read the job's rows as the
 * tables' owner (see there why). */
typedef struct OwnerAccess
{
	Oid			saved_userid;
	int			saved_sec_context;
	bool		switched;
} OwnerAccess;
extern void traces_enter_owner_access(OwnerAccess *access);
extern void traces_leave_owner_access(const OwnerAccess *access);

/* trace_build.c: arguments, and a job's finished trace (inside SPI). */
extern text *traces_job_id_arg(FunctionCallInfo fcinfo);
extern int32 traces_buckets_arg(FunctionCallInfo fcinfo);
extern tr_trace *traces_build(const TracedJob *job, int32 buckets, MemoryContext parent,
							  MemoryContext *trace_cxt);
extern size_t traces_answer_size(const tr_trace *trace, text *job_id);
extern void traces_push_answer_context(ErrorContextCallback *callback, const int32 *points);
extern void traces_pop_answer_context(ErrorContextCallback *callback);

/* http.c: PostgREST's request/response GUCs (docs/contract.md §4). */
extern bool traces_http_answer_not_modified(text *job_id);

#endif							/* TRACES_GLUE_H */
