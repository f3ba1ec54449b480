#!/usr/bin/env python3
"""Hostile snapshots for porestore's security cases, made from a real one:
every byte of the real archive is kept but the part each kind changes.

  craft_snapshot.py KIND SNAPSHOT OUT
    hardlink, fifo, blockdev, chardev: the first file entry becomes that
        kind of entry under the same name (the manifest still lists it)
    duplicate: the first file entry appears twice, byte for byte
    header-long, header-short: the first file entry's tar header says 512
        bytes more, or 1 byte less, than its data
    manifest-size: the manifest says the first file is 1 byte longer
    bomb: an unlisted entry of 2 GiB of zeros in front of the manifest, as
        2048 gzip members of 1 MiB of zeros each (an archive of about 2 MB)
    manifest-nesting: the manifest is 64 MiB of '[' (a JSON parser that
        recurses, or frees recursively, would overflow its stack)
"""

import gzip
import io
import sys
import tarfile

MANIFEST = "MSPO-MANIFEST.json"


def members(raw):
    """(name, start, end) of each entry's bytes (pax header, header, data)."""
    out = []
    with tarfile.open(fileobj=io.BytesIO(raw)) as t:
        for m in t.getmembers():
            end = m.offset_data + (m.size + 511) // 512 * 512
            out.append((m.name, m.offset, end, m))
    return out


def ustar(name, kind, size=0, linkname="", mtime=1600000000):
    info = tarfile.TarInfo(name)
    info.type, info.size, info.linkname, info.mtime = kind, size, linkname, mtime
    info.devmajor, info.devminor = 1, 3
    return info.tobuf(format=tarfile.USTAR_FORMAT)


def set_size(header, size):
    """The ustar header block with another size field and its checksum."""
    h = bytearray(header)
    h[124:136] = b"%011o\0" % size
    h[148:156] = b" " * 8
    h[148:156] = b"%06o\0 " % sum(h)
    return bytes(h)


def gz(data):
    return gzip.compress(data, mtime=0)


def main():
    kind, src, out = sys.argv[1:4]
    raw = gzip.open(src).read()
    ms = members(raw)
    name, start, end, m = next(x for x in ms if x[0] != MANIFEST)
    mstart = next(x[1] for x in ms if x[0] == MANIFEST)
    types = {"hardlink": (tarfile.LNKTYPE, MANIFEST), "fifo": (tarfile.FIFOTYPE, ""),
             "blockdev": (tarfile.BLKTYPE, ""), "chardev": (tarfile.CHRTYPE, "")}
    if kind in types:
        t, link = types[kind]
        data = gz(raw[:start] + ustar(name, t, linkname=link) + raw[end:])
    elif kind == "duplicate":
        data = gz(raw[:end] + raw[start:end] + raw[end:])
    elif kind in ("header-long", "header-short"):
        hdr = m.offset_data - 512  # the ustar block just before the data
        new = m.size + 512 if kind == "header-long" else m.size - 1
        data = gz(raw[:hdr] + set_size(raw[hdr:hdr + 512], new) + raw[hdr + 512:])
    elif kind == "manifest-size":
        with tarfile.open(fileobj=io.BytesIO(raw)) as t:
            text = t.extractfile(MANIFEST).read().decode()
        key = f'"size": {m.size},'
        assert key in text, key
        text = text.replace(key, f'"size": {m.size + 1},', 1).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size, info.mtime = len(text), 1600000000
        member = info.tobuf(format=tarfile.USTAR_FORMAT) + text + b"\0" * (-len(text) % 512)
        data = gz(raw[:mstart] + member + b"\0" * 1024)
    elif kind == "bomb":
        size = 2 << 30
        zeros = gz(b"\0" * (1 << 20))
        data = gz(raw[:mstart] + ustar("P1/BOMB.P1", tarfile.REGTYPE, size)) + zeros * (size >> 20) + gz(raw[mstart:])
    elif kind == "manifest-nesting":
        size = 64 << 20
        info = tarfile.TarInfo(MANIFEST)
        info.size, info.mtime = size, 1600000000
        brackets = gzip.compress(b"[" * (1 << 20), mtime=0)
        data = (gz(raw[:mstart] + info.tobuf(format=tarfile.USTAR_FORMAT)) + brackets * (size >> 20) +
                gz(b"\0" * 1024))
    else:
        sys.exit(f"craft_snapshot.py: unknown kind {kind}")
    with open(out, "wb") as f:
        f.write(data)


if __name__ == "__main__":
    main()
