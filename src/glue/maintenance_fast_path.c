/*
 * The maintenance triggers' live case in C (docs/contract.md §7.6, §11):
 * jobs_internal.maintain_progress and jobs_internal.maintain_inputs.
 *
 * A statement writing one row at the tail of its job (a progress row after
 * every row of its kind, of a kind the job has already; an input added or
 * moved that does not leave a finished state, finished after every finished
 * input of its job) changes no other timeline row: its maintenance is one
 * probe and one write, run here from kept plans. So is an INSERT of a small
 * batch of progress rows of one job, all at the tail of kinds the job has
 * (progress_batch_fast_path: one probe and one write over arrays of the
 * rows). An INSERT of 1 to 16 progress rows of one job, of kinds it has,
 * each of a stream (input, kind) of its own in the statement, is applied
 * here too when rows are late (progress_late_write: the same probe, then
 * one statement that updates the stored timeline rows the late rows move
 * and inserts the new ones). Every other statement (a bigger batch or one
 * of several jobs, late rows two of which share a stream, a new kind and
 * its caps of §7.5, several inputs, an UPDATE or DELETE of progress, a
 * TRUNCATE) is passed, with the same trigger data, to the
 * set-based PL/pgSQL function jobs_internal.maintain_*_sets
 * (61_timeline_maintenance.sql), which registers the transition tables
 * itself. The fast path writes nothing before it knows it applies, so the
 * fallback starts from the state it always did; both write the same rows
 * (the regress case timeline_fast_path and the differential suite compare
 * the timeline with its definition).
 *
 * SECURITY DEFINER with search_path pinned (the SQL declaration): the kinds,
 * the counts and the timeline have no grants. Every statement runs with a
 * fresh snapshot (read_only false, as PL/pgSQL's VOLATILE statements): under
 * the job's lock (§7.2) it must see what the job's previous writer committed.
 */
#include "glue.h"

#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/datum.h"
#include "utils/timestamp.h"

#include "write_triggers.h"

/* Prepared once per backend, generic (whatever plan_cache_mode says): the
 * live case is planned once, not per statement. */
SPIPlanPtr
traces_kept_generic_plan(SPIPlanPtr *slot, const char *sql, int nargs, Oid *types)
{
	if (*slot == NULL)
	{
		SPIPlanPtr	plan = SPI_prepare_cursor(sql, nargs, types, CURSOR_OPT_GENERIC_PLAN);

		if (plan == NULL)
			elog(ERROR, "traces: SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
		if (SPI_keepplan(plan) != 0)
			elog(ERROR, "traces: SPI_keepplan failed");
		*slot = plan;
	}
	return *slot;
}

static void
run(SPIPlanPtr plan, Datum *values, const char *nulls, int expected)
{
	int			rc = SPI_execute_plan(plan, values, nulls, false, 0);

	if (rc != expected)
		elog(ERROR, "traces: maintenance statement failed: %s", SPI_result_code_string(rc));
}

/*
 * The rows of a transition table holding `min` to `max` rows, each in a slot
 * of its own with all its attributes deformed; else 0 (a statement of other
 * size takes another path). The slots share a copy of the relation's
 * descriptor: they outlive no pin of the relation's. The table is rewound
 * after, so the next reader of it (the set-based function) starts from its
 * first row.
 */
static int
transition_rows(Tuplestorestate *rows, Relation rel, int min, int max, TupleTableSlot **slots)
{
	int64		n = rows == NULL ? 0 : tuplestore_tuple_count(rows);
	TupleDesc	desc;

	if (n < min || n > max)
		return 0;
	desc = CreateTupleDescCopy(RelationGetDescr(rel));
	tuplestore_select_read_pointer(rows, 0);
	tuplestore_rescan(rows);
	for (int i = 0; i < n; i++)
	{
		slots[i] = MakeSingleTupleTableSlot(desc, &TTSOpsMinimalTuple);
		if (!tuplestore_gettupleslot(rows, true, true, slots[i]))
			elog(ERROR, "traces: transition table lost a row");
		slot_getallattrs(slots[i]);
	}
	tuplestore_rescan(rows);
	return (int) n;
}

/* The one row of a transition table holding exactly one, else NULL. */
static TupleTableSlot *
single_row(Tuplestorestate *rows, Relation rel)
{
	TupleTableSlot *row;

	return transition_rows(rows, rel, 1, 1, &row) == 1 ? row : NULL;
}

/* A column of the row by name. */
static Datum
column(TupleTableSlot *slot, const char *name, bool *isnull)
{
	int			attno = SPI_fnumber(slot->tts_tupleDescriptor, name);

	if (attno <= 0)
		elog(ERROR, "traces: no column %s", name);
	*isnull = slot->tts_isnull[attno - 1];
	return slot->tts_values[attno - 1];
}

static Datum
result(int col, bool *isnull)
{
	return SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, col, isnull);
}

