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
# mkpo [SPEC LINE]...: pogen's postoffice with ADMIN and the given lines (P1
# files, locks, queued envelopes), file times measured from NOW, in ./MAILDATA
mkpo() {
  spec "user ADMIN" "$@"
  gen --spec po.spec --now "$NOW"
}
