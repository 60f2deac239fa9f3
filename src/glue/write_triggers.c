/*
 * What the C triggers of the write path share (write_triggers.h): the check
 * that a trigger fired on its own table, and calling a PL/pgSQL trigger
 * function of jobs_internal with the caller's trigger data (the maintenance
 * hands a statement to its set-based function, the row validation a bad row
 * to the rules that raise its error).
 */
#include "glue.h"

#include "catalog/namespace.h"
#include "nodes/value.h"
#include "parser/parse_func.h"
#include "utils/lsyscache.h"

#include "write_triggers.h"

void
traces_require_trigger_table(TriggerData *trigdata, const char *const *tables)
{
	Relation	rel = trigdata->tg_relation;
	char	   *schema = get_namespace_name(RelationGetNamespace(rel));

	for (; *tables != NULL; tables++)
		if (schema != NULL && strcmp(schema, "jobs") == 0 && strcmp(RelationGetRelationName(rel), *tables) == 0)
			return;
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("traces: trigger \"%s\" cannot be used on table \"%s\"",
					trigdata->tg_trigger->tgname, RelationGetRelationName(rel))));
}

void
traces_internal_trigger_function(const char *name, FmgrInfo *callee, MemoryContext cxt)
{
	List	   *qualified = list_make2(makeString(pstrdup("jobs_internal")), makeString(pstrdup(name)));

	fmgr_info_cxt(LookupFuncName(qualified, 0, NULL, false), callee, cxt);
}

Datum
traces_call_with_trigger_data(FunctionCallInfo fcinfo, FmgrInfo *callee)
{
	LOCAL_FCINFO(callee_fcinfo, 0);

	InitFunctionCallInfoData(*callee_fcinfo, callee, 0, InvalidOid, fcinfo->context, NULL);
	return FunctionCallInvoke(callee_fcinfo);
}
