# p1clean's case helpers, sourced before each case's cmd (tests/cli/golden.sh).

DAY=86400
# json_has FILE EXPR: FILE holds one JSON document d, and the Python EXPR holds over it
# (f = d["findings"]; one(check[, file]) = the one finding of that check and file)
json_has() {
  python3 - "$1" "$2" <<'PY' || fail "JSON report: $2"
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
# hold HOW FILE: a background process takes a lock on FILE (HOW: "flock -s",
# "flock -x" or lockf) and keeps it 30 s; HOLDER is its pid. Returns once it
# holds (fails the case if it does not within 10 s). Pair it with release: a
# holder left running would keep the case (and CTest's pipe) open for 30 s.
hold() {
  : >holder.out
  if [ "$1" = lockf ]; then
    python3 -c 'import fcntl, sys, time; f = open(sys.argv[1], "r+"); fcntl.lockf(f, fcntl.LOCK_SH); print("locked", flush=True); time.sleep(30)' "$2" >holder.out 2>holder.err &
  else
    $1 "$2" sh -c 'echo locked; exec sleep 30' >holder.out 2>holder.err &
  fi
  HOLDER=$!
  for _ in $(seq 200); do grep -q locked holder.out && return 0; sleep 0.05; done
  release
  cat holder.err >&2
  fail "the holder did not lock $2 within 10 s"
}
# release: ends the holder
release() { pkill -P "$HOLDER" 2>/dev/null || true; kill "$HOLDER" 2>/dev/null || true; wait "$HOLDER" 2>/dev/null || true; }
# mkpo [SPEC LINE]...: pogen's postoffice with ADMIN and the given lines (P1
# files, locks, queued envelopes), file times measured from NOW, in ./MAILDATA
mkpo() {
  spec "user ADMIN" "$@"
  gen --spec po.spec --now "$NOW"
}