/* Two text values equal byte for byte (two nulls count as equal). */
static bool
same_text(Datum a, bool a_null, Datum b, bool b_null)
{
	text	   *x, *y;

	if (a_null || b_null)
		return a_null && b_null;
	x = DatumGetTextPP(a);
	y = DatumGetTextPP(b);
	return VARSIZE_ANY_EXHDR(x) == VARSIZE_ANY_EXHDR(y) &&
		memcmp(VARDATA_ANY(x), VARDATA_ANY(y), VARSIZE_ANY_EXHDR(x)) == 0;
}

/* What a progress probe found: the set-based path (a new kind; SPI is
 * finished, nothing written), rows at the tail (or a timeline not kept: the
 * counts only), or a late row of a kept timeline (SPI still connected). */
typedef enum
{
	PROBE_SETS,
	PROBE_TAIL,
	PROBE_LATE
} ProbeVerdict;

/*
 * Runs a progress probe whose first columns are: the timeline kept, every
 * kind known, a row late.
 */
static ProbeVerdict
progress_probe(SPIPlanPtr plan, Datum *values, const char *nulls, bool *kept)
{
	bool		isnull;

	run(plan, values, nulls, SPI_OK_SELECT);
	if (SPI_processed != 1)
		elog(ERROR, "traces: maintenance probe returned %llu rows", (unsigned long long) SPI_processed);
	*kept = DatumGetBool(result(1, &isnull));
	if (!DatumGetBool(result(2, &isnull)))
	{
		SPI_finish();			/* a new kind: the set-based path (its caps) */
		return PROBE_SETS;
	}
	return *kept && DatumGetBool(result(3, &isnull)) ? PROBE_LATE : PROBE_TAIL;
}

/*
 * One progress row: its job's kind already recorded (no cap to check), at
 * the tail of its kind's timeline or of a job whose timeline is not kept.
 * The probe reads, like jobs_internal.appended_progress, whether the timeline
 * is kept, whether the kind is known, whether the kind's last timeline row
 * is at or after the new row (a late row) and that row's totals, and the
 * stream's previous row (one backward probe of job_progress_stream_idx; the
 * null input is a stream of its own). A late row of a kept timeline is
 * applied by progress_late_write, as a batch of one.
 */
#define PROGRESS_PROBE(STREAM) \
	"SELECT EXISTS (SELECT FROM jobs.jobs j WHERE j.id = $1)" \
	"       AND NOT EXISTS (SELECT FROM jobs_internal.timeline_pending t WHERE t.job_id = $1)," \
	"       EXISTS (SELECT FROM jobs_internal.job_kinds k WHERE k.job_id = $1 AND k.kind = $3)," \
	"       coalesce((l.created_at, l.id) >= ($4, $5), false)," \
	"       l.success, l.failed, p.success, p.failed" \
	" FROM (SELECT) one" \
	" LEFT JOIN LATERAL (SELECT t.created_at, t.id, t.success, t.failed FROM jobs_internal.kind_timeline t" \
	"                    WHERE t.job_id = $1 AND t.kind = $3" \
	"                    ORDER BY t.created_at DESC, t.id DESC LIMIT 1) l ON true" \
	" LEFT JOIN LATERAL (SELECT q.success, q.failed FROM jobs.job_progress q" \
	"                    WHERE q.job_id = $1 AND " STREAM " AND q.kind = $3" \
	"                      AND (q.kind, q.created_at, q.id) < ($3, $4, $5)" \
	"                    ORDER BY q.input_id DESC, q.kind DESC, q.created_at DESC, q.id DESC LIMIT 1) p ON true"

