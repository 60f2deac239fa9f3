/*
 * The row validation of job_inputs and job_progress in C (docs/contract.md
 * §1.7, §7.2 phase 2, §7.6): jobs_internal.validate_input_row and
 * jobs_internal.validate_progress_row, the BEFORE ROW triggers "validate".
 *
 * A row that passes every rule is passed through here without a PL/pgSQL
 * call: the rules' PL/pgSQL functions pin search_path, so each of the eight
 * or so calls a row made saved and restored a setting, which was most of a
 * single write's validation cost (docs/load.md, "What a write runs"). The
 * tests here are conservative: when one does not pass, the row goes to the
 * PL/pgSQL validator of 24_row_validation.sql (validate_job_input,
 * validate_job_progress) with this call's trigger data, and that function,
 * the one statement of the rules and their messages, raises the error (or,
 * when this file was stricter than the rule, returns the row). So a rule
 * changed in SQL and not here can make a valid row slower, never let a bad
 * one in, as long as every test below only accepts what the SQL accepts.
 *
 * The clock rule of 22_clock_and_finish_rules.sql runs here too, after the
 * value rules (it was the trigger validate_clock, which fired after
 * validate): a time the row sets after the transaction's start goes to
 * jobs_internal.refuse_future_times, with this trigger's arguments (what,
 * then the columns), which refuses it when the writer is a tenant's and the
 * time lies more than traces.max_future_skew ahead. Live writes stamp
 * clock_timestamp(), always after the transaction's start, so that call is
 * made for every live row of a tenant's writer; it returns at once for the
 * roles row-level security does not bind, which this file asks first.
 */
#include "glue.h"

#include "commands/trigger.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/datum.h"
#include "utils/jsonb.h"
#include "utils/rls.h"
#include "utils/timestamp.h"

#include "write_triggers.h"

/* The caps of contract §7.5 (jobs_internal.max_message_bytes,
 * max_jsonb_bytes, valid_name in 10_tables.sql and 23_sibling_fields.sql). */
#define NAME_MAX_BYTES 512
#define MESSAGE_MAX_BYTES 4096
#define JSONB_MAX_BYTES 65536

typedef struct Row
{
	TupleDesc	desc;
	HeapTuple	new_row;
	HeapTuple	old_row;		/* NULL on INSERT */
} Row;

static Datum
value(const Row *row, const char *name, bool *isnull)
{
	int			attno = SPI_fnumber(row->desc, name);

	if (attno <= 0)
		elog(ERROR, "traces: no column %s", name);
	return heap_getattr(row->new_row, attno, row->desc, isnull);
}

/* Whether the statement sets the column to another value than the row had
 * (every column on INSERT). Compared as stored bytes: a value written again
 * in another form only costs a check. */
static bool
changed(const Row *row, const char *name)
{
	int			attno = SPI_fnumber(row->desc, name);
	Form_pg_attribute att;
	bool		new_null, old_null;
	Datum		new_value, old_value;

	if (attno <= 0)
		elog(ERROR, "traces: no column %s", name);
	if (row->old_row == NULL)
		return true;
	att = TupleDescAttr(row->desc, attno - 1);
	new_value = heap_getattr(row->new_row, attno, row->desc, &new_null);
	old_value = heap_getattr(row->old_row, attno, row->desc, &old_null);
	if (new_null || old_null)
		return new_null != old_null;
	return !datumIsEqual(new_value, old_value, att->attbyval, att->attlen);
}

/* valid_name: not empty, at most 512 bytes. */
static bool
name_passes(Datum v)
{
	text	   *t = DatumGetTextPP(v);
	int			len = VARSIZE_ANY_EXHDR(t);

	return len > 0 && len <= NAME_MAX_BYTES;
}

/* require_text: present and a valid name. */
static bool
text_passes(const Row *row, const char *name)
{
	bool		isnull;
	Datum		v = value(row, name, &isnull);

	return !isnull && name_passes(v);
}

/*
 * Contract §7.5's alphabet: none of U+0001-U+001F, U+007F-U+009F. In UTF-8
 * the second range is C2 80 to C2 9F; in another server encoding any byte
 * above 0x7F goes to the SQL rule, which knows the encoding's characters.
 */
static bool
alphabet_passes(Datum v)
{
	text	   *t = DatumGetTextPP(v);
	const unsigned char *s = (const unsigned char *) VARDATA_ANY(t);
	int			len = VARSIZE_ANY_EXHDR(t);
	bool		utf8 = GetDatabaseEncoding() == PG_UTF8;

	for (int i = 0; i < len; i++)
	{
		if (s[i] < 0x20 || s[i] == 0x7f)
			return false;
		if (s[i] >= 0x80 && (!utf8 || (s[i] == 0xc2 && i + 1 < len && s[i + 1] <= 0x9f)))
			return false;
	}
	return true;
}

