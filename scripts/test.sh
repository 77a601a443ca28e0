#!/bin/sh
# The CI matrix (docs/building.md says why it is this one): installs what the
# tests need, then builds heapflame several ways, all with -Werror, and runs
# the test suite under CTest:
#
#   gcc-debinfo    gcc, RelWithDebInfo             the whole suite
#   clang-asan     clang, ASan+UBSan, Debug        the whole suite but the browser
#                  (-fno-sanitize-recover=all)     tests (fuzz corpora replayed;
#                                                  must-fail, limits)
#   gcc-release    gcc, Release (-O3)              build + the quick subset
#   clang-release  clang, Release (-O3)            build + the quick subset
#   minimal        gcc, no libcurl, no Graphviz    build + the quick subset and
#                                                  the graph and URL tests (which
#                                                  must skip what needs them)
#   tsan           gcc, ThreadSanitizer            the library only: its tests
#                                                  (8 threads at once, work split
#                                                  over two threads, exports)
#   deb            the .deb: built, installed, run, purged (as root only)
#
#   sh scripts/test.sh              every step, in that order
#   sh scripts/test.sh STEP...      only those steps (after the dependencies)
#
# Each step's time is printed at the end; the first failure stops the run.
set -eu
cd "$(dirname "$0")/.."

sh scripts/install-deps.sh
# Node keeps a CA list of its own: let npm and the tests trust the
# system's too (where a proxy's CA is installed, say).
if [ -z "${NODE_EXTRA_CA_CERTS:-}" ] && [ -f /etc/ssl/certs/ca-certificates.crt ]; then
  export NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
fi
# playwright-core stays on 1.61, the last for Debian 12's Node.js 18.
[ ! -f tests/browser/package.json ] || (cd tests/browser && npm install --no-audit --no-fund)

jobs=$(nproc 2>/dev/null || echo 2)
# The quick subset of the builds that do not run everything: unit tests,
# the CLI's usage and errors, every fuzz corpus and the must-fail inputs
# replayed, the docs/man page check and the install (pkg-config and CMake
# package consumers).
quick='^(unit|cli|fuzz|docs|install)$'
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

# configure DIR CC CMAKE_ARGS...: a -Werror build of the tree in DIR.
configure() {
  dir=$1
  cc=$2
  shift 2
  cmake -S . -B "$dir" -DCMAKE_C_COMPILER="$cc" -DHEAPFLAME_WERROR=ON "$@"
  cmake --build "$dir" -j "$jobs"
}

# suite DIR [CTEST_ARGS...]: the tests of DIR (all of them without args).
suite() {
  dir=$1
  shift
  (cd "$dir" && ctest --output-on-failure -j "$jobs" "$@")
}

step_gcc_debinfo() {
  configure build gcc -DCMAKE_BUILD_TYPE=RelWithDebInfo
  suite build
}

step_clang_asan() {
  configure build-clang-asan clang -DCMAKE_BUILD_TYPE=Debug \
    -DHEAPFLAME_SANITIZE=address,undefined -DHEAPFLAME_DEBUG_ARENA=ON
  # The browser tests test the page's JavaScript, which the sanitizers do
  # not see; the C that writes those pages runs here in the structure tests.
  suite build-clang-asan -LE '^browser$'
}

step_gcc_release() {
  configure build-release gcc -DCMAKE_BUILD_TYPE=Release
  suite build-release -L "$quick"
}

step_clang_release() {
  configure build-clang-release clang -DCMAKE_BUILD_TYPE=Release
  suite build-clang-release -L "$quick"
}

step_minimal() {
  configure build-minimal gcc -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DHEAPFLAME_WITH_CURL=OFF -DHEAPFLAME_WITH_GRAPHVIZ=OFF
  build-minimal/heapflame --version | grep -qx 'features: .*-curl -graphviz' || {
    echo "minimal: heapflame still has libcurl or Graphviz" >&2
    return 1
  }
  suite build-minimal -L '^(unit|cli|fuzz|docs|install|graph|sources)$'
}

# ThreadSanitizer: the library used from 8 threads at once
# (tests/library/test_threads.c) and its exports. Only the library and
# what those tests need are built: the rest of the suite is single-threaded
# and runs in the other builds. GLib and fontconfig are not instrumented:
# tests/library/tsan.supp says why their insides are not reported.
step_tsan() {
  cmake -S . -B build-tsan -DCMAKE_C_COMPILER=gcc -DHEAPFLAME_WERROR=ON \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHEAPFLAME_SANITIZE=thread -DHEAPFLAME_BUILD_BENCH=OFF
  cmake --build build-tsan -j "$jobs" --target test_threads test_parallel heapflame_shared
  suite build-tsan -L '^library$'
}

step_deb() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "deb: skipped (installing the package needs root)"
    return 0
  fi
  sh scripts/ci-deb.sh build-deb
}

steps=${*:-gcc-debinfo clang-asan gcc-release clang-release minimal tsan deb}
times=""
for s in $steps; do
  start=$(date +%s)
  echo "==== $s"
  "step_$(echo "$s" | tr - _)"
  took=$(($(date +%s) - start))
  times="$times$(printf '%-14s %4d min %02d s' "$s" $((took / 60)) $((took % 60)))
"
  echo "==== $s: ${took} s"
done
printf '\nCI steps:\n%s' "$times"
