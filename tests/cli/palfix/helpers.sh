# palfix's case helpers, sourced before each case's cmd (tests/cli/golden.sh).

POL=MAILDATA/NME/ADMIN.NME
POLSHD=MAILDATA/NME/ADMINSHD.NME
GRP=MAILDATA/GRP/ADMIN.GRP
GRPSHD=MAILDATA/GRP/ADMINSHD.GRP

# The sample postoffice (pogen --print-sample), fixed times. Its POL:
#   0 Administrator  1 Alice Smith  2 Bob Jones  3 Carol White  4 Erin Green (local)
#   5 STAFF (chain at 8: Alice, Bob, Carol, Erin)  6 ADMINS (chain at 40: Administrator)
#   7..12 external entries (NETPO records 0..5)
# PALs: NME/00000000.NME (ADMIN's, 3 entries), NME/00000001.NME (Alice's: Administrator, Alice Smith)
sample() { gen "$@"; }

# le32 N: the 4 bytes of N, little-endian, as poke's hex arguments
le32() { printf '%02x %02x %02x %02x' $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) $(($1 >> 24 & 255)); }
# save_times FILE... / restore_times FILE...: keep files' times across a change
save_times() { local f; for f in "$@"; do touch -r "$f" "$f.time"; done; }
restore_times() { local f; for f in "$@"; do touch -r "$f.time" "$f" && rm "$f.time"; done; }
# pair_poke A B OFFSET HEX...: the same bytes into both copies of a pair, times kept (both copies damaged)
pair_poke() {
  local a=$1 b=$2
  shift 2
  save_times "$a" "$b"
  poke "$a" "$@"
  poke "$b" "$@"
  restore_times "$a" "$b"
}
pol_poke() { pair_poke "$POL" "$POLSHD" "$@"; }
grp_poke() { pair_poke "$GRP" "$GRPSHD" "$@"; }
# file_poke FILE OFFSET HEX...: one file, its time kept
file_poke() {
  local f=$1
  shift
  save_times "$f"
  poke "$f" "$@"
  restore_times "$f"
}
# pol_cut N: removes POL record N from both copies, times kept
pol_cut() {
  save_times "$POL" "$POLSHD"
  python3 -c '
import sys
n = int(sys.argv[1])
for f in sys.argv[2:]:
    b = bytearray(open(f, "rb").read()); del b[n * 45:(n + 1) * 45]; open(f, "wb").write(b)
' "$1" "$POL" "$POLSHD"
  restore_times "$POL" "$POLSHD"
}
# pol_append TEXT: appends bytes to both copies, times kept
pol_append() {
  save_times "$POL" "$POLSHD"
  printf '%s' "$1" >>"$POL"
  printf '%s' "$1" >>"$POLSHD"
  restore_times "$POL" "$POLSHD"
}
# quarantined [RUN]: appends the quarantine text the run wrote (CR LF shown as LF) to its out file
quarantined() {
  local q out=out
  [ -z "${1:-}" ] || [ "$1" = 1 ] || out=out.$1
  q=$(find "$PWD" -name '*-palfix-*-quarantine.txt' -printf '%T@ %p\n' | LC_ALL=C sort -n | tail -1 | cut -d' ' -f2-)
  [ -n "$q" ] || fail "no quarantine file"
  { echo "--- quarantine text:"; tr -d '\r' <"$q"; } >>"$out"
  qname "$out"
}
# qname FILE: the quarantine file's name (its snapshot's, without .tar.gz) -> <SNAPSHOT>-quarantine
qname() { sed -i -E 's/[0-9]{8}T[0-9]{6}Z-palfix-[0-9]+(-[0-9]+)?-quarantine/<SNAPSHOT>-quarantine/g' "$1"; }
# json_has FILE EXPR: FILE holds one JSON document d, and the Python EXPR holds over it
json_has() {
  python3 - "$1" "$2" <<'PY' || fail "JSON report: $2"
import json, sys
d = json.load(open(sys.argv[1]))
f = d["findings"]
assert eval(sys.argv[2]), d
PY
}
# maybe_quarantined [RUN]: quarantined, if the run wrote a quarantine text
maybe_quarantined() {
  if [ -n "$(find "$PWD" -name '*-palfix-*-quarantine.txt')" ]; then quarantined "$@"; fi
}
# dry_run_first: palfix -n finds the damage (exit 4), changes no byte and
# writes no snapshot and no quarantine text (the state saved as "before")
dry_run_first() {
  expect_rc 4 palfix -n MAILDATA
  expect_state
  gone MAILDATA.snapshots
}
# damage_case KIND[:ARGS]: the repair oracle for one pogen damage kind: -n
# changes nothing, run 1 repairs (its quarantine text, if any, appended to its
# output), run 2 finds nothing, porestore gives back the original bytes and times
damage_case() {
  sample --damage "$1"
  save_state
  dry_run_first
  run palfix MAILDATA
  maybe_quarantined
  run palfix MAILDATA
  expect_restored
}