/* valid_time: from 0001-01-01 (UTC) up to, not including, 10000-01-01; null passes. */
static bool
time_passes(const Row *row, const char *name)
{
	static TimestampTz lowest, end;
	static bool bounds_known;
	bool		isnull;
	Datum		v = value(row, name, &isnull);
	TimestampTz t;

	if (isnull)
		return true;
	t = DatumGetTimestampTz(v);	/* not before: a pointer where int64 is by reference */
	if (!bounds_known)
	{
		struct pg_tm tm = {0};

		tm.tm_year = 1;
		tm.tm_mon = 1;
		tm.tm_mday = 1;
		if (tm2timestamp(&tm, 0, NULL, &lowest) != 0)
			elog(ERROR, "traces: the lowest valid time is out of range");
		tm.tm_year = 10000;
		if (tm2timestamp(&tm, 0, NULL, &end) != 0)
			elog(ERROR, "traces: the end of valid times is out of range");
		bounds_known = true;
	}
	return t >= lowest && t < end;
}

/* A message's cap; null passes. */
static bool
message_passes(const Row *row, const char *name)
{
	bool		isnull;
	Datum		v = value(row, name, &isnull);

	return isnull || VARSIZE_ANY_EXHDR(DatumGetTextPP(v)) <= MESSAGE_MAX_BYTES;
}

/* A jsonb value's cap, on its text form (jobs_internal.jsonb_bytes); null passes. */
static bool
jsonb_passes(const Row *row, const char *name)
{
	bool		isnull;
	Datum		v = value(row, name, &isnull);
	Jsonb	   *j;
	char	   *text_form;
	bool		passes;

	if (isnull)
		return true;
	j = DatumGetJsonbP(v);
	text_form = JsonbToCString(NULL, &j->root, VARSIZE(j));
	passes = strlen(text_form) <= JSONB_MAX_BYTES;
	pfree(text_form);
	return passes;
}

/* An optional name (port_name, file_id): null, or a valid name in the alphabet. */
static bool
optional_name_passes(const Row *row, const char *name)
{
	bool		isnull;
	Datum		v = value(row, name, &isnull);

	return isnull || (name_passes(v) && alphabet_passes(v));
}

/* One of the statuses listed (02_status_rules.sql: input_statuses and
 * finished_input_statuses); any other goes to the SQL rule. */
static bool
status_is(Datum v, const char *const *statuses)
{
	text	   *t = DatumGetTextPP(v);
	int			len = VARSIZE_ANY_EXHDR(t);

	for (; *statuses != NULL; statuses++)
		if ((int) strlen(*statuses) == len && memcmp(VARDATA_ANY(t), *statuses, len) == 0)
			return true;
	return false;
}

static const char *const unfinished_input_statuses[] = {"pending", "processing", "reference", NULL};
static const char *const finished_input_statuses[] = {"completed", "failed", NULL};

/* validate_job_input, the same rules in the same order. */
static bool
input_passes(const Row *row)
{
	bool		status_null, at_null, isnull;
	Datum		status, id;

	if (!text_passes(row, "job_id") || !text_passes(row, "id"))
		return false;
	/* require_input_state: a known status, a valid time, and the time exactly
	 * when the status is a finished one. */
	status = value(row, "status", &status_null);
	value(row, "completed_at", &at_null);
	if (status_null || !time_passes(row, "completed_at"))
		return false;
	if (!(at_null ? status_is(status, unfinished_input_statuses) : status_is(status, finished_input_statuses)))
		return false;
	id = value(row, "id", &isnull);
	if (changed(row, "id") && !alphabet_passes(id))
		return false;
	if (changed(row, "port_name") && !optional_name_passes(row, "port_name"))
		return false;
	if (changed(row, "file_id") && !optional_name_passes(row, "file_id"))
		return false;
	if (changed(row, "data") && !jsonb_passes(row, "data"))
		return false;
	if (changed(row, "error_message") && !message_passes(row, "error_message"))
		return false;
	if (changed(row, "created_at") && !time_passes(row, "created_at"))
		return false;
	return true;
}

