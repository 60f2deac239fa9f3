/*
 * PTnnn errors (contract §3), raised so that no client-controlled byte ever
 * reaches an HTTP status line.
 *
 * PostgREST turns SQLSTATE PTnnn into status nnn with the error's message as
 * the reason phrase, written verbatim (Error.hs, pgErrorStatus): an id
 * carrying CR LF would inject response headers, and a long one breaks the
 * proxy in front. So when serving HTTP (request.headers set, as PostgREST
 * sets it) the same error goes out the way PostgREST documents for full
 * control of the response: SQLSTATE PGRST, the message a JSON object
 * {"code": "PTnnn", "message": …} (the body) and the detail
 * {"status": nnn, "headers": {}} (PostgREST requires "headers"). The status
 * line then carries PostgREST's standard reason phrase. Plain SQL callers
 * keep SQLSTATE PTnnn and the message as it is.
 *
 * Ids echoed in messages are cut to 512 bytes (a whole character at most),
 * followed by "…" when cut: the contract's longest id (§7.5) is shown whole,
 * a 10 KB attempt is not.
 */
#include "glue.h"

#include "mb/pg_wchar.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/json.h"

#define TRACES_ECHOED_ID_BYTES 512

char *
traces_echoed_id(const char *id, int len)
{
	int			cut;

	if (len <= TRACES_ECHOED_ID_BYTES)
		return pnstrdup(id, len);
	cut = pg_mbcliplen(id, len, TRACES_ECHOED_ID_BYTES);
	return psprintf("%.*s\xE2\x80\xA6", cut, id);	/* U+2026 */
}

bool
traces_serving_http(void)
{
	/* After a transaction that set it, a GUC reads '' rather than missing. */
	const char *value = GetConfigOption("request.headers", true, false);

	return value != NULL && value[0] != '\0';
}

void
traces_raise_pt(const char *code, const char *message)
{
	StringInfoData body, detail;

	if (strlen(code) != 5 || code[0] != 'P' || code[1] != 'T' ||
		code[2] < '4' || code[2] > '5' || !isdigit((unsigned char) code[3]) ||
		!isdigit((unsigned char) code[4]))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("error code must be PT400 to PT599, got \"%s\"", code)));

	if (!traces_serving_http())
		ereport(ERROR,
				(errcode(MAKE_SQLSTATE(code[0], code[1], code[2], code[3], code[4])),
				 errmsg_internal("%s", message)));

	initStringInfo(&body);
	appendStringInfoString(&body, "{\"code\": ");
	escape_json(&body, code);
	appendStringInfoString(&body, ", \"message\": ");
	escape_json(&body, message);
	appendStringInfoChar(&body, '}');
	initStringInfo(&detail);
	appendStringInfo(&detail, "{\"status\": %s, \"headers\": {}}", code + 2);
	ereport(ERROR,
			(errcode(MAKE_SQLSTATE('P', 'G', 'R', 'S', 'T')),
			 errmsg_internal("%s", body.data),
			 errdetail_internal("%s", detail.data)));
}

/* jobs_internal.raise_error(code, message): for the write API's PLpgSQL. */
PG_FUNCTION_INFO_V1(traces_raise_error);
Datum
traces_raise_error(PG_FUNCTION_ARGS)
{
	/* Not STRICT: a null must not turn the error into a silent no-op. */
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("error code and message must not be null")));
	traces_raise_pt(text_to_cstring(PG_GETARG_TEXT_PP(0)),
					text_to_cstring(PG_GETARG_TEXT_PP(1)));
	PG_RETURN_VOID();
}

/* jobs_internal.echoed_id(id): the id as error messages show it. */
PG_FUNCTION_INFO_V1(traces_echoed_id_sql);
Datum
traces_echoed_id_sql(PG_FUNCTION_ARGS)
{
	text	   *id = PG_GETARG_TEXT_PP(0);

	PG_RETURN_TEXT_P(cstring_to_text(traces_echoed_id(VARDATA_ANY(id), VARSIZE_ANY_EXHDR(id))));
}
