# Shared helpers for the shell tests. Source it: . "$SRC/tests/lib.sh"
#
# FIXTURES is the larger shared fixture set beside the repository
# (../shared/fixtures), which a clone on its own does not have; GOLDENS is
# the set a golden test compares against: FIXTURES, or the repository's own
# tests/data (hf_add_golden_test registers both runs). golden,
# golden_exists, proto_fixtures and sample_types read GOLDENS.
#
# A test that cannot run exits 77, which CTest reports as skipped
# (SKIP_RETURN_CODE): need_fixtures when the set it needs is absent;
# need_go and need_browser when a tool is missing, except with CI=true,
# where a missing tool fails the test because CI must run everything.
set -u
: "${HEAPFLAME:?}" "${FIXTURES:?}" "${SRC:?}" "${WORK:?}"
GOLDENS=${GOLDENS:-$FIXTURES}
DATA=$SRC/tests/data
rm -rf "$WORK"
mkdir -p "$WORK"

hf_failures=0
hf_checks=0
hf_skipped=0

fail() {
  echo "FAIL: $*" >&2
  hf_failures=$((hf_failures + 1))
}

pass() {
  hf_checks=$((hf_checks + 1))
}

# check DESCRIPTION COMMAND...: the command must succeed.
check() {
  desc=$1
  shift
  if "$@"; then pass; else fail "$desc"; fi
}

# golden FILE: prints a golden's content, decompressing .xz.
golden() {
  if [ -f "$GOLDENS/$1" ]; then
    cat "$GOLDENS/$1"
  elif [ -f "$GOLDENS/$1.xz" ]; then
    xz -dc "$GOLDENS/$1.xz"
  else
    echo "missing golden $1" >&2
    return 1
  fi
}

# golden_exists NAME: true if NAME or NAME.xz is a fixture.
golden_exists() {
  [ -f "$GOLDENS/$1" ] || [ -f "$GOLDENS/$1.xz" ]
}

# Profiles in the fixtures made by the runtime or pprof's package.
proto_fixtures() {
  for f in "$GOLDENS"/*.pb.gz "$GOLDENS"/*.pb; do
    [ -f "$f" ] && basename "$f"
  done
}

# fixture_name FILE: NAME without .pb.gz / .pb / .txt
fixture_name() {
  n=$1
  n=${n%.gz}
  n=${n%.pb}
  n=${n%.txt}
  echo "$n"
}

# sample_types FILE: the sample type names of a fixture, one per line.
sample_types() {
  "$HEAPFLAME" --list-types "$GOLDENS/$1" | awk '{split($2, a, "/"); print a[1]}'
}

# skip_part WHY: a part of the test cannot run here (a tool is missing);
# the rest runs, and finish reports the test as skipped unless something
# failed. Under CI=true the part fails instead.
skip_part() {
  if [ "${CI:-}" = true ]; then
    fail "$* (CI=true: every test must run)"
    return
  fi
  echo "SKIPPED PART: $*"
  hf_skipped=$((hf_skipped + 1))
}

# refused STATUS DESCRIPTION OUT GREP-OPTION PATTERN COMMAND...: COMMAND
# must exit with STATUS, print one line on stderr that matches PATTERN
# (grep GREP-OPTION: -F fixed, -E extended), nothing on stdout, and leave
# no file OUT ("-" when the command names none).
refused() {
  want=$1 desc=$2 out=$3 opt=$4 pat=$5
  shift 5
  [ "$out" = - ] || rm -f "$out"
  "$@" > "$WORK/refused.stdout" 2> "$WORK/err"
  rc=$?
  msg=$(head -c 300 "$WORK/err")
  check "$desc: exit $want (got $rc)" test "$rc" -eq "$want"
  check "$desc: one line on stderr (got: $msg)" test "$(wc -l < "$WORK/err")" -eq 1
  check "$desc: message '$pat' (got: $msg)" grep -q "$opt" -- "$pat" "$WORK/err"
  check "$desc: nothing on stdout" test ! -s "$WORK/refused.stdout"
  [ "$out" = - ] || check "$desc: no output file left" test ! -e "$out"
}

# expect_error NAME CONTENT MESSAGE: the input CONTENT (a printf format),
# written to $WORK/NAME, is refused with "heapflame: $WORK/NAME: MESSAGE"
# and exit 2, nothing written.
expect_error() {
  printf "$2" > "$WORK/$1"
  refused 2 "$1" "$WORK/$1.out" -F "heapflame: $WORK/$1: $3" \
    "$HEAPFLAME" --folded -o "$WORK/$1.out" "$WORK/$1"
}

# browser_test SCRIPT [VAR=VALUE...]: runs tests/browser/SCRIPT over $WORK
# in node, with those variables; it fails this test when a check of its
# fails.
browser_test() {
  script=$1
  shift
  if env HOME="$WORK" "$@" node "$SRC/tests/browser/$script" "$WORK" > "$WORK/node.out" 2>&1; then
    pass
  else
    fail "browser test: $(grep -v '^ *at ' "$WORK/node.out" | tail -30)"
  fi
  cat "$WORK/node.out"
}

# finish: the test's result: failed if a check failed or none ran, else
# skipped (exit 77) if a part was skipped, else passed.
finish() {
  echo "$hf_checks checks, $hf_failures failed, $hf_skipped parts skipped"
  [ "$hf_failures" -eq 0 ] && [ "$hf_checks" -gt 0 ] || return 1
  [ "$hf_skipped" -eq 0 ] || exit 77
}

# skip WHY: the test cannot run here; CTest counts it as skipped.
skip() {
  echo "SKIPPED: $*"
  exit 77
}

# missing_tool WHY: skipped, or failed under CI=true.
missing_tool() {
  if [ "${CI:-}" = true ]; then
    echo "FAIL: $* (CI=true: every test must run)" >&2
    exit 1
  fi
  skip "$*"
}

# need_fixtures: skipped unless the fixture set in GOLDENS (by default the
# shared FIXTURES) is there. Point CMake at another copy with
# -DHEAPFLAME_FIXTURES=DIR.
need_fixtures() {
  [ -f "$GOLDENS/README.md" ] \
    || skip "fixtures not found at $GOLDENS (the shared set beside the repository; -DHEAPFLAME_FIXTURES=DIR)"
}

# on_shared: true when this run compares against the shared FIXTURES, for
# checks tied to those exact profiles (the tests/data run leaves them out).
on_shared() {
  [ "$GOLDENS" = "$FIXTURES" ]
}

# have_browser: node, playwright-core (npm install in tests/browser) and
# Chromium are all there.
have_browser() {
  [ -d "$SRC/tests/browser/node_modules/playwright-core" ] && command -v node > /dev/null 2>&1 \
    && [ -x "${CHROMIUM:-/usr/bin/chromium}" ]
}

# need_browser: skipped (failed under CI=true) without have_browser.
need_browser() {
  have_browser || missing_tool "no node, playwright-core (npm install in tests/browser; scripts/test.sh does) or ${CHROMIUM:-/usr/bin/chromium} (scripts/install-deps.sh)"
}

# need_go: skipped (failed under CI=true) unless Go is installed, then gives
# it a home, caches and a time zone of its own under $WORK (pprof prints
# times in local time).
need_go() {
  if ! command -v go > /dev/null 2>&1; then
    missing_tool "go is not installed (scripts/install-deps.sh installs golang-go)"
  fi
  export HOME="$WORK/home" GOCACHE="$WORK/gocache" GOPATH="$WORK/gopath" TZ=UTC
  mkdir -p "$HOME"
}

