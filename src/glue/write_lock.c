/*
 * The job write lock of docs/contract.md §7.2 in C: jobs_internal.lock_jobs
 * (the write API) and the statement trigger jobs_internal.lock_written_jobs
 * (direct INSERT / UPDATE / DELETE on job_inputs and job_progress).
 *
 * Both run as the writer (no SECURITY DEFINER): grants and row-level security
 * decide who may take the lock, and a role without UPDATE (change_count) gets
 * 42501, a read-only transaction 25006, from the one statement below. The
 * trigger reads the statement's transition tables itself rather than through
 * a query: a single-row write then costs one kept plan, not a nested
 * PL/pgSQL call and two statements (docs/load.md, "What a write runs").
 */
#include "glue.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "miscadmin.h"
#include "storage/proc.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/tuplestore.h"

#include "write_triggers.h"

/*
 * Locks the jobs in byte order of id (COLLATE "C": two writers never
 * deadlock) and advances their change_count; jobs this transaction updated
 * already are locked already and left alone (xmin), so change_count advances
 * once per transaction and job.
 */
static const char *const lock_sql =
	"UPDATE jobs.jobs j SET change_count = j.change_count + 1"
	" FROM (SELECT l.id FROM jobs.jobs l"
	"       WHERE l.id = ANY ($1) AND l.xmin <> pg_catalog.pg_current_xact_id()::xid"
	"       ORDER BY l.id COLLATE \"C\""
	"       FOR NO KEY UPDATE) o"
	" WHERE j.id = o.id";

static SPIPlanPtr lock_plan;

/*
 * The one job whose lock this backend knows it holds: its row was updated
 * by the lock statement in this transaction, at this subtransaction, as
 * this role. A statement writing only that job's rows then skips the lock
 * statement, which would find the row updated by this transaction already
 * and change nothing: the write API locks before it writes, so each of its
 * calls ran the statement twice (docs/load.md, "What a write runs"). A
 * subtransaction rolled back releases the locks taken in it, and its id is
 * never given out again within the transaction, so the memo is not trusted
 * after it; nor in a subtransaction below the one that locked (the check
 * costs a statement, never correctness).
 */
static struct
{
	FullTransactionId xid;		/* 64 bits: never repeats, unlike lxid */
	LocalTransactionId lxid;
	SubTransactionId subxid;
	Oid			role;
	char	   *job;			/* TopMemoryContext */
	int			job_len;
} held;

static bool
lock_held(Datum job)
{
	text	   *t = DatumGetTextPP(job);

	return held.job != NULL && held.lxid == MyProc->lxid &&
		FullTransactionIdEquals(held.xid, GetTopFullTransactionIdIfAny()) &&
		held.subxid == GetCurrentSubTransactionId() && held.role == GetUserId() &&
		held.job_len == VARSIZE_ANY_EXHDR(t) && memcmp(held.job, VARDATA_ANY(t), held.job_len) == 0;
}

static void
remember_lock(Datum job)
{
	text	   *t = DatumGetTextPP(job);
	int			len = VARSIZE_ANY_EXHDR(t);
	char	   *copy = MemoryContextAlloc(TopMemoryContext, len + 1);	/* before the memo changes */

	memcpy(copy, VARDATA_ANY(t), len);
	if (held.job != NULL)
		pfree(held.job);
	held.job = copy;
	held.job_len = len;
	held.xid = GetTopFullTransactionIdIfAny();
	held.lxid = MyProc->lxid;
	held.subxid = GetCurrentSubTransactionId();
	held.role = GetUserId();
}

/* Runs the lock statement over `job_ids` (text[]), inside SPI. */
static void
lock_job_array(Datum job_ids)
{
	Oid			type = TEXTARRAYOID;
	int			rc;
	ArrayType  *ids = DatumGetArrayTypeP(job_ids);

	/* Not read-only: a fresh snapshot, as PL/pgSQL's VOLATILE statements. */
	rc = SPI_execute_plan(traces_kept_generic_plan(&lock_plan, lock_sql, 1, &type), &job_ids, NULL, false, 0);
	if (rc != SPI_OK_UPDATE)
		elog(ERROR, "traces: lock statement failed: %s", SPI_result_code_string(rc));
	/* One job, and its row updated now: remembered as held. */
	if (SPI_processed == 1 && ARR_NDIM(ids) == 1 && ARR_DIMS(ids)[0] == 1 && !ARR_HASNULL(ids))
	{
		bool		isnull;
		int			index = ARR_LBOUND(ids)[0];
		Datum		job = array_get_element(job_ids, 1, &index, -1, -1, false, TYPALIGN_INT, &isnull);

		if (!isnull)
			remember_lock(job);
	}
}

/* jobs_internal.lock_jobs(job_ids text[]) -> void */
PG_FUNCTION_INFO_V1(traces_lock_jobs);

