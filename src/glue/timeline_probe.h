/*
 * timeline_probe.c: direct B-tree probes of the timeline tables
 * (docs/contract.md §11.7), for timeline_reader.c.
 */
#ifndef TRACES_TIMELINE_PROBE_H
#define TRACES_TIMELINE_PROBE_H

#include "access/genam.h"
#include "access/skey.h"
#include "utils/relcache.h"

/* A timeline table with its probe index (probe_key, time, ...), one scan
 * kept open and rescanned for every probe. */
typedef struct TimelineTable
{
	Relation	heap;
	Relation	index;
	IndexScanDesc scan;
	TupleTableSlot *slot;		/* the row a probe found, until the next */
	ScanKeyData keys[2];		/* probe_key = …, time <= … */
	AttrNumber	job_att;
	AttrNumber	kind_att;		/* InvalidAttrNumber for the files */
	AttrNumber	time_att;
	AttrNumber	success_att;	/* files: completed */
	AttrNumber	failed_att;
	Oid			job_collation;	/* the columns' collations, which the */
	Oid			kind_collation; /* generated probe_key hashes under */
} TimelineTable;

typedef struct TimelineProbes
{
	TimelineTable kinds;		/* jobs_internal.kind_timeline */
	TimelineTable files;		/* jobs_internal.file_timeline */
	Relation	kind_pkey;		/* (job_id, kind, created_at, id): the kinds */
} TimelineProbes;

/* Opens both tables (AccessShareLock, kept to the transaction's end) in the
 * active snapshot; false, with nothing open, when the schema has no
 * timeline or the role in effect may not read it directly. */
extern bool traces_open_timeline(TimelineProbes *p);
extern void traces_close_timeline(TimelineProbes *p);

/* hashtextextended(value, seed) under `collation`: the generated probe_key. */
extern int64 traces_probe_key(Oid collation, const text *value, int64 seed);

/* The last row of `job` (and `kind`, NULL for the files) at or before `at`
 * in the table's order, left in t->slot; false when there is none.
 * `scratch` is reset after each row compared. */
extern bool traces_probe_last(TimelineTable *t, int64 probe_key, TimestampTz at,
							  const text *job, const text *kind, MemoryContext scratch);

/* The job's first kind after `after` (NULL: its first kind) in the primary
 * key's order, a copy in the current memory context; NULL after the last. */
extern text *traces_next_kind(TimelineProbes *p, const text *job, const text *after);

#endif							/* TRACES_TIMELINE_PROBE_H */
