/*
 * The C face of the C++ core, the only thing the PostgreSQL glue calls.
 *
 * Every function here catches every C++ exception and reports it through a
 * tr_error, so no exception reaches PostgreSQL's C frames; and none calls into
 * PostgreSQL, so no ereport longjmp can cross a live C++ frame. Results that
 * must outlive a call are written into memory from the caller's allocator.
 */
#ifndef TRACES_BRIDGE_H
#define TRACES_BRIDGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What failed, by kind; the glue turns each into its SQLSTATE. Only the
 * core's own errors (traces::Error, by their kind) come back as one of the
 * 22xxx kinds; any other C++ exception is a bug and comes back as
 * TR_INTERNAL with its message (see guarded.h). */
typedef enum tr_error_kind {
	TR_OK = 0,
	TR_INVALID_VALUE,		/* 22023 */
	TR_NUMERIC_OVERFLOW,	/* 22003 */
	TR_DATETIME_OVERFLOW,	/* 22008 */
	TR_TOO_LARGE,			/* 54000 */
	TR_OUT_OF_MEMORY,		/* 53200 */
	TR_INTERNAL				/* XX000 */
} tr_error_kind;

typedef struct tr_error {
	tr_error_kind kind;
	char message[256];
} tr_error;

/* Allocator for results; returns NULL instead of raising on failure. */
typedef void *(*tr_alloc_fn) (size_t size);

/*
 * Where a trace keeps its state: every byte the core holds for it comes from
 * `alloc` and goes back through `release`. The glue backs them with a memory
 * context, so the state is accounted for and freed with the context, even
 * on cancel. `alloc` returns NULL (the core then reports TR_OUT_OF_MEMORY)
 * and neither may raise.
 */
typedef struct tr_memory
{
	void	   *(*alloc) (void *context, size_t size);
	void		(*release) (void *context, void *ptr);
	void	   *context;
} tr_memory;

/*
 * The largest answer the glue builds, in bytes of JSON (docs/contract.md §3).
 * Every trace of a job within the caps of §7.5 fits, at any number of points,
 * even when every byte of its kind names needs escaping (at most ~31.3 MB).
 * The glue measures the answer first and refuses a larger one with 54000
 * before allocating it.
 */
#define TR_MAX_ANSWER_BYTES ((size_t) 32 * 1024 * 1024)

typedef struct tr_progress_row {
	const char *input_id;
	size_t		input_len;
	bool		input_is_null;
	const char *kind;
	size_t		kind_len;
	int64_t		created_at_us;	/* Unix epoch microseconds */
	int64_t		success;
	int64_t		failed;
} tr_progress_row;

typedef struct tr_point {
	int64_t		t_us;
	int64_t		step;
	int64_t		files_completed;
	int64_t		files_failed;
} tr_point;

typedef struct tr_trace tr_trace;

/* `buckets` clamped to [10, 1000], null meaning 100. */
int32_t tr_clamp_buckets(bool is_null, int64_t requested);

/* A trace under construction over [start, end] with n points, its state in
 * `memory` (NULL: the C++ heap); NULL on error. */
tr_trace *tr_trace_create(int64_t start_us, int64_t end_us, int32_t n,
						  const tr_memory *memory, tr_error *err);
/* Never fails, never raises. Not needed when `memory`'s context is reset:
 * the trace owns nothing else. */
void tr_trace_free(tr_trace *trace);

/* Finished inputs, in any order. */
bool tr_trace_add_files(tr_trace *trace, const int64_t *completed_at_us,
						const bool *failed, size_t count, tr_error *err);

/* Progress rows grouped by (input_id, kind), each stream by (created_at, id).
 * TR_TOO_LARGE past the kinds x points the core holds (docs/contract.md §3). */
bool tr_trace_add_progress(tr_trace *trace, const tr_progress_row *rows,
						   size_t count, tr_error *err);

/* Closes the trace; only then may it be rendered or read point by point. */
bool tr_trace_finish(tr_trace *trace, tr_error *err);

int32_t tr_trace_points(const tr_trace *trace);

/*
 * Points [from, to) of the JSON document of docs/contract.md §2.10, with its
 * head when from is 0 and its tail when to is the number of points: the
 * parts of consecutive ranges make the document. With `buf` NULL only
 * measures (*len = the part's bytes); else writes the part into `buf`
 * (`capacity` bytes, no NUL added). A finished trace only. The glue renders
 * a few points per call and checks for interrupts in between.
 */
bool tr_trace_json_part(const tr_trace *trace, const char *job_id, size_t job_id_len,
						int32_t from, int32_t to, char *buf, size_t capacity,
						size_t *len, tr_error *err);