/* validate_job_progress, the same rules in the same order. */
static bool
progress_passes(const Row *row)
{
	bool		isnull;
	Datum		kind;

	if (!text_passes(row, "job_id") || !text_passes(row, "kind"))
		return false;
	value(row, "input_id", &isnull);
	if (!isnull && !text_passes(row, "input_id"))
		return false;
	value(row, "created_at", &isnull);
	if (isnull || !time_passes(row, "created_at"))
		return false;
	value(row, "metrics", &isnull);
	if (isnull)
		return false;
	kind = value(row, "kind", &isnull);
	if (changed(row, "kind") && !alphabet_passes(kind))
		return false;
	if (changed(row, "message") && !message_passes(row, "message"))
		return false;
	if (changed(row, "payload") && !jsonb_passes(row, "payload"))
		return false;
	return true;
}

/*
 * Whether a time the row sets (trigger arguments 1..n: the columns) lies
 * after the transaction's start, for a writer row-level security binds:
 * then refuse_future_times decides (the old trigger's WHEN clause, plus
 * that function's first test, asked here).
 */
static bool
clock_needs_rule(const Row *row, TriggerData *trigdata)
{
	Trigger    *trigger = trigdata->tg_trigger;
	bool		any_after_start = false;

	for (int i = 1; i < trigger->tgnargs; i++)
	{
		bool		isnull;
		Datum		v = value(row, trigger->tgargs[i], &isnull);

		if (!isnull && DatumGetTimestampTz(v) > GetCurrentTransactionStartTimestamp() &&
			changed(row, trigger->tgargs[i]))
			any_after_start = true;
	}
	return any_after_start &&
		check_enable_rls(RelationGetRelid(trigdata->tg_relation), InvalidOid, true) == RLS_ENABLED;
}

/* The PL/pgSQL functions, looked up once per trigger and call site. */
typedef struct Rules
{
	Oid			table;			/* the table the trigger was found on */
	FmgrInfo	validator;
	FmgrInfo	clock;
} Rules;

static Rules *
rules(FunctionCallInfo fcinfo, const char *validator, const char *table)
{
	Rules	   *cache = (Rules *) fcinfo->flinfo->fn_extra;
	TriggerData *trigdata = (TriggerData *) fcinfo->context;

	if (cache != NULL && cache->table != RelationGetRelid(trigdata->tg_relation))
		cache = NULL;			/* not expected: one call site, one trigger */
	if (cache == NULL)
	{
		const char *const tables[] = {table, NULL};

		traces_require_trigger_table(trigdata, tables);
		cache = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(Rules));
		cache->table = RelationGetRelid(trigdata->tg_relation);
		traces_internal_trigger_function(validator, &cache->validator, fcinfo->flinfo->fn_mcxt);
		traces_internal_trigger_function("refuse_future_times", &cache->clock, fcinfo->flinfo->fn_mcxt);
		fcinfo->flinfo->fn_extra = cache;
	}
	return cache;
}

static Datum
validate(FunctionCallInfo fcinfo, bool (*passes) (const Row *), const char *validator, const char *table)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	Row			row;
	HeapTuple	result;
	Rules	   *cache;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_BEFORE(trigdata->tg_event) ||
		!TRIGGER_FIRED_FOR_ROW(trigdata->tg_event) ||
		!(TRIGGER_FIRED_BY_INSERT(trigdata->tg_event) || TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event)))
		elog(ERROR, "traces: row validation must be a BEFORE INSERT OR UPDATE row trigger");
	cache = rules(fcinfo, validator, table);	/* checks the table first */
	row.desc = RelationGetDescr(trigdata->tg_relation);
	if (TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event))
	{
		row.new_row = trigdata->tg_newtuple;
		row.old_row = trigdata->tg_trigtuple;
	}
	else
	{
		row.new_row = trigdata->tg_trigtuple;
		row.old_row = NULL;
	}
	result = row.new_row;
	if (!passes(&row))
		result = (HeapTuple) DatumGetPointer(traces_call_with_trigger_data(fcinfo, &cache->validator));
	if (result != NULL && clock_needs_rule(&row, trigdata))
		result = (HeapTuple) DatumGetPointer(traces_call_with_trigger_data(fcinfo, &cache->clock));
	return PointerGetDatum(result);
}

PG_FUNCTION_INFO_V1(traces_validate_input_row);

Datum
traces_validate_input_row(PG_FUNCTION_ARGS)
{
	return validate(fcinfo, input_passes, "validate_job_input", "job_inputs");
}

PG_FUNCTION_INFO_V1(traces_validate_progress_row);

Datum
traces_validate_progress_row(PG_FUNCTION_ARGS)
{
	return validate(fcinfo, progress_passes, "validate_job_progress", "job_progress");
}
