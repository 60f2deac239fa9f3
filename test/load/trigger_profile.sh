#!/usr/bin/env bash
# Inside the throwaway cluster of test/load/trigger_profile.
set -euo pipefail
n=$1
q() { psql -X -q -v ON_ERROR_STOP=1 -d profile "$@"; }
createdb profile
q <<SQL
CREATE EXTENSION traces;
CREATE SEQUENCE next_input;
INSERT INTO jobs.jobs (id, tenant_id, status, created_at, started_at)
VALUES ('single', 't', 'running', now() - interval '1 day', now() - interval '1 day');
SELECT jobs.add_inputs('single', ARRAY(SELECT 'in' || g FROM generate_series(0, 8 * $n + 1000) g));
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics)
SELECT 'single', 'in' || (g % 100), 'k' || (g % 3), now() - interval '1 day' + g * interval '1 ms',
       jsonb_build_object('success', g) FROM generate_series(1, 20000) g;
VACUUM ANALYZE jobs.job_progress, jobs.job_inputs;
SQL
dir=$(mktemp -d)
echo "INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics) VALUES ('single', 'in7', 'k2', clock_timestamp(), '{\"success\": 5}');" > "$dir/insert.sql"
printf '%s\n' "SELECT nextval('next_input') AS i \gset" \
  "UPDATE jobs.job_inputs SET status = 'completed', completed_at = clock_timestamp() WHERE job_id = 'single' AND id = 'in' || :i;" > "$dir/update.sql"
# name: the triggers disabled (table-qualified trigger names)
variants=(
  "all triggers|"
  "no lock_job*|lock_job lock_job_update"
  "no maintain_*|maintain_insert maintain_update"
  "no lock, no maintain|lock_job lock_job_update maintain_insert maintain_update"
  "no trigger at all|ALL"
  "all triggers (again)|"
)
set_triggers() {  # $1 ENABLE/DISABLE, $2 names
  local t
  for table in jobs.job_progress jobs.job_inputs; do
    if [ "$2" = ALL ]; then q -c "ALTER TABLE $table $1 TRIGGER ALL"; continue; fi
    for t in $2; do q -c "ALTER TABLE $table $1 TRIGGER $t"; done
  done
}
# Warm-up: the first calls plan and fill the caches.
pgbench -n -t 100 -f "$dir/insert.sql" profile >/dev/null 2>&1
pgbench -n -t 100 -f "$dir/update.sql" profile >/dev/null 2>&1
printf '%-24s %14s %14s\n' "triggers" "INSERT ms" "UPDATE ms"
for v in "${variants[@]}"; do
  name=${v%%|*}; off=${v#*|}
  [ -n "$off" ] && set_triggers DISABLE "$off"
  ins=$(pgbench -n -r -t "$n" -f "$dir/insert.sql" profile 2>/dev/null | awk '/INSERT INTO/ {print $1}')
  upd=$(pgbench -n -r -t "$n" -f "$dir/update.sql" profile 2>/dev/null | awk '/UPDATE jobs/ {print $1}')
  [ -n "$off" ] && set_triggers ENABLE "$off"
  printf '%-24s %14s %14s\n' "$name" "$ins" "$upd"
done
