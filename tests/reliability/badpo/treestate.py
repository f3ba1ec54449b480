"""The state of a folder tree, to prove a run changed nothing: every entry
(names as bytes, never following a link), its type, mode, size, mtime to
the nanosecond, a link's target and a file's SHA-256. A sparse file is
hashed by the blocks SEEK_DATA finds, so a 2 GB hole costs nothing, and the
same bytes give the same hash wherever the holes lie."""

import hashlib
import os
import stat

CHUNK = 1 << 20


def _hash_file(path):
    """SHA-256 of (block number, bytes) for every 1 MiB block that is not all
    zeros: the same bytes give the same hash however the file's holes lie."""
    h = hashlib.sha256()
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    try:
        size = os.fstat(fd).st_size
        pos = 0
        while pos < size:
            try:
                pos = os.lseek(fd, pos, os.SEEK_DATA) // CHUNK * CHUNK
            except OSError:  # nothing but a hole after pos
                break
            data = os.pread(fd, CHUNK, pos)
            if data.strip(b"\0"):
                h.update(f"{pos}:{len(data)}:".encode() + data)
            pos += CHUNK
    finally:
        os.close(fd)
    return h.hexdigest()


def entry(path, with_dir_mtime=True, with_nlink=True):
    st = os.lstat(path)
    mode = st.st_mode
    e = {"mode": oct(stat.S_IMODE(mode)), "mtime": st.st_mtime_ns}
    if stat.S_ISLNK(mode):
        e.update(type="link", target=os.readlink(path))
    elif stat.S_ISDIR(mode):
        e["type"] = "dir"
        if not with_dir_mtime:
            del e["mtime"]
    elif stat.S_ISREG(mode):
        e.update(type="file", size=st.st_size, sha=_hash_file(path))
        if with_nlink:
            e["nlink"] = st.st_nlink
    elif stat.S_ISFIFO(mode):
        e["type"] = "fifo"
    else:
        e["type"] = f"other {stat.S_IFMT(mode):o}"
    return e


def state(root, with_dir_mtime=True, with_nlink=True):
    """{relative path (bytes): entry} for root and everything below it."""
    root = os.fsencode(root)
    out = {b".": entry(root, with_dir_mtime, with_nlink)}
    for d, dirs, names in os.walk(root):
        for n in dirs + names:
            p = os.path.join(d, n)
            out[os.path.relpath(p, root)] = entry(p, with_dir_mtime, with_nlink)
    return out


def diff(before, after, limit=5):
    """A few lines saying how two states differ ([] when they are equal)."""
    lines = []
    for k in sorted(set(before) | set(after)):
        a, b = before.get(k), after.get(k)
        if a != b:
            lines.append(f"{k!r}: {a} -> {b}")
            if len(lines) >= limit:
                break
    return lines
