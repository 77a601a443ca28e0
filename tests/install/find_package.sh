# `cmake --install` installs a CMake package: a consumer project finds it
# with find_package(heapflame), links heapflame::heapflame (the shared
# library, run through the install's RPATH-less path with LD_LIBRARY_PATH)
# and heapflame::heapflame_static, and both fold a profile as pprof does.
# The package's version, pkg-config's and --version are the one
# project(VERSION) of CMakeLists.txt.
. "$SRC/tests/lib.sh"

prefix="$WORK/prefix"
check "cmake --install" cmake --install "$BUILD" --prefix "$prefix"
want=$(sed -n 's/^project(heapflame VERSION \([0-9.]*\).*/\1/p' "$SRC/CMakeLists.txt")
check "project(VERSION) read" test -n "$want"
check "--version is project(VERSION)" sh -c "'$prefix/bin/heapflame' --version | grep -qx 'heapflame $want'"
pc=$(find "$prefix" -name heapflame.pc | head -1)
check "pkg-config --modversion is project(VERSION)" \
  test "$(PKG_CONFIG_PATH=$(dirname "$pc") pkg-config --modversion heapflame)" = "$want"
check "the version header says it too" grep -q "HF_VERSION \"$want\"" "$prefix/include/heapflame_version.h"

lib=$(dirname "$(dirname "$pc")")
check "shared library installed" test -f "$lib/libheapflame.so"
check "static library installed" test -f "$lib/libheapflame.a"
check "CMake package installed" test -f "$lib/cmake/heapflame/heapflameConfig.cmake"

# The build's own compiler: a sanitized library needs that compiler's runtime.
cc=$(sed -n 's/^CMAKE_C_COMPILER:[A-Z]*=//p' "$BUILD/CMakeCache.txt")
check "consumer configures with find_package" \
  cmake -S "$SRC/tests/install/cmake-consumer" -B "$WORK/consumer" -DCMAKE_PREFIX_PATH="$prefix" \
    -DCMAKE_C_COMPILER="${cc:-cc}" \
    -DCONSUMER_C="$SRC/tests/install/consumer.c" -DHF_SANITIZE="${HF_SANITIZE:-}"
check "consumer builds" cmake --build "$WORK/consumer"
check "find_package found version $want" test "$(cat "$WORK/consumer/found-version")" = "$want"

# A profile and its pprof golden from the repository's own tests/data.
LD_LIBRARY_PATH="$lib" "$WORK/consumer/consumer_shared" "$DATA/heap-small.pb.gz" > "$WORK/shared.out"
check "shared consumer folds like pprof" cmp -s "$WORK/shared.out" "$DATA/heap-small.inuse_space.folded"
check "shared consumer runs on libheapflame.so" \
  sh -c "LD_LIBRARY_PATH='$lib' ldd '$WORK/consumer/consumer_shared' | grep -q 'libheapflame.so.0 => $lib'"
"$WORK/consumer/consumer_static" "$DATA/heap-small.pb.gz" > "$WORK/static.out"
check "static consumer folds like pprof" cmp -s "$WORK/static.out" "$DATA/heap-small.inuse_space.folded"
check "static consumer needs no libheapflame.so" \
  sh -c "! ldd '$WORK/consumer/consumer_static' | grep -q libheapflame"
finish
