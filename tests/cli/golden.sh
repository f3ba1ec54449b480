#!/usr/bin/env bash
# The golden runner for every tool's CLI cases.
#   Usage: golden.sh CASE_DIR [NAME=PATH]...
# NAME=PATH gives the tools a case may run (listuser=..., pogen=..., check_driver=...);
# tests/cli/golden.cmake passes every built tool. MSPO_UPDATE_GOLDEN=1 rewrites the
# golden files from what the case printed instead of comparing.
#
# A case is a folder tests/cli/<tool>/cases/<case>/ holding:
#   cmd            a bash snippet (set -euo pipefail), run in a fresh empty folder
#   rc, stdout     the exit code and stdout of the case's first `run`
#   stderr         its stderr (absent: stderr must be empty; unexpected stderr fails)
#   rc.N, stdout.N, stderr.N   the same for the Nth `run` (N >= 2): for a fixer,
#                  run 2 must find nothing (the e2fsprogs expect.1/expect.2 idea)
#   slow, timeout  optional markers read by golden.cmake: `slow` adds the label
#                  slow; `timeout` holds the CTest timeout in seconds
#   (tests/cli/<tool>/windows.sed, optional: sed -E commands that turn every
#                  golden stdout and stderr of that tool into what the Windows
#                  build prints, applied under MSPO_TOOL_EMULATOR only; each
#                  command says why Windows differs)
#   skip-windows   optional: the case needs what Windows has not (chmod, FIFOs,
#                  users); the file says why. golden.cmake registers the case as
#                  disabled in the Windows build (ctest lists it "Not Run").
#   only-windows   optional: the case runs in the Windows build only (a Windows
#                  program, `tool hold_file`, plays the other side); the file says why.
# Every `run` must have its rc.N and stdout.N, and no golden file may name a run
# that did not happen; a case that never calls `run` fails.
#
# What `cmd` can use (paths are relative to the case's folder, called <T> below):
#   gen [POGEN OPTIONS]   pogen writes ./MAILDATA (fails the case if pogen fails)
#   spec LINE...          writes ./po.spec, one argument per line (then gen --spec po.spec)
#   poke FILE OFF HEX...  overwrites bytes at a decimal offset; put FILE OFF TEXT: ASCII
#   flip FILE OFF [MASK]  XORs one byte with MASK (hex, default 04)
#   run TOOL ARGS...      runs a tool; the Nth run keeps its exit code, stdout and
#                         stderr in rc, out, err (N = 1) or rc.N, out.N, err.N, to be
#                         compared with rc, stdout, stderr / rc.N, stdout.N, stderr.N.
#                         A case may edit out/err after a run (append, sed).
#   run --as-user TOOL ARGS...  the same, as user nobody when the case runs as root
#                         (root ignores file permissions); <T> is readable by all.
#                         Under MSPO_TOOL_EMULATOR (wine) as the case's own user
#   digest                replaces the last run's stdout by its line count, MD5, head and tail
#   tool NAME             prints the path of a tool, to run it without recording
#   expect_rc RC TOOL ARGS...  runs a tool unrecorded (output in call.out, call.err)
#                         and fails unless it exits RC
#   save_state [NAME]     keeps the state of ./MAILDATA (every path; files with size,
#                         mtime to the nanosecond, mode and MD5; folders with mtime)
#   expect_state [--files] [NAME [DIR]]  fails unless ./MAILDATA (or DIR) is exactly
#                         as saved (default name: before); --files: folder mtimes aside
#   state_of DIR          prints that state of any folder
#   expect_restored [--force] [NAME [N]]  the restore expectation: the one snapshot
#                         that run N (default 1) wrote passes porestore --verify, and
#                         porestore [--force] of it gives back the state saved as NAME
#                         (files byte for byte with mtimes and modes; folder mtimes
#                         aside, as a snapshot holds files). --force: where a fresh lock
#                         the fixer kept makes porestore refuse
#   snapshot [N]          prints the path of the one snapshot that run N (default 1) wrote
#   checks_clean DIR      run_checks() (check_driver) finds nothing in DIR
#   exists PATH, gone PATH, fail MESSAGE   extra assertions a golden file cannot state
#   hold HOW FILE, release  a background process holds a lock on FILE ("flock -s",
#                         "flock -x", lockf) until release; win_hold MODE FILE,
#                         win_release: the Windows build's counterpart (hold_file.cpp)
#   NOW                   the real clock at the start, in seconds (for gen --now and
#                         p1clean --now, so ages are exact)
# tests/cli/<tool>/helpers.sh, where it exists, is sourced before each cmd of that
# tool: fixtures shared by its cases (porestore's `fix`, for one).
#
# Normalisation, applied to the recorded out/err files only, after `cmd` has run
# (so the case's own greps see the raw text) and before comparing or updating:
#   - the case folder's path -> <T>
#   - snapshot file names (YYYYMMDDTHHMMSSZ-TOOL-PID[-N].tar.gz) -> <SNAPSHOT>, or
#     <SNAPSHOT-2>, <SNAPSHOT-3>... by the order the case's runs wrote them; a name
#     no file under <T> had (a removed partial snapshot) -> <SNAPSHOT-UNSEEN>
#   - "pid N" -> "pid <PID>" (lock holders; porestore's "taken by"), and
#     "(pid <PID> on HOST)" -> "(pid <PID> on <HOST>)"
#   - ".tar.gz: offset N" -> ".tar.gz: offset <N>", the OFFSET column of a report
#     row whose FILE is a .tar.gz -> <N>, and in --json output an "offset" within
#     the two lines after a "file" that is a .tar.gz -> <N>: an offset into an
#     archive whose bytes hold the time and pid it was written with (or the case
#     folder's name)
#   - a toolkit temporary's run token ".mspo-tmp.<16 hex>." -> ".mspo-tmp.<TOKEN>."
#   - a UTC time "YYYY-MM-DDTHH:MM:SSZ" within the seconds the case ran -> <NOW>
#     (fixed times, such as pogen's default 1999-06-01T12:00:00Z, stay)
# Nothing else is rewritten: ages are exact because cases pass --now.
#
# MSPO_TOOL_EMULATOR (set by golden.cmake to CMAKE_CROSSCOMPILING_EMULATOR,
# wine, in the Windows build): every tool is run through a wrapper that runs
# it under the emulator and, before the case sees its stdout and stderr, ends
# their lines in LF, not CRLF, and writes the paths wine shows the Linux way:
# Z:\tmp\x (wine's drive for /) as /tmp/x, and the separator the .exe puts
# after a name typed without one (MAILDATA\GLB: a backslash, one or two in
# JSON, within a word of ASCII letters, digits, ., _, -, < and > that starts
# a line or follows a blank, ", (, comma, = or :, and before an upper-case
# letter, a digit, < or _) as /. Not within a path on another drive than Z:
# (M:\MAILEXE\EXTERNAL.EXE in a help text: the tool's own words), a value
# the tool quotes as typed ('..\ESCAPE.P1') or a name's bytes shown as text
# (B\0P in garbage a report quotes). So the same goldens hold.
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: golden.sh CASE_DIR [NAME=PATH]..." >&2; exit 2; }
case_dir=$(cd "$1" && pwd)
shift
case_name=$(basename "$(dirname "$(dirname "$case_dir")")")/$(basename "$case_dir")
declare -A TOOLS=()
for a in "$@"; do
  [[ $a == *=* ]] || { echo "golden.sh: expected NAME=PATH, not $a" >&2; exit 2; }
  TOOLS[${a%%=*}]=$(readlink -f "${a#*=}")