/* The counts of 46_input_counts.sql, then the timeline row (when kept). */
static const char *const progress_write_sql =
	"WITH counted AS ("
	"  INSERT INTO jobs_internal.progress_counts AS c (job_id, kind, n) VALUES ($1, $2, 1)"
	"  ON CONFLICT (job_id, kind) DO UPDATE SET n = c.n + excluded.n)"
	" INSERT INTO jobs_internal.kind_timeline (job_id, kind, created_at, id, success, failed)"
	" SELECT $1, $2, $3, $4, coalesce($5, 0) + $7 - coalesce($8, 0), coalesce($6, 0) + $9 - coalesce($10, 0)"
	" WHERE $11";

static SPIPlanPtr progress_probe_plans[2], progress_write_plan;

static bool progress_batch_fast_path(TriggerData *trigdata);
static void progress_late_write(Datum job, TupleTableSlot **slots, int n);

static bool
progress_fast_path(TriggerData *trigdata)
{
	TupleTableSlot *row;
	Datum		job, input, kind, at, id, success, failed;
	bool		input_null, success_null, failed_null, isnull;
	Oid			probe_types[5] = {TEXTOID, TEXTOID, TEXTOID, TIMESTAMPTZOID, INT8OID};
	Oid			write_types[11] = {TEXTOID, TEXTOID, TIMESTAMPTZOID, INT8OID, NUMERICOID, NUMERICOID,
	INT8OID, INT8OID, INT8OID, INT8OID, BOOLOID};
	Datum		probe[5], write[11];
	char		write_nulls[12];
	bool		kept;

	if (!TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
		return false;
	row = single_row(trigdata->tg_newtable, trigdata->tg_relation);
	if (row == NULL)
		return progress_batch_fast_path(trigdata);
	job = column(row, "job_id", &isnull);
	input = column(row, "input_id", &input_null);
	kind = column(row, "kind", &isnull);
	at = column(row, "created_at", &isnull);
	id = column(row, "id", &isnull);
	success = column(row, "success", &success_null);
	failed = column(row, "failed", &failed_null);

	SPI_connect();
	probe[0] = job;
	probe[1] = input;
	probe[2] = kind;
	probe[3] = at;
	probe[4] = id;
	switch (progress_probe(input_null
						   ? traces_kept_generic_plan(&progress_probe_plans[0], PROGRESS_PROBE("q.input_id IS NULL"), 5, probe_types)
						   : traces_kept_generic_plan(&progress_probe_plans[1], PROGRESS_PROBE("q.input_id = $2"), 5, probe_types),
						   probe, input_null ? " n   " : "     ", &kept))
	{
		case PROBE_SETS:
			return false;
		case PROBE_LATE:
			progress_late_write(job, &row, 1);	/* one row is one stream */
			SPI_finish();
			return true;
		case PROBE_TAIL:
			break;
	}
	memset(write_nulls, ' ', sizeof(write_nulls));
	write[0] = job;
	write[1] = kind;
	write[2] = at;
	write[3] = id;
	/* The last timeline row's totals ($5, $6), the stream's previous row's ($8, $10). */
	for (int i = 0; i < 4; i++)
	{
		static const int param[4] = {4, 5, 7, 9};

		write[param[i]] = result(4 + i, &isnull);
		if (isnull)
			write_nulls[param[i]] = 'n';
	}
	write[6] = success;
	write_nulls[6] = success_null ? 'n' : ' ';
	write[8] = failed;
	write_nulls[8] = failed_null ? 'n' : ' ';
	write[10] = BoolGetDatum(kept);
	write_nulls[11] = '\0';
	run(traces_kept_generic_plan(&progress_write_plan, progress_write_sql, 11, write_types),
		write, write_nulls, SPI_OK_INSERT);
	SPI_finish();
	return true;
}

/*
 * A small batch of progress rows, all at the tail: one job (a batch naming
 * several jobs is left to the set-based path: the write API reports for one
 * job, and grouping by job here would only repeat that path's work), every
 * kind already recorded, every row after its kind's last timeline row (or
 * the job's timeline not kept: then only the counts move). At most
 * BATCH_MAX_ROWS rows: the batch is copied into arrays and each row probed
 * by index (its kind's last timeline row, its stream's previous stored row),
 * which stays cheaper than the set-based statements only while the batch is
 * small; a bigger statement (a bulk load) is what those statements are
 * planned for. 16 covers the write API's batches of a few kinds. A batch
 * with late rows whose rows are each of a stream of their own is applied by
 * progress_late_write (below); one with late rows and a stream twice goes
 * to the set-based path.
 */
#define BATCH_MAX_ROWS 16

/* Whether the batch applies: kept, every kind known, any row late. */
static const char *const batch_probe_sql =
	"SELECT EXISTS (SELECT FROM jobs.jobs j WHERE j.id = $1)"
	"       AND NOT EXISTS (SELECT FROM jobs_internal.timeline_pending t WHERE t.job_id = $1),"
	"       NOT EXISTS (SELECT FROM unnest($2) a (kind)"
	"                   WHERE NOT EXISTS (SELECT FROM jobs_internal.job_kinds k WHERE k.job_id = $1 AND k.kind = a.kind)),"
	"       EXISTS (SELECT FROM unnest($2, $3, $4) a (kind, created_at, id)"
	"               WHERE EXISTS (SELECT FROM jobs_internal.kind_timeline t"
	"                             WHERE t.job_id = $1 AND t.kind = a.kind"
	"                               AND (t.created_at, t.id) >= (a.created_at, a.id)))";

/*
 * The counts, then (when kept) the timeline rows: the "live case of a batch"
 * of maintain_progress_sets over the arrays instead of new_rows (keep the two
 * equal). Each row's value is its kind's last timeline value plus the
 * batch's deltas up to it in (created_at, id) order; a stream's first batch
 * row takes its delta from the stream's last stored row, a later one from
 * the batch row before it. Sums in numeric (sum of bigint), as the
 * timeline's columns: no total can overflow here.
 */
static const char *const batch_write_sql =
	"WITH a AS MATERIALIZED ("
	"  SELECT * FROM unnest($2, $3, $4, $5, $6, $7) a (input_id, kind, created_at, id, success, failed)),"
	" counted AS ("
	"  INSERT INTO jobs_internal.progress_counts AS c (job_id, kind, n)"
	"  SELECT $1, a.kind, count(*) FROM a GROUP BY a.kind"
	"  ON CONFLICT (job_id, kind) DO UPDATE SET n = c.n + excluded.n)"
	" INSERT INTO jobs_internal.kind_timeline (job_id, kind, created_at, id, success, failed)"
	" SELECT $1, d.kind, d.created_at, d.id,"
	"        d.last_success + sum(d.d_success) OVER k, d.last_failed + sum(d.d_failed) OVER k"
	" FROM (SELECT a.kind, a.created_at, a.id,"
	"              a.success - coalesce(lag(a.success) OVER s, b.success, 0) AS d_success,"
	"              a.failed - coalesce(lag(a.failed) OVER s, b.failed, 0) AS d_failed,"
	"              coalesce(l.success, 0) AS last_success, coalesce(l.failed, 0) AS last_failed"
	"       FROM a"
	"       LEFT JOIN LATERAL jobs_internal.stream_neighbour($1, a.input_id, a.kind, a.created_at, a.id, false) b ON true"
	"       LEFT JOIN LATERAL (SELECT t.success, t.failed FROM jobs_internal.kind_timeline t"
	"                          WHERE t.job_id = $1 AND t.kind = a.kind"
	"                          ORDER BY t.created_at DESC, t.id DESC LIMIT 1) l ON true"
	"       WHERE $8"
	"       WINDOW s AS (PARTITION BY a.input_id, a.kind ORDER BY a.created_at, a.id)) d"
	" WINDOW k AS (PARTITION BY d.kind ORDER BY d.created_at, d.id ROWS UNBOUNDED PRECEDING)";

static SPIPlanPtr batch_probe_plan, batch_write_plan;

/* One column of the batch as an array. */
static Datum
batch_array(TupleTableSlot **slots, int n, const char *name, Oid type)
{
	Datum		values[BATCH_MAX_ROWS];
	bool		nulls[BATCH_MAX_ROWS];
	int			dims[1] = {n}, lbs[1] = {1};
	int16		len;
	bool		byval;
	char		align;

	for (int i = 0; i < n; i++)
		values[i] = column(slots[i], name, &nulls[i]);
	get_typlenbyvalalign(type, &len, &byval, &align);
	return PointerGetDatum(construct_md_array(values, nulls, 1, dims, lbs, type, len, byval, align));
}

/* Whether no two rows of the batch are of one stream (input, kind): the
 * null input is a stream of its own per kind. */
static bool
distinct_streams(TupleTableSlot **slots, int n)
{
	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++)
		{
			bool		a_null, b_null, isnull;
			Datum		a = column(slots[i], "input_id", &a_null);
			Datum		b = column(slots[j], "input_id", &b_null);

			if (same_text(a, a_null, b, b_null) &&
				same_text(column(slots[i], "kind", &isnull), false, column(slots[j], "kind", &isnull), false))
				return false;
		}
	return true;
}

