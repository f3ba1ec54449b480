#!/usr/bin/env python3
"""I/O faults at the first change point of each kind (docs/RELIABILITY.md 7.3).

  io_faults.py CASE NAME=PATH... shim=PATH

From a logging run (fault_shim.c) it picks the first point of each kind (lock,
snapshot folder, snapshot create/write/fsync/rename, temporary create/write/
mode, sync, rename, remove, the last change) and fails it with ENOSPC, then EIO.
Then, without the shim: the target file unreadable (mode 000) and its folder
read-only, run as nobody when root; the target deleted between plan and apply.
The contract (docs/RELIABILITY.md section 1, CONTRACT.md exit codes):
  nothing changed -> exit 8 and a message naming a file;
  something changed -> exit 9 naming the snapshot, and porestore of the run's
  snapshots gives back every original file;
and, either way, no temporary or partial snapshot is left, and the next run
completes the work. One line per fault; exit 1 if any breaks the contract."""
import errno
import os
import shutil
import sys
import tempfile

import faultlib as fl
from cases import CASES

TMP = fl.TMP_MARK
DETOURS = []  # faults after which the next run did not end as the uninterrupted run


def pick_points(points, po):
    """{label: point number}, the first point of each kind (in log order)."""
    inside = po + '/'
    rules = [
        ('lock file', lambda k, p, q: k == 'create' and p.endswith('.mspo.lock')),
        ('snapshot folder', lambda k, p, q: k == 'mkdir' and p.endswith('.snapshots')),
        ('snapshot create', lambda k, p, q: k == 'create' and p.endswith('.partial')),
        ('snapshot write', lambda k, p, q: k == 'write' and p.endswith('.partial')),
        ('snapshot fsync', lambda k, p, q: k == 'sync' and p.endswith('.partial')),
        ('snapshot rename', lambda k, p, q: k == 'rename' and p.endswith('.partial')),
        ('temporary create', lambda k, p, q: k == 'create' and TMP in p),
        ('temporary write', lambda k, p, q: k == 'write' and TMP in p),
        ('temporary mode', lambda k, p, q: k == 'chmod' and TMP in p),
        ('temporary sync', lambda k, p, q: k == 'sync' and p.startswith(inside) and TMP in p),
        ('rename', lambda k, p, q: k == 'rename' and TMP in p),
        ('remove', lambda k, p, q: k == 'unlink' and p.startswith(inside) and TMP not in p),
        ('folder sync', lambda k, p, q: k == 'sync' and p.startswith(inside) and TMP not in p),
    ]
    picked = {}
    for label, rule in rules:
        hit = [n for n, k, p, q, _, _ in points if rule(k, p, q)]
        if hit:
            picked[label] = hit[0]
    changes = [n for n, k, p, q, _, _ in points if k in ('rename', 'unlink') and p.startswith(inside)]
    if len(changes) > 1:
        picked['last change'] = changes[-1]
    return picked


def first_error(err):
    return next((l for l in err.splitlines() if 'error' in l or 'refused' in l), err.strip().split('\n')[0]).strip()


