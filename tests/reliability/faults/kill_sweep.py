#!/usr/bin/env python3
"""Kill at every change point (docs/RELIABILITY.md 7.2).

  kill_sweep.py CASE [--every K] NAME=PATH... shim=PATH

A logging run counts the change points of CASE's command (fault_shim.c). Then for
N = 1..total (every K-th with --every K, always with the last), on a fresh copy:
SIGKILL just before point N, and check
  - every file is its original bytes or its fully fixed bytes (temporaries aside);
  - porestore of the snapshot the killed run wrote, if it got that far, gives
    back every original file: bytes, mode and mtime;
  - the next run completes the work (its end state has the uninterrupted run's
    bytes) and leaves no temporary; a run after that finds nothing (exit 0).
Prints one line per failure and "CASE: N of N points" at the end."""
import os
import shutil
import sys
import tempfile

import faultlib as fl
from cases import CASES

DETOURS = {}  # how the next run met a partial split: [points], as documented


def main():
    case = CASES[sys.argv[1]]
    every = 1
    args = sys.argv[2:]
    if args[0] == '--every':
        every, args = int(args[1]), args[2:]
    run = fl.Runner(fl.parse_tools(args))
    top = tempfile.mkdtemp(prefix=f'kill-{case.name}-')
    tpl, work, spare = (os.path.join(top, d) for d in ('template', 'work', 'spare'))
    os.mkdir(tpl)
    case.setup(run, tpl)
    po = os.path.join(work, 'MAILDATA')
    orig = fl.state(os.path.join(tpl, 'MAILDATA'))

    fl.copy_work(tpl, work)
    log = os.path.join(top, 'points.log')
    rc_ref, _, err = run.run(case.argv, cwd=work, log=log)
    assert rc_ref in (0, 1), f'uninterrupted run: exit {rc_ref}: {err}'
    fixed = fl.content(fl.state(po))
    assert fixed != fl.content(orig), 'the uninterrupted run changed nothing'
    total = len(fl.read_log(log))
    rc, _, err = run.run(case.argv, cwd=work)
    assert rc == 0, f'second uninterrupted run: exit {rc}: {err}'

    points = sorted(set(range(1, total + 1, every)) | {total})
    failures = []
    for n in points:
        problem = check_kill(run, case, n, tpl, work, spare, orig, fixed)
        if problem:
            failures.append(n)
            print(f'{case.name}: point {n}: {problem}')
    ok = len(points) - len(failures)
    print(f'{case.name}: {ok} of {len(points)} points pass (of {total} change points)')
    for how, ns in DETOURS.items():
        print(f'{case.name}: after the kill at points {ns} the next run {how}; undoing every '
              'snapshot, newest first, gave back the original and a run then completed the work')
    shutil.rmtree(top)
    return 1 if failures else 0


def check_kill(run, case, n, tpl, work, spare, orig, fixed):
    po = os.path.join(work, 'MAILDATA')
    fl.copy_work(tpl, work)
    before = fl.snapshots(work)
    rc, _, err = run.run(case.argv, cwd=work, fault=(n, 'kill'))
    if rc != -9:
        return f'not killed (exit {rc}: {err.strip()[:200]})'
    killed = fl.content(fl.state(po))
    old = fl.content(orig)
    torn = [p for p in set(killed) | set(old) | set(fixed)
            if killed.get(p) not in (old.get(p), fixed.get(p))]
    if torn:
        return 'a file is neither old nor new: ' + ', '.join(sorted(torn)[:5])
    new = [s for s in fl.snapshots(work) if s not in before]
    if new:
        fl.copy_work(work, spare)
        problem = fl.restore_all(run, spare, new)
        if problem:
            return 'undoing the killed run: ' + problem
        back = fl.state(os.path.join(spare, 'MAILDATA'))
        if fl.files_with_times(back) != fl.files_with_times(orig):
            return 'porestore did not give back the original: ' + fl.diff(
                fl.files_with_times(orig), fl.files_with_times(back))
    rc, out, err = run.run(case.argv, cwd=work)
    if case.refuses_partial and new and (rc not in (0, 1) or fl.content(fl.state(po)) != fixed):
        # docs/RELIABILITY.md 7.2: what a split cut off part-way leaves (a KEY without its
        # MBG, a compacted KEY beside its old MBG) is undone by porestore. The next run must
        # refuse it (exit 8), never work on it; mbgsplit names the killed run's snapshot.
        # Undoing every snapshot since the start, newest first, gives back the original.
        if not rc & 8:
            return f'the next run worked on what the killed run left (exit {rc}) instead of refusing'
        named = any(os.path.basename(s) in out + err for s in new)
        half = 'ended without finishing its change' in out + err
        DETOURS.setdefault('refused, naming the killed run\'s snapshot' if half and named else
                           'refused (' + (err or out).strip().splitlines()[-1][:120] + ')', []).append(n)
        problem = fl.restore_all(run, work, [s for s in fl.snapshots(work) if s not in before])
        if problem:
            return 'undoing every snapshot: ' + problem
        if fl.files_with_times(fl.state(po)) != fl.files_with_times(orig):
            return 'undoing every snapshot did not give back the original'
        rc, _, err = run.run(case.argv, cwd=work)
    if rc not in (0, 1):
        return f'the next run: exit {rc}: {err.strip()[:200]}'
    if fl.content(fl.state(po)) != fixed:
        return 'the next run did not complete the work: ' + fl.diff(fixed, fl.content(fl.state(po)))
    if fl.temporaries(po):
        return 'temporaries left: ' + ', '.join(fl.temporaries(po)[:3])
    rc, _, err = run.run(case.argv, cwd=work)
    if rc != 0:
        return f'the run after that: exit {rc}: {err.strip()[:200]}'
    return None


if __name__ == '__main__':
    sys.exit(main())
