/*
 * Shared by the C statement triggers of the write path (write_lock.c,
 * timeline_maintenance.c; docs/contract.md §7.2, §7.6).
 */
#ifndef TRACES_WRITE_TRIGGERS_H
#define TRACES_WRITE_TRIGGERS_H

#include "glue.h"

#include "utils/rel.h"
#include "utils/tuplestore.h"

/* The one row of a transition table holding exactly one (all its attributes
 * deformed, in a slot of the relation's descriptor), else NULL. */
extern TupleTableSlot *traces_single_row(Tuplestorestate *rows, Relation rel);

/* A kept plan of `sql`, prepared once per backend with a generic plan. */
extern SPIPlanPtr traces_kept_generic_plan(SPIPlanPtr *slot, const char *sql, int nargs, Oid *types);

#endif
