#!/usr/bin/env python3
"""Runs every read-only tool and every fixer's dry run on each malformed
postoffice genbad.py writes, then each fixer for real on a copy, and checks
the oracle (oracle.py): no crash, no hang, no change, a finding or a
one-line error naming the file, no control byte in the output, and
porestore of every snapshot a fixer made (newest first) gives the original
back. Prints one line per problem and a summary; exit 1 if any problem.

  drive.py --tools BUILD/tools [--seed S] [--count N] [--cases I,J-K,...]
           [--jobs J] [--timeout SECONDS] [--keep] WORKDIR
"""

import argparse
import concurrent.futures
import json
import os
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import genbad  # noqa: E402
import oracle  # noqa: E402
import treestate  # noqa: E402

READ_ONLY = [
    ("listuser", []), ("listuser", ["-f"]), ("listuser", ["-x"]), ("listuser", ["--json"]),
    ("pocheck", []), ("pocheck", ["--json"]), ("pocheck", ["--fix", "-n"]), ("p1clean", ["-n"]),
    ("palfix", ["-n"]), ("mbgsplit", ["--check"]), ("mbgsplit", ["-n"]),
]
FIXERS = [("p1clean", []), ("palfix", []), ("mbgsplit", []), ("pocheck", ["--fix"])]


class Runner:
    def __init__(self, tools, timeout):
        self.tools, self.timeout = tools, timeout
        self.runs = 0
        self.slowest = (0.0, "")  # seconds, label

    def run(self, tool, args, po, codes, problems, label):
        """Runs one tool and checks its exit code, output and error line."""
        cmd = [os.path.join(self.tools, tool, tool), *args, po]
        self.runs += 1
        start = time.monotonic()
        try:
            p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=self.timeout)
            self.slowest = max(self.slowest, (round(time.monotonic() - start, 2), label))
        except subprocess.TimeoutExpired:
            problems.append(f"hang: {label} ran over {self.timeout} s")
            return None
        if p.returncode < 0:
            problems.append(f"crash: {label} killed by signal {-p.returncode}")
        elif p.returncode not in codes:
            problems.append(f"exit code: {label} exited {p.returncode}: {p.stderr[:300]!r}")
        for name, data in (("stdout", p.stdout), ("stderr", p.stderr)):
            why = oracle.unsafe_output(data)
            if why:
                problems.append(f"output: {label} {name}: {why}")
        if p.returncode > 0 and p.returncode & 8:
            why = oracle.error_problem(tool, p.stderr)
            if why:
                problems.append(f"message: {label}: {why}")
        return p


def snapshots(folder):
    """Snapshot archives in `folder`, newest first (by file time)."""
    if not os.path.isdir(folder):
        return []
    names = [os.path.join(folder, n) for n in os.listdir(folder) if n.endswith(".tar.gz")]
    return sorted(names, key=lambda p: os.stat(p).st_mtime_ns, reverse=True)


def named(p, targets):
    """True if pocheck's output names one of the targets (or nothing was targeted)."""
    text = (p.stdout + p.stderr).decode("utf-8", "replace").upper()
    return not targets or any(os.path.basename(t).upper() in text for t in targets)


def check_read_only(r, case, info, problems, out):
    po = os.path.join(case, "MAILDATA")
    before = treestate.state(case)
    results = {}
    for tool, args in READ_ONLY:
        label = " ".join([tool, *args])
        results[label] = r.run(tool, args, po, oracle.READ_ONLY_CODES, problems, label)
    after = treestate.state(case)
    if after != before:
        problems.append("change: a read-only run or dry run changed the tree: " + "; ".join(
            treestate.diff(before, after)))
    pc = results["pocheck"]
    if pc is not None:
        out["pocheck_rc"] = pc.returncode
        found = pc.returncode in (4, 8)
        out["named"] = found and named(pc, [t for b in info["breaks"] for t in b["targets"]])
        if info["must_find"] and not found:
            problems.append(f"missed: pocheck exited {pc.returncode} on a break it must find")
    out["codes"] = {k: (v.returncode if v else None) for k, v in results.items()}


