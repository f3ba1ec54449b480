#!/usr/bin/env bash
# End-to-end cases for p1clean. Usage: cases.sh CASE P1CLEAN PORESTORE
# Each case builds a postoffice in a temporary folder, runs the tool and checks
# exit codes, the files left, and the report. Ages are exact: files get
# mtimes relative to NOW and the tool is run with --now NOW.
set -euo pipefail
case_name=$1 P1CLEAN=$2 PORESTORE=$3
# The real clock: the safety layer checks External locks against it too.
NOW=$(date +%s)
DAY=86400
T=$(mktemp -d "${TMPDIR:-/tmp}/p1clean-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
PO=$T/MAILDATA

fail() { echo "FAIL [$case_name]: $*" >&2; exit 1; }
# mkpo: a postoffice with P1/POPULATE.MSM and an empty (valid) queue MBG/INQUEUE3.MBG
mkpo() { mkdir -p "$PO/P1" "$PO/MBG" "$PO/KEY" "$PO/GLB"; : >"$PO/GLB/MASTER.GLB"; : >"$PO/MBG/INQUEUE3.MBG"
  : >"$PO/P1/POPULATE.MSM"; touch -d "@$((NOW - 400 * DAY))" "$PO/P1/POPULATE.MSM"; }
# mkfile NAME AGE_SECONDS [CONTENT]
mkfile() { printf '%s' "${3:-envelope $1}" >"$PO/P1/$1"; touch -d "@$((NOW - $2))" "$PO/P1/$1"; }
# state: every file under a folder with size, mtime (ns) and checksum
state() { (cd "$1" && find . -printf '%y %p %s %T@\n' | sort && find . -type f -print0 | sort -z | xargs -0r md5sum); }
p1c() { "$P1CLEAN" --now "$NOW" "$@"; }
expect_rc() { local want=$1; shift; set +e; "$@" >"$T/out" 2>"$T/err"; local rc=$?; set -e
  [ "$rc" = "$want" ] || { cat "$T/out" "$T/err" >&2; fail "exit $rc, expected $want: $*"; }; }
exists() { [ -e "$PO/P1/$1" ] || fail "P1/$1 should still exist"; }
gone() { [ ! -e "$PO/P1/$1" ] || fail "P1/$1 should be removed"; }
# inqueue3 NUMBER...: writes MBG/INQUEUE3.MBG with one 116-byte header per number (KB Q108027 layout);
# NUMBER/LEN writes only the first LEN bytes of that header (a queue cut inside its last record)
inqueue3() { python3 - "$PO/MBG/INQUEUE3.MBG" "$@" <<'PY'
import sys
out = bytearray()
for arg in sys.argv[2:]:
    n, _, cut = arg.partition("/")
    rec = bytearray(116)
    rec[0x02:0x02+5] = b"ALICE"
    rec[0x0D:0x0D+7] = b"queued!"
    rec[0x43:0x43+8] = n.encode()
    out += rec[:int(cut)] if cut else rec
open(sys.argv[1], "wb").write(out)
PY
}
# json_has FILE EXPR: FILE holds one JSON document d, and the Python EXPR holds over it
# (f = d["findings"]; one(check[, file]) = the one finding of that check and file)
json_has() { python3 - "$1" "$2" <<'PY' || fail "JSON report: $2"
import json, sys
d = json.load(open(sys.argv[1]))
f = d["findings"]
def one(check, file=None):
    m = [x for x in f if x["check"] == check and (file is None or x["file"] == file)]
    assert len(m) == 1, (check, file, m)
    return m[0]
assert eval(sys.argv[2]), f
PY
}
# as_user CMD...: runs CMD as an unprivileged user (root ignores file permissions)
as_user() { if [ "$(id -u)" = 0 ]; then setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; else "$@"; fi; }

case "$case_name" in
boundary)
  mkpo
  mkfile 00000001.P1 $((2 * DAY - 60))
  mkfile 00000002.P1 $((2 * DAY))
  mkfile 00000003.P1 $((2 * DAY + 60))
  mkfile 00000004.PBB $((30 * DAY))
  mkfile 00000005.MAX $((3 * DAY))
  expect_rc 1 p1c "$PO"
  exists 00000001.P1; exists 00000002.P1; gone 00000003.P1; gone 00000004.PBB; gone 00000005.MAX
  exists POPULATE.MSM
  grep -q "removed: *3" "$T/out" || fail "summary should say 3 removed"
  expect_rc 1 p1c --days 0.5 "$PO"
  gone 00000001.P1; gone 00000002.P1
  ;;
