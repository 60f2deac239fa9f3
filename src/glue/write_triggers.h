/*
 * Shared by the C triggers of the write path (write_lock.c,
 * maintenance_fast_path.c, row_validation.c; write_triggers.c;
 * docs/contract.md §7.2, §7.6).
 */
#ifndef TRACES_WRITE_TRIGGERS_H
#define TRACES_WRITE_TRIGGERS_H

#include "glue.h"

#include "commands/trigger.h"
#include "utils/rel.h"
#include "utils/tuplestore.h"

/*
 * Raises unless the trigger fired on jobs.<table> for one of the tables
 * named (NULL-terminated): these functions read the columns of those
 * tables by name and trust their types. Only the extension's owner can
 * attach them (EXECUTE is revoked from PUBLIC, 92_trigger_functions.sql);
 * this keeps even a superuser's mistake from reading another table's
 * values as text or timestamps.
 */
extern void traces_require_trigger_table(TriggerData *trigdata, const char *const *tables);

/* jobs_internal.<name>(), a trigger function, looked up into `callee` (kept in `cxt`). */
extern void traces_internal_trigger_function(const char *name, FmgrInfo *callee, MemoryContext cxt);

/* Calls a trigger function with this call's trigger data (fcinfo->context):
 * the function manager checks no privilege, so EXECUTE revoked from PUBLIC
 * (92_trigger_functions.sql) does not stop it. */
extern Datum traces_call_with_trigger_data(FunctionCallInfo fcinfo, FmgrInfo *callee);

/* A kept plan of `sql`, prepared once per backend with a generic plan. */
extern SPIPlanPtr traces_kept_generic_plan(SPIPlanPtr *slot, const char *sql, int nargs, Oid *types);

#endif
