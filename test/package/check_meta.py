#!/usr/bin/env python3
"""Validates META.json against the PGXN Meta Spec 1.0.0 and traces.control.

Debian 12 packages no PGXN META validator (PGXN::Meta::Validator is not in the
archive, and pgxnclient does not validate), so this checks what the spec
requires of a distribution's META.json: the required keys (name, version,
abstract, maintainer, license, provides, meta-spec), their types and formats
(terms, SemVer versions, license shortcuts, version ranges in prereqs), the
allowed keys of each object (custom keys start with x_), and that the files
named in provides exist. It also holds META.json to the one source of the
version, default_version in traces.control: the distribution's and the
extension's versions must be that version written as SemVer (1.1 -> 1.1.0).

  check_meta.py ROOT              validate ROOT/META.json, print errors
  check_meta.py --self-test ROOT  each deliberate breakage must be caught

Exit status 0 when valid (or every breakage caught).
"""
import copy
import json
import os
import re
import sys

SEMVER = re.compile(r'^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)'
                    r'(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?'
                    r'(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$')
RANGE_PART = re.compile(r'^\s*(==|!=|>=|<=|>|<)?\s*(\S+)\s*$')
TERM = re.compile(r'^[^/\\\s\x00-\x1f\x7f]{2,}$')
LICENSES = {
    'agpl_3', 'apache_1_1', 'apache_2_0', 'artistic_1', 'artistic_2', 'bsd',
    'freebsd', 'gfdl_1_2', 'gfdl_1_3', 'gpl_1', 'gpl_2', 'gpl_3', 'lgpl_2_1',
    'lgpl_3_0', 'mit', 'mozilla_1_0', 'mozilla_1_1', 'openssl', 'perl_5',
    'postgresql', 'qpl_1_0', 'ssleay', 'sun', 'zlib', 'open_source',
    'restricted', 'unrestricted', 'unknown'}
TOP_KEYS = {'name', 'version', 'abstract', 'maintainer', 'license', 'provides',
            'meta-spec', 'description', 'generated_by', 'tags', 'no_index',
            'prereqs', 'release_status', 'resources'}
REQUIRED = ['name', 'version', 'abstract', 'maintainer', 'license', 'provides',
            'meta-spec']
PHASES = {'configure', 'build', 'test', 'runtime', 'develop'}
RELATIONS = {'requires', 'recommends', 'suggests', 'conflicts'}


def custom(key):
    return key[:2] in ('x_', 'X_') and len(key) > 2


def unknown_keys(obj, allowed, where):
    return ['%s: unknown key "%s"' % (where, k)
            for k in obj if k not in allowed and not custom(k)]


def text(value):
    return isinstance(value, str) and value.strip() != ''


def control_version(root):
    with open(os.path.join(root, 'traces.control')) as f:
        m = re.search(r"^default_version\s*=\s*'([^']+)'", f.read(), re.M)
    if not m:
        raise SystemExit('traces.control has no default_version')
    parts = m.group(1).split('.')
    return '.'.join(parts + ['0'] * (3 - len(parts)))


def check_range(value, where):
    if value == 0 or value == '0':
        return []
    if not isinstance(value, str):
        return ['%s: a version range is 0 or a string' % where]
    errors = []
    for part in value.split(','):
        m = RANGE_PART.match(part)
        if not m or not SEMVER.match(m.group(2)):
            errors.append('%s: "%s" is not a version range' % (where, value))
    return errors


def check_license(lic):
    if isinstance(lic, str):
        return [] if lic in LICENSES else ['license: unknown shortcut "%s"' % lic]
    if isinstance(lic, list) and lic:
        return [e for item in lic for e in check_license(item if isinstance(item, str) else None)]
    if isinstance(lic, dict) and lic:
        return ['license: "%s" must map to a URI' % k for k, v in lic.items()
                if not (isinstance(v, str) and re.match(r'^[a-z][a-z0-9+.-]*:', v))]
    return ['license: a shortcut, a list of shortcuts or an object of URIs']


def check_provides(provides, root):
    if not isinstance(provides, dict) or not provides:
        return ['provides: an object naming at least one extension']
    errors = []
    for ext, spec in provides.items():
        where = 'provides.%s' % ext
        if not TERM.match(ext):
            errors.append('%s: not a valid extension name' % where)
        if not isinstance(spec, dict):
            errors.append('%s: must be an object' % where)
            continue
        errors += unknown_keys(spec, {'file', 'version', 'abstract', 'docfile'}, where)
        for key in ('file', 'version'):
            if key not in spec:
                errors.append('%s: missing "%s"' % (where, key))
        if 'version' in spec and not (isinstance(spec['version'], str) and SEMVER.match(spec['version'])):
            errors.append('%s.version: not a SemVer' % where)
        if 'abstract' in spec and not text(spec['abstract']):
            errors.append('%s.abstract: empty' % where)
        for key in ('file', 'docfile'):
            path = spec.get(key)
            if path is None:
                continue
            if not text(path) or path.startswith('/') or '\\' in path:
                errors.append('%s.%s: a relative path with unix conventions' % (where, key))
            elif not os.path.isfile(os.path.join(root, path)):
                errors.append('%s.%s: no file %s in the distribution' % (where, key, path))
    return errors


