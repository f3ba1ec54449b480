#!/usr/bin/env bash
# End-to-end cases for porestore. Usage: cases.sh CASE PORESTORE P1CLEAN
# A postoffice with old P1 files is cleaned by p1clean (which snapshots them);
# porestore must then put everything back exactly, or refuse and change nothing.
set -euo pipefail
case_name=$1 PORESTORE=$2 P1CLEAN=$3
T=$(mktemp -d "${TMPDIR:-/tmp}/porestore-test.XXXXXX")
trap 'chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT
PO=$T/MAILDATA
SNAPS=$T/MAILDATA.snapshots

fail() { echo "FAIL [$case_name]: $*" >&2; exit 1; }
# state: every file with size, mtime (ns) and checksum; folders by name (a
# snapshot holds files, so folder mtimes are not restored)
state() { (cd "$1" && { find . -type f -printf 'f %p %s %T@\n'; find . ! -type f -printf '%y %p\n'; } | sort &&
  find . -type f -print0 | sort -z | xargs -0r md5sum); }
expect_rc() { local want=$1; shift; set +e; "$@" >"$T/out" 2>"$T/err"; local rc=$?; set -e
  [ "$rc" = "$want" ] || { cat "$T/out" "$T/err" >&2; fail "exit $rc, expected $want: $*"; }; }
