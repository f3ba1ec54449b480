# pocheck's case helpers, sourced before each case's cmd (tests/cli/golden.sh).

# pogen's sample time (1999-06-01T12:00:00Z): P1 ages are measured against it.
T0=928238400

# clean_spec: the sample spec without its P1 leftovers older than two days
# (00000200.P1 at 3d and the two stale locks are there to show p1clean's work:
# the sample is not clean for KB Q237695 step 2).
clean_spec() {
  "$(tool pogen)" --print-sample | grep -v -e '^p1 00000200' -e '^lock ' >po.spec
}
# clean [POGEN OPTIONS]: writes ./MAILDATA from clean_spec
clean() { clean_spec; gen --spec po.spec "$@"; }
# check [OPTIONS]: pocheck as a user who is not root (root reads every file)
check() { run --as-user pocheck --now "$T0" "$@" MAILDATA; }

# evidence_spec: accounts with live and freed slots enough for the KEY model test to
# support our model (so MAI reference counters may be repaired), a group and a PAL
evidence_spec() {
  spec "user ADMIN \"Administrator\" mail=6 freed=6 pal=2" "user ALICE \"Alice Smith\" mail=2" \
    "user BOB \"Bob Jones\" mail=6 freed=6 freed-at=start" "group STAFF ALICE BOB" \
    "message ALICE BOB \"Staff meeting\""
}
# damaged: one damage for each fixer --fix runs (p1clean, palfix, mbgsplit, the counters)
damaged() {
  evidence_spec
  gen --spec po.spec --damage p1-stale --damage nme-bad-alias:pol,ALICE --damage over-limit:BOB \
    --damage counter-low:letter --damage mai-refcount "$@"
}
# undo_all: runs the porestore commands the last --fix run printed, newest first
undo_all() {
  local out=${1:-out}
  sed -n '/^To undo the changes, newest first:/,/^$/p' "$out" | grep '^  porestore ' |
    while read -r _ snap po; do "$(tool porestore)" -q "$snap" "$po" >/dev/null; done
}

# page_ok PAGE [STDOUT]: the --html page is one self-contained document (no script, nothing
# fetched, valid UTF-8, no control byte) and, given the text report of the same check, names
# every finding's check id and file (escaped) that the report's table lists
page_ok() {
  python3 - "$@" <<'PY'
import html, re, sys
raw = open(sys.argv[1], 'rb').read()
page = raw.decode('utf-8')  # raises on invalid UTF-8
assert page.startswith('<!DOCTYPE html>') and page.rstrip().endswith('</html>'), 'not a whole page'
low = page.lower()
for bad in ('<script', 'src=', 'href=', '@import', 'url(http', 'http:', 'https:', 'javascript:'):
    assert bad not in low, 'page holds ' + bad
assert not re.search(r'[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]', page), 'a control byte on the page'
if len(sys.argv) > 2:
    lines = open(sys.argv[2], encoding='utf-8', errors='surrogateescape').read().split('\n')
    head = [i for i, l in enumerate(lines) if l.startswith('SEVERITY  CHECK')]
    assert head, 'no findings table in the report'
    n = 0
    for l in lines[head[-1] + 1:]:
        if not l.strip(): break
        sev, check, file = l.split()[:3]
        assert '<code>' + check + '</code>' in page, 'check id missing: ' + check
        assert html.escape(file, quote=True).replace('&#x27;', '&#39;') in page, 'file missing: ' + file
        n += 1
    assert n > 0, 'no findings read from the report'
PY
}
# exe_image KIND VERSION FILE [DAMAGE]: writes an MZ, NE or PE program image (exe_image.py)
exe_image() { python3 "$(dirname "$(dirname "$case_dir")")/exe_image.py" "$@"; }
# all_ok [POGEN OPTIONS]: a postoffice on which every step is ok: clean_spec with two
# freed slots in BOB's mailbag (evidence enough for the KEY model test to say
# "supported"), and EXTERNAL.EXE 3.2.18 in MAILEXE beside MAILDATA
all_ok() {
  clean_spec
  sed -i 's/^user BOB "Bob Jones" mail=1$/user BOB "Bob Jones" mail=2 freed=2/' po.spec
  grep -q '^user BOB "Bob Jones" mail=2 freed=2$' po.spec || fail "all_ok: pogen's sample has no line 'user BOB \"Bob Jones\" mail=1'"
  gen --spec po.spec "$@"
  mkdir MAILEXE
  exe_image mz 3.2.18 MAILEXE/EXTERNAL.EXE
}
