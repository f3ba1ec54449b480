"""Ways to break a pogen postoffice, one function each. A break gets a Ctx
(the seeded random source, the postoffice root, the case folder) and
returns what it did: {"targets": [relative paths], "must_find": bool,
"note": text}. must_find: the break is one pocheck must report (a finding
or an error naming the file); the others (lower-case names, hostile names
of extra files, lies no check can see) must only be survived."""

import os
import shutil

import rules

HOSTILE = [
    b"\x1b[2J\x1b[31mPWNED", b"\x1b]0;title\x07", b"\x9b31m", b"\xc2\x9bHIDE", b"\xe2\x80\xaeRTL.MBG",
    b"NEW\nLINE", b"TAB\tBEL\x07", b"BS\x08\x08\x7f", b"\xff\xfe", b"\xc0\xaf", b"\xed\xa0\x80",
    b"X" * 200, b"\x01\x1b\x1b[6n",
]


class Ctx:
    def __init__(self, rng, root, case):
        self.rng, self.root, self.case = rng, root, case

    def path(self, rel):
        return os.path.join(self.root, os.fsencode(rel))

    def files(self, pred=None):
        """Regular files (relative, str), sorted, optionally filtered."""
        out = []
        for d, dirs, names in os.walk(self.root):
            dirs.sort()
            for n in sorted(names):
                full = os.path.join(d, n)
                if os.path.isfile(full) and not os.path.islink(full):
                    rel = os.fsdecode(os.path.relpath(full, self.root))
                    if pred is None or pred(rel):
                        out.append(rel)
        return out

    def pick(self, pred=None):
        return self.rng.choice(self.files(pred))

    def bytes(self, n):
        return bytes(self.rng.getrandbits(8) for _ in range(n))


def ruled(rel):
    return rules.kind_of(rel) is not None


def record_ruled(rel):
    k = rules.kind_of(rel)
    return k is not None and rules.RULES[k][1] != 0


def result(targets, must_find, note):
    return {"targets": targets, "must_find": must_find, "note": note}


def size_extra(c):
    rel = c.pick(record_ruled)
    rec = rules.RULES[rules.kind_of(rel)][1]
    n = c.rng.randrange(1, rec)
    with open(c.path(rel), "ab") as f:
        f.write(c.bytes(n))
    return result([rel], True, f"{n} bytes appended (records of {rec})")


def size_fixed(c):
    rel = c.pick(lambda r: ruled(r) and rules.RULES[rules.kind_of(r)][1] == 0)
    size = os.path.getsize(c.path(rel))
    new = c.rng.choice([size - 1, size + 1, size * 2, max(0, size - c.rng.randrange(1, size + 1)), size + 4096])
    new = new if new != size else size + 1
    os.truncate(c.path(rel), new)
    return result([rel], True, f"fixed size {size} -> {new}")


def truncate(c):
    rel = c.pick(lambda r: os.path.getsize(c.path(r)) > 1)
    size = os.path.getsize(c.path(rel))
    at = c.rng.randrange(1, size)
    os.truncate(c.path(rel), at)
    return result([rel], rules.breaks(rules.kind_of(rel), at), f"cut at {at} of {size}")