mkpo() {
  mkdir -p "$PO/P1" "$PO/GLB" "$PO/MBG"; : >"$PO/GLB/MASTER.GLB"; : >"$PO/MBG/INQUEUE3.MBG"  # an empty queue
  : >"$PO/P1/POPULATE.MSM"; touch -d '400 days ago' "$PO/P1/POPULATE.MSM"
  for i in 1 2 3 4 5; do
    head -c $((i * 3000 + 7)) /dev/urandom >"$PO/P1/0000000$i.P1"
    touch -d "$((i + 3)) days ago" "$PO/P1/0000000$i.P1"
  done
  printf 'unrelated' >"$PO/GLB/ACCESS.GLB"
}
# fix: run p1clean, leave the snapshot path in $SNAP and the states in $BEFORE/$AFTER
fix() {
  mkpo; BEFORE=$(state "$PO")
  expect_rc 1 "$P1CLEAN" "$PO"
  SNAP=$(ls "$SNAPS"/*.tar.gz); AFTER=$(state "$PO")
  [ "$BEFORE" != "$AFTER" ] || fail "the fixer changed nothing"
}
snap_count() { ls "$SNAPS" | wc -l; }

case "$case_name" in
round_trip)
  fix
  expect_rc 0 "$PORESTORE" "$SNAP" "$PO"
  [ "$(state "$PO")" = "$BEFORE" ] || fail "restore is not byte- and mtime-identical"
  grep -q porestore "$T/out" || fail "report must name the undo snapshot"
  expect_rc 0 "$PORESTORE" "$SNAP" "$PO"   # second run: nothing to do
  grep -q "restored: *0" "$T/out" || fail "second restore should restore nothing"
  ;;
tar_lists_it)
  fix
  tar tzf "$SNAP" >"$T/list" || fail "GNU tar cannot list the snapshot"
  grep -qx "P1/00000005.P1" "$T/list" || fail "entry missing"
  grep -qx "MSPO-MANIFEST.json" "$T/list" || fail "manifest missing"
  mkdir "$T/x" && tar xzf "$SNAP" -C "$T/x" && cmp "$T/x/P1/00000003.P1" <(tar xzOf "$SNAP" P1/00000003.P1)
  ;;
verify_good)
  fix
  expect_rc 0 "$PORESTORE" --verify "$SNAP"
  grep -q verified "$T/out" || fail "no verified line"
  expect_rc 0 "$PORESTORE" --verify --json "$SNAP" "$PO"
  python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/out" || fail "bad JSON"
  ;;
verify_truncated)
  fix
  for n in 10 100 $(( $(stat -c %s "$SNAP") - 4 )); do
    head -c "$n" "$SNAP" >"$T/bad.tar.gz"
    expect_rc 8 "$PORESTORE" --verify "$T/bad.tar.gz"
    grep -q "porestore: error: " "$T/err" || fail "no error line"
  done
  ;;
verify_bitflip)
  fix
  size=$(stat -c %s "$SNAP")
  for at in 20 $((size / 3)) $((size / 2)) $((size - 6)); do
    cp "$SNAP" "$T/bad.tar.gz"
    python3 -c 'import sys; p,a=sys.argv[1],int(sys.argv[2]); b=bytearray(open(p,"rb").read()); b[a]^=4; open(p,"wb").write(b)' "$T/bad.tar.gz" "$at"
    expect_rc 8 "$PORESTORE" --verify "$T/bad.tar.gz"
  done
  ;;
damaged_refused_nothing_changed)
  fix
  head -c $(( $(stat -c %s "$SNAP") / 2 )) "$SNAP" >"$T/bad.tar.gz"
  n=$(snap_count)
  expect_rc 8 "$PORESTORE" "$T/bad.tar.gz" "$PO"
  [ "$(state "$PO")" = "$AFTER" ] || fail "a damaged snapshot changed the postoffice"
  [ "$(snap_count)" = "$n" ] || fail "a refused restore wrote a snapshot"
  ;;
changed_since_refused)
  fix
  printf 'someone else' >"$PO/P1/00000002.P1"
  CHANGED=$(state "$PO")
  expect_rc 8 "$PORESTORE" "$SNAP" "$PO"
  grep -q -- "--force" "$T/err" || fail "refusal must name --force"
  grep -q "P1/00000002.P1" "$T/err" "$T/out" || fail "refusal must name the file"
  [ "$(state "$PO")" = "$CHANGED" ] || fail "refused restore changed files"
  ;;
changed_since_forced)
  fix
  printf 'someone else' >"$PO/P1/00000002.P1"
  expect_rc 0 "$PORESTORE" --force "$SNAP" "$PO"
  [ "$(state "$PO")" = "$BEFORE" ] || fail "forced restore incomplete"
  grep -q "restore.changed-since" "$T/out" || fail "forced restore must warn"
  ;;
dry_run_writes_nothing)
  fix
  n=$(snap_count)
  expect_rc 0 "$PORESTORE" -n "$SNAP" "$PO"
  [ "$(state "$PO")" = "$AFTER" ] || fail "dry run changed files"
  [ "$(snap_count)" = "$n" ] || fail "dry run wrote a snapshot"
  [ ! -e "$T/MAILDATA.mspo.lock" ] || fail "dry run left a lock file"
  grep -q "would restore: *5" "$T/out" || fail "dry run must count the restores"
  ;;
undo_the_restore)
  fix
  expect_rc 0 "$PORESTORE" "$SNAP" "$PO"
  UNDO=$(ls "$SNAPS"/*-porestore-*.tar.gz)
  expect_rc 0 "$PORESTORE" "$UNDO" "$PO"
  # contents as the fixer left them (P1 folder mtime aside)
  [ "$(cd "$PO" && find . -type f | sort | xargs md5sum)" = "$(echo "$AFTER" | grep '^[0-9a-f]\{32\} ' )" ] || fail "undo did not redo the fix"
  ;;
list)
  fix
  expect_rc 0 "$PORESTORE" --list "$SNAP" "$PO"
  [ "$(grep -c 'snapshot.file' "$T/out")" = 5 ] || fail "list must show 5 files"
  grep -q "as the fixer left it" "$T/out" || fail "list must show the current state"
  ;;
evil_entries)
  mkpo
  mkdir -p "$T/evil/sub"; echo x >"$T/evil/f"; ln -s /etc/passwd "$T/evil/sub/link"
  (cd "$T/evil" && tar czf "$T/link.tar.gz" sub/link)
  (cd "$T/evil" && tar czf "$T/abs.tar.gz" -P "$T/evil/f")
  (cd "$T/evil/sub" && tar czf "$T/dotdot.tar.gz" ../f)
  before=$(state "$PO")
  for a in link abs dotdot; do
    expect_rc 8 "$PORESTORE" --verify "$T/$a.tar.gz"
    expect_rc 8 "$PORESTORE" --force "$T/$a.tar.gz" "$PO"
  done
  [ "$(state "$PO")" = "$before" ] || fail "an evil archive changed the postoffice"
  [ ! -e "$T/f" ] || fail "an entry landed outside"
  ;;
symlink_not_followed)
  fix
  mkdir "$T/outside"; printf 'precious' >"$T/outside/victim"
  ln -s "$T/outside/victim" "$PO/P1/00000001.P1"
  expect_rc 8 "$PORESTORE" --force "$SNAP" "$PO"
  [ "$(cat "$T/outside/victim")" = precious ] || fail "wrote through a link"
  [ -L "$PO/P1/00000001.P1" ] || fail "the link was replaced"
  ;;
two_fixers_one_proceeds)
  fix
  "$PORESTORE" "$SNAP" "$PO" >"$T/o1" 2>"$T/e1" & p1=$!
  "$PORESTORE" "$SNAP" "$PO" >"$T/o2" 2>"$T/e2" & p2=$!
  set +e; wait $p1; r1=$?; wait $p2; r2=$?; set -e
  # Both may succeed one after the other (the second finds nothing to do), or
  # one is refused as in use; never both restoring at once.
  case "$r1/$r2" in
  0/0) grep -q "restored: *0" "$T/o1" "$T/o2" || fail "both restored" ;;
  0/8) grep -q "in use" "$T/e2" || fail "refusal must say in use" ;;
  8/0) grep -q "in use" "$T/e1" || fail "refusal must say in use" ;;
  *) cat "$T"/e1 "$T"/e2 >&2; fail "exit codes $r1/$r2" ;;
  esac
  [ "$(state "$PO")" = "$BEFORE" ] || fail "postoffice not restored"
  ;;
disk_full_snapshot)
  fix
  # Restoring means snapshotting the fixed state first; make that write fail
  # with EFBIG (RLIMIT_FSIZE: files limited to 1 KiB, SIGXFSZ ignored).
  head -c 200000 /dev/urandom >"$PO/GLB/BIG.GLB"
  printf 'changed by someone' >"$PO/P1/00000003.P1"; head -c 100000 /dev/urandom >>"$PO/P1/00000003.P1"
  STATE=$(state "$PO"); n=$(snap_count)
  set +e; (trap '' XFSZ; ulimit -f 1; exec "$PORESTORE" --force "$SNAP" "$PO") >"$T/out" 2>"$T/err"; rc=$?; set -e
  [ "$rc" = 8 ] || { cat "$T/err"; fail "exit $rc, expected 8"; }
  grep -qi "snapshot" "$T/err" || fail "error must name the snapshot"
  [ "$(state "$PO")" = "$STATE" ] || fail "a failed snapshot changed the postoffice"
  [ "$(snap_count)" = "$n" ] || fail "a partial snapshot was left behind"
  ;;
usage_errors)
  expect_rc 16 "$PORESTORE"
  expect_rc 16 "$PORESTORE" x.tar.gz
  expect_rc 16 "$PORESTORE" --list --verify x.tar.gz
  expect_rc 16 "$PORESTORE" --dry x.tar.gz "$T"
  expect_rc 0 "$PORESTORE" --help
  grep -q "exit" "$T/out" || fail "help lacks the exit-code table"
  expect_rc 8 "$PORESTORE" --verify "$T/missing.tar.gz"
  ;;
*) fail "unknown case" ;;
esac
echo "ok [$case_name]"