static bool
progress_batch_fast_path(TriggerData *trigdata)
{
	TupleTableSlot *slots[BATCH_MAX_ROWS];
	int			n;
	Datum		job, probe[4], write[8];
	bool		isnull, kept;
	Oid			probe_types[4] = {TEXTOID, TEXTARRAYOID, TIMESTAMPTZARRAYOID, INT8ARRAYOID};
	Oid			write_types[8] = {TEXTOID, TEXTARRAYOID, TEXTARRAYOID, TIMESTAMPTZARRAYOID,
	INT8ARRAYOID, INT8ARRAYOID, INT8ARRAYOID, BOOLOID};

	n = transition_rows(trigdata->tg_newtable, trigdata->tg_relation, 2, BATCH_MAX_ROWS, slots);
	if (n == 0)
		return false;
	job = column(slots[0], "job_id", &isnull);
	for (int i = 1; i < n; i++)
	{
		Datum		other = column(slots[i], "job_id", &isnull);

		if (!same_text(job, false, other, isnull))
			return false;		/* several jobs: the set-based path */
	}

	SPI_connect();
	probe[0] = job;
	probe[1] = batch_array(slots, n, "kind", TEXTOID);
	probe[2] = batch_array(slots, n, "created_at", TIMESTAMPTZOID);
	probe[3] = batch_array(slots, n, "id", INT8OID);
	switch (progress_probe(traces_kept_generic_plan(&batch_probe_plan, batch_probe_sql, 4, probe_types),
						   probe, NULL, &kept))
	{
		case PROBE_SETS:
			return false;
		case PROBE_LATE:
			if (!distinct_streams(slots, n))
			{
				SPI_finish();	/* a late row and a stream twice: the set-based path */
				return false;
			}
			progress_late_write(job, slots, n);
			SPI_finish();
			return true;
		case PROBE_TAIL:
			break;
	}
	write[0] = job;
	write[1] = batch_array(slots, n, "input_id", TEXTOID);
	write[2] = probe[1];
	write[3] = probe[2];
	write[4] = probe[3];
	write[5] = batch_array(slots, n, "success", INT8OID);
	write[6] = batch_array(slots, n, "failed", INT8OID);
	write[7] = BoolGetDatum(kept);
	run(traces_kept_generic_plan(&batch_write_plan, batch_write_sql, 8, write_types), write, NULL, SPI_OK_INSERT);
	SPI_finish();
	return true;
}

