#!/usr/bin/env python3
"""Writes COUNT malformed postoffices: OUTDIR/NNN/MAILDATA, each a pogen
postoffice broken by breaks.py, and OUTDIR/NNN/case.json saying how.
Case i uses kind i mod (number of kinds), so every kind comes up; every
fifth case adds a second and third break. The same seed gives the same
postoffices (bytes, names and file times).

  genbad.py --pogen PATH [--seed S] [--count N] [--only I,J,...] OUTDIR
"""

import argparse
import json
import os
import random
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import breaks  # noqa: E402

BASES = [[], ["--users", "10"], ["--users", "25"]]


def make_bases(pogen, seed, out):
    paths = []
    for k, extra in enumerate(BASES):
        p = os.path.join(out, ".base", str(k), "MAILDATA")
        if not os.path.isdir(p):
            os.makedirs(os.path.dirname(p), exist_ok=True)
            subprocess.run([pogen, "--seed", str(seed + k), *extra, p], check=True, stdout=subprocess.DEVNULL)
        paths.append(p)
    return paths


# pogen's default time less an hour, as its own files have: what a break
# wrote or made gets it too, so the same seed gives the same file times.
PINNED_NS = 928234800 * 10**9  # 1999-06-01T11:00:00Z


def pin_times(case):
    """Gives every entry under `case` newer than pogen's files PINNED_NS (a
    link itself, never what it points at; the case folder itself too)."""
    for d, dirs, names in os.walk(case):
        for n in dirs + names + [None]:
            p = d if n is None else os.path.join(d, n)
            if os.lstat(p).st_mtime_ns > PINNED_NS:
                os.utime(p, ns=(PINNED_NS, PINNED_NS), follow_symlinks=False)


def make_case(i, seed, bases, out):
    rng = random.Random(f"{seed}/{i}")
    case = os.path.join(out, f"{i:03d}")
    if os.path.exists(case):
        shutil.rmtree(case)
    os.makedirs(case)
    root = os.path.join(case, "MAILDATA")
    base = rng.randrange(len(bases))
    subprocess.run(["cp", "-a", bases[base], root], check=True)
    ctx = breaks.Ctx(rng, os.fsencode(root), os.fsencode(case))
    kinds = [breaks.KINDS[i % len(breaks.KINDS)]]
    if i % 5 == 4:
        kinds += rng.sample(breaks.KINDS, 2)
    done = []
    for name, fn in kinds:
        try:
            r = fn(ctx)
        except (IndexError, FileNotFoundError, NotADirectoryError) as e:  # a later break found nothing to break
            r = breaks.result([], False, f"skipped: {type(e).__name__}")
        r["kind"] = name
        done.append(r)
    pin_times(case)
    info = {"case": i, "seed": seed, "base": BASES[base], "breaks": done,
            "must_find": any(r["must_find"] for r in done)}
    with open(os.path.join(case, "case.json"), "w") as f:
        json.dump(info, f, indent=1)
    return info


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pogen", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--only", default="")
    ap.add_argument("outdir")
    a = ap.parse_args()
    a.outdir = os.path.abspath(a.outdir)
    os.makedirs(a.outdir, exist_ok=True)
    bases = make_bases(a.pogen, a.seed, a.outdir)
    wanted = [int(x) for x in a.only.split(",") if x] or range(a.count)
    for i in wanted:
        info = make_case(i, a.seed, bases, a.outdir)
        print(f"{i:03d} " + " + ".join(f"{r['kind']}: {r['note']}" for r in info["breaks"]))


if __name__ == "__main__":
    main()