def check_prereqs(prereqs):
    if not isinstance(prereqs, dict) or not prereqs:
        return ['prereqs: an object of phases']
    errors = unknown_keys(prereqs, PHASES, 'prereqs')
    for phase, relations in prereqs.items():
        if custom(phase) or phase not in PHASES:
            continue
        if not isinstance(relations, dict):
            errors.append('prereqs.%s: an object of relations' % phase)
            continue
        errors += unknown_keys(relations, RELATIONS, 'prereqs.' + phase)
        for rel, deps in relations.items():
            if rel not in RELATIONS:
                continue
            where = 'prereqs.%s.%s' % (phase, rel)
            if not isinstance(deps, dict):
                errors.append('%s: an object of extension -> version range' % where)
                continue
            for dep, rng in deps.items():
                if not TERM.match(dep):
                    errors.append('%s: "%s" is not a valid name' % (where, dep))
                errors += check_range(rng, '%s.%s' % (where, dep))
    return errors


def check_resources(res):
    if not isinstance(res, dict) or not res:
        return ['resources: an object']
    errors = unknown_keys(res, {'homepage', 'bugtracker', 'repository'}, 'resources')
    if 'bugtracker' in res:
        errors += unknown_keys(res['bugtracker'], {'web', 'mailto'}, 'resources.bugtracker')
    if 'repository' in res:
        errors += unknown_keys(res['repository'], {'url', 'web', 'type'}, 'resources.repository')
    return errors


def validate(meta, root):
    if not isinstance(meta, dict):
        return ['META.json: not a JSON object']
    errors = ['missing required key "%s"' % k for k in REQUIRED if k not in meta]
    errors += unknown_keys(meta, TOP_KEYS, 'META.json')
    if 'name' in meta and not (isinstance(meta['name'], str) and TERM.match(meta['name'])):
        errors.append('name: at least two characters, no slash, backslash or space')
    if 'version' in meta and not (isinstance(meta['version'], str) and SEMVER.match(meta['version'])):
        errors.append('version: not a SemVer')
    for key in ('abstract', 'description', 'generated_by'):
        if key in meta and not text(meta[key]):
            errors.append('%s: a non-empty string' % key)
    m = meta.get('maintainer')
    if 'maintainer' in meta and not (text(m) or (isinstance(m, list) and m and all(map(text, m)))):
        errors.append('maintainer: a string or a list of strings')
    if 'license' in meta:
        errors += check_license(meta['license'])
    if 'provides' in meta:
        errors += check_provides(meta['provides'], root)
    spec = meta.get('meta-spec')
    if 'meta-spec' in meta and not (isinstance(spec, dict) and spec.get('version') == '1.0.0'):
        errors.append('meta-spec: an object with "version": "1.0.0"')
    if 'prereqs' in meta:
        errors += check_prereqs(meta['prereqs'])
    if 'release_status' in meta and meta['release_status'] not in ('stable', 'testing', 'unstable'):
        errors.append('release_status: stable, testing or unstable')
    if 'resources' in meta:
        errors += check_resources(meta['resources'])
    tags = meta.get('tags')
    if 'tags' in meta and not (isinstance(tags, list) and tags and
                               all(text(t) and len(t) <= 255 for t in tags)):
        errors.append('tags: a list of non-empty strings of at most 255 characters')
    # One source of the version: traces.control's default_version.
    want = control_version(root)
    if meta.get('version') != want:
        errors.append('version %s differs from traces.control (%s)' % (meta.get('version'), want))
    ext = meta.get('provides', {}).get('traces') if isinstance(meta.get('provides'), dict) else None
    if not isinstance(ext, dict) or ext.get('version') != want:
        errors.append('provides.traces.version differs from traces.control (%s)' % want)
    return errors


def breakages():
    """Deliberate breakages of a valid META.json, each of which must be caught."""
    def drop(key):
        return lambda m: m.pop(key)

    def put(path, value):
        def apply(m):
            *parents, last = path
            for p in parents:
                m = m[p]
            m[last] = value
        return apply
    yield 'no license', drop('license')
    yield 'no meta-spec', drop('meta-spec')
    yield 'version not traces.control', put(['version'], '9.9.9')
    yield 'extension version not traces.control', put(['provides', 'traces', 'version'], '9.9.9')
    yield 'version not SemVer', put(['version'], '1.1')
    yield 'unknown license', put(['license'], 'postgres')
    yield 'name with a space', put(['name'], 'tra ces')
    yield 'missing provided file', put(['provides', 'traces', 'file'], 'sql/nowhere.sql')
    yield 'bad prereq range', put(['prereqs', 'runtime', 'requires', 'PostgreSQL'], 'fifteen')
    yield 'unknown top-level key', put(['homepage'], 'https://example.org/')
    yield 'wrong meta-spec version', put(['meta-spec', 'version'], '2.0.0')


def main(argv):
    self_test = argv[1:2] == ['--self-test']
    root = argv[-1] if len(argv) > 1 and argv[-1] != '--self-test' else '.'
    with open(os.path.join(root, 'META.json')) as f:
        meta = json.load(f)
    errors = validate(meta, root)
    if not self_test:
        for e in errors:
            print('META.json: ' + e)
        return 1 if errors else 0
    if errors:
        print('META.json is not valid to start with: ' + '; '.join(errors))
        return 1
    missed = 0
    for name, breakage in breakages():
        broken = copy.deepcopy(meta)
        breakage(broken)
        if not validate(broken, root):
            print('not caught: ' + name)
            missed += 1
    return 1 if missed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