def truncate_record(c):
    rel = c.pick(lambda r: record_ruled(r) and os.path.getsize(c.path(r)) >= 2 * rules.RULES[rules.kind_of(r)][1])
    header, rec, _ = rules.RULES[rules.kind_of(rel)]
    size = os.path.getsize(c.path(rel))
    at = header + rec * c.rng.randrange(0, (size - header) // rec)
    os.truncate(c.path(rel), at)
    return result([rel], False, f"whole records dropped: {size} -> {at} (counts elsewhere now lie)")


def random_same_size(c):
    rel = c.pick(lambda r: os.path.getsize(c.path(r)) > 0)
    size = os.path.getsize(c.path(rel))
    with open(c.path(rel), "r+b") as f:
        f.write(c.bytes(size))
    return result([rel], False, f"{size} random bytes, size kept")


def random_file(c):
    rels = [c.pick() for _ in range(c.rng.randrange(1, 4))]
    must = False
    for rel in sorted(set(rels)):
        n = c.rng.randrange(1, 5000)
        with open(c.path(rel), "wb") as f:
            f.write(c.bytes(n))
        must = must or rules.breaks(rules.kind_of(rel), n)
    return result(sorted(set(rels)), must, "replaced by random bytes of random length")


def empty(c):
    rel = c.pick(lambda r: os.path.getsize(c.path(r)) > 0)
    os.truncate(c.path(rel), 0)
    return result([rel], rules.breaks(rules.kind_of(rel), 0), "emptied")


def replace_file(c, make, note, pred=None):
    rel = c.pick(pred)
    p = c.path(rel)
    os.unlink(p)
    make(p)
    return result([rel], ruled(rel) and not rel.startswith("P1/"), note)


def dir_for_file(c):
    def make(p):
        os.mkdir(p)
        with open(os.path.join(p, b"INSIDE.BIN"), "wb") as f:
            f.write(c.bytes(64))
    return replace_file(c, make, "a folder where the file was")


def fifo_for_file(c):
    return replace_file(c, os.mkfifo, "a FIFO where the file was")


def symlink_out(c):
    outside = os.path.join(c.case, b"OUTSIDE.BIN")
    if not os.path.exists(outside):
        with open(outside, "wb") as f:
            f.write(c.bytes(4096))
    target = c.rng.choice([b"/dev/zero", b"/dev/urandom", b"/etc/passwd", b"/proc/self/mem", outside,
                           b"../../OUTSIDE.BIN", b"NO-SUCH-FILE", b"/"])
    shown = "OUTSIDE.BIN beside MAILDATA" if target == outside else os.fsdecode(target)
    return replace_file(c, lambda p: os.symlink(target, p), f"symlink to {shown}")


def hardlink_out(c):
    rel = c.pick(lambda r: os.path.getsize(c.path(r)) > 0)
    outside = os.path.join(c.case, b"HARDLINK.BIN")
    os.link(c.path(rel), outside)
    return result([rel], False, "hard-linked to HARDLINK.BIN outside the postoffice")


def top_dirs(c):
    return sorted(os.fsdecode(n) for n in os.listdir(c.root) if os.path.isdir(os.path.join(c.root, n)))


def symlink_dir_out(c):
    name = c.rng.choice([d for d in top_dirs(c) if d != "GLB"] + ["GLB"])
    p = c.path(name)
    moved = os.path.join(c.case, b"OUTSIDE-" + os.fsencode(name))
    shutil.move(p, moved)
    os.symlink(moved if c.rng.random() < 0.5 else os.path.relpath(moved, c.root), p)
    return result([name], True, "folder moved out, a symlink to it left in its place")


def missing_folder(c):
    sub = ["MAI/MA" + c.rng.choice("0123456789ABCDEF"), "ATT/AT3"]
    name = c.rng.choice(top_dirs(c) + sub)
    shutil.rmtree(c.path(name))
    return result([name], True, "folder removed")


def missing_file(c):
    rel = c.pick()
    os.unlink(c.path(rel))
    return result([rel], rel.startswith("GLB/"), "file removed")


def lower(name):
    return os.fsencode(os.fsdecode(name).lower())


def lower_case_all(c):
    for d, dirs, names in os.walk(c.root, topdown=False):
        for n in names + dirs:
            if lower(n) != n:
                os.rename(os.path.join(d, n), os.path.join(d, lower(n)))
    return result([], False, "every name in lower case")


def lower_case_one(c):
    if c.rng.random() < 0.5:
        rel = c.pick()
    else:
        rel = c.rng.choice(top_dirs(c))
    head, tail = os.path.split(c.path(rel))
    os.rename(c.path(rel), os.path.join(head, lower(tail)))
    return result([rel], False, "one name in lower case")


def case_twin(c):
    rel = c.pick(lambda r: r.startswith(("MBG/", "KEY/", "GLB/", "NME/")))
    head, tail = os.path.split(c.path(rel))
    with open(os.path.join(head, lower(tail)), "wb") as f:
        f.write(c.bytes(os.path.getsize(c.path(rel))))
    return result([rel], False, "a lower-case twin with other bytes beside it")


def sparse_2g(c):
    size = (2 << 30) + c.rng.choice([0, 0, 1, 45, 116])
    if c.rng.random() < 0.5:
        rel = c.pick(lambda r: r.startswith(("GLB/ACCESS", "MBG/", "NME/", "KEY/", "MAI/")))
    else:
        rel = c.rng.choice(["P1/0000ABCD.P1", "MBG/0000FFFF.MBG", "MAI/MA7/00001237.MAI"])
    with open(c.path(rel), "ab"):
        pass
    os.truncate(c.path(rel), size)
    return result([rel], rules.breaks(rules.kind_of(rel), size), f"sparse, {size} bytes")


def hostile_name(c):
    # P1 half the time: p1clean lists every file there, so the name is printed
    folder = c.rng.choice(["P1", "P1", "P1", "MBG", "KEY", "NME", "GLB", ""])
    name = c.rng.choice(HOSTILE) + c.rng.choice([b"", b".MBG", b".KEY", b".P1", b".NME", b".GLB"])
    p = os.path.join(c.path(folder) if folder else c.root, name)
    if c.rng.random() < 0.2:
        os.mkdir(p)
    else:
        with open(p, "wb") as f:
            f.write(c.bytes(c.rng.randrange(0, 300)))
    os.utime(p, ns=(915148800 * 10**9,) * 2, follow_symlinks=False)  # 1999-01-01: stale to p1clean
    return result([], False, "a file or folder with a hostile name: " + repr(name))


def poke(c, rel, offset, data):
    with open(c.path(rel), "r+b") as f:
        f.seek(offset)
        f.write(data)


def records(c, rel, header, rec):
    return max(0, (os.path.getsize(c.path(rel)) - header) // rec)


def hostile_text(c):
    """Escape sequences written into the name fields tools print."""
    evil = c.rng.choice([b"\x1b[2J\x1b[H", b"\x1b]0;X\x07", b"\x9b\x9c\x85", b"\xc2\x9b1m", b"\x00\x1b[6n"])
    spots = [("GLB/ACCESS2.GLB", 0, 69, 0), ("GLB/ACCESS.GLB", 0, 586, 0), ("NME/ADMIN.NME", 0, 45, 1),
             ("GLB/GROUP.GLB", 4, 51, 1), ("GLB/NETPO.GLB", 4, 43, 1), ("MBG/00000001.MBG", 0, 116, 2),
             ("MBG/00000001.MBG", 0, 116, 0x0D)]
    spots = [s for s in spots if os.path.isfile(c.path(s[0]))]
    rel, header, rec, field = c.rng.choice(spots)
    n = records(c, rel, header, rec)
    if n == 0:
        return empty(c)
    at = header + rec * c.rng.randrange(n) + field
    poke(c, rel, at, evil)
    return result([rel], False, f"escape bytes {evil!r} at offset {at}")


def counts_lie(c):
    choice = c.rng.randrange(7)
    if choice == 0:
        rel = c.rng.choice(["GLB/ACCESS.GLB", "GLB/ACCESS2.GLB", "GLB/ACCESS3.GLB"])
        size = os.path.getsize(c.path(rel))
        rec = rules.RULES[rel[4:]][1]
        os.truncate(c.path(rel), size - rec if c.rng.random() < 0.5 else size + rec)
        return result([rel], True, "one ACCESS file has a record more or less than the others")
    if choice == 1:
        poke(c, "GLB/CONTROL.GLB", c.rng.choice([0, 4]), c.rng.choice([b"\0\0\0\0", b"\xff\xff\xff\xff"]))
        return result(["GLB/CONTROL.GLB"], False, "a CONTROL.GLB counter is 0 or 0xFFFFFFFF")
    if choice == 2:
        rel = c.pick(lambda r: r.startswith("KEY/"))
        poke(c, rel, c.rng.choice([0, 2]), b"\xff\xff")
        return result([rel], False, "a KEY counter is 65535")
    if choice == 3:
        rel = c.pick(lambda r: r.startswith("MAI/") and os.path.getsize(c.path(r)) >= 13)
        poke(c, rel, 0x0B, c.rng.choice([b"\0\0", b"\xff\xff"]))
        return result([rel], True, "a MAI reference counter is 0 or 65535")
    if choice == 4:
        rel = c.rng.choice(["GRP/ADMIN.GRP", "GRP/ADMINSHD.GRP"])
        n = records(c, rel, 8, 8)
        if n:
            poke(c, rel, 8 + 8 * c.rng.randrange(n) + 4, b"\xff\xff\xff\xff")
        return result([rel], n > 0, "a GRP next pointer is 0xFFFFFFFF")
    if choice == 5:
        rel = c.pick(lambda r: r.startswith("MEM/"))
        with open(c.path(rel), "ab") as f:
            f.write(b"\xff\xff\xff\xff" * 501)
        return result([rel], True, "a MEM file of over 500 members, one 0xFFFFFFFF")
    rel = "NME/ADMIN.NME"
    n = records(c, rel, 0, 45)
    for name in (rel, "NME/ADMINSHD.NME"):
        if n:
            poke(c, name, 45 * (n - 1) + 0x24, b"\xff\xff\xff\xff")
    return result([rel], False, "the last POL entry points at 0xFFFFFFFF")


def ledger(c):
    lines = [b"# ledger", b"00000001 0000FFFF", b"FFFFFFFF 00000000", b"\x1b[31m 00000002", b"00000000 00000000",
             c.bytes(40), b"1 2 3 4 5"]
    c.rng.shuffle(lines)
    with open(c.path("MBG/OVERFLOW.TXT"), "wb") as f:
        f.write(b"\n".join(lines[: c.rng.randrange(1, len(lines) + 1)]) + b"\n")
    return result(["MBG/OVERFLOW.TXT"], False, "an overflow ledger of lies and garbage")


KINDS = [
    ("size-extra", size_extra), ("size-fixed", size_fixed), ("truncate", truncate),
    ("truncate-record", truncate_record), ("random-same-size", random_same_size), ("random-file", random_file),
    ("empty", empty), ("dir-for-file", dir_for_file), ("fifo-for-file", fifo_for_file),
    ("symlink-out", symlink_out), ("hardlink-out", hardlink_out), ("symlink-dir-out", symlink_dir_out),
    ("missing-folder", missing_folder), ("missing-file", missing_file), ("lower-case-all", lower_case_all),
    ("lower-case-one", lower_case_one), ("case-twin", case_twin), ("sparse-2g", sparse_2g),
    ("hostile-name", hostile_name), ("hostile-text", hostile_text), ("counts-lie", counts_lie),
    ("ledger", ledger),
]
