# porestore's fixtures, sourced before each case's cmd (tests/cli/golden.sh).

# mkpo [SPEC LINE]...: pogen's postoffice with five stale P1 envelopes (sizes
# 3,007 to 15,007 bytes, 4 to 8 days old) and the given lines
mkpo() {
  local args=("user ADMIN" "$@") i
  for i in 1 2 3 4 5; do args+=("p1 0000000$i.P1 age=$((i + 3))d size=$((i * 3000 + 7))"); done
  spec "${args[@]}"
  gen --spec po.spec --now "$NOW"
}
# fix [SPEC LINE]...: mkpo, then p1clean (unrecorded) removes the five envelopes.
# Leaves the states saved as `before` and `after` and p1clean's snapshot in $SNAP.
fix() {
  local unfixed
  mkpo "$@"
  save_state before
  unfixed=$(state_of MAILDATA)
  expect_rc 1 p1clean MAILDATA
  SNAP=$(ls "$PWD"/MAILDATA.snapshots/*.tar.gz)
  save_state after
  [ "$(state_of MAILDATA)" != "$unfixed" ] || fail "the fixer changed nothing"
}
snap_count() { ls MAILDATA.snapshots | wc -l; }
# craft KIND OUT: a hostile copy of $SNAP (tests/cli/porestore/craft_snapshot.py)
craft() { python3 "$(dirname "$(dirname "$case_dir")")/craft_snapshot.py" "$1" "$SNAP" "$2"; }
