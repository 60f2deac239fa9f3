/* The module's identity; the SQL entry points live one per file beside it. */
#include "postgres.h"

#include "fmgr.h"

PG_MODULE_MAGIC;