dry_run_writes_nothing)
  mkpo; mkfile 00000003.P1 $((5 * DAY))
  before=$(state "$PO")
  expect_rc 4 p1c -n "$PO"
  expect_rc 4 p1c --dry-run "$PO"
  [ "$(state "$PO")" = "$before" ] || fail "dry run changed something"
  [ ! -e "$T/MAILDATA.snapshots" ] || fail "dry run wrote a snapshot"
  grep -q "00000003.P1" "$T/out" || fail "dry run should name the file"
  ;;
populate_kept)
  mkpo; chmod 444 "$PO/P1/POPULATE.MSM"
  expect_rc 0 p1c --days 0 "$PO"
  exists POPULATE.MSM
  ;;
populate_recreated)
  mkpo; rm "$PO/P1/POPULATE.MSM"
  expect_rc 1 p1c "$PO"
  exists POPULATE.MSM
  grep -q "p1.populate-missing" "$T/out" || fail "finding p1.populate-missing expected"
  expect_rc 0 p1c "$PO"
  ;;
p1_recreated)
  mkdir -p "$PO/GLB"; : >"$PO/GLB/MASTER.GLB"
  expect_rc 1 p1c "$PO"
  [ -d "$PO/P1" ] || fail "P1 not re-created"; exists POPULATE.MSM
  expect_rc 0 p1c "$PO"
  ;;
fresh_lock_refused)
  mkpo; mkfile 00000003.P1 $((5 * DAY)); mkfile 0000002A.0LK 120 lock
  before=$(state "$PO")
  expect_rc 8 p1c "$PO"
  grep -q "0000002A.0LK" "$T/err" || fail "refusal must name the lock"
  grep -q -- "--force" "$T/err" || fail "refusal must name --force"
  [ "$(wc -l <"$T/err")" = 1 ] || fail "refusal must be one line"
  [ "$(state "$PO")" = "$before" ] || fail "refusal changed something"
  [ ! -e "$T/MAILDATA.snapshots" ] || fail "a refusal must not write a snapshot"
  mkfile LOCKP1ID.PBC 120 lock; rm "$PO/P1/0000002A.0LK"
  expect_rc 8 p1c "$PO"
  grep -q "LOCKP1ID.PBC" "$T/err" || fail "refusal must name LOCKP1ID.PBC"
  ;;
fresh_lock_forced)
  mkpo; mkfile 00000003.P1 $((5 * DAY)); mkfile 0000002A.0LK 120 lock; mkfile 0000002B.0LK $((DAY)) lock
  expect_rc 1 p1c --force "$PO"
  gone 00000003.P1; exists 0000002A.0LK; gone 0000002B.0LK
  ;;
held_lock_refused)
  mkpo; mkfile 0000002B.0LK $((DAY)) lock
  command -v flock >/dev/null || { echo "flock(1) missing; case skipped"; exit 0; }
  flock "$PO/P1/0000002B.0LK" sleep 30 &
  holder=$!
  for _ in $(seq 50); do "$P1CLEAN" --now "$NOW" -n "$PO" >/dev/null 2>&1 && sleep 0.1 || break; done
  set +e; p1c "$PO" >"$T/out" 2>"$T/err"; rc=$?; set -e
  kill "$holder" 2>/dev/null || true; wait "$holder" 2>/dev/null || true
  [ "$rc" = 8 ] || { cat "$T/out" "$T/err"; fail "held lock: exit $rc, expected 8"; }
  exists 0000002B.0LK
  ;;
queued_kept)
  mkpo; mkfile 0000AB12.P1 $((5 * DAY)); mkfile 0000AB13.P1 $((5 * DAY)); inqueue3 0000AB12
  expect_rc 1 p1c "$PO"
  exists 0000AB12.P1; gone 0000AB13.P1
  grep -q "p1.queued" "$T/out" || fail "queued warning expected"
  expect_rc 0 p1c "$PO"   # a warning is not a problem: run 2 is clean
  ;;
