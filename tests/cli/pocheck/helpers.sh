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