/* Point k's scalars. */
bool tr_trace_point(const tr_trace *trace, int32_t k, tr_point *out, tr_error *err);
/* Point k's `items` object, measured or written as tr_trace_json_part. */
bool tr_trace_point_items(const tr_trace *trace, int32_t k, char *buf, size_t capacity,
						  size_t *len, tr_error *err);

/* A caller's zoom window (docs/contract.md §2.13); a missing bound is the job's own. */
typedef struct tr_zoom
{
	bool		has_from;
	int64_t		from_us;
	bool		has_to;
	int64_t		to_us;
} tr_zoom;

/* Whether `zoom` may view the job's window [start, end]: false (22023) when refused. */
bool		tr_zoom_check(int64_t start_us, int64_t end_us, const tr_zoom *zoom, tr_error *err);

/* tr_trace_create over the zoom's view of the job's window, its state in
 * `memory` as there; NULL on error. */
tr_trace   *tr_trace_create_zoomed(int64_t start_us, int64_t end_us, int32_t n,
								   const tr_zoom *zoom, const tr_memory *memory, tr_error *err);

/*
 * A trace from the timeline (docs/contract.md §11.7) instead of rows: the
 * same window as tr_trace_create_zoomed, then the values each point shows,
 * then tr_trace_finish. Point k's values are the timeline's last row at or
 * before its probe time (every row when *every_row).
 */
tr_trace   *tr_timeline_create_zoomed(int64_t start_us, int64_t end_us, int32_t n,
									  const tr_zoom *zoom, const tr_memory *memory, tr_error *err);
int32_t		tr_timeline_points(const tr_trace *trace);
bool		tr_timeline_probe_time(const tr_trace *trace, int32_t k, int64_t *t_us, bool *every_row,
								   tr_error *err);
/* The job's newest event (latest_event_at). */
bool		tr_timeline_set_latest(tr_trace *trace, bool has_latest, int64_t latest_us, tr_error *err);

/* One value a point shows: the files (kind NULL; success and failed are then
 * the files completed and failed), or a kind's totals (found false: none of
 * its reports counts at the point yet; fits false: a stored total does not
 * fit 64 bits). Every kind of the job must come at least once. */
typedef struct tr_timeline_value {
	const char *kind;
	size_t		kind_len;
	int32_t		point;
	bool		found;
	bool		fits;
	int64_t		success;
	int64_t		failed;
} tr_timeline_value;

/* TR_TOO_LARGE past the kinds x points the core holds, as tr_trace_add_progress. */
bool		tr_timeline_add(tr_trace *trace, const tr_timeline_value *values, size_t count,
							tr_error *err);

/* The chart's sizes clamped (contract §2.14), null meaning the default. */
int32_t		tr_clamp_chart_width(bool is_null, int64_t requested);
int32_t		tr_clamp_chart_panel_height(bool is_null, int64_t requested);

/* The SVG chart of contract §2.14, NUL-terminated, from `alloc`. */
char	   *tr_trace_render_svg(const tr_trace *trace, const char *job_id, size_t job_id_len,
								int32_t width, int32_t panel_height, tr_alloc_fn alloc,
								size_t *len, tr_error *err);

/* The kinds of a finished trace, in byte order, and their totals point by point
 * (for the long format, contract §2.15); a kind has values from first_point on. */
int32_t		tr_trace_kinds(const tr_trace *trace);
bool		tr_trace_kind(const tr_trace *trace, int32_t i, const char **name, size_t *len,
						  int32_t *first_point, tr_error *err);
bool		tr_trace_kind_totals(const tr_trace *trace, int32_t i, int32_t k, int64_t *success,
								 int64_t *failed, tr_error *err);

/* A metrics counter given as decimal text: a non-negative 64-bit integer or
 * false with a static reason ("is negative", "is not an integer", ...). */
bool tr_parse_count(const char *text, size_t len, int64_t *value, const char **problem);

/* Does PostgREST's request.headers JSON carry an If-None-Match that matches? */
bool tr_request_is_not_modified(const char *headers_json, size_t len,
								bool has_latest, int64_t latest_us);

/* The response.headers JSON array: `existing` (may be NULL) plus ETag,
 * Cache-Control and Vary. */
char *tr_response_headers(const char *existing, size_t existing_len, bool has_latest,
						  int64_t latest_us, tr_alloc_fn alloc, tr_error *err);

/* The summary's `"throughput":{…},"eta":…` (docs/contract.md §12.6); times in
 * µs since 1970. */
char *tr_throughput_json(int64_t window_start_us, int64_t window_end_us, int64_t now_us,
						 int64_t files, double items, int64_t remaining, bool terminal,
						 tr_alloc_fn alloc, tr_error *err);

#ifdef __cplusplus
}
#endif

#endif							/* TRACES_BRIDGE_H */
