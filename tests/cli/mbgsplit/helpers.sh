# mbgsplit's case helpers, sourced before each case's cmd (tests/cli/golden.sh).

# list_csv HEXID: mbgsplit --list --csv of one mailbag; exit 4 (a mailbag over the
# limit is a finding, printed on stderr) is accepted, anything else fails the case.
list_csv() {
  local rc=0
  "$(tool mbgsplit)" --list "$1" --csv MAILDATA 2>list.err || rc=$?
  [ "$rc" = 0 ] || [ "$rc" = 4 ] || { cat list.err >&2; fail "mbgsplit --list $1 exited $rc"; }
}
# live_headers HEXID: the live headers of a mailbag, one a line, without their
# slot numbers (sender, subject, date, MAI): what must survive a split and a
# merge in the same order.
live_headers() {
  list_csv "$1" | awk -F, 'NR > 1 && $2 == "live" { sub(/^[^,]*,[^,]*,/, ""); print }'
}
# all_live_mais: every live header's MAI number over every mailbag, overflow
# included, sorted: the multiset a split must keep.
all_live_mais() {
  local f
  for f in MAILDATA/MBG/*.MBG; do
    f=${f##*/}
    list_csv "${f%.MBG}" | awk -F, 'NR > 1 && $2 == "live" { print $6 }'
  done | sort
}
# mai_counters: every MAI file with its reference counter (uint16 at 0x0B).
mai_counters() {
  local f
  for f in $(find MAILDATA/MAI -name '*.MAI' | sort); do
    printf '%s %d\n' "${f##*/}" "$(od -An -tu2 -j11 -N2 "$f")"
  done
}
# key_byte HEXID OFFSET HEX: overwrite one byte of a mailbag's KEY
key_byte() { poke "MAILDATA/KEY/$1.KEY" "$2" "$3"; }