/*
 * Rows that are not all at the tail, each of a stream (input, kind) of its
 * own in the statement, of one job whose timeline is kept, of kinds it has:
 * a late report among other writers' (the write API's batch of a few kinds
 * and inputs, its time taken before it waited for the job's lock). Every
 * other row of a row r's stream is stored, so r's delta is its counters
 * minus its stream's previous stored row's (prev, 0 without one), and r
 * moves its kind's totals by that delta from its position up to its
 * stream's next stored row (next, excluded: from there on the stream's
 * latest snapshot is that row again), to the kind's end when there is
 * none. As events of the kind: +delta at r, -delta at next. Their running
 * sum C(x) over the kind's (created_at, id) order is the change at x:
 *   * a stored timeline row t moves by C(t), the deltas of the rows r < t
 *     whose next is after t (t is never at a new row's position; t at a
 *     next takes its -delta): the rows of each stretch between events where
 *     C is not 0, found by a range of the timeline's key from that stretch's
 *     event (a subquery kept apart, OFFSET 0, so that the range is what its
 *     kept plan reads however the statistics size the job: a join could
 *     read the job's whole timeline), then updated by row id, each adding C
 *     of the last event at or before it;
 *   * a new row r is the old timeline's value just before r (0 without one)
 *     plus C(r), the deltas of the rows r' <= r whose next is after r.
 * This is the general statement of maintain_progress_sets with each
 * stream's rows reduced to the two probes round its one row (keep the two
 * equal). The update and the probes of the old values are one statement:
 * both read the timeline as it was before it, the probes never see the
 * updated values. With no row late, nothing is updated: the tail batch
 * above does the same with one probe a row less.
 */
