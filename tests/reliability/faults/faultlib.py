"""Shared pieces of the reliability drivers: running a tool under the fault
shim (fault_shim.c), fresh copies of a postoffice, and its state as a dict.

A work folder W holds MAILDATA, MAILDATA.snapshots and MAILDATA.mspo.lock,
as a fixer leaves them. Tools are given as NAME=PATH arguments (as the golden
runner gets them), plus shim=PATH."""
import atexit
import hashlib
import os
import shutil
import stat
import subprocess
import tempfile

TMP_MARK = '.mspo-tmp.'
NOBODY = 65534


def parse_tools(args):
    return dict(a.split('=', 1) for a in args)


class Runner:
    """Runs tools, with or without the shim; under ASan, libasan comes first."""

    def __init__(self, tools):
        self.tools = tools
        self.shim = tools['shim']
        self.asan = self._asan_runtime(tools['porestore'])
        self._nobody_dir = None

    def _nobody_exe(self, name):
        """A copy of the tool that user nobody can run: a checkout under /root (mode
        0700, as on a fresh machine) is closed to nobody. The tools link the project's
        libraries statically, so the executable alone is enough."""
        if self._nobody_dir is None:
            self._nobody_dir = tempfile.mkdtemp(prefix='mspo-nobody-bin-')
            os.chmod(self._nobody_dir, 0o755)
            atexit.register(shutil.rmtree, self._nobody_dir, True)
        exe = os.path.join(self._nobody_dir, name)
        if not os.path.exists(exe):
            shutil.copy2(self.tools[name], exe)
            os.chmod(exe, 0o755)
        return exe

    @staticmethod
    def _asan_runtime(exe):
        out = subprocess.run(['ldd', exe], capture_output=True, text=True).stdout
        for line in out.splitlines():
            if 'libasan' in line and '=>' in line:
                return line.split('=>')[1].split()[0]
        return None

    def run(self, argv, cwd, fault=None, log=None, as_nobody=False):
        """argv[0] is a tool name. fault: (N, what) for MSPO_FAULT_AT/DO.
        Returns (rc, stdout, stderr); rc is -9 after a SIGKILL."""
        env = dict(os.environ, LC_ALL='C')
        for k in ('MSPO_FAULT_LOG', 'MSPO_FAULT_AT', 'MSPO_FAULT_DO'):
            env.pop(k, None)
        if fault or log:
            env['LD_PRELOAD'] = ':'.join(p for p in (self.asan, self.shim) if p)
            if log:
                env['MSPO_FAULT_LOG'] = log
            if fault:
                env['MSPO_FAULT_AT'], env['MSPO_FAULT_DO'] = str(fault[0]), fault[1]
        extra = {}
        exe = self.tools[argv[0]]
        if as_nobody and os.getuid() == 0:
            extra = dict(user=NOBODY, group=NOBODY, extra_groups=[])
            exe = self._nobody_exe(argv[0])
        p = subprocess.run([exe] + list(argv[1:]), cwd=cwd, env=env,
                           capture_output=True, timeout=120, **extra)
        return p.returncode, p.stdout.decode(errors='replace'), p.stderr.decode(errors='replace')


def read_log(path):
    """The points of a logging run: [(n, kind, path, path2, flags, mode)]."""
    points = []
    if not os.path.exists(path):
        return points
    for line in open(path, encoding='utf-8', errors='surrogateescape'):
        head, flags, mode = line.rstrip('\n').rsplit(' ', 2)
        n, kind, rest = head.split(' ', 2)
        p1, _, p2 = rest.partition(' -> ')
        points.append((int(n), kind, p1, p2 or None, int(flags[6:], 8), int(mode[5:], 8)))
    return points


def copy_work(src, dst):
    """A copy of a work folder (bytes, modes, mtimes of files and folders)."""
    if os.path.exists(dst):
        shutil.rmtree(dst)
    shutil.copytree(src, dst, symlinks=True)


def state(po):
    """{relpath: (kind, md5, mode, mtime_ns)} of a postoffice, temporaries aside.
    kind 'd' (folder, md5 None) or 'f'."""
    out = {}
    for root, dirs, files in os.walk(po):
        for name in dirs + files:
            full = os.path.join(root, name)
            rel = os.path.relpath(full, po)
            if TMP_MARK in name:
                continue
            st = os.lstat(full)
            if stat.S_ISDIR(st.st_mode):
                out[rel] = ('d', None, stat.S_IMODE(st.st_mode), st.st_mtime_ns)
            else:
                digest = hashlib.md5(open(full, 'rb').read()).hexdigest()
                out[rel] = ('f', digest, stat.S_IMODE(st.st_mode), st.st_mtime_ns)
    return out


def temporaries(po):
    return [os.path.join(r, n) for r, _, fs in os.walk(po) for n in fs if TMP_MARK in n]


def content(st):
    """The state without mtimes: what 'the same bytes' compares."""
    return {k: v[:3] for k, v in st.items()}


def files_with_times(st):
    """Files with bytes, mode and mtime; folders by presence (their mtimes aside)."""
    return {k: (v if v[0] == 'f' else ('d',)) for k, v in st.items()}


def diff(a, b, limit=5):
    keys = sorted(set(a) | set(b))
    bad = [f'{k}: {a.get(k)} != {b.get(k)}' for k in keys if a.get(k) != b.get(k)]
    return '; '.join(bad[:limit]) + (f' (+{len(bad) - limit} more)' if len(bad) > limit else '')


def snapshots(work):
    """The verified snapshots in work/MAILDATA.snapshots, oldest first (by mtime)."""
    d = os.path.join(work, 'MAILDATA.snapshots')
    if not os.path.isdir(d):
        return []
    names = [f for f in os.listdir(d) if f.endswith('.tar.gz')]
    return sorted(names, key=lambda f: (os.stat(os.path.join(d, f)).st_mtime_ns, f))


def restore_all(run, work, names, force=False):
    """porestore of each snapshot, newest first (as pocheck --fix prints them).
    Returns None, or what went wrong."""
    for name in reversed(names):
        argv = ['porestore'] + (['--force'] if force else []) + [os.path.join('MAILDATA.snapshots', name), 'MAILDATA']
        rc, _, err = run.run(argv, cwd=work)
        if rc != 0:
            return f'porestore {name}: exit {rc}: {err.strip()[:200]}'
    return None
