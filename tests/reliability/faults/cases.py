"""The postoffices and commands the reliability drivers run: one case per fixer,
and porestore undoing a fixer's change. setup(run, work) writes work/MAILDATA
(and whatever else the command needs); argv runs in work."""
import os
import shutil

T0 = '928238400'  # pogen's sample time: P1 ages are exact against it


def pogen(run, work, *args):
    rc, out, err = run.run(['pogen', *args, 'MAILDATA'], cwd=work)
    assert rc == 0, f'pogen {args}: {rc} {err}'


def spec(work, *lines):
    with open(os.path.join(work, 'po.spec'), 'w') as f:
        f.write(''.join(line + '\n' for line in lines))


def p1clean_setup(run, work):
    lines = ['user ADMIN', 'lock 0000002A.0LK age=1d']
    lines += [f'p1 0000000{i}.P1 age={i}d size={i * 100 + 16}' for i in range(1, 7)]
    spec(work, *lines)
    pogen(run, work, '--spec', 'po.spec', '--now', T0)


def palfix_setup(run, work):
    pogen(run, work, '--damage', 'nme-bad-alias')


def mbgsplit_setup(run, work):
    spec(work, 'user ADMIN mail=1', 'user ALICE mail=12 freed=4', 'user BOB mail=2')
    pogen(run, work, '--spec', 'po.spec')


def pocheck_setup(run, work):
    spec(work, 'user ADMIN "Administrator" mail=6 freed=6 pal=2', 'user ALICE "Alice Smith" mail=2',
         'user BOB "Bob Jones" mail=6 freed=6 freed-at=start', 'group STAFF ALICE BOB',
         'message ALICE BOB "Staff meeting"')
    pogen(run, work, '--spec', 'po.spec', '--damage', 'p1-stale', '--damage', 'nme-bad-alias:pol,ALICE',
          '--damage', 'over-limit:BOB', '--damage', 'counter-low:letter', '--damage', 'mai-refcount')


def porestore_setup(run, work):
    """mbgsplit's split (files replaced, created) undone: its snapshot is work/in.tar.gz."""
    mbgsplit_setup(run, work)
    rc, out, err = run.run(MBGSPLIT, cwd=work)
    assert rc in (0, 1), f'mbgsplit: {rc} {err}'
    snaps = os.path.join(work, 'MAILDATA.snapshots')
    (name,) = os.listdir(snaps)
    shutil.move(os.path.join(snaps, name), os.path.join(work, 'in.tar.gz'))
    os.rmdir(snaps)


MBGSPLIT = ['mbgsplit', '--max', '5', 'MAILDATA']


class Case:
    def __init__(self, name, setup, argv, scope, refuses_partial=False, several=False):
        self.name, self.setup, self.argv = name, setup, argv
        self.scope = scope  # the folders and files (relative, upper case) the command may change
        # the next run may refuse what a killed run left half done (mbgsplit: "Across files")
        self.refuses_partial = refuses_partial
        # pocheck --fix runs several fixers: one refusing does not stop the others, so
        # the exit code combines (13 = 1 + 4 + 8), and when a fault reorders the repairs
        # CONTROL.GLB's letter counter is set past a number that is still in use
        self.several = several


CASES = {c.name: c for c in [
    Case('p1clean', p1clean_setup, ['p1clean', '--now', T0, 'MAILDATA'], ['P1/']),
    Case('palfix', palfix_setup, ['palfix', 'MAILDATA'], ['NME/', 'GRP/', 'GLB/']),
    Case('mbgsplit', mbgsplit_setup, MBGSPLIT, ['MBG/', 'KEY/', 'MAI/', 'GLB/CONTROL.GLB'], refuses_partial=True),
    Case('pocheck', pocheck_setup, ['pocheck', '--fix', '--now', T0, 'MAILDATA'],
         ['P1/', 'NME/', 'GRP/', 'GLB/', 'MBG/', 'KEY/', 'MAI/'], refuses_partial=True, several=True),
    Case('porestore', porestore_setup, ['porestore', 'in.tar.gz', 'MAILDATA'],
         ['MBG/', 'KEY/', 'MAI/', 'GLB/CONTROL.GLB']),
]}
