#!/bin/sh
# Runs one libFuzzer target for a set time:
#   tests/fuzz/run.sh TARGET SECONDS [BUILD_DIR]
# BUILD_DIR (default build-fuzz) must be configured with
#   CC=clang cmake -S . -B build-fuzz -DHEAPFLAME_BUILD_FUZZERS=ON \
#     -DHEAPFLAME_SANITIZE=address,undefined -DHEAPFLAME_DEBUG_ARENA=ON
# New inputs go to BUILD_DIR/fuzz-corpus/TARGET (the committed seeds in
# tests/fuzz/corpus/TARGET are read, never written); crashes go to
# BUILD_DIR/fuzz-artifacts/. Copy a crash into tests/fuzz/corpus/TARGET
# once it is fixed, so the replay test keeps it fixed.
set -eu
[ $# -ge 2 ] || { echo "usage: $0 TARGET SECONDS [BUILD_DIR]" >&2; exit 1; }
target=$1
seconds=$2
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${3:-$src/build-fuzz}
bin=$build/tests/fuzz/fuzz_$target
[ -x "$bin" ] || { echo "$bin not built (see the header of $0)" >&2; exit 1; }
mkdir -p "$build/fuzz-corpus/$target" "$build/fuzz-artifacts"
dict=
[ -f "$src/tests/fuzz/$target.dict" ] && dict="-dict=$src/tests/fuzz/$target.dict"
# shellcheck disable=SC2086
exec "$bin" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
  -print_final_stats=1 -artifact_prefix="$build/fuzz-artifacts/$target-" $dict \
  "$build/fuzz-corpus/$target" "$src/tests/fuzz/corpus/$target"