static const char *const late_write_sql =
	"WITH a AS MATERIALIZED ("
	"  SELECT * FROM unnest($2, $3, $4, $5, $6, $7) a (input_id, kind, created_at, id, success, failed)),"
	" counted AS ("
	"  INSERT INTO jobs_internal.progress_counts AS c (job_id, kind, n)"
	"  SELECT $1, a.kind, count(*) FROM a GROUP BY a.kind"
	"  ON CONFLICT (job_id, kind) DO UPDATE SET n = c.n + excluded.n),"
	" deltas AS MATERIALIZED ("
	"  SELECT a.kind, a.created_at, a.id,"
	"         a.success - coalesce(b.success, 0) AS d_success, a.failed - coalesce(b.failed, 0) AS d_failed,"
	"         x.created_at AS next_at, x.id AS next_id"
	"  FROM a"
	"  LEFT JOIN LATERAL jobs_internal.stream_neighbour($1, a.input_id, a.kind, a.created_at, a.id, false) b ON true"
	"  LEFT JOIN LATERAL jobs_internal.stream_neighbour($1, a.input_id, a.kind, a.created_at, a.id, true) x ON true),"
	" events AS ("
	"  SELECT d.kind, d.created_at, d.id, true AS fresh, d.d_success, d.d_failed FROM deltas d"
	"  UNION ALL"
	"  SELECT d.kind, d.next_at, d.next_id, false, -d.d_success, -d.d_failed FROM deltas d WHERE d.next_id IS NOT NULL),"
	/* One event a position: the rows are new, each next is of another stream. */
	" changes AS MATERIALIZED ("
	"  SELECT e.kind, e.created_at, e.id, e.fresh,"
	"         sum(e.d_success) OVER k AS c_success, sum(e.d_failed) OVER k AS c_failed,"
	"         lead(e.created_at) OVER k AS next_at, lead(e.id) OVER k AS next_id"
	"  FROM events e"
	"  WINDOW k AS (PARTITION BY e.kind ORDER BY e.created_at, e.id)),"
	" updated AS ("
	"  UPDATE jobs_internal.kind_timeline t"
	"  SET (success, failed) = (SELECT t.success + c.c_success, t.failed + c.c_failed FROM changes c"
	"                           WHERE c.kind = t.kind AND (c.created_at, c.id) <= (t.created_at, t.id)"
	"                           ORDER BY c.created_at DESC, c.id DESC LIMIT 1)"
	"  WHERE t.ctid = ANY (ARRAY("
	"    SELECT s.ctid FROM changes c"
	"    CROSS JOIN LATERAL (SELECT r.ctid FROM jobs_internal.kind_timeline r"
	"                        WHERE r.job_id = $1 AND r.kind = c.kind"
	"                          AND (r.created_at, r.id) >= (c.created_at, c.id)"
	"                          AND (r.created_at, r.id) < (coalesce(c.next_at, 'infinity'), coalesce(c.next_id, 0))"
	"                        OFFSET 0) s"
	"    WHERE c.c_success <> 0 OR c.c_failed <> 0)))"
	" INSERT INTO jobs_internal.kind_timeline (job_id, kind, created_at, id, success, failed)"
	" SELECT $1, c.kind, c.created_at, c.id, coalesce(l.success, 0) + c.c_success, coalesce(l.failed, 0) + c.c_failed"
	/* Last position first, as in maintain_progress_sets: no probe walks
	 * over the rows inserted before it (in the index, not visible). */
	" FROM (SELECT * FROM changes c WHERE c.fresh ORDER BY c.kind, c.created_at DESC, c.id DESC) c"
	" LEFT JOIN LATERAL (SELECT t.success, t.failed FROM jobs_internal.kind_timeline t"
	"                    WHERE t.job_id = $1 AND t.kind = c.kind AND (t.created_at, t.id) < (c.created_at, c.id)"
	"                    ORDER BY t.created_at DESC, t.id DESC LIMIT 1) l ON true";

static SPIPlanPtr late_write_plan;

