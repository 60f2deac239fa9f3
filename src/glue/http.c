/*
 * PostgREST's per-request contract (docs/contract.md §4), as PostgREST v12 runs it on
 * PostgreSQL >= 14: before the call it sets request.method and
 * request.headers (a JSON object, lower-case names) with set_config(..., true);
 * in the same statement as the call it reads response.status (decimal text)
 * and response.headers (a JSON array of one-key objects). Only when
 * request.headers is set do we touch them, so plain SQL callers see no side
 * effects.
 */
#include "glue.h"

#include "utils/guc.h"

static const char *
nonempty_setting(const char *name)
{
	/* After a transaction that set it, a GUC reads '' rather than missing. */
	const char *value = GetConfigOption(name, true, false);

	return (value != NULL && value[0] != '\0') ? value : NULL;
}

/* set_config(name, value, true): undone at the end of the transaction. */
static void
set_local(const char *name, const char *value)
{
	(void) set_config_option(name, value, PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_LOCAL, true, 0, false);
}

/*
 * RFC 9110 §13.1.2: a matching If-None-Match means "do not perform the
 * method"; GET and HEAD then answer 304, any other method 412. PostgREST
 * also lets POST call a STABLE function, hence the distinction.
 */
static const char *
status_for_match(void)
{
	const char *method = nonempty_setting("request.method");

	if (method == NULL || pg_strcasecmp(method, "GET") == 0 || pg_strcasecmp(method, "HEAD") == 0)
		return "304";
	return "412";
}

/*
 * Sets ETag, Cache-Control and Vary; on an If-None-Match hit also sets
 * status 304 (412 for methods other than GET/HEAD) and returns true: the
 * caller must then return null without computing the trace. The cost is the
 * latest-event probe: one backward index probe per table.
 *
 * Call only once the job is known to exist and be visible to the caller: a
 * missing or hidden job is PT404, never 304, and gets no ETag.
 */
bool
traces_http_answer_not_modified(text *job_id)
{
	const char *request_headers = nonempty_setting("request.headers");
	const char *existing;
	int64		latest_us = 0;
	bool		has_latest;
	char	   *response_headers;
	tr_error	err;

	if (request_headers == NULL)
		return false;

	{
		OwnerAccess access;

		traces_enter_owner_access(&access);
		has_latest = traces_latest_event(job_id, &latest_us);
		traces_leave_owner_access(&access);
	}
	existing = nonempty_setting("response.headers");
	response_headers = tr_response_headers(existing, existing ? strlen(existing) : 0,
										   has_latest, latest_us, traces_palloc_noerror, &err);
	if (response_headers == NULL)
		traces_raise(&err);
	set_local("response.headers", response_headers);

	/* Malformed header values simply do not match (never an error). */
	if (!tr_request_is_not_modified(request_headers, strlen(request_headers),
									has_latest, latest_us))
		return false;
	set_local("response.status", status_for_match());
	return true;
}
