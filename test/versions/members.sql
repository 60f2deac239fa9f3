-- Every member of extension traces in the current database, one line each,
-- in a form that does not depend on OIDs or on the session's search_path:
-- what `pg_dump --schema-only` would show of the extension's objects if it
-- printed more than CREATE EXTENSION. Two databases whose extension was
-- reached by different paths (a fresh install, an update from an older
-- version) must print the same lines.
--   psql -X -A -t -f members.sql
SET search_path = pg_catalog;
\pset footer off
WITH ext AS (SELECT oid, extversion, extconfig, extcondition FROM pg_extension WHERE extname = 'traces'),
member AS (
    SELECT d.classid, d.objid
    FROM pg_depend d, ext
    WHERE d.refclassid = 'pg_extension'::regclass AND d.refobjid = ext.oid AND d.deptype = 'e'
),
rel AS (
    SELECT c.* FROM pg_class c JOIN member m ON m.classid = 'pg_class'::regclass AND m.objid = c.oid
),
lines(line) AS (
    -- Every member by its description (catches any kind of object).
    SELECT 'member ' || pg_describe_object(m.classid, m.objid, 0) FROM member m
    UNION ALL
    SELECT 'extension config ' || format('%s %L', x.rel::regclass, x.cond)
    FROM ext, unnest(ext.extconfig, ext.extcondition) AS x(rel, cond)
    UNION ALL
    -- Schemas: owner-independent privileges and comments.
    SELECT format('schema %I acl=%s comment=%L', n.nspname, n.nspacl, obj_description(n.oid, 'pg_namespace'))
    FROM pg_namespace n JOIN member m ON m.classid = 'pg_namespace'::regclass AND m.objid = n.oid
    UNION ALL
    -- Functions: the full definition, privileges, comment.
    SELECT format('function %s acl=%s comment=%L%s', p.oid::regprocedure, p.proacl,
                  obj_description(p.oid, 'pg_proc'), E'\n' || pg_get_functiondef(p.oid))
    FROM pg_proc p JOIN member m ON m.classid = 'pg_proc'::regclass AND m.objid = p.oid
    WHERE p.prokind <> 'a'
    UNION ALL
    SELECT format('aggregate %s acl=%s', p.oid::regprocedure, p.proacl)
    FROM pg_proc p JOIN member m ON m.classid = 'pg_proc'::regclass AND m.objid = p.oid
    WHERE p.prokind = 'a'
    UNION ALL
    -- Tables, views, sequences, indexes: kind, privileges, options, comment.
    SELECT format('relation %s kind=%s acl=%s rls=%s force_rls=%s options=%s comment=%L',
                  r.oid::regclass, r.relkind, r.relacl, r.relrowsecurity, r.relforcerowsecurity,
                  r.reloptions, obj_description(r.oid, 'pg_class'))
    FROM rel r
    UNION ALL
    SELECT format('column %s.%I %s notnull=%s identity=%L generated=%L default=%L acl=%s comment=%L',
                  r.oid::regclass, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
                  a.attidentity, a.attgenerated, pg_get_expr(ad.adbin, ad.adrelid), a.attacl,
                  col_description(r.oid, a.attnum))
    FROM rel r JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
    LEFT JOIN pg_attrdef ad ON ad.adrelid = r.oid AND ad.adnum = a.attnum
    WHERE r.relkind IN ('r', 'p', 'v', 'm', 'f')
    UNION ALL
    SELECT format('column order %s: %s', r.oid::regclass,
                  (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum)
                   FROM pg_attribute a WHERE a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped))
    FROM rel r WHERE r.relkind IN ('r', 'p', 'v', 'm', 'f')
    UNION ALL
    SELECT format('sequence %s type=%s start=%s inc=%s min=%s max=%s cache=%s cycle=%s',
                  s.seqrelid::regclass, format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement,
                  s.seqmin, s.seqmax, s.seqcache, s.seqcycle)
    FROM pg_sequence s JOIN rel r ON r.oid = s.seqrelid
    UNION ALL
    -- What hangs off the tables (not members themselves, but part of them).
    SELECT format('index %s: %s comment=%L', i.indexrelid::regclass, pg_get_indexdef(i.indexrelid),
                  obj_description(i.indexrelid, 'pg_class'))
    FROM pg_index i JOIN rel r ON r.oid = i.indrelid
    UNION ALL
    SELECT format('constraint %s.%I: %s validated=%s deferrable=%s comment=%L', r.oid::regclass, c.conname,
                  pg_get_constraintdef(c.oid), c.convalidated, c.condeferrable,
                  obj_description(c.oid, 'pg_constraint'))
    FROM pg_constraint c JOIN rel r ON r.oid = c.conrelid
    UNION ALL
    SELECT format('trigger %s.%I enabled=%s: %s comment=%L', r.oid::regclass, t.tgname, t.tgenabled,
                  pg_get_triggerdef(t.oid), obj_description(t.oid, 'pg_trigger'))
    FROM pg_trigger t JOIN rel r ON r.oid = t.tgrelid
    WHERE NOT t.tgisinternal
    UNION ALL
    SELECT format('policy %s.%I cmd=%s permissive=%s roles=%s using=%s check=%s comment=%L',
                  r.oid::regclass, p.polname, p.polcmd, p.polpermissive,
                  (SELECT array_agg(CASE WHEN x = 0 THEN 'public' ELSE x::regrole::text END ORDER BY 1)
                   FROM unnest(p.polroles) x),
                  pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid),
                  obj_description(p.oid, 'pg_policy'))
    FROM pg_policy p JOIN rel r ON r.oid = p.polrelid
    UNION ALL
    SELECT format('type %s comment=%L', t.oid::regtype, obj_description(t.oid, 'pg_type'))
    FROM pg_type t JOIN member m ON m.classid = 'pg_type'::regclass AND m.objid = t.oid
)
SELECT line FROM lines ORDER BY line COLLATE "C";