def check_fixer(r, case, work, tool, args, problems, out):
    copy = os.path.join(work, "copy-" + tool + "".join(args))
    shutil.rmtree(copy, ignore_errors=True)
    subprocess.run(["cp", "-a", case, copy], check=True)
    po = os.path.join(copy, "MAILDATA")
    before = treestate.state(po, with_dir_mtime=False, with_nlink=False)
    label = " ".join([tool, *args])
    p = r.run(tool, args, po, oracle.FIXER_CODES, problems, label)
    if p is None:
        return
    snaps = snapshots(po + ".snapshots")
    out.setdefault("fixers", {})[label] = {"rc": p.returncode, "snapshots": len(snaps)}
    for s in snaps:
        r.run("porestore", [s], po, {0}, problems, f"porestore after {label}")
    after = treestate.state(po, with_dir_mtime=False, with_nlink=False)
    # A restore leaves an empty folder the fixer made (RELIABILITY.md 6): p1clean makes a missing P1.
    made = [k for k, v in after.items() if k not in before and v["type"] == "dir"
            and not any(o.startswith(k + b"/") for o in after)]
    for k in made:
        del after[k]
    out["fixers"][label]["folders_left"] = len(made)
    if after != before:
        problems.append(f"restore: {label} then porestore of {len(snaps)} snapshot(s) is not the original: " +
                        "; ".join(treestate.diff(before, after)))
    shutil.rmtree(copy, ignore_errors=True)


def drive_case(args, i):
    start = time.monotonic()
    case = os.path.join(args.workdir, f"{i:03d}")
    bases = genbad.make_bases(args.pogen, args.seed, args.workdir)
    info = genbad.make_case(i, args.seed, bases, args.workdir)
    r = Runner(args.tools, args.timeout)
    problems, out = [], {"case": i, "breaks": [f"{b['kind']}: {b['note']}" for b in info["breaks"]]}
    outside = treestate.state(case)
    check_read_only(r, case, info, problems, out)
    work = os.path.join(args.workdir, f"work-{i:03d}")
    os.makedirs(work, exist_ok=True)
    for tool, fargs in FIXERS:
        check_fixer(r, case, work, tool, fargs, problems, out)
    if treestate.state(case) != outside:
        problems.append("change: a fixer run on a copy changed the original case (through a link?)")
    shutil.rmtree(work, ignore_errors=True)
    if not args.keep and not problems:
        shutil.rmtree(case, ignore_errors=True)
    out.update(problems=problems, runs=r.runs, seconds=round(time.monotonic() - start, 2), slowest=r.slowest)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tools", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--cases", default="")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--timeout", type=int, default=120)
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("workdir")
    args = ap.parse_args()
    args.workdir = os.path.abspath(args.workdir)
    args.tools = os.path.abspath(args.tools)
    args.pogen = os.path.join(args.tools, "pogen", "pogen")
    if os.path.isdir(args.workdir) and os.listdir(args.workdir):
        if not os.path.isdir(os.path.join(args.workdir, ".base")):
            sys.exit(f"drive.py: {args.workdir} is not empty and not an earlier work folder")
        shutil.rmtree(args.workdir)  # bases from an older pogen must go
    os.makedirs(args.workdir, exist_ok=True)
    genbad.make_bases(args.pogen, args.seed, args.workdir)
    cases = []
    for part in filter(None, args.cases.split(",")):
        first, _, last = part.partition("-")
        cases += range(int(first), int(last or first) + 1)
    cases = cases or list(range(args.count))
    start = time.monotonic()
    with concurrent.futures.ProcessPoolExecutor(max_workers=args.jobs) as ex:
        results = list(ex.map(drive_case, [args] * len(cases), cases))
    bad = [r for r in results if r["problems"]]
    for r in bad:
        for p in r["problems"]:
            print(f"case {r['case']:03d} ({' + '.join(r['breaks'])}): {p}")
    with open(os.path.join(args.workdir, "results.json"), "w") as f:
        json.dump(results, f, indent=1)
    found = sum(1 for r in results if r.get("pocheck_rc") == 4)
    errors = sum(1 for r in results if r.get("pocheck_rc") == 8)
    print(f"badpo: seed {args.seed}: {len(results)} postoffices, {sum(r['runs'] for r in results)} runs, "
          f"pocheck: {found} with findings, {errors} with an error, "
          f"{sum(1 for r in results if r.get('named'))} naming the broken file; "
          f"{sum(len(r['problems']) for r in results)} problems in {len(bad)} postoffices; "
          f"{time.monotonic() - start:.0f} s; slowest run {max(r['slowest'] for r in results)}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
