# Shared helpers for the shell tests. Source it: . "$SRC/tests/lib.sh"
set -u
: "${HEAPFLAME:?}" "${FIXTURES:?}" "${SRC:?}" "${WORK:?}"
rm -rf "$WORK"
mkdir -p "$WORK"

hf_failures=0
hf_checks=0

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
  if [ -f "$FIXTURES/$1" ]; then
    cat "$FIXTURES/$1"
  elif [ -f "$FIXTURES/$1.xz" ]; then
    xz -dc "$FIXTURES/$1.xz"
  else
    echo "missing golden $1" >&2
    return 1
  fi
}

# golden_exists NAME: true if NAME or NAME.xz is a fixture.
golden_exists() {
  [ -f "$FIXTURES/$1" ] || [ -f "$FIXTURES/$1.xz" ]
}

# Profiles in the fixtures made by the runtime or pprof's package.
proto_fixtures() {
  for f in "$FIXTURES"/*.pb.gz "$FIXTURES"/*.pb; do
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
  "$HEAPFLAME" --list-types "$FIXTURES/$1" | awk '{split($2, a, "/"); print a[1]}'
}

finish() {
  echo "$hf_checks checks, $hf_failures failed"
  [ "$hf_failures" -eq 0 ] && [ "$hf_checks" -gt 0 ]
}

# need_go: exits unless Go is installed, then gives it a home, caches and a
# time zone of its own under $WORK (pprof prints times in local time).
need_go() {
  if ! command -v go > /dev/null 2>&1; then
    echo "go is not installed (scripts/install-deps.sh installs golang-go)" >&2
    exit 1
  fi
  export HOME="$WORK/home" GOCACHE="$WORK/gocache" GOPATH="$WORK/gopath" TZ=UTC
  mkdir -p "$HOME"
}

