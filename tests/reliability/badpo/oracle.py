"""What a run of a tool on a bad postoffice must show: an exit code of the
contract, no control or escape byte in its output, and an error that is
one line naming a file."""

import re

# The contract's exit codes combine as a bitmask (pocheck --fix: one fixer
# refused (8), problems remain (4)); a run that may not write never sets 1.
READ_ONLY_CODES = {0, 4, 8, 12}
FIXER_CODES = {0, 1, 4, 5, 8, 9, 12, 13}

# What CONTRACT.md and safe_text.hpp promise never reach a terminal: C0
# (but newline and tab), DEL, C1, the line/paragraph separators and the
# bidirectional overrides and isolates, and anything that is not UTF-8.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f\x80-\x9f\u2028-\u202e\u2066-\u2069]")


def unsafe_output(data):
    """None if `data` is safe for a terminal, else what is wrong with it."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        return f"not UTF-8 at byte {e.start}: {data[max(0, e.start - 20):e.start + 4]!r}"
    m = UNSAFE.search(text)
    if m:
        return f"control character U+{ord(m.group()):04X} at {m.start()}: {text[max(0, m.start() - 30):m.start() + 5]!r}"
    return None


def error_problem(tool, stderr):
    """None if stderr holds an error or refusal ('<tool>: error: ...',
    '<tool>: ... refused ...'), each on one line naming a file (a path with
    '/', or a file name with a dot), else why not."""
    text = stderr.decode("utf-8", "replace")
    lines = [line for line in text.splitlines()
             if line.startswith(f"{tool}: ") and ("error:" in line or "refused" in line)]
    if not lines:
        return f"no error line in {text[:300]!r}"
    for line in lines:
        if not re.search(r"/|\b[\w$~-]+\.[A-Za-z0-9]{1,3}\b", line):
            return f"the error names no file: {line[:300]!r}"
    return None