queued_included)
  mkpo; mkfile 0000AB12.P1 $((5 * DAY)); inqueue3 0000AB12
  # a KEY marking slot 0 deleted makes the header dead: the envelope is not queued any more
  python3 -c "import sys; b=bytearray(560); b[0x30]=1; open(sys.argv[1],'wb').write(b)" "$PO/KEY/INQUEUE3.KEY"
  expect_rc 4 p1c -n "$PO"
  grep -q "p1.queued" "$T/out" && fail "a deleted INQUEUE3 slot does not queue"
  rm "$PO/KEY/INQUEUE3.KEY"
  expect_rc 0 p1c "$PO"; exists 0000AB12.P1
  expect_rc 1 p1c --include-queued "$PO"; gone 0000AB12.P1
  ;;
symlink_not_followed)
  mkpo; echo outside >"$T/outside.P1"; touch -d "@$((NOW - 9 * DAY))" "$T/outside.P1"
  ln -s "$T/outside.P1" "$PO/P1/0000FFFF.P1"; touch -h -d "@$((NOW - 9 * DAY))" "$PO/P1/0000FFFF.P1"
  mkdir "$PO/P1/SUB"; echo x >"$PO/P1/SUB/00000009.P1"; touch -d "@$((NOW - 9 * DAY))" "$PO/P1/SUB/00000009.P1"
  expect_rc 0 p1c "$PO"
  [ -L "$PO/P1/0000FFFF.P1" ] || fail "symlink removed"
  [ "$(cat "$T/outside.P1")" = outside ] || fail "outside file changed"
  [ -e "$PO/P1/SUB/00000009.P1" ] || fail "file in a subfolder touched"
  grep -q "p1.not-regular" "$T/out" || fail "links and folders must be reported"
  ;;
p1_is_symlink)
  mkdir -p "$T/elsewhere" "$PO/GLB"; : >"$PO/GLB/MASTER.GLB"; mkfile_dir=$T/elsewhere
  echo old >"$mkfile_dir/00000001.P1"; touch -d "@$((NOW - 9 * DAY))" "$mkfile_dir/00000001.P1"
  ln -s "$T/elsewhere" "$PO/P1"
  expect_rc 8 p1c "$PO"
  [ -e "$T/elsewhere/00000001.P1" ] || fail "followed the P1 link"
  grep -q "P1" "$T/err" || fail "error must name P1"
  ;;
