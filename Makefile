# traces: PGXS build of the extension and its pg_regress suite.
#   make && make install             build and install (as root)
#   make installcheck                pg_regress against a running server
#   test/run_all                     every test suite (see README)

EXTENSION = traces
MODULE_big = traces

CORE_OBJS = src/core/window.o src/core/rfc3339.o src/core/trace.o src/core/render.o \
            src/core/metrics.o src/core/conditional.o src/bridge/traces_bridge.o
GLUE_OBJS = src/glue/module.o src/glue/errors.o src/glue/job_reader.o src/glue/trace_build.o \
            src/glue/owner_access.o src/glue/http.o src/glue/progress_traces.o src/glue/trace_points.o \
            src/glue/metric_count.o
OBJS = $(CORE_OBJS) $(GLUE_OBJS)

# The install script is assembled from one file per concern, in name order.
SQL_PARTS = $(sort $(wildcard src/sql/*.sql))
DATA_built = traces--1.0.sql

PG_CXXFLAGS = -std=c++17 -Wall -Wextra -fvisibility=hidden
PG_CFLAGS = -Wall
SHLIB_LINK = -lstdc++

REGRESS = $(basename $(notdir $(sort $(wildcard sql/*.sql))))
REGRESS_OPTS = --inputdir=. --load-extension=traces

EXTRA_CLEAN = traces--1.0.sql

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# clang-14 builds the JIT bitcode and defaults to C++14 (see README).
BITCODE_CXXFLAGS += -std=c++17

traces--1.0.sql: $(SQL_PARTS)
	cat $^ > $@