/* The late rows' write (SPI connected, the probe run). */
static void
progress_late_write(Datum job, TupleTableSlot **slots, int n)
{
	Datum		write[7];
	Oid			write_types[7] = {TEXTOID, TEXTARRAYOID, TEXTARRAYOID, TIMESTAMPTZARRAYOID,
	INT8ARRAYOID, INT8ARRAYOID, INT8ARRAYOID};

	write[0] = job;
	write[1] = batch_array(slots, n, "input_id", TEXTOID);
	write[2] = batch_array(slots, n, "kind", TEXTOID);
	write[3] = batch_array(slots, n, "created_at", TIMESTAMPTZOID);
	write[4] = batch_array(slots, n, "id", INT8OID);
	write[5] = batch_array(slots, n, "success", INT8OID);
	write[6] = batch_array(slots, n, "failed", INT8OID);
	run(traces_kept_generic_plan(&late_write_plan, late_write_sql, 7, write_types), write, NULL, SPI_OK_INSERT);
}

/*
 * One input, inserted unfinished or updated from an unfinished state within
 * its job (adding, starting, finishing it): its counts move, and a finish at
 * the tail of its job's file timeline adds one row, as
 * jobs_internal.appended_input does. Input ids are compared in byte order,
 * the timeline's order.
 */
static const char *const input_probe_sql =
	"SELECT EXISTS (SELECT FROM jobs.jobs j WHERE j.id = $1)"
	"       AND NOT EXISTS (SELECT FROM jobs_internal.timeline_pending t WHERE t.job_id = $1),"
	"       coalesce((l.completed_at, l.input_id) >= ($2, $3 COLLATE \"C\"), false),"
	"       l.completed, l.failed"
	" FROM (SELECT) one"
	" LEFT JOIN LATERAL (SELECT t.completed_at, t.input_id, t.completed, t.failed FROM jobs_internal.file_timeline t"
	"                    WHERE t.job_id = $1 ORDER BY t.completed_at DESC, t.input_id DESC LIMIT 1) l ON true";

static const char *const input_write_sql =
	"WITH counted AS ("
	"  INSERT INTO jobs_internal.input_counts AS c (job_id, port_name, status, n)"
	"  SELECT $1, d.port_name, d.status, d.n"
	"  FROM (VALUES ($2, $3, 1), ($4, $5, -1)) d (port_name, status, n)"
	"  WHERE $6 AND d.status IS NOT NULL"
	"  ON CONFLICT ON CONSTRAINT input_counts_key DO UPDATE SET n = c.n + excluded.n)"
	" INSERT INTO jobs_internal.file_timeline (job_id, completed_at, input_id, completed, failed)"
	" SELECT $1, $8, $9, coalesce($10, 0) + ($3 = 'completed')::integer, coalesce($11, 0) + ($3 = 'failed')::integer"
	" WHERE $7";

static SPIPlanPtr input_probe_plan, input_write_plan;

