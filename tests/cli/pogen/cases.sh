#!/usr/bin/env bash
# End-to-end cases for pogen. Usage: cases.sh CASE POGEN CHECK_DRIVER
# CHECK_DRIVER prints one line per run_checks() finding (tab-separated: check,
# file, record, offset, message) and exits 0 (none), 4 (some) or 8 (error).
set -euo pipefail
case_name=$1 POGEN=$2 CHECK=$3
T=$(mktemp -d "${TMPDIR:-/tmp}/pogen-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
cd "$T"

fail() { echo "FAIL [$case_name]: $*" >&2; exit 1; }
gen() { "$POGEN" "$@" >pogen.out 2>pogen.err || { cat pogen.out pogen.err >&2; fail "pogen $*"; }; }
# clean DIR: run_checks finds nothing
clean() {
  local rc=0
  "$CHECK" "$1" >check.out 2>check.err || rc=$?
  [ "$rc" = 0 ] || { cat check.out check.err >&2; fail "findings in $1 (exit $rc)"; }
}
# digest DIR: every path, size, mtime and checksum, so equal trees give equal text
# (folder times are left out: pogen sets only file times)
digest() { (cd "$1" && find . -type d | LC_ALL=C sort && find . -type f -printf '%p %s %T@ %m\n' | LC_ALL=C sort &&
  find . -type f -print0 | LC_ALL=C sort -z | xargs -0r md5sum) | md5sum; }

case $case_name in
sample_clean)
  gen PO
  grep -q "^pogen: wrote .* files" pogen.out || fail "no summary line"
  [ "$(find PO -type d | wc -l)" = 52 ] || fail "expected 51 folders under the root"
  clean PO
  ;;
help)
  "$POGEN" --help >help.out
  grep -q "Usage" help.out || grep -qi "usage" help.out || fail "no usage in --help"
  grep -q -- "--damage" help.out || fail "--damage missing from --help"
  ;;
list_damage)
  "$POGEN" --list-damage >kinds.out
  for k in truncate nme-shadow grp-shadow over-limit counter-low missing-mai mai-refcount queued; do
    grep -q "^$k" kinds.out || fail "--list-damage lacks $k"
  done
  ;;
deterministic)
  gen --users 40 --seed 9 A
  gen --users 40 --seed 9 B
  [ "$(digest A)" = "$(digest B)" ] || fail "same spec and seed gave different trees"
  ;;
seed_changes_bytes)
  gen --users 40 --seed 1 A
  gen --users 40 --seed 2 B
  [ "$(digest A)" != "$(digest B)" ] || fail "different seeds gave the same tree"
  ;;
now_moves_times)
  gen --now 1000000000 A
  [ "$(stat -c %Y A/P1/00000200.P1)" = $((1000000000 - 3 * 86400)) ] || fail "P1 age not relative to --now"
  gen --now real B
  age=$(( $(date +%s) - $(stat -c %Y B/P1/00000200.P1) ))
  [ "$age" -ge $((3 * 86400 - 5)) ] && [ "$age" -le $((3 * 86400 + 60)) ] || fail "--now real: age $age"
  ;;
spec_file)
  cat >my.spec <<'SPEC'
# two users and a group
user ADMIN "Administrator" mail=1
user ZED "Zed Zulu" mail=2 pal=1
group TEAM ADMIN ZED
SPEC
  gen --spec my.spec PO
  [ "$(stat -c %s PO/GLB/ACCESS2.GLB)" = 138 ] || fail "expected 2 accounts"
  [ -f PO/NME/00000001.NME ] || fail "ZED's PAL missing"
  clean PO
  ;;
users_500_clean)
  gen --users 500 --seed 3 PO
  [ "$(stat -c %s PO/GLB/ACCESS2.GLB)" = $((500 * 69)) ] || fail "expected 500 accounts"
  clean PO
  ;;
users_5000_clean)
  gen --users 5000 --seed 4 PO
  [ "$(stat -c %s PO/GLB/ACCESS2.GLB)" = $((5000 * 69)) ] || fail "expected 5000 accounts"
  clean PO
  ;;
bad_spec_line)
  printf 'user ADMIN\nuser BOB "Bob" mial=3\n' >bad.spec
  rc=0; "$POGEN" --spec bad.spec PO >out 2>err || rc=$?
  [ "$rc" = 16 ] || fail "bad spec: exit $rc, expected 16"
  grep -q "bad.spec:2: unknown option mial=" err || { cat err >&2; fail "no line number in the message"; }
  [ ! -e PO ] || fail "wrote something for a bad spec"
  ;;
damage_option)
  gen --damage nme-shadow:size --damage missing-mai PO
  rc=0; "$CHECK" PO >check.out || rc=$?
  [ "$rc" = 4 ] || fail "damaged postoffice: driver exit $rc"
  cut -f1 check.out | sort -u >ids
  printf 'mbg.mai-missing\nshadow.nme-mismatch\n' | diff - ids || fail "unexpected check ids"
  ;;
bad_damage)
  rc=0; "$POGEN" --damage no-such-kind PO >out 2>err || rc=$?
  [ "$rc" = 16 ] || fail "unknown damage: exit $rc"
  grep -q "unknown damage kind 'no-such-kind'" err || fail "message does not name the kind"
  ;;
outdir_not_empty)
  mkdir PO && touch PO/x
  rc=0; "$POGEN" PO >out 2>err || rc=$?
  [ "$rc" = 16 ] || fail "non-empty OUTDIR: exit $rc"
  [ "$(ls PO)" = x ] || fail "touched a non-empty folder"
  ;;
p1_ages)
  gen --now 2000000000 --damage lock-fresh --damage p1-stale:0000FFF0.P1,10d PO
  [ "$(stat -c %Y PO/P1/LOCKP1ID.PBB)" = $((2000000000 - 10)) ] || fail "lock-fresh age"
  [ "$(stat -c %Y PO/P1/0000FFF0.P1)" = $((2000000000 - 864000)) ] || fail "p1-stale age"
  [ ! -w PO/P1/POPULATE.MSM ] || [ "$(id -u)" = 0 ] || fail "POPULATE.MSM not read-only"
  [ "$(stat -c %a PO/P1/POPULATE.MSM)" = 444 ] || fail "POPULATE.MSM mode"
  ;;
damage_matrix)
  # Every kind that a postoffice check finds, through the CLI: the check fires.
  "$POGEN" --list-damage | awk '/^[a-z]/ {k=$1; next} match($0, /\([a-z0-9.-]+\)$/) {print k, substr($0, RSTART + 1, RLENGTH - 2)}' >pairs
  [ -s pairs ] || fail "no damage kinds listed"
  while read -r kind id; do
    rm -rf PO; gen --damage "$kind" PO
    rc=0; "$CHECK" PO >check.out 2>check.err || rc=$?
    case $id in p1.*) continue ;; esac
    grep -q "^$id	" check.out || { cat check.out check.err >&2; fail "$kind: $id did not fire"; }
  done <pairs
  ;;
*) fail "unknown case" ;;
esac
