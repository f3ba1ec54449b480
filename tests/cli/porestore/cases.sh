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
other_postoffice_refused)
  fix
  # B: a copy of the fixed postoffice elsewhere; neither its path nor its
  # MASTER.GLB (empty here: it identifies nothing) says it is the same one.
  PB=$T/OTHER; cp -a "$PO" "$PB"; BSTATE=$(state "$PB")
  expect_rc 8 "$PORESTORE" "$SNAP" "$PB"
  [ "$(state "$PB")" = "$BSTATE" ] || fail "a refused restore changed the other postoffice"
  [ "$(wc -l <"$T/err")" = 1 ] || fail "refusal must be one line"
  grep -q "$(realpath "$PO")" "$T/err" && grep -q "$(realpath "$PB")" "$T/err" || fail "refusal must name both postoffices"
  grep -q -- "--force" "$T/err" || fail "refusal must name --force"
  [ ! -e "$T/OTHER.snapshots" ] || fail "a refused restore wrote a snapshot folder"
  expect_rc 0 "$PORESTORE" --force "$SNAP" "$PB"
  grep -q "restore.other-postoffice" "$T/out" || fail "forced restore must warn"
  [ "$(state "$PB")" = "$BEFORE" ] || fail "forced restore incomplete"
  ;;
moved_postoffice_accepted)
  mkpo; head -c 176 /dev/urandom >"$PO/GLB/MASTER.GLB"; BEFORE=$(state "$PO")
  expect_rc 1 "$P1CLEAN" "$PO"
  SNAP=$(ls "$SNAPS"/*.tar.gz)
  mv "$PO" "$T/MOVED"
  expect_rc 0 "$PORESTORE" "$SNAP" "$T/MOVED"
  [ "$(state "$T/MOVED")" = "$BEFORE" ] || fail "a moved postoffice (same MASTER.GLB) was not restored"
  ! grep -q "other-postoffice" "$T/out" || fail "a moved postoffice is the same postoffice"
  ;;
scope_refused)
  mkpo
  printf 'accounts' >"$PO/GLB/ACCESS2.GLB"
  printf 'stale' >"$PO/P1/STALE.P1"
  # A hand-made "p1clean" snapshot whose manifest says p1clean created
  # GLB/ACCESS2.GLB and P1/STALE.P1: restoring it would delete both.
  python3 - "$T/evil.tar.gz" "$(realpath "$PO")" <<'PY'
import io, json, sys, tarfile, zlib
out, po = sys.argv[1], sys.argv[2]
def after(text): return {"present": True, "size": len(text), "mtime_ns": 0, "crc32": zlib.crc32(text.encode())}
m = {"format": "mspo-snapshot", "version": 2, "tool": "p1clean", "created": "2026-01-01T00:00:00Z",
     "created_ns": 1767225600000000000, "postoffice": po, "host": "h", "pid": 1, "dirs": [],
     "files": [{"path": "GLB/ACCESS2.GLB", "before": {"present": False}, "after": after("accounts")},
               {"path": "P1/STALE.P1", "before": {"present": False}, "after": after("stale")}]}
data = json.dumps(m).encode()
with tarfile.open(out, "w:gz", format=tarfile.PAX_FORMAT) as t:
    info = tarfile.TarInfo("MSPO-MANIFEST.json"); info.size = len(data); info.mtime = 1767225600
    t.addfile(info, io.BytesIO(data))
PY
  expect_rc 0 "$PORESTORE" --verify "$T/evil.tar.gz"
  expect_rc 4 "$PORESTORE" "$T/evil.tar.gz" "$PO"
  [ "$(cat "$PO/GLB/ACCESS2.GLB")" = accounts ] || fail "GLB/ACCESS2.GLB was deleted"
  [ ! -e "$PO/P1/STALE.P1" ] || fail "the file in P1 (p1clean's folder) was not restored"
  grep -q "restore.outside-scope.*GLB/ACCESS2.GLB" "$T/out" || fail "the refused file must be listed"
  grep -q "refused: *1" "$T/out" || fail "the summary must count the refusal"
  grep -q -- "--force" "$T/out" || fail "the refusal must name --force"
  expect_rc 0 "$PORESTORE" --force "$T/evil.tar.gz" "$PO"
  [ ! -e "$PO/GLB/ACCESS2.GLB" ] || fail "--force must restore it anyway"
  ;;
mode_restored)
  mkpo; chmod 0400 "$PO/P1/00000002.P1"; chmod 0640 "$PO/P1/00000003.P1"; BEFORE=$(state "$PO")
  expect_rc 1 "$P1CLEAN" "$PO"
  SNAP=$(ls "$SNAPS"/*.tar.gz)
  expect_rc 0 "$PORESTORE" "$SNAP" "$PO"
  [ "$(stat -c %a "$PO/P1/00000002.P1")" = 400 ] || fail "0400 came back as $(stat -c %a "$PO/P1/00000002.P1")"
  [ "$(stat -c %a "$PO/P1/00000003.P1")" = 640 ] || fail "0640 came back as $(stat -c %a "$PO/P1/00000003.P1")"
  [ "$(state "$PO")" = "$BEFORE" ] || fail "restore is not byte- and mtime-identical"
  ;;
owner_restored)
  if [ "$(id -u)" != 0 ]; then echo "ok [$case_name] (skipped: not root)"; exit 0; fi
  mkpo; chown 1234:5678 "$PO/P1/00000004.P1"; chown 4321 "$PO/P1/00000005.P1"
  expect_rc 1 "$P1CLEAN" "$PO"
  SNAP=$(ls "$SNAPS"/*.tar.gz)
  tar tvzf "$SNAP" >"$T/listing"
  grep -q "1234/5678.*P1/00000004.P1" "$T/listing" || fail "the tar header lacks the owner"
  expect_rc 0 "$PORESTORE" "$SNAP" "$PO"
  [ "$(stat -c %u:%g "$PO/P1/00000004.P1")" = 1234:5678 ] || fail "owner came back as $(stat -c %u:%g "$PO/P1/00000004.P1")"
  [ "$(stat -c %u "$PO/P1/00000005.P1")" = 4321 ] || fail "owner of 00000005.P1 not restored"
  ;;
non_utf8_name)
  mkpo
  for n in $'\xff\xfeOLD.P1' $'CAF\xc9.P1' $'\xc3\x89T\xc3\x89.P1'; do
    printf 'data of %s' "$n" >"$PO/P1/$n"; touch -d '5 days ago' "$PO/P1/$n"
  done
  BEFORE=$(state "$PO")
  expect_rc 1 "$P1CLEAN" "$PO"
  SNAP=$(ls "$SNAPS"/*.tar.gz)
  [ "$(ls "$PO/P1" | wc -l)" = 1 ] || fail "p1clean left files"
  tar xzOf "$SNAP" MSPO-MANIFEST.json >"$T/manifest.json" 2>/dev/null
  python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); names={bytes.fromhex(f["path_hex"]) if "path_hex" in f else f["path"].encode() for f in m["files"]}; sys.exit(0 if {b"P1/\xff\xfeOLD.P1", b"P1/CAF\xc9.P1", "P1/ÉTÉ.P1".encode()} <= names else 1)' "$T/manifest.json" || fail "the manifest lost a name"
  expect_rc 0 "$PORESTORE" --verify "$SNAP"
  expect_rc 0 "$PORESTORE" "$SNAP" "$PO"
  [ "$(state "$PO")" = "$BEFORE" ] || fail "names did not round-trip byte for byte"
  expect_rc 0 "$PORESTORE" --json --list "$SNAP" "$PO"
  python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/out" || fail "bad JSON"
  ;;
verify_unlisted_entry)
  fix
  # Splice one more tar entry, not in the manifest, in front of the manifest
  # (every other byte kept, so only this differs).
  python3 - "$SNAP" "$T/extra.tar.gz" <<'PY'
import gzip, io, sys, tarfile
src, out = sys.argv[1], sys.argv[2]
raw = gzip.open(src).read()
with tarfile.open(fileobj=io.BytesIO(raw)) as t:
    at = [m for m in t.getmembers() if m.name == "MSPO-MANIFEST.json"][0].offset
buf = io.BytesIO()
with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as t:
    info = tarfile.TarInfo("P1/EXTRA.P1"); info.size = 5; info.mtime = 1600000000
    t.addfile(info, io.BytesIO(b"extra"))
extra = buf.getvalue()[:1024]  # header + one data block, without the end marker
open(out, "wb").write(gzip.compress(raw[:at] + extra + raw[at:]))
PY
  expect_rc 8 "$PORESTORE" --verify "$T/extra.tar.gz"
  grep -q "entry not in the manifest: P1/EXTRA.P1" "$T/out" "$T/err" || fail "--verify must name the unlisted entry"
  expect_rc 8 "$PORESTORE" "$T/extra.tar.gz" "$PO"
  [ "$(state "$PO")" = "$AFTER" ] || fail "a refused restore changed files"
  [ ! -e "$PO/P1/EXTRA.P1" ] || fail "the unlisted entry was restored"
  ;;
list_damaged)
  fix
  size=$(stat -c %s "$SNAP")
  cp "$SNAP" "$T/bad.tar.gz"
  python3 -c 'import sys; p,a=sys.argv[1],int(sys.argv[2]); b=bytearray(open(p,"rb").read()); b[a]^=4; open(p,"wb").write(b)' "$T/bad.tar.gz" $((size / 3))
  expect_rc 8 "$PORESTORE" --list "$T/bad.tar.gz"
  grep -q "porestore: error: .*bad.tar.gz" "$T/err" || fail "the error must name the file"
  grep -q "offset [0-9]" "$T/err" || fail "the error must give the offset"
  head -c $((size / 2)) "$SNAP" >"$T/cut.tar.gz"
  expect_rc 8 "$PORESTORE" --list "$T/cut.tar.gz"
  expect_rc 8 "$PORESTORE" --list --json "$T/cut.tar.gz"
  ;;
verify_names_the_snapshot)
  fix
  expect_rc 0 "$PORESTORE" --verify "$SNAP"
  ! grep -q "report for *$" "$T/out" || fail "the header names nothing"
  grep -q "snapshot: *$SNAP" "$T/out" || fail "the report must name the snapshot"
  ;;
error_after_changes)
  mkpo
  head -c 300000 /dev/urandom >"$PO/P1/00000005.P1"; touch -d '8 days ago' "$PO/P1/00000005.P1"
  BEFORE=$(state "$PO")
  expect_rc 1 "$P1CLEAN" "$PO"
  SNAP=$(ls "$SNAPS"/*.tar.gz); n=$(snap_count)
  # Files may grow to 64 KiB: the undo snapshot (of absent files) and the
  # small files fit, 00000005.P1 (300 KB, restored last) does not.
  set +e; (trap '' XFSZ; ulimit -f 64; exec "$PORESTORE" "$SNAP" "$PO") >"$T/out" 2>"$T/err"; rc=$?; set -e
  [ "$rc" = 9 ] || { cat "$T/err"; fail "exit $rc, expected 9 (some changes made, then an error)"; }
  UNDO=$(ls "$SNAPS"/*-porestore-*.tar.gz)
  grep -q "4 changes were made" "$T/err" || { cat "$T/err"; fail "the error must say how many changes were made"; }
  grep -q "$UNDO" "$T/err" || fail "the error must name the undo snapshot"
  [ -e "$PO/P1/00000004.P1" ] && [ ! -e "$PO/P1/00000005.P1" ] || fail "expected 4 of 5 files restored"
  expect_rc 0 "$PORESTORE" "$SNAP" "$PO"   # the rest, without the limit
  [ "$(state "$PO")" = "$BEFORE" ] || fail "second restore incomplete"
  ;;
partial_leftovers_reported)
  fix
  dead="20260101T000000Z-p1clean-999999999.tar.gz.partial"
  live="20260101T000000Z-p1clean-$$.tar.gz.partial"
  printf 'x' >"$SNAPS/$dead"; printf 'y' >"$SNAPS/$live"
  expect_rc 0 "$PORESTORE" "$SNAP" "$PO"
  [ ! -e "$SNAPS/$dead" ] || fail "a provably stale partial snapshot was kept"
  [ -e "$SNAPS/$live" ] || fail "a partial snapshot whose writer may be running was removed"
  grep -q "snapshot.partial-removed.*$dead" "$T/out" || fail "the removal must be reported"
  grep -q "snapshot.partial-kept.*$live" "$T/out" || fail "the kept leftover must be reported"
  ;;
*) fail "unknown case" ;;
esac
echo "ok [$case_name]"