class Checker:
    def __init__(self, run, case, top):
        self.run, self.case = run, case
        self.tpl = os.path.join(top, 'template')
        self.work = os.path.join(top, 'work')
        self.po = os.path.join(self.work, 'MAILDATA')
        os.mkdir(self.tpl)
        case.setup(run, self.tpl)
        self.orig = fl.state(os.path.join(self.tpl, 'MAILDATA'))
        fl.copy_work(self.tpl, self.work)
        log = os.path.join(top, 'points.log')
        rc, _, err = run.run(case.argv, cwd=self.work, log=log)
        assert rc in (0, 1), f'uninterrupted run: {rc} {err}'
        self.fixed = self.comparable(fl.content(fl.state(self.po)))
        self.points = fl.read_log(log)
        # the victim: the first file the command changes that exists before it runs
        inside = self.po + '/'
        for _, kind, p, q, _, _ in self.points:
            target = q if kind == 'rename' else p
            if kind in ('rename', 'unlink') and target.startswith(inside) and target[len(inside):] in self.orig:
                self.victim = target[len(inside):]
                break
        self.bad = 0

    def comparable(self, content):
        if self.case.several:  # the letter counter depends on the order of the repairs
            content = {k: v for k, v in content.items() if k != 'GLB/CONTROL.GLB'}
        return content

    def fresh(self):
        fl.copy_work(self.tpl, self.work)

    def report(self, label, rc, err, problems, outcome):
        verdict = 'ok' if not problems else 'FAIL: ' + '; '.join(problems)
        self.bad += bool(problems)
        print(f'{self.case.name}: {label}: exit {rc}, {outcome}, {verdict} | {first_error(err)[:170]}')

    def judge(self, label, rc, out, err, before, orig=None, force=False, undone=None):
        """Checks one failed run against the contract (module docstring). The snapshots
        the output names must undo the run (a fixer that refused inside pocheck --fix
        wrote one too, which nothing needs)."""
        orig = orig or self.orig
        problems = []
        changed = fl.files_with_times(fl.state(self.po)) != fl.files_with_times(orig)
        new = [s for s in fl.snapshots(self.work) if s not in before]
        if self.case.several:  # bits combine: 8 = a fixer refused, 1 = another fixed
            if not rc & 8 or bool(rc & 1) != changed:
                problems.append(f'exit {rc} does not say {"some" if changed else "nothing"} changed and a refusal')
        elif rc != (9 if changed else 8):
            problems.append(f'{"changes made" if changed else "nothing changed"} but exit {rc}')
        named = [s for s in new if s in out + err]
        if changed and not named:
            problems.append('the output names no snapshot of this run')
        if '/' not in first_error(err):
            problems.append('the message names no file')
        if fl.temporaries(self.po):
            problems.append('temporaries left')
        snaps = os.path.join(self.work, 'MAILDATA.snapshots')
        if os.path.isdir(snaps) and any(f.endswith('.partial') for f in os.listdir(snaps)):
            problems.append('a partial snapshot left')
        if changed:
            undo = self.work + '.undo'
            fl.copy_work(self.work, undo)
            problem = fl.restore_all(self.run, undo, named, force)
            back = fl.state(os.path.join(undo, 'MAILDATA'))
            if problem or fl.files_with_times(back) not in [fl.files_with_times(o) for o in undone or [orig]]:
                problems.append('porestore did not give back the original ' + (problem or ''))
        return problems, 'changed' if changed else 'unchanged'

    def completes(self, problems, before, label):
        rc, _, err = self.run.run(self.case.argv, cwd=self.work)
        done = rc in (0, 1) and self.comparable(fl.content(fl.state(self.po))) == self.fixed
        if self.case.refuses_partial and not done:
            # as kill_sweep.py: the documented way on from a partial split is porestore
            DETOURS.append(f'{label}: exit {rc}')
            problem = fl.restore_all(self.run, self.work, [s for s in fl.snapshots(self.work) if s not in before])
            if problem or fl.files_with_times(fl.state(self.po)) != fl.files_with_times(self.orig):
                problems.append('undoing every snapshot did not give back the original ' + (problem or ''))
            rc, _, err = self.run.run(self.case.argv, cwd=self.work)
        if rc not in (0, 1) or self.comparable(fl.content(fl.state(self.po))) != self.fixed:
            problems.append(f'the next run did not complete the work (exit {rc}: {first_error(err)[:100]})')
        rc, _, err = self.run.run(self.case.argv, cwd=self.work)
        if rc != 0:
            problems.append(f'the run after that found something (exit {rc})')

    def shim_faults(self):
        for label, n in pick_points(self.points, self.po).items():
            for code in (errno.ENOSPC, errno.EIO):
                self.fresh()
                before = fl.snapshots(self.work)
                rc, out, err = self.run.run(self.case.argv, cwd=self.work, fault=(n, f'fail:{code}'))
                problems, outcome = self.judge(label, rc, out, err, before)
                self.completes(problems, before, f'{label} {errno.errorcode[code]}')
                self.report(f'{label} (point {n}) {errno.errorcode[code]}', rc, err, problems, outcome)

    def vanish_faults(self):
        """The victim deleted after the plan: at the first change point (the lock file),
        and right after the snapshot is in place."""
        picked = pick_points(self.points, self.po)
        victim = os.path.join(self.po, self.victim)
        for label, n in (('deleted before the lock', 1),
                         ('deleted after the snapshot', picked.get('snapshot rename', 0) + 1)):
            self.fresh()
            before = fl.snapshots(self.work)
            rc, out, err = self.run.run(self.case.argv, cwd=self.work, fault=(n, 'unlink:' + victim))
            # Changes begun: porestore refuses, naming the deleted file as changed since
            # the snapshot, and with --force gives it back too.
            # (pocheck --fix: the fixer that refused wrote the snapshot that holds the
            # deleted file, which nothing needs and its output does not name, so undoing
            # leaves the file deleted, as the third party did.)
            without = {k: v for k, v in self.orig.items() if k != self.victim}
            changed = fl.files_with_times(fl.state(self.po)) != fl.files_with_times(without)
            orig = self.orig if changed else without
            problems, outcome = self.judge(label, rc, out, err, before, orig, force=changed,
                                           undone=[self.orig, without])
            if self.victim not in first_error(err):
                problems.append('the message does not name ' + self.victim)
            self.report(f'{self.victim} {label} (point {n})', rc, err, problems, outcome)

    def permission_faults(self):
        """As nobody (when root). On POSIX a read-only file in a writable folder can be
        replaced or removed, so 'fixed' is an honest outcome there."""
        victim = os.path.join(self.po, self.victim)
        for label, target, mode in (('unreadable (000)', victim, 0o000),
                                    ('read-only (444)', victim, 0o444),
                                    ('in a read-only folder (555)', os.path.dirname(victim), 0o555)):
            self.fresh()
            if os.getuid() == 0:
                for root, dirs, files in os.walk(self.work):
                    for name in [root] + [os.path.join(root, f) for f in dirs + files]:
                        os.lchown(name, fl.NOBODY, fl.NOBODY)
            os.chmod(target, mode)
            orig = fl.state(self.po)
            before = fl.snapshots(self.work)
            rc, out, err = self.run.run(self.case.argv, cwd=self.work, as_nobody=True)
            done = self.comparable({k: v[:2] for k, v in fl.content(fl.state(self.po)).items()})
            if rc in (0, 1) and done == {k: v[:2] for k, v in self.fixed.items()}:
                problems, outcome = [], 'fixed'
            else:
                problems, outcome = self.judge(label, rc, out, err, before, orig)
            if os.path.exists(target):
                os.chmod(target, 0o755 if os.path.isdir(target) else 0o644)
            self.report(f'{self.victim} {label}, as nobody', rc, err, problems, outcome)


def main():
    case = CASES[sys.argv[1]]
    run = fl.Runner(fl.parse_tools(sys.argv[2:]))
    top = tempfile.mkdtemp(prefix=f'io-{case.name}-')
    os.chmod(top, 0o755)
    c = Checker(run, case, top)
    c.shim_faults()
    c.vanish_faults()
    c.permission_faults()
    for d in DETOURS:
        print(f'{case.name}: after {d}, the next run did not end as an uninterrupted run; '
              'undoing every snapshot, newest first, gave back the original and a run completed the work')
    print(f'{case.name}: {c.bad} faults break the contract')
    shutil.rmtree(top)
    return 1 if c.bad else 0


if __name__ == '__main__':
    sys.exit(main())
