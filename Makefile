# traces: PGXS build of the extension and its pg_regress suite.
#   make && make install             build and install (as root)
#   make installcheck                pg_regress against a running server
#   test/run_all                     every test suite (see README)

EXTENSION = traces
MODULE_big = traces

# Where this Makefile lives, so that a VPATH build (make -f .../Makefile, as
# Debian's pg_buildext does) reads the same files as an in-tree one.
TRACES_ROOT := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))

# The version lives in one place: default_version in traces.control.
EXTVERSION := $(shell sed -n "s/^default_version *= *'\([^']*\)'.*/\1/p" $(TRACES_ROOT)/traces.control)

# The core's sources are listed once, in src/core/sources.list (CMake reads it too).
CORE_SOURCES := $(shell grep -v '^\#' $(TRACES_ROOT)/src/core/sources.list)
CORE_OBJS = $(CORE_SOURCES:.cpp=.o)
GLUE_OBJS = src/glue/module.o src/glue/errors.o src/glue/pt_errors.o src/glue/job_reader.o src/glue/trace_build.o \
            src/glue/owner_access.o src/glue/http.o src/glue/progress_traces.o src/glue/trace_points.o \
            src/glue/metric_count.o src/glue/progress_chart.o src/glue/progress_series.o \
            src/glue/settings.o src/glue/timeline_reader.o src/glue/timeline_probe.o src/glue/throughput.o \
            src/glue/write_lock.o src/glue/maintenance_fast_path.o src/glue/row_validation.o \
            src/glue/write_triggers.o
OBJS = $(CORE_OBJS) $(GLUE_OBJS)

# Versions (see docs/versions.md): the install script of the version under
# development is assembled from src/sql/, one file per concern, in name
# order. Released versions are frozen: versions/ holds each released install
# script as shipped and every upgrade script; none is ever edited.
SQL_PARTS = $(sort $(wildcard $(TRACES_ROOT)/src/sql/*.sql))
DATA_built = traces--$(EXTVERSION).sql
DATA = $(patsubst $(TRACES_ROOT)/%,%,$(sort $(wildcard $(TRACES_ROOT)/versions/traces--*.sql)))

PG_CXXFLAGS = -std=c++17 -Wall -Wextra -fvisibility=hidden
PG_CFLAGS = -Wall
SHLIB_LINK = -lstdc++

REGRESS = $(basename $(notdir $(sort $(wildcard $(TRACES_ROOT)/sql/*.sql))))
REGRESS_OPTS = --inputdir=$(TRACES_ROOT) --load-extension=traces
# Tests that need a second session (specs/*.spec, pg_isolation_regress):
# the cancel test waits on a lock another session holds, not on the clock.
ISOLATION = $(basename $(notdir $(sort $(wildcard $(TRACES_ROOT)/specs/*.spec))))
ISOLATION_OPTS = --inputdir=$(TRACES_ROOT) --load-extension=traces

EXTRA_CLEAN = traces--$(EXTVERSION).sql

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# clang-14 builds the JIT bitcode (PostgreSQL's with_llvm) and defaults to
# C++14, which cannot compile the core.
BITCODE_CXXFLAGS += -std=c++17

traces--$(EXTVERSION).sql: $(SQL_PARTS)
	cat $^ > $@

# A VPATH build (pg_buildext's build-15/) starts from an empty directory: the
# objects (and JIT bitcode) go into src/core/, src/bridge/ and src/glue/ there,
# which the compiler does not create. In-tree these directories already exist
# and the rule never runs. The paths are absolute so that make does not find
# the source tree's directories of the same name through VPATH.
OBJ_DIRS = $(sort $(patsubst %/,%,$(addprefix $(CURDIR)/,$(dir $(OBJS)))))
$(OBJS) $(OBJS:.o=.bc): | $(OBJ_DIRS)
$(OBJ_DIRS):
	mkdir -p $@
