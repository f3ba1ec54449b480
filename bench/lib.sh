# Shared helpers for the benchmarks (sourced).
# measure NAME CMD...: runs CMD under /usr/bin/time, appends "NAME seconds maxrss_kb" to $RESULTS.
# Exit codes below 8 count as success (1 = fixed, 4 = problems remain: a dry run).
measure() {
  local name=$1; shift
  local tf; tf=$(mktemp)
  local rc=0
  local t0=$EPOCHREALTIME
  /usr/bin/time -f "%e %M" -o "$tf" "$@" >/dev/null 2>"$tf.err" || rc=$?
  local t1=$EPOCHREALTIME
  if [ "$rc" -ge 8 ]; then cat "$tf.err" >&2; echo "bench: '$name' failed (exit $rc)" >&2; rm -f "$tf" "$tf.err"; return 1; fi
  secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')  # wall clock, microseconds
  rss=$(tail -n 1 "$tf" | cut -d' ' -f2)
  printf '%s\t%s\t%s\n' "$name" "$secs" "$rss" >>"$RESULTS"
  rm -f "$tf" "$tf.err"
}
# table BASELINE: prints the results with each time as a ratio to BASELINE's.
table() {
  local base=$1
  awk -F'\t' -v base="$base" '
    { name[NR]=$1; t[NR]=$2; m[NR]=$3; if ($1==base) bt=$2 }
    END {
      printf "%-34s %10s %10s %12s\n", "command", "seconds", "ratio", "peak RSS MiB";
      for (i=1;i<=NR;i++) printf "%-34s %10.3f %10s %12.1f\n", name[i], t[i], (bt>0? sprintf("%.2fx", t[i]/bt) : "-"), m[i]/1024;
    }' "$RESULTS"
}
# measure_best NAME RUNS CMD...: for read-only commands: one unmeasured warm-up
# run, then RUNS measured runs; records the fastest (and its peak memory).
measure_best() {
  local name=$1 runs=$2; shift 2
  "$@" >/dev/null 2>&1 || true
  local saved=$RESULTS best="" line
  RESULTS=$(mktemp)
  for _ in $(seq "$runs"); do measure "$name" "$@"; done
  best=$(sort -t$'\t' -k2,2g "$RESULTS" | head -n 1)
  rm -f "$RESULTS"; RESULTS=$saved
  printf '%s\n' "$best" >>"$RESULTS"
}
