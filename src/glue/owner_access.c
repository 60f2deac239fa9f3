/*
 * Reading a visible job's rows without paying row-level security per row.
 *
 * Tenancy is decided per job (docs/contract.md §5.4): the policies on job_inputs and
 * job_progress admit a row exactly when its job is visible. PostgreSQL plans
 * that EXISTS policy as a hashed subplan over all of the tenant's jobs, built
 * per statement and probed per row: the cost grows with the tenant's job
 * count and adds half again to a big trace. So the glue checks visibility
 * once, on the job row under the caller's own policies (traces_require_job),
 * and then reads that job's inputs and progress as the tables' owner, whom
 * RLS does not filter. The answer is the same rows; the caller must still
 * hold SELECT on both tables, checked here first.
 *
 * The functions that use this run with search_path = pg_catalog, pg_temp
 * (30_traces.sql), so nothing the caller defines is resolved in the queries
 * run as the owner; SECURITY_RESTRICTED_OPERATION forbids role changes
 * inside. An error between enter and leave is safe: aborting the
 * (sub)transaction restores the user id.
 */
#include "glue.h"

#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"

static Oid
table_owner_checked(Oid nsp, const char *name)
{
	Oid			relid = get_relname_relid(name, nsp);
	HeapTuple	tuple;
	Oid			owner;

	if (!OidIsValid(relid))
		elog(ERROR, "traces: table jobs.%s is missing", name);
	if (pg_class_aclcheck(relid, GetUserId(), ACL_SELECT) != ACLCHECK_OK)
		aclcheck_error(ACLCHECK_NO_PRIV, OBJECT_TABLE, name);
	tuple = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
	if (!HeapTupleIsValid(tuple))
		elog(ERROR, "traces: cache lookup failed for relation %u", relid);
	owner = ((Form_pg_class) GETSTRUCT(tuple))->relowner;
	ReleaseSysCache(tuple);
	return owner;
}

void
traces_enter_owner_access(OwnerAccess *access)
{
	Oid			nsp = get_namespace_oid("jobs", false);
	Oid			inputs_owner = table_owner_checked(nsp, "job_inputs");
	Oid			progress_owner = table_owner_checked(nsp, "job_progress");

	GetUserIdAndSecContext(&access->saved_userid, &access->saved_sec_context);
	/* Tables re-owned apart: keep reading as the caller, under RLS. */
	access->switched = inputs_owner == progress_owner && inputs_owner != access->saved_userid;
	if (access->switched)
		SetUserIdAndSecContext(inputs_owner,
							   access->saved_sec_context | SECURITY_LOCAL_USERID_CHANGE |
							   SECURITY_RESTRICTED_OPERATION);
}

void
traces_leave_owner_access(const OwnerAccess *access)
{
	if (access->switched)
		SetUserIdAndSecContext(access->saved_userid, access->saved_sec_context);
}
