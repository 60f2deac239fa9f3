/*
 * PostgREST's per-request contract (SPEC §4): it sets request.headers (JSON,
 * lower-case names) before calling us and reads response.status and
 * response.headers afterwards. Only when request.headers is set do we touch
 * them, so plain SQL callers see no side effects.
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

static void
set_local(const char *name, const char *value)
{
	(void) set_config_option(name, value, PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_LOCAL, true, 0, false);
}

/*
 * Sets ETag, Cache-Control and Vary; on an If-None-Match hit also sets
 * status 304 and returns true: the caller must then not compute the trace.
 * The job is already known to exist and be visible (never 304 for a 404).
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

	has_latest = traces_latest_event(job_id, &latest_us);
	existing = nonempty_setting("response.headers");
	response_headers = tr_response_headers(existing, existing ? strlen(existing) : 0,
										   has_latest, latest_us, traces_palloc_noerror, &err);
	if (response_headers == NULL)
		traces_raise(&err);
	set_local("response.headers", response_headers);

	if (!tr_request_is_not_modified(request_headers, strlen(request_headers),
									has_latest, latest_us))
		return false;
	set_local("response.status", "304");
	return true;
}
