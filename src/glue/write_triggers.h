/*
 * Shared by the C statement triggers of the write path (write_lock.c,
 * maintenance_fast_path.c; docs/contract.md §7.2, §7.6).
 */
#ifndef TRACES_WRITE_TRIGGERS_H
#define TRACES_WRITE_TRIGGERS_H

#include "glue.h"

#include "utils/rel.h"
#include "utils/tuplestore.h"

/* A kept plan of `sql`, prepared once per backend with a generic plan. */
extern SPIPlanPtr traces_kept_generic_plan(SPIPlanPtr *slot, const char *sql, int nargs, Oid *types);

#endif
