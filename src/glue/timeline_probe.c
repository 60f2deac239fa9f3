/*
 * The timeline's index probes (docs/contract.md §11.7), made directly on the
 * B-trees rather than through a planned query: what the reader asks is
 * always the same walk ("the last row of this key at or before t"), and a
 * plan chosen by the planner depends on the tables' statistics (a plan made
 * before them once read and sorted every row of the key: 1.5 s a trace of a
 * fresh 40,000-row job). Here every probe is one descent of the index and a
 * short backward walk, whatever the statistics.
 *
 * Visibility: every scan uses the active snapshot, the calling statement's,
 * which is also the snapshot a read-only SPI query of the trace would use;
 * the triggers that keep the timeline write in the writer's transaction, so
 * this snapshot sees a timeline equal to the rows it sees.
 *
 * Permissions: the relations are locked AccessShareLock like a query's, and
 * the role in effect (the tables' owner after the caller's visibility
 * check, owner_access.c) must hold SELECT on both tables (timeline_reader.c
 * checks it first). A direct scan applies no row-level security, so it is
 * used only where none would apply: check_enable_rls() says whether RLS
 * would filter a query of this role; kind_timeline has none,
 * file_timeline's policy does not bind its owner (no FORCE ROW LEVEL
 * SECURITY, 63_input_rank.sql). Where it would (tables re-owned apart, or
 * FORCE added), traces_open_timeline() declines and the trace takes the
 * scan path, which reads the rows under the policies.
 */
#include "glue.h"

#include "access/genam.h"
#include "access/relscan.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/namespace.h"
#include "catalog/pg_index.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/rls.h"
#include "utils/snapmgr.h"

#include "timeline_probe.h"

/* The relation `name` of jobs_internal; InvalidOid when absent. */
static Oid
internal_relid(const char *name)
{
	Oid			nsp = get_namespace_oid("jobs_internal", true);

	return OidIsValid(nsp) ? get_relname_relid(name, nsp) : InvalidOid;
}

/* Whether the role in effect may read the table directly: SELECT, and no
 * row-level security that a query of it would apply. */
static bool
directly_readable(Oid relid)
{
	return pg_class_aclcheck(relid, GetUserId(), ACL_SELECT) == ACLCHECK_OK &&
		check_enable_rls(relid, InvalidOid, true) != RLS_ENABLED;
}

static AttrNumber
column(Relation heap, const char *name)
{
	AttrNumber	att = get_attnum(RelationGetRelid(heap), name);

	if (att == InvalidAttrNumber)
		elog(ERROR, "traces: column %s.%s is missing", RelationGetRelationName(heap), name);
	return att;
}

/*
 * One scan key on index column `indatt`, compared with the index's own
 * collation: ScanKeyInit would compare text in "C", while the primary key
 * is ordered in the column's collation.
 */
static void
index_key(ScanKey key, Relation index, AttrNumber indatt, StrategyNumber strategy, RegProcedure proc)
{
	ScanKeyEntryInitialize(key, 0, indatt, strategy, InvalidOid,
						   index->rd_indcollation[indatt - 1], proc, (Datum) 0);
}

/*
 * Opens a timeline table and its probe index, the index being checked to be
 * the table's and to lead with (probe_key, time); false when the schema has
 * no such pair or the role may not read it directly (the trace then takes
 * the scan path).
 */
static bool
open_table(TimelineTable *t, const char *table, const char *index, const char *time_column,
		   const char *kind_column, const char *success_column, const char *failed_column)
{
	Oid			relid = internal_relid(table);
	Oid			indexid = internal_relid(index);

	if (!OidIsValid(relid) || !OidIsValid(indexid) || !directly_readable(relid))
		return false;
	t->heap = table_open(relid, AccessShareLock);
	t->index = index_open(indexid, AccessShareLock);
	if (t->index->rd_index->indrelid != relid || t->index->rd_index->indnkeyatts < 2 ||
		t->index->rd_index->indkey.values[0] != column(t->heap, "probe_key") ||
		t->index->rd_index->indkey.values[1] != column(t->heap, time_column))
		elog(ERROR, "traces: index jobs_internal.%s is not the probe index of %s", index, table);
	t->job_att = column(t->heap, "job_id");
	t->kind_att = kind_column ? column(t->heap, kind_column) : InvalidAttrNumber;
	t->time_att = column(t->heap, time_column);
	t->success_att = column(t->heap, success_column);
	t->failed_att = column(t->heap, failed_column);
	/* The collations the generated probe_key hashes under (the columns'). */
	t->job_collation = TupleDescAttr(RelationGetDescr(t->heap), t->job_att - 1)->attcollation;
	t->kind_collation = kind_column ? TupleDescAttr(RelationGetDescr(t->heap), t->kind_att - 1)->attcollation
		: InvalidOid;
	t->slot = table_slot_create(t->heap, NULL);
	index_key(&t->keys[0], t->index, 1, BTEqualStrategyNumber, F_INT8EQ);
	index_key(&t->keys[1], t->index, 2, BTLessEqualStrategyNumber, F_TIMESTAMPTZ_LE);
	t->scan = index_beginscan(t->heap, t->index, GetActiveSnapshot(), 2, 0);
	return true;
}