Datum
traces_lock_jobs(PG_FUNCTION_ARGS)
{
	ArrayType  *ids;

	if (PG_ARGISNULL(0))
		PG_RETURN_VOID();
	ids = PG_GETARG_ARRAYTYPE_P(0);
	if (ArrayGetNItems(ARR_NDIM(ids), ARR_DIMS(ids)) == 0)
		PG_RETURN_VOID();
	SPI_connect();
	lock_job_array(PointerGetDatum(ids));
	SPI_finish();
	PG_RETURN_VOID();
}

static const char *const written_tables[] = {"job_inputs", "job_progress", NULL};

/* The distinct job ids of a statement's rows, as text datums. */
typedef struct JobSet
{
	Datum	   *ids;
	int			n;
	int			cap;
	int			sorted;			/* ids[0 .. sorted) are sorted and distinct */
} JobSet;

static int
compare_ids(const void *a, const void *b)
{
	text	   *x = DatumGetTextPP(*(const Datum *) a);
	text	   *y = DatumGetTextPP(*(const Datum *) b);
	int			lx = VARSIZE_ANY_EXHDR(x);
	int			ly = VARSIZE_ANY_EXHDR(y);
	int			c = memcmp(VARDATA_ANY(x), VARDATA_ANY(y), Min(lx, ly));

	return c != 0 ? c : (lx > ly) - (lx < ly);
}

/* Sorts and removes duplicates. */
static void
compact(JobSet *set)
{
	int			out = 0;

	if (set->n < 2)
	{
		set->sorted = set->n;
		return;
	}
	qsort(set->ids, set->n, sizeof(Datum), compare_ids);
	for (int i = 0; i < set->n; i++)
		if (out == 0 || compare_ids(&set->ids[out - 1], &set->ids[i]) != 0)
			set->ids[out++] = set->ids[i];
	set->n = set->sorted = out;
}

static void
add_id(JobSet *set, Datum id)
{
	/* Rows of one job usually come together: skip the common repeat. */
	if (set->n > 0 && compare_ids(&set->ids[set->n - 1], &id) == 0)
		return;
	if (set->n == set->cap)
	{
		compact(set);
		if (set->n * 2 > set->cap)
		{
			set->cap *= 2;
			set->ids = repalloc(set->ids, set->cap * sizeof(Datum));
		}
	}
	set->ids[set->n++] = datumCopy(id, false, -1);
}

/* Adds the job_id of every row of a transition table. */
static void
add_rows(JobSet *set, Tuplestorestate *rows, Relation rel)
{
	TupleDesc	desc = RelationGetDescr(rel);
	int			attno = SPI_fnumber(desc, "job_id");
	TupleTableSlot *slot;
	uint64		seen = 0;

	if (rows == NULL)
		return;
	if (attno <= 0)
		elog(ERROR, "traces: %s has no job_id column", RelationGetRelationName(rel));
	slot = MakeSingleTupleTableSlot(desc, &TTSOpsMinimalTuple);
	tuplestore_select_read_pointer(rows, 0);
	tuplestore_rescan(rows);
	while (tuplestore_gettupleslot(rows, true, false, slot))
	{
		bool		isnull;
		Datum		id = slot_getattr(slot, attno, &isnull);

		if (!isnull)
			add_id(set, id);
		if (++seen % 4096 == 0)
			CHECK_FOR_INTERRUPTS();
	}
	/* The next reader of the table starts from its first row too. */
	tuplestore_rescan(rows);
	ExecDropSingleTupleTableSlot(slot);
}

/*
 * Statement trigger jobs_internal.lock_written_jobs(): locks the jobs of the
 * rows written (§7.2). An UPDATE locks the jobs of its new rows and of its
 * old ones; a DELETE those of its old rows (a job being deleted is no longer
 * visible to its cascades, so they lock nothing).
 */
PG_FUNCTION_INFO_V1(traces_lock_written_jobs);

Datum
traces_lock_written_jobs(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	JobSet		set;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_FOR_STATEMENT(trigdata->tg_event))
		elog(ERROR, "traces: lock_written_jobs must be called as a statement trigger");
	traces_require_trigger_table(trigdata, written_tables);
	set.cap = 16;
	set.n = set.sorted = 0;
	set.ids = palloc(set.cap * sizeof(Datum));
	add_rows(&set, trigdata->tg_newtable, trigdata->tg_relation);
	add_rows(&set, trigdata->tg_oldtable, trigdata->tg_relation);
	compact(&set);
	if (set.n > 0 && !(set.n == 1 && lock_held(set.ids[0])))
	{
		ArrayType  *ids = construct_array(set.ids, set.n, TEXTOID, -1, false, TYPALIGN_INT);

		SPI_connect();
		lock_job_array(PointerGetDatum(ids));
		SPI_finish();
	}
	return PointerGetDatum(NULL);
}
