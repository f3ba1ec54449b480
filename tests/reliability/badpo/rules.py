"""The documented size rules (docs/FORMATS.md, "Size rules at a glance"),
by file kind, so the generator knows whether a size it makes breaks one.
A copy of common/format/include/mspo/format/file_rules.hpp: header, record
(0: the file has the fixed size `header`), max size (0: none)."""

import os

RULES = {
    "CONTROL.GLB": (8, 0, 0), "MASTER.GLB": (176, 0, 0), "FLAG.GLB": (2, 0, 0),
    "TID.GLB": (4, 0, 0), "RNETSEM.GLB": (4, 0, 0), "MODEM.GLB": (64, 0, 0),
    "GLOBAL.GLB": (512, 0, 0), "REQCONF.GLB": (512, 0, 0),
    "ACCESS.GLB": (0, 586, 0), "ACCESS2.GLB": (0, 69, 0), "ACCESS3.GLB": (0, 512, 0),
    "GROUP.GLB": (4, 51, 0), "GRPMEM.GLB": (4, 128, 0), "NETPO.GLB": (4, 43, 0),
    "NETWORK.GLB": (0, 122, 0), "PROCESS.GLB": (512, 197, 0),
    "NME": (0, 45, 0), "GRP": (8, 8, 0), "MEM": (0, 4, 2000), "USR": (0, 53, 0),
    "XTN": (0, 698, 0), "KEY": (560, 0, 0), "MBG": (0, 116, 116 * 4096),
}


def kind_of(rel):
    """The rule key of a relative path (bytes or str), or None."""
    rel = os.fsdecode(rel).upper()
    base = rel.rsplit("/", 1)[-1]
    if base in RULES:
        return base
    ext = base.rsplit(".", 1)[-1] if "." in base else ""
    if ext in ("NME", "GRP", "MEM", "USR", "XTN", "KEY", "MBG"):
        return ext
    return None


def breaks(kind, size):
    """True if a file of `size` bytes breaks the rule of `kind`."""
    if kind not in RULES:
        return False
    header, record, max_size = RULES[kind]
    if record == 0:
        return size != header
    if size < header or (size - header) % record != 0:
        return True
    return bool(max_size) and size > max_size