static void
close_table(TimelineTable *t)
{
	if (t->scan)
		index_endscan(t->scan);
	if (t->slot)
		ExecDropSingleTupleTableSlot(t->slot);
	/* Like a query's, the locks are kept until the transaction ends. */
	if (t->index)
		index_close(t->index, NoLock);
	if (t->heap)
		table_close(t->heap, NoLock);
}

bool
traces_open_timeline(TimelineProbes *p)
{
	Oid			pkey;

	memset(p, 0, sizeof(*p));
	if (!open_table(&p->kinds, "kind_timeline", "kind_timeline_probe_idx", "created_at", "kind",
					"success", "failed"))
		return false;
	if (!open_table(&p->files, "file_timeline", "file_timeline_probe_idx", "completed_at", NULL,
					"completed", "failed"))
	{
		traces_close_timeline(p);
		return false;
	}
	pkey = RelationGetPrimaryKeyIndex(p->kinds.heap);
	if (!OidIsValid(pkey))
		elog(ERROR, "traces: jobs_internal.kind_timeline has no primary key");
	p->kind_pkey = index_open(pkey, AccessShareLock);
	if (p->kind_pkey->rd_index->indnkeyatts < 2 ||
		p->kind_pkey->rd_index->indkey.values[0] != p->kinds.job_att ||
		p->kind_pkey->rd_index->indkey.values[1] != p->kinds.kind_att)
		elog(ERROR, "traces: the primary key of jobs_internal.kind_timeline does not lead with (job_id, kind)");
	return true;
}

void
traces_close_timeline(TimelineProbes *p)
{
	if (p->kind_pkey)
		index_close(p->kind_pkey, NoLock);
	close_table(&p->files);
	close_table(&p->kinds);
}

/*
 * Text equality of a stored value with `want`. The timeline's text columns
 * have the database's default collation, and a database's default collation
 * is deterministic (PostgreSQL 15 has no other kind of default), where
 * equality is equality of bytes, as texteq decides it.
 */
static bool
text_column_equals(TupleTableSlot *slot, AttrNumber att, const text *want)
{
	bool		isnull;
	Datum		d = slot_getattr(slot, att, &isnull);
	const char *data;
	size_t		len;

	if (isnull)
		return false;
	traces_text_bytes(d, &data, &len);
	return len == VARSIZE_ANY_EXHDR(want) && memcmp(data, VARDATA_ANY(want), len) == 0;
}

int64
traces_probe_key(Oid collation, const text *value, int64 seed)
{
	return DatumGetInt64(DirectFunctionCall2Coll(hashtextextended, collation,
												 PointerGetDatum(value), Int64GetDatum(seed)));
}

bool
traces_probe_last(TimelineTable *t, int64 probe_key, TimestampTz at, const text *job, const text *kind,
				  MemoryContext scratch)
{
	t->keys[0].sk_argument = Int64GetDatum(probe_key);
	t->keys[1].sk_argument = TimestampTzGetDatum(at);
	index_rescan(t->scan, t->keys, 2, NULL, 0);
	/*
	 * Backwards from (probe_key, at): the first row of this job (and kind)
	 * is the last at or before `at` in the index's (time, id) order. Rows of
	 * another job or kind with the same hash are walked over, never taken.
	 */
	while (index_getnext_slot(t->scan, BackwardScanDirection, t->slot))
	{
		/*
		 * Only the comparison's copies (of a compressed value) go to
		 * `scratch`: the scan itself allocates what it keeps (nbtree's
		 * killed-items array) in the caller's context, which must outlive it.
		 */
		MemoryContext old = MemoryContextSwitchTo(scratch);
		bool		match = text_column_equals(t->slot, t->job_att, job) &&
			(kind == NULL || text_column_equals(t->slot, t->kind_att, kind));

		MemoryContextSwitchTo(old);
		MemoryContextReset(scratch);
		if (match)
			return true;
		CHECK_FOR_INTERRUPTS();
	}
	return false;
}

text *
traces_next_kind(TimelineProbes *p, const text *job, const text *after)
{
	ScanKeyData keys[2];
	IndexScanDesc scan;
	text	   *kind = NULL;

	/*
	 * A skip scan of the primary key (job_id, kind, ...): the first row of
	 * the job whose kind is past `after` in the index's order, so exactly the
	 * kinds with a row this snapshot sees are met, one descent each.
	 */
	index_key(&keys[0], p->kind_pkey, 1, BTEqualStrategyNumber, F_TEXTEQ);
	keys[0].sk_argument = PointerGetDatum(job);
	index_key(&keys[1], p->kind_pkey, 2, BTGreaterStrategyNumber, F_TEXT_GT);
	keys[1].sk_argument = PointerGetDatum(after);
	scan = index_beginscan(p->kinds.heap, p->kind_pkey, GetActiveSnapshot(), after ? 2 : 1, 0);
	index_rescan(scan, keys, after ? 2 : 1, NULL, 0);
	if (index_getnext_slot(scan, ForwardScanDirection, p->kinds.slot))
	{
		bool		isnull;

		kind = DatumGetTextPCopy(slot_getattr(p->kinds.slot, p->kinds.kind_att, &isnull));
	}
	ExecClearTuple(p->kinds.slot);
	index_endscan(scan);
	return kind;
}
