#!/usr/bin/env python3
"""Where a fixer writes, and how it creates temporaries (docs/RELIABILITY.md 7.6).

  write_scope.py CASE NAME=PATH... shim=PATH

One logging run (fault_shim.c) of CASE's command. Every change point that names a
path (create, write, truncate, rename - both names -, unlink, mkdir, chmod, chown,
utime) must lie inside the folders or files the tool owns
(common/safety/tool_scope.cpp; cases.py repeats them), inside its snapshot folder,
or be its toolkit lock file. Every temporary (*.mspo-tmp.*, *.partial) must be
created with O_CREAT|O_EXCL (or O_TMPFILE) and O_NOFOLLOW, mode 0600 or stricter.
Prints the figures and every violation; exit 1 if there is one."""
import os
import shutil
import sys
import tempfile

import faultlib as fl
from cases import CASES

O_EXCL, O_NOFOLLOW, O_TMPFILE = os.O_EXCL, os.O_NOFOLLOW, 0o20200000


def allowed(kind, path, work, scope):
    """Inside an owned folder; an owned file or its own temporary beside it; for utime
    (porestore puts back the mtime of a folder holding a restored file) also the folder
    of an owned file; the snapshot folder; the lock file."""
    po = os.path.join(work, 'MAILDATA')
    snaps = os.path.join(work, 'MAILDATA.snapshots')
    if path in (snaps, os.path.join(work, 'MAILDATA.mspo.lock')) or path.startswith(snaps + '/'):
        return True
    if not path.startswith(po + '/'):
        return False
    rel = path[len(po) + 1:].upper()
    for s in scope:
        if s.endswith('/') and (rel.startswith(s) or rel == s[:-1]):
            return True
        if rel == s or rel.startswith(s + fl.TMP_MARK.upper()):
            return True
        if kind == 'utime' and '/' in s and rel == s.rsplit('/', 1)[0]:
            return True
    return False


def main():
    case = CASES[sys.argv[1]]
    run = fl.Runner(fl.parse_tools(sys.argv[2:]))
    top = tempfile.mkdtemp(prefix=f'scope-{case.name}-')
    work = os.path.join(top, 'work')
    os.mkdir(work)
    case.setup(run, work)
    log = os.path.join(top, 'points.log')
    rc, _, err = run.run(case.argv, cwd=work, log=log)
    assert rc in (0, 1), f'{case.argv}: exit {rc}: {err}'
    bad, paths, temps = [], 0, []
    for n, kind, p, q, flags, mode in fl.read_log(log):
        if kind == 'sync':
            continue
        for path in (p, q) if q else (p,):
            paths += 1
            if not allowed(kind, path, work, case.scope):
                bad.append(f'point {n}: {kind} outside the tool\'s folders: {path}')
        if kind == 'create' and (fl.TMP_MARK in p or p.endswith('.partial')):
            temps.append(mode)
            excl = (flags & O_EXCL) or (flags & O_TMPFILE) == O_TMPFILE
            if not excl or not flags & O_NOFOLLOW or mode & 0o077:
                bad.append(f'point {n}: temporary created with flags 0{flags:o} mode 0{mode:o}: {p}')
    for line in bad:
        print(f'{case.name}: {line}')
    modes = ', '.join(sorted({f'0{m:o}' for m in temps}))
    print(f'{case.name}: {paths - len([b for b in bad if "outside" in b])} of {paths} changed paths inside '
          f'{" ".join(case.scope)}, the snapshot folder or the lock; {len(temps)} temporaries, '
          f'all O_EXCL|O_NOFOLLOW, mode {modes}' if not bad else f'{case.name}: {len(bad)} violations')
    shutil.rmtree(top)
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
