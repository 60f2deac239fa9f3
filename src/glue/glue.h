/*
 * Shared declarations of the PostgreSQL glue (plain C: no C++ object can be
 * alive while these functions call the backend, and the backend may longjmp).
 */
#ifndef TRACES_GLUE_H
#define TRACES_GLUE_H

#include "postgres.h"

#include "datatype/timestamp.h"
#include "executor/spi.h"
#include "executor/tuptable.h"
#include "fmgr.h"
#include "../bridge/traces_bridge.h"

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

/* pt_errors.c: PTnnn errors (PostgREST: HTTP nnn) that keep client bytes
 * out of the status line. */
extern char *traces_echoed_id(const char *id, int len);
extern bool traces_serving_http(void);
extern void traces_raise_pt(const char *code, const char *message) pg_attribute_noreturn();

/* errors.c */
extern void traces_raise(const tr_error *err) pg_attribute_noreturn();
extern void *traces_palloc_noerror(size_t size);
/* A rendered document as a text datum; `doc` NULL means `err` is set. */
extern text *traces_text_result(char *doc, size_t len, const tr_error *err);

/*
 * An SQL-callable symbol running `impl`. Several symbols may share one
 * behaviour: a released version's SQL keeps its symbol while a newer
 * definition gets its own (docs/versions.md, "The library comes first").
 */
#define TRACES_ENTRY_POINT(symbol, impl) \
	PG_FUNCTION_INFO_V1(symbol); \
	Datum symbol(PG_FUNCTION_ARGS) { return impl(fcinfo); }

/* A job as the trace needs it, after the caller's visibility check. */
typedef struct TracedJob
{
	text	   *id;
	int64		start_us;		/* coalesce(started_at, created_at) */
	int64		end_us;			/* finished_at, or now() while live */
	tr_zoom		zoom;			/* the caller's window, contract §2.13 */
} TracedJob;

/* job_reader.c: each runs inside SPI_connect/SPI_finish. */
extern void traces_require_job(text *job_id, TracedJob *job);
extern bool traces_latest_event(text *job_id, int64 *latest_us);
extern void traces_read_rows(const TracedJob *job, tr_trace *trace);

/* job_reader.c, shared with timeline_reader.c: kept plans run into a
 * DestReceiver of ours, and the bytes of the text values it receives. */
extern SPIPlanPtr traces_kept_plan(SPIPlanPtr *slot, const char *sql, int nargs, Oid *argtypes);
extern void traces_run_into(SPIPlanPtr plan, ParamListInfo params, DestReceiver *dest);
extern int	traces_execute_plan(SPIPlanPtr plan, int nargs, const Oid *types, const Datum *args, long count);
extern void traces_set_param(ParamListInfo params, int i, Oid type, Datum value);
extern void traces_init_receiver(DestReceiver *pub, bool (*receive) (TupleTableSlot *, DestReceiver *));
extern void traces_text_bytes(Datum d, const char **data, size_t *len);
extern void traces_next_batch(int *n, MemoryContext batch_cxt);
extern const char *traces_stream_copy(MemoryContext cxt, const char *data, size_t len,
									  const char *prev, size_t prev_len);

/* settings.c: traces.read_path (contract §11.7). */
typedef enum TracesReadPath
{
	TRACES_READ_TIMELINE,
	TRACES_READ_SCAN
} TracesReadPath;
extern int	traces_read_path;

/* timeline_reader.c: the trace from the job's timeline, inside SPI and owner
 * access; NULL when the job must be read by the scan path instead (the
 * setting, a job whose timeline is not built yet, a schema without one). */
extern tr_trace *traces_read_timeline(const TracedJob *job, int32 buckets, const tr_memory *memory);

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
/* The trace is built in *trace_cxt, a new child of `parent` ("traces trace"):
 * delete it when done with the trace, or let it go with `parent`. */
extern tr_trace *traces_build(const TracedJob *job, int32 buckets, MemoryContext parent,
							  MemoryContext *trace_cxt);
extern size_t traces_answer_size(const tr_trace *trace, text *job_id);
extern void traces_push_answer_context(ErrorContextCallback *callback, const int32 *points);
extern void traces_pop_answer_context(ErrorContextCallback *callback);
extern void traces_zoom_args(FunctionCallInfo fcinfo, int from_argno, TracedJob *job);
/* The whole read of one call, for answers without HTTP (rows) and with it
 * (NULL when the answer is a 304/412, see http.c); *trace_cxt as traces_build. */
extern tr_trace *traces_build_for_rows(FunctionCallInfo fcinfo, text *job_id, MemoryContext *trace_cxt);
extern tr_trace *traces_build_for_http(FunctionCallInfo fcinfo, text *job_id, MemoryContext *trace_cxt);

/* A document of a trace (JSON, SVG) as the call's text result; raises on failure. */
typedef text *(*traces_renderer) (FunctionCallInfo fcinfo, const tr_trace *trace, text *job_id);
/* The text result of an HTTP-facing function: null on a 304/412, else the document. */
extern Datum traces_http_document(FunctionCallInfo fcinfo, traces_renderer render);

/* http.c: PostgREST's request/response GUCs (docs/contract.md §4). */
extern bool traces_http_answer_not_modified(text *job_id);

#endif							/* TRACES_GLUE_H */
