#!/usr/bin/env bash
# Golden CLI tests for listuser. Usage: run.sh CASE_DIR LISTUSER POGEN
#
# CASE_DIR/cmd is a bash snippet run in a fresh temporary folder. It builds a
# postoffice with `gen` (pogen, into ./MAILDATA), damages it with `poke` or
# `put`, and runs the tool once with `lu`. The tool's stdout, stderr and exit
# code must equal CASE_DIR/stdout, CASE_DIR/stderr (absent = must be empty)
# and CASE_DIR/rc exactly: unexpected stderr fails the test.
# With MSPO_UPDATE_GOLDEN=1 the expected files are rewritten instead.
set -euo pipefail
case_dir=$(cd "$1" && pwd) LISTUSER=$(realpath "$2") POGEN=$(realpath "$3")
T=$(mktemp -d "${TMPDIR:-/tmp}/listuser-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
cd "$T"

fail() { echo "FAIL [$(basename "$case_dir")]: $*" >&2; exit 1; }
# gen [POGEN OPTIONS]: writes ./MAILDATA
gen() { "$POGEN" "$@" MAILDATA >pogen.out 2>pogen.err || { cat pogen.out pogen.err >&2; fail "pogen $*"; }; }
# spec LINE...: writes ./po.spec, one argument per line
spec() { printf '%s\n' "$@" >po.spec; }
# poke FILE OFFSET BYTE...: overwrites bytes (hex) at a decimal offset
poke() { python3 - "$@" <<'PY'
import sys
path, off = sys.argv[1], int(sys.argv[2])
data = bytearray(open(path, "rb").read())
for i, b in enumerate(sys.argv[3:]):
    data[off + i] = int(b, 16)
open(path, "wb").write(bytes(data))
PY
}
# put FILE OFFSET TEXT: overwrites ASCII text at a decimal offset
put() { local hex; hex=$(printf '%s' "$3" | od -An -tx1); poke "$1" "$2" $hex; }
# lu ARGS...: runs listuser once, keeping stdout, stderr and the exit code
lu() { set +e; "$LISTUSER" "$@" >out 2>err; echo $? >rc; set -e; }
# digest: replaces a long stdout by its line count, checksum, head and tail
digest() { { echo "lines: $(wc -l <out)"; echo "md5: $(md5sum <out | cut -d' ' -f1)"; head -5 out; echo ...; tail -12 out; } >out.digest; mv out.digest out; }

# shellcheck source=/dev/null
source "$case_dir/cmd"
[ -f rc ] || fail "the case never ran listuser"

if [ "${MSPO_UPDATE_GOLDEN:-0}" = 1 ]; then
  cp out "$case_dir/stdout"; cp rc "$case_dir/rc"
  if [ -s err ]; then cp err "$case_dir/stderr"; else rm -f "$case_dir/stderr"; fi
  echo "updated $(basename "$case_dir")"; exit 0
fi
[ -f "$case_dir/stderr" ] && cp "$case_dir/stderr" want.err || : >want.err
status=0
diff -u "$case_dir/rc" rc >&2 || { echo "exit code differs" >&2; status=1; }
diff -u "$case_dir/stdout" out >&2 || { echo "stdout differs" >&2; status=1; }
diff -u want.err err >&2 || { echo "stderr differs" >&2; status=1; }
[ "$status" = 0 ] || fail "output differs from the golden files"