static bool
input_fast_path(TriggerData *trigdata)
{
	TupleTableSlot *row, *old = NULL;
	Datum		job, id, status, port, at, old_port = (Datum) 0, old_status = (Datum) 0;
	bool		port_null, at_null, old_port_null = true, isnull;
	bool		move_counts = true, timeline = false;
	Oid			probe_types[3] = {TEXTOID, TIMESTAMPTZOID, TEXTOID};
	Oid			write_types[11] = {TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, BOOLOID, BOOLOID,
	TIMESTAMPTZOID, TEXTOID, INT8OID, INT8OID};
	Datum		probe[3], write[11];
	char		write_nulls[12];

	if (!TRIGGER_FIRED_BY_INSERT(trigdata->tg_event) && !TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event))
		return false;
	row = single_row(trigdata->tg_newtable, trigdata->tg_relation);
	if (row == NULL)
		return false;
	job = column(row, "job_id", &isnull);
	id = column(row, "id", &isnull);
	status = column(row, "status", &isnull);
	port = column(row, "port_name", &port_null);
	at = column(row, "completed_at", &at_null);
	if (TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
	{
		if (!at_null)
			return false;		/* a finished input inserted: the set-based path */
	}
	else
	{
		bool		old_at_null, old_job_null;
		Datum		old_job;

		old = single_row(trigdata->tg_oldtable, trigdata->tg_relation);
		if (old == NULL)
			return false;
		column(old, "completed_at", &old_at_null);
		old_job = column(old, "job_id", &old_job_null);
		if (!old_at_null || !same_text(old_job, old_job_null, job, false))
			return false;		/* a finished input changed, or moved to another job */
		old_port = column(old, "port_name", &old_port_null);
		old_status = column(old, "status", &isnull);
		move_counts = !(same_text(old_port, old_port_null, port, port_null) &&
						same_text(old_status, false, status, false));
	}

	SPI_connect();
	memset(write_nulls, ' ', sizeof(write_nulls));
	write_nulls[9] = write_nulls[10] = 'n';
	write[9] = write[10] = (Datum) 0;
	if (!at_null)
	{
		bool		kept;

		probe[0] = job;
		probe[1] = at;
		probe[2] = id;
		run(traces_kept_generic_plan(&input_probe_plan, input_probe_sql, 3, probe_types), probe, NULL, SPI_OK_SELECT);
		if (SPI_processed != 1)
			elog(ERROR, "traces: maintenance probe returned %llu rows", (unsigned long long) SPI_processed);
		kept = DatumGetBool(result(1, &isnull));
		if (kept && DatumGetBool(result(2, &isnull)))
		{
			SPI_finish();		/* a late finish: the set-based path */
			return false;
		}
		timeline = kept;
		for (int i = 0; i < 2; i++)
		{
			write[9 + i] = result(3 + i, &isnull);
			write_nulls[9 + i] = isnull ? 'n' : ' ';
		}
	}
	if (move_counts || timeline)
	{
		write[0] = job;
		write[1] = port;
		write_nulls[1] = port_null ? 'n' : ' ';
		write[2] = status;
		write[3] = old_port;
		write_nulls[3] = old_port_null ? 'n' : ' ';
		write[4] = old_status;
		write_nulls[4] = old == NULL ? 'n' : ' ';
		write[5] = BoolGetDatum(move_counts);
		write[6] = BoolGetDatum(timeline);
		write[7] = at;
		write_nulls[7] = at_null ? 'n' : ' ';
		write[8] = id;
		write_nulls[11] = '\0';
		run(traces_kept_generic_plan(&input_write_plan, input_write_sql, 11, write_types),
			write, write_nulls, SPI_OK_INSERT);
	}
	SPI_finish();
	return true;
}

/* The set-based function, called with this call's trigger data. */
static Datum
call_set_based(FunctionCallInfo fcinfo, const char *name)
{
	FmgrInfo   *callee = (FmgrInfo *) fcinfo->flinfo->fn_extra;

	if (callee == NULL)
	{
		callee = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(FmgrInfo));
		traces_internal_trigger_function(name, callee, fcinfo->flinfo->fn_mcxt);
		fcinfo->flinfo->fn_extra = callee;
	}
	return traces_call_with_trigger_data(fcinfo, callee);
}

static const char *const maintained_tables[] = {"job_inputs", "job_progress", NULL};

/* The trigger data; false when the statement changed no row (nothing to
 * maintain, as the set-based functions find: a cascade that removed nothing). */
static bool
rows_changed(FunctionCallInfo fcinfo)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_FOR_STATEMENT(trigdata->tg_event))
		elog(ERROR, "traces: maintenance must be called as a statement trigger");
	traces_require_trigger_table(trigdata, maintained_tables);
	if (TRIGGER_FIRED_BY_TRUNCATE(trigdata->tg_event))
		return true;
	return (trigdata->tg_newtable != NULL && tuplestore_tuple_count(trigdata->tg_newtable) > 0) ||
		(trigdata->tg_oldtable != NULL && tuplestore_tuple_count(trigdata->tg_oldtable) > 0);
}

PG_FUNCTION_INFO_V1(traces_maintain_progress);

Datum
traces_maintain_progress(PG_FUNCTION_ARGS)
{
	if (!rows_changed(fcinfo) || progress_fast_path((TriggerData *) fcinfo->context))
		return PointerGetDatum(NULL);
	return call_set_based(fcinfo, "maintain_progress_sets");
}

PG_FUNCTION_INFO_V1(traces_maintain_inputs);

Datum
traces_maintain_inputs(PG_FUNCTION_ARGS)
{
	if (!rows_changed(fcinfo) || input_fast_path((TriggerData *) fcinfo->context))
		return PointerGetDatum(NULL);
	return call_set_based(fcinfo, "maintain_inputs_sets");
}