done
[ -f "$case_dir/cmd" ] || { echo "golden.sh: no cmd in $case_dir" >&2; exit 2; }

ROOT=$(mktemp -d "${TMPDIR:-/tmp}/golden.XXXXXX")
T=$ROOT/t G=$ROOT/g
mkdir "$T" "$G"
chmod 755 "$ROOT" "$T"
echo 0 >"$G/runs"
: >"$G/snapshots"
cleanup() {
  local j
  for j in $(jobs -p); do kill "$j" 2>/dev/null || true; done
  chmod -R u+w "$ROOT" 2>/dev/null || true
  rm -rf "$ROOT"
}
trap cleanup EXIT
if [ -n "${MSPO_TOOL_EMULATOR:-}" ]; then
  mkdir "$G/bin"
  cat >"$G/bin/normalise.pl" <<'PERL'
s/\r$//;
s{Z:((?:\\\\?[^\\\s"\x27,;()]+)+)}{my $p = $1; $p =~ s/\\\\?/\//g; $p}ge;
s{(\b[A-Y]:\\[^\s"\x27]*)|(?<![^\s"(,=:])([A-Za-z0-9._<>-]+(?:\\\\?[A-Z0-9<_][A-Za-z0-9._<>-]*)+)}{defined $1 ? $1 : do { my $p = $2; $p =~ s{\\\\?}{/}g; $p }}ge;
PERL
  for t in "${!TOOLS[@]}"; do
    {
      echo '#!/usr/bin/env bash'
      printf '%q %q "$@" >"$0.$$.out" 2>"$0.$$.err"\n' "$MSPO_TOOL_EMULATOR" "${TOOLS[$t]}"
      echo 'rc=$?'
      echo 'n=${0%/*}/normalise.pl'
      echo 'perl -p "$n" "$0.$$.out"; perl -p "$n" "$0.$$.err" >&2; rm -f "$0.$$.out" "$0.$$.err"; exit $rc'
    } >"$G/bin/$t"
    chmod 755 "$G/bin/$t"
    TOOLS[$t]=$G/bin/$t
  done
fi
cd "$T"
NOW=$(date +%s)
START=$NOW

fail() { echo "FAIL [$case_name]: $*" >&2; exit 1; }
tool() {
  [ -n "${TOOLS[$1]:-}" ] || fail "tool $1 was not given to golden.sh"
  printf '%s\n' "${TOOLS[$1]}"
}
# gen [POGEN OPTIONS]: writes ./MAILDATA
gen() {
  "$(tool pogen)" "$@" MAILDATA >pogen.out 2>pogen.err || { cat pogen.out pogen.err >&2; fail "pogen $*"; }
}
# spec LINE...: writes ./po.spec, one argument per line
spec() { printf '%s\n' "$@" >po.spec; }
# poke FILE OFFSET BYTE...: overwrites bytes (hex) at a decimal offset
poke() {
  local file=$1 off=$2 fmt="" b
  shift 2
  for b in "$@"; do fmt+="\\x$b"; done
  # shellcheck disable=SC2059
  printf "$fmt" | dd of="$file" bs=1 seek="$off" conv=notrunc status=none
}
# put FILE OFFSET TEXT: overwrites ASCII text at a decimal offset
put() {
  local hex
  hex=$(printf '%s' "$3" | od -An -tx1)
  # shellcheck disable=SC2086
  poke "$1" "$2" $hex
}
# flip FILE OFFSET [MASK]: XORs the byte at OFFSET with MASK (hex, default 04)
flip() {
  local old
  old=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
  [ -n "$old" ] || fail "flip: $1 has no byte at $2"
  poke "$1" "$2" "$(printf '%02x' $((old ^ 0x${3:-04})))"
}

# Snapshots are found by name anywhere under <T>; each new one gets the next number.
snapshot_pattern='[0-9]{8}T[0-9]{6}Z-[A-Za-z0-9_-]+\.tar\.gz'
note_snapshots() {
  local f
  find "$T" -type f -regextype posix-extended -regex ".*/$snapshot_pattern" -printf '%T@ %p\n' |
    LC_ALL=C sort -n | cut -d' ' -f2- | while read -r f; do
    grep -qxF "$f" "$G/snapshots" || { echo "$f" >>"$G/snapshots" && echo "$f"; }
  done
}
# run TOOL ARGS...: the Nth run keeps rc, out, err (N = 1) or rc.N, out.N, err.N
run() {
  local exe n sfx as=()
  if [ "$1" = --as-user ]; then
    # (Not under the emulator: wine runs only as the owner of its prefix, and
    # Windows has no user who reads every file as root does; the tool runs as
    # the case's own user.)
    [ "$(id -u)" != 0 ] || [ -n "${MSPO_TOOL_EMULATOR:-}" ] || as=(setpriv --reuid=65534 --regid=65534 --clear-groups)
    shift
  fi
  exe=$(tool "$1")
  shift
  n=$(($(cat "$G/runs") + 1))
  echo "$n" >"$G/runs"
  sfx=""
  [ "$n" = 1 ] || sfx=.$n
  note_snapshots >/dev/null
  set +e
  "${as[@]}" "$exe" "$@" >"out$sfx" 2>"err$sfx"
  RC=$?
  set -e
  echo "$RC" >"rc$sfx"
  note_snapshots >"$G/snap.$n"
  LAST=$sfx
}
# An awk program: in --json output, an "offset" within the two lines after a "file"
# that is a .tar.gz -> <N>
# shellcheck disable=SC2016
json_offsets='
/"file": / { left = ($0 ~ /"file": "[^"]*\.tar\.gz",?$/) ? 2 : 0; print; next }
left > 0 { left--; if ($0 ~ /^ *"offset": [0-9]+/) sub(/"offset": [0-9]+/, "\"offset\": <N>") }
{ print }'
# normalise FILE...: rewrites run-specific text (see the top of this file) in place
normalise() {
  local d i=0 f label
  note_snapshots >/dev/null
  {
    for d in "$T" "$(readlink -f "$T")"; do printf 's|%s|<T>|g\n' "$(sed 's/[][\\|.*^$+?(){}]/\\&/g' <<<"$d")"; done
    while read -r f; do
      i=$((i + 1))
      label="<SNAPSHOT>"
      [ "$i" = 1 ] || label="<SNAPSHOT-$i>"
      printf 's|%s|%s|g\n' "$(basename "$f" | sed 's/[.]/\\./g')" "$label"
    done <"$G/snapshots"
    echo "s/$snapshot_pattern/<SNAPSHOT-UNSEEN>/g"
    echo 's/(\.tar\.gz): offset [0-9]+/\1: offset <N>/g'
    echo 's/^([a-z]+ +[a-z0-9.-]+ +[^ ]+\.tar\.gz +[^ ]+ +)[0-9]+ /\1<N> /'
    echo 's/\.mspo-tmp\.[0-9a-f]{16}\./.mspo-tmp.<TOKEN>./g'
    echo 's/\<pid [0-9]+\>/pid <PID>/g'
    echo 's/\(pid <PID> on [^)]*\)/(pid <PID> on <HOST>)/g'
    seq $((START - 1)) $(($(date +%s) + 1)) | sed 's/^/@/' | date -u -f - +'s/%Y-%m-%dT%H:%M:%SZ/<NOW>/g'
  } >"$G/normalise.sed"
  for f in "$@"; do
    [ -f "$f" ] || : >"$f"
    # JSON offsets first, while snapshot names still end in .tar.gz
    # (under the emulator, also Z:\x5ctmp\x5cx: a wine path in a file's escaped text)
    awk "$json_offsets" "$f" | if [ -n "${MSPO_TOOL_EMULATOR:-}" ]; then
      perl -pe 's{Z:((?:\\x5c[^\s\\]+)+)}{my $p = $1; $p =~ s/\\x5c/\//g; $p}ge'
    else cat; fi | sed -E -f "$G/normalise.sed" >"$G/norm" && cat "$G/norm" >"$f"
  done
}
# digest: replaces the last run's stdout (normalised) by its line count, checksum, head and tail
digest() {
  local f=out${LAST-}
  normalise "$f"
  { echo "lines: $(wc -l <"$f")"; echo "md5: $(md5sum <"$f" | cut -d' ' -f1)"; head -5 "$f"; echo ...; tail -12 "$f"; } >"$G/digest"
  mv "$G/digest" "$f"
}
expect_rc() {
  local want=$1 exe rc=0
  exe=$(tool "$2")
  shift 2
  "$exe" "$@" >call.out 2>call.err || rc=$?
  [ "$rc" = "$want" ] || { cat call.out call.err >&2; fail "exit $rc, expected $want: $*"; }
}
# state_of DIR: every path under DIR; files with size, mtime (ns), mode, link target, MD5
# (under MSPO_TOOL_EMULATOR mtimes to the 100 ns that Windows file times hold)
state_of() {
  local cut='s/^//'
  [ -z "${MSPO_TOOL_EMULATOR:-}" ] || cut='s/( [0-9]+\.[0-9]{7})[0-9]+( |$)/\1\2/'
  (cd "$1" && {
    find . -mindepth 1 ! -type d -printf '%y %p %s %T@ %m %l\n'
    find . -mindepth 1 -type d -printf 'd %p %T@ %m\n'
  } | sed -E "$cut" | LC_ALL=C sort && find . -type f -print0 | LC_ALL=C sort -z | xargs -0r md5sum)
}
save_state() { state_of MAILDATA >"$G/state.${1:-before}"; }
# without_dir_times: a state with folder mtimes left out
without_dir_times() { sed -E 's/^(d [^ ]+) [^ ]+ /\1 /' "$1"; }
expect_state() {
  local files=0
  [ "${1:-}" != --files ] || { files=1 && shift; }
  local name=${1:-before} dir=${2:-MAILDATA}
  [ -f "$G/state.$name" ] || fail "no state saved as $name"
  state_of "$dir" >"$G/state.now"
  if [ "$files" = 1 ]; then
    diff <(without_dir_times "$G/state.$name") <(without_dir_times "$G/state.now") >&2
  else
    diff "$G/state.$name" "$G/state.now" >&2
  fi || fail "$dir differs from the state saved as $name"
}
snapshot() {
  local n=${1:-1}
  [ -f "$G/snap.$n" ] || fail "there was no run $n"
  [ "$(wc -l <"$G/snap.$n")" = 1 ] || fail "run $n wrote $(wc -l <"$G/snap.$n") snapshots, expected 1"
  cat "$G/snap.$n"
}
expect_restored() {
  local force=()
  [ "${1:-}" != --force ] || { force=(--force) && shift; }
  local name=${1:-before} snap
  snap=$(snapshot "${2:-1}")
  [ -f "$G/state.$name" ] || fail "no state saved as $name"
  expect_rc 0 porestore --verify "$snap"
  expect_rc 0 porestore "${force[@]}" "$snap" MAILDATA
  note_snapshots >/dev/null
  state_of MAILDATA >"$G/state.now"
  diff <(without_dir_times "$G/state.$name") <(without_dir_times "$G/state.now") >&2 ||
    fail "porestore of run ${2:-1}'s snapshot did not give back the state saved as $name"
}
checks_clean() {
  local rc=0
  "$(tool check_driver)" "$1" >check.out 2>check.err || rc=$?
  [ "$rc" = 0 ] || { cat check.out check.err >&2; fail "findings in $1 (exit $rc)"; }
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
# win_hold MODE FILE: the Windows build's counterpart of hold: the Windows
# program hold_file holds FILE (MODE: lock, lock-shared, deny, deny-write; see
# tests/cli/hold_file.cpp) until win_release (or 30 s). Returns once it holds.
win_hold() {
  rm -f holder.ready holder.release
  "$(tool hold_file)" "$1" "$2" holder.ready holder.release 30 >holder.out 2>holder.err &
  HOLDER=$!
  for _ in $(seq 400); do [ -e holder.ready ] && return 0; sleep 0.05; done
  win_release
  cat holder.out holder.err >&2
  fail "hold_file did not hold $2 within 20 s"
}
# win_release: lets the holder go and waits for it to end
win_release() { : >holder.release; wait "$HOLDER" 2>/dev/null || true; rm -f holder.ready holder.release; }
exists() { [ -e "$1" ] || [ -L "$1" ] || fail "$1 should exist"; }
gone() { [ ! -e "$1" ] && [ ! -L "$1" ] || fail "$1 should be gone"; }

helpers=$(dirname "$(dirname "$case_dir")")/helpers.sh
# shellcheck source=/dev/null
[ ! -f "$helpers" ] || source "$helpers"
trap '[[ $- != *e* ]] || echo "FAIL [$case_name]: cmd line $LINENO failed: $BASH_COMMAND" >&2' ERR
# shellcheck source=/dev/null
source "$case_dir/cmd"
trap - ERR
# Background jobs of the case must not outlive it.
wait

runs=$(cat "$G/runs")
[ "$runs" -gt 0 ] || fail "the case never called run"
recorded() { # N -> the suffix of run N's files
  [ "$1" = 1 ] && echo "" || echo ".$1"
}
for n in $(seq 1 "$runs"); do normalise "out$(recorded "$n")" "err$(recorded "$n")"; done

# Under the emulator, tests/cli/<tool>/windows.sed (where it exists) turns the
# goldens into what Windows prints: a line only Windows prints (or never
# prints) is stated there, with the reason, not left out of the comparison.
windows_sed=""
if [ -n "${MSPO_TOOL_EMULATOR:-}" ] && [ ! -f "$case_dir/only-windows" ] && [ -f "$(dirname "$(dirname "$case_dir")")/windows.sed" ]; then
  windows_sed=$(dirname "$(dirname "$case_dir")")/windows.sed
fi

if [ "${MSPO_UPDATE_GOLDEN:-0}" = 1 ]; then
  # The goldens are what Linux prints; Windows' differences are in windows.sed.
  # (A case that runs only on Windows has only Windows goldens.)
  [ -z "${MSPO_TOOL_EMULATOR:-}" ] || [ -f "$case_dir/only-windows" ] ||
    fail "MSPO_UPDATE_GOLDEN=1 under the emulator: update the goldens from the Linux build"
  for n in $(seq 1 "$runs"); do
    s=$(recorded "$n")
    cp "rc$s" "$case_dir/rc$s"
    cp "out$s" "$case_dir/stdout$s"
    if [ -s "err$s" ]; then cp "err$s" "$case_dir/stderr$s"; else rm -f "$case_dir/stderr$s"; fi
  done
  for f in "$case_dir"/rc.* "$case_dir"/stdout.* "$case_dir"/stderr.*; do
    [ -e "$f" ] || continue
    n=${f##*.}
    [[ $n =~ ^[0-9]+$ ]] && [ "$n" -gt "$runs" ] && rm -f "$f"
  done
  echo "updated $case_name ($runs runs)"
  exit 0
fi

status=0
for f in "$case_dir"/rc* "$case_dir"/stdout* "$case_dir"/stderr*; do
  [ -e "$f" ] || continue
  b=$(basename "$f")
  n=1
  [[ $b == *.* ]] && n=${b##*.}
  [[ $n =~ ^[0-9]+$ ]] && [ "$n" -ge 1 ] && [ "$n" -le "$runs" ] && [ "$b" != "${b%%.*}.1" ] ||
    { echo "golden file $b names no run (the case ran $runs times)" >&2; status=1; }
done
for n in $(seq 1 "$runs"); do
  s=$(recorded "$n")
  what="run $n"
  [ -f "$case_dir/rc$s" ] || { echo "$what: golden rc$s is missing" >&2; status=1; continue; }
  [ -f "$case_dir/stdout$s" ] || { echo "$what: golden stdout$s is missing" >&2; status=1; continue; }
  if [ -f "$case_dir/stderr$s" ]; then cp "$case_dir/stderr$s" "$G/want.err"; else : >"$G/want.err"; fi
  cp "$case_dir/stdout$s" "$G/want.out"
  if [ -n "$windows_sed" ]; then
    sed -E -i -f "$windows_sed" "$G/want.out"
    sed -E -i -f "$windows_sed" "$G/want.err"
  fi
  diff -u "$case_dir/rc$s" "rc$s" >&2 || { echo "$what: exit code differs" >&2; status=1; }
  diff -u "$G/want.out" "out$s" >&2 || { echo "$what: stdout differs" >&2; status=1; }
  diff -u "$G/want.err" "err$s" >&2 || { echo "$what: stderr differs" >&2; status=1; }
done
[ "$status" = 0 ] || fail "output differs from the golden files"
echo "ok [$case_name] ($runs runs)"
