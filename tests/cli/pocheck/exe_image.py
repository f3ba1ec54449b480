#!/usr/bin/env python3
"""Writes a small program image for pocheck's step 3 cases, byte by byte.

Usage: exe_image.py KIND VERSION FILE [DAMAGE]
  KIND     mz   an MS-DOS image holding the string "EXTERNAL Version VERSION"
           ne   a 16-bit Windows image whose version resource says VERSION
           pe   a PE32 image (Win32/NT) with that version resource
           pe64 a PE32+ image with it
  VERSION  "3.2.18"; a resource's FileVersion gets a fourth number 0
  DAMAGE   cut:N   keep only the first N bytes
           loop    (pe, pe64) the version resource's name directory points
                   back at the root directory
The layouts are those of tests/unit/test_external_version.cpp (header at
0x80; PE: one section .rsrc of RVA 0x1000 at file offset 0x200; NE: the
resource table at 0xC0, alignment shift 4, the version block at 0x200).
"""
import struct
import sys

PE, RSRC, RSRC_RVA = 0x80, 0x200, 0x1000
NAMES, LANGS, DATA, VINFO = RSRC + 0x18, RSRC + 0x30, RSRC + 0x48, RSRC + 0x58
NE, NE_TABLE, NE_BLOCK = 0x80, 0xC0, 0x200


def put(b, off, fmt, *values):
    end = off + struct.calcsize(fmt)
    if len(b) < end:
        b.extend(bytes(end - len(b)))
    struct.pack_into(fmt, b, off, *values)


def versioninfo(wide, v):
    key = "VS_VERSION_INFO\0".encode("utf-16-le" if wide else "ascii")
    head = 6 if wide else 4
    fixed = (head + len(key) + 3) & ~3
    b = bytearray(fixed + 52)
    b[head:head + len(key)] = key
    put(b, 0, "<HH", len(b), 52)
    put(b, fixed, "<IIII", 0xFEEF04BD, 0x10000, v[0] << 16 | v[1], v[2] << 16 | v[3])
    return b


def mz(text):
    b = bytearray(b"MZ")
    b.extend(bytes(0x200 - len(b)))
    b.extend(text.encode("ascii"))
    b.extend(bytes(64))
    return b


def ne(v):
    b = bytearray(b"MZ")
    put(b, 0x3C, "<I", NE)
    put(b, NE, "<2s", b"NE")
    vi = versioninfo(False, v)
    put(b, NE + 0x24, "<HH", NE_TABLE - NE, NE_TABLE - NE + 24)
    put(b, NE_TABLE, "<HHHI", 4, 0x8010, 1, 0)
    put(b, NE_TABLE + 10, "<HHHHHH", NE_BLOCK >> 4, (len(vi) + 15) >> 4, 0x30, 0x8001, 0, 0)
    put(b, NE_TABLE + 22, "<H", 0)
    b.extend(bytes(NE_BLOCK - len(b)))
    return b + vi + bytes(16)


def pe(v, plus, loop):
    b = bytearray(b"MZ")
    put(b, 0x3C, "<I", PE)
    put(b, PE, "<4sHH", b"PE\0\0", 0x8664 if plus else 0x14C, 1)
    dirs = 112 if plus else 96
    opt, opt_size = PE + 24, dirs + 16 * 8
    put(b, PE + 20, "<H", opt_size)
    put(b, opt, "<H", 0x20B if plus else 0x10B)
    put(b, opt + dirs - 4, "<I", 16)
    vi = versioninfo(True, v)
    size = VINFO - RSRC + len(vi)
    put(b, opt + dirs + 16, "<II", RSRC_RVA, size)
    put(b, opt + opt_size, "<8sIIII", b".rsrc", size, RSRC_RVA, size, RSRC)
    for at, ident, target in ((RSRC, 16, 0x80000000 | (NAMES - RSRC)),
                              (NAMES, 1, 0x80000000 if loop else 0x80000000 | (LANGS - RSRC)),
                              (LANGS, 0x409, DATA - RSRC)):
        put(b, at + 14, "<HII", 1, ident, target)
    put(b, DATA, "<II", RSRC_RVA + VINFO - RSRC, len(vi))
    b.extend(bytes(VINFO - len(b)))
    return b + vi


def main(argv):
    if len(argv) not in (4, 5):
        sys.exit(__doc__)
    kind, version, out = argv[1:4]
    damage = argv[4] if len(argv) == 5 else ""
    v = [int(n) for n in version.split(".")] + [0]
    if kind == "mz":
        image = mz("Microsoft Mail EXTERNAL Version " + version + "\r\n$")
    elif kind == "ne":
        image = ne(v)
    elif kind in ("pe", "pe64"):
        image = pe(v, kind == "pe64", damage == "loop")
    else:
        sys.exit("exe_image.py: unknown kind " + kind)
    if damage.startswith("cut:"):
        image = image[:int(damage[4:])]
    with open(out, "wb") as f:
        f.write(image)


if __name__ == "__main__":
    main(sys.argv)