restore_round_trip)
  mkpo
  for i in 1 2 3 4 5 6 7 8 9; do mkfile 0000000$i.P1 $((i * DAY)) "envelope body $i $(head -c $((i * 100)) /dev/zero | tr '\0' x)"; done
  mkfile 0000002A.0LK $((DAY)) lock
  before=$(state "$PO")
  expect_rc 1 p1c "$PO"
  snap=$(ls "$T"/MAILDATA.snapshots/*.tar.gz)
  [ "$(echo "$snap" | wc -l)" = 1 ] || fail "one snapshot expected"
  grep -q "$(basename "$snap")" "$T/out" || fail "report must name the snapshot"
  tar tzf "$snap" >/dev/null || fail "GNU tar cannot list the snapshot"
  expect_rc 0 "$PORESTORE" --verify "$snap" "$PO"
  expect_rc 0 "$PORESTORE" "$snap" "$PO"
  after=$(state "$PO")
  [ "$after" = "$before" ] || { diff <(echo "$before") <(echo "$after") >&2; fail "restore is not byte- and mtime-identical"; }
  ;;
run2_clean)
  mkpo; mkfile 00000003.P1 $((5 * DAY)); mkfile LOCKP1ID.PBB $((DAY)) lock
  expect_rc 1 p1c "$PO"
  expect_rc 0 p1c "$PO"
  grep -q "no problems found" "$T/out" || fail "run 2 should report no problems"
  ;;
json_report)
  mkpo; mkfile 00000003.P1 $((5 * DAY))
  expect_rc 4 p1c -n --json "$PO"
  python3 - "$T/out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["tool"] == "p1clean", d
assert d["dry_run"] is True
f = [x for x in d["findings"] if x["check"] == "p1.stale"]
assert len(f) == 1 and f[0]["file"] == "P1/00000003.P1" and f[0]["fixed"] is False, f
PY
  [ ! -s "$T/err" ] || fail "unexpected stderr: $(cat "$T/err")"
  ;;
bad_arguments)
  mkpo
  expect_rc 16 "$P1CLEAN" --days -1 "$PO"
  expect_rc 16 "$P1CLEAN" --dry "$PO"
  expect_rc 16 "$P1CLEAN"
  expect_rc 16 "$P1CLEAN" "$PO" extra
  expect_rc 16 "$P1CLEAN" --days soon "$PO"
  expect_rc 0 "$P1CLEAN" --help
  grep -q "Exit codes" "$T/out" || fail "--help must show the exit codes"
  ;;
missing_postoffice)
  expect_rc 8 p1c "$T/nowhere"
  grep -q "nowhere" "$T/err" || fail "error must name the folder"
  ;;
snapshot_dir_unwritable)
  mkpo; mkfile 00000003.P1 $((5 * DAY))
  echo "not a folder" >"$T/snapfile"
  before=$(state "$PO")
  expect_rc 8 p1c --snapshot-dir "$T/snapfile/sub" "$PO"
  [ "$(state "$PO")" = "$before" ] || fail "a failed snapshot must change nothing"
  ;;
queue_missing)
  # No MBG/INQUEUE3.MBG: any stale envelope may still be queued. Kept, with the reason; other stale files go.
  mkpo; rm "$PO/MBG/INQUEUE3.MBG"
  mkfile 0000AB12.P1 $((5 * DAY)); mkfile 0000AB13.PBC $((5 * DAY)); mkfile 00000005.MAX $((5 * DAY))
  expect_rc 4 p1c -n "$PO"
  exists 0000AB12.P1; exists 00000005.MAX
  expect_rc 5 p1c --json "$PO"
  exists 0000AB12.P1; exists 0000AB13.PBC; gone 00000005.MAX
  json_has "$T/out" 'one("p1.queue-damaged")["file"] == "MBG/INQUEUE3.MBG" and "missing" in one("p1.queue-damaged")["message"] and one("p1.queue-damaged")["severity"] == "error"'
  json_has "$T/out" 'one("p1.maybe-queued", "P1/0000AB12.P1")["severity"] == "warning" and one("p1.maybe-queued", "P1/0000AB13.PBC")'
  json_has "$T/out" 'one("p1.stale", "P1/00000005.MAX")["fixed"]'
  expect_rc 4 p1c "$PO"   # run 2: the queue is still missing; nothing is removed
  grep -q "p1.queue-damaged" "$T/out" || fail "run 2 must still report the queue"
  expect_rc 1 p1c --include-queued "$PO"   # the user accepts NDRs: the queue no longer matters
  gone 0000AB12.P1; gone 0000AB13.PBC
  ;;
queue_truncated)
  # A queue cut inside its second header: the numbers it still names (the cut one included) are kept.
  mkpo
  for n in 0000AB12 0000AB13 0000AB14 0000AB15; do mkfile $n.P1 $((5 * DAY)); done
  inqueue3 0000AB12 0000AB14/80
  expect_rc 5 p1c --json "$PO"
  exists 0000AB12.P1; exists 0000AB14.P1; gone 0000AB13.P1; gone 0000AB15.P1
  json_has "$T/out" 'one("p1.queue-damaged")["offset"] == 116 and one("p1.queue-damaged")["record"] == 1'
  json_has "$T/out" '"ends inside record 1" in one("p1.queue-damaged")["message"]'
  json_has "$T/out" 'one("p1.queued", "P1/0000AB14.P1") and one("p1.queued", "P1/0000AB12.P1")'
  # Cut inside the number itself: which envelope it names is lost, so every stale envelope stays.
  mkfile 0000AB13.P1 $((5 * DAY))
  inqueue3 0000AB12 0000AB14/70
  expect_rc 4 p1c "$PO"
  exists 0000AB12.P1; exists 0000AB13.P1; exists 0000AB14.P1
  grep -q "p1.maybe-queued.*0000AB13.P1" "$T/out" || fail "a cut number must keep every envelope"
  ;;
queue_oversized)
  # A 2 GB queue is far over the 4096-record limit: reported at once, not read; envelopes kept.
  mkpo; mkfile 0000AB12.P1 $((5 * DAY))
  truncate -s 2G "$PO/MBG/INQUEUE3.MBG"
  start=$(date +%s%N)
  expect_rc 4 p1c --json "$PO"
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  [ "$ms" -lt 5000 ] || fail "an oversized queue took $ms ms: it must not be read"
  exists 0000AB12.P1
  json_has "$T/out" '"far over the limit" in one("p1.queue-damaged")["message"] and one("p1.queue-damaged")["offset"] == 4096 * 116'
  ;;
queue_unreadable)
  # A queue that is a folder, or whose live header names no envelope, trusts nothing.
  mkpo; mkfile 0000AB12.P1 $((5 * DAY)); rm "$PO/MBG/INQUEUE3.MBG"; mkdir "$PO/MBG/INQUEUE3.MBG"
  expect_rc 4 p1c "$PO"
  exists 0000AB12.P1
  grep -q "p1.queue-damaged.*cannot be read" "$T/out" || fail "an unreadable queue must be reported"
  rmdir "$PO/MBG/INQUEUE3.MBG"; inqueue3 0000AB13 0000XY13
  expect_rc 4 p1c --json "$PO"
  exists 0000AB12.P1
  json_has "$T/out" 'one("p1.queue-damaged")["offset"] == 116 + 0x43 and one("p1.maybe-queued", "P1/0000AB12.P1")'
  ;;
tmp_named_files)
  # P1 files named like the toolkit's temporaries are P1 files like any other.
  mkpo
  mkfile 00000001.P1.mspo-tmp.1.2 60
  mkfile 00000002.P1.mspo-tmp.3.4 $((3 * DAY))
  expect_rc 4 p1c -n "$PO"
  grep -q "00000002.P1.mspo-tmp.3.4.*would: remove" "$T/out" || fail "-n must list the old one"
  grep -q "00000001.P1.mspo-tmp.1.2" "$T/out" && fail "-n must not list the new one"
  expect_rc 1 p1c "$PO"
  exists 00000001.P1.mspo-tmp.1.2; gone 00000002.P1.mspo-tmp.3.4
  grep -q "p1.stale.*00000002.P1.mspo-tmp.3.4.*fixed: remove" "$T/out" || fail "the removal must be reported"
  snap=$(ls "$T"/MAILDATA.snapshots/*.tar.gz)
  tar tzf "$snap" | grep -q "00000002.P1.mspo-tmp.3.4" || fail "the removed file must be in the snapshot"
  ;;
nothing_written)
  # An empty folder is not a postoffice: exit 8, and it stays empty.
  mkdir "$PO"
  expect_rc 8 p1c "$PO"
  [ -z "$(ls -A "$PO")" ] || fail "an empty folder must stay empty"
  [ ! -e "$T/MAILDATA.snapshots" ] || fail "no snapshot folder for a non-postoffice"
  # A postoffice without P1 and a bad --snapshot-dir: exit 8 and P1 is not created.
  mkdir -p "$PO/GLB"; : >"$PO/GLB/MASTER.GLB"
  echo "not a folder" >"$T/snapfile"
  expect_rc 8 p1c --snapshot-dir "$T/snapfile/sub" "$PO"
  [ ! -e "$PO/P1" ] || fail "P1 created by a run that failed"
  ;;
read_only_postoffice)
  # A postoffice the user may not change (its parent, for the lock and snapshots, is writable): exit 8,
  # nothing in it changed, whether files are to be removed or P1 is to be created.
  mkpo; mkfile 00000003.P1 $((5 * DAY))
  chmod 777 "$T"
  chmod -R a-w "$PO"
  before=$(state "$PO")
  set +e; as_user "$P1CLEAN" --now "$NOW" "$PO" >"$T/out" 2>"$T/err"; rc=$?; set -e
  [ "$rc" = 8 ] || { cat "$T/out" "$T/err" >&2; fail "read-only P1: exit $rc, expected 8"; }
  [ "$(state "$PO")" = "$before" ] || fail "a read-only postoffice changed"
  chmod u+w "$PO"; rm -r "$PO/P1"; chmod a-w "$PO"
  before=$(state "$PO")
  set +e; as_user "$P1CLEAN" --now "$NOW" "$PO" >"$T/out" 2>"$T/err"; rc=$?; set -e
  [ "$rc" = 8 ] || { cat "$T/out" "$T/err" >&2; fail "read-only root: exit $rc, expected 8"; }
  [ "$(state "$PO")" = "$before" ] || fail "a read-only postoffice changed"
  chmod -R u+w "$PO"
  ;;
locked_stale_file)
  # A stale file another process holds a lock on: -n predicts the real run's refusal (exit 8, naming
  # the file and --force); -n --force reports the override. Shared flock, exclusive flock, lockf.
  mkpo; mkfile 00000003.P1 $((5 * DAY)); mkfile 00000004.P1 $((5 * DAY))
  command -v flock >/dev/null || { echo "flock(1) missing; case skipped"; exit 0; }
  for how in "flock -s" "flock -x" lockf; do
    : >"$T/holder"
    if [ "$how" = lockf ]; then
      python3 -c 'import fcntl, sys, time; f = open(sys.argv[1], "r+"); fcntl.lockf(f, fcntl.LOCK_SH); print("locked", flush=True); time.sleep(30)' "$PO/P1/00000003.P1" >"$T/holder" &
    else
      $how "$PO/P1/00000003.P1" sh -c 'echo locked; exec sleep 30' >"$T/holder" &
    fi
    holder=$!
    for _ in $(seq 100); do grep -q locked "$T/holder" && break; sleep 0.05; done
    before=$(state "$PO")
    expect_rc 8 p1c -n "$PO"
    grep -q "00000003.P1 is locked by another process" "$T/err" || fail "$how: -n must name the locked file"
    grep -q -- "--force" "$T/err" || fail "$how: the refusal must name --force"
    expect_rc 8 p1c "$PO"
    grep -q "00000003.P1 is locked by another process" "$T/err" || fail "$how: the real run must refuse the same way"
    [ "$(state "$PO")" = "$before" ] || fail "$how: a refusal changed something"
    expect_rc 4 p1c -n --force "$PO"
    grep -q "p1.forced.*00000003.P1 is locked" "$T/out" || fail "$how: -n --force must report the override"
    pkill -P "$holder" 2>/dev/null || true; kill "$holder" 2>/dev/null || true; wait "$holder" 2>/dev/null || true
  done
  ;;
held_old_lock)
  # A two-day-old .0LK under a shared flock is held, not fresh: the refusal says which.
  mkpo; mkfile 0000002B.0LK $((2 * DAY)) lock
  command -v flock >/dev/null || { echo "flock(1) missing; case skipped"; exit 0; }
  flock -s "$PO/P1/0000002B.0LK" sh -c 'echo locked; exec sleep 30' >"$T/holder" &
  holder=$!
  for _ in $(seq 100); do grep -q locked "$T/holder" && break; sleep 0.05; done
  set +e; p1c -n "$PO" >"$T/out" 2>"$T/err"; rc_n=$?; p1c "$PO" >"$T/out2" 2>"$T/err2"; rc=$?
  p1c --force -n "$PO" >"$T/out3" 2>"$T/err3"; set -e
  kill "$holder" 2>/dev/null || true; wait "$holder" 2>/dev/null || true
  [ "$rc_n" = 8 ] && [ "$rc" = 8 ] || fail "held lock: exit $rc_n (-n) and $rc, expected 8 and 8"
  grep -q "held lock P1/0000002B.0LK: shared flock() lock" "$T/err2" || fail "the refusal must say held: $(cat "$T/err2")"
  grep -q "fresh" "$T/err2" && fail "a held two-day-old lock is not fresh"
  grep -q "p1.lock-fresh.*held by another process" "$T/out3" || fail "the finding must say held"
  exists 0000002B.0LK
  ;;
non_utf8_name)
  # A stale file whose name is not UTF-8 (byte 0xFF): removed, snapshotted and restored byte for
  # byte; the text report shows it without the raw byte; the JSON report is valid and names it.
  mkpo; bad=$'BAD\xff.P1'
  mkfile "$bad" $((5 * DAY)); mkfile 00000003.P1 $((5 * DAY))
  before=$(state "$PO")
  expect_rc 4 p1c -n "$PO"
  grep -q "p1.stale.*BAD" "$T/out" || fail "-n must list it"
  grep -q $'\xff' "$T/out" && fail "the raw byte 0xFF reached the text report"
  expect_rc 4 p1c -n --json "$PO"
  json_has "$T/out" 'len([x for x in f if x["check"] == "p1.stale" and "BAD" in x["file"] and x["file"] != "P1/BAD\ufffd.P1"]) == 1'
  expect_rc 1 p1c "$PO"
  gone "$bad"; gone 00000003.P1
  grep -q $'\xff' "$T/out" && fail "the raw byte 0xFF reached the text report"
  snap=$(ls "$T"/MAILDATA.snapshots/*.tar.gz)
  expect_rc 0 "$PORESTORE" "$snap" "$PO"
  [ "$(state "$PO")" = "$before" ] || fail "the restore is not byte-exact"
  ;;
bad_now)
  # --now outside 0 .. 9223372036 (the last second a nanosecond clock holds) is a usage error.
  mkpo; mkfile 00000003.P1 $((5 * DAY))
  before=$(state "$PO")
  expect_rc 16 "$P1CLEAN" --now 99999999999999 "$PO"
  grep -q -- "--now must be" "$T/err" || fail "the message must name --now"
  expect_rc 16 "$P1CLEAN" --now -1 "$PO"
  expect_rc 16 "$P1CLEAN" --now=-1 "$PO"
  expect_rc 16 "$P1CLEAN" --now 9223372037 "$PO"
  expect_rc 4 "$P1CLEAN" -n --now 9223372036 "$PO"
  [ "$(state "$PO")" = "$before" ] || fail "a usage error changed something"
  ;;
verbose_kept)
  # -v: one line per kept file on stderr, saying why; the report itself is unchanged.
  mkpo; mkfile 00000001.P1 3600; mkfile 0000AB12.P1 $((5 * DAY)); mkfile 00000003.P1 $((5 * DAY))
  mkdir "$PO/P1/SUB"; inqueue3 0000AB12
  expect_rc 4 p1c -n --json "$PO"; cp "$T/out" "$T/plain.json"
  [ ! -s "$T/err" ] || fail "stderr without -v: $(cat "$T/err")"
  expect_rc 4 p1c -n -v --json "$PO"
  cmp -s "$T/out" "$T/plain.json" || fail "-v must not change the JSON report"
  grep -q "P1/00000001.P1.*too young" "$T/err" || fail "-v: young file"
  grep -q "P1/0000AB12.P1.*queued by MBG/INQUEUE3.MBG record 0" "$T/err" || fail "-v: queued"
  grep -q "P1/POPULATE.MSM.*always stays" "$T/err" || fail "-v: POPULATE.MSM"
  grep -q "P1/SUB.*not a regular file" "$T/err" || fail "-v: not regular"
  grep -q "00000003.P1" "$T/err" && fail "-v: a removed file is not kept"
  [ "$(grep -c "p1.kept" "$T/err")" = 4 ] || fail "-v: one line per kept file: $(cat "$T/err")"
  ;;
hundred_thousand_files)
  mkpo
  python3 - "$PO/P1" "$NOW" <<'PY'
import os, sys
d, now = sys.argv[1], int(sys.argv[2])
for i in range(100000):
    p = os.path.join(d, "%08X.P1" % i)
    with open(p, "wb") as f:
        f.write(b"E" * (64 + i % 200))
    age = 3 * 86400 if i % 2 == 0 else 3600
    os.utime(p, (now - age, now - age))
PY
  expect_rc 1 p1c -q "$PO"
  left=$(find "$PO/P1" -type f | wc -l)
  [ "$left" = 50001 ] || fail "expected 50,000 files + POPULATE.MSM left, found $left"
  expect_rc 0 p1c "$PO"
  ;;
*) fail "unknown case" ;;
esac
echo "ok [$case_name]"
