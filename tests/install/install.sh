# `cmake --install` puts the CLI, library, header and heapflame.pc in place;
# a program built only with pkg-config's flags links and works, and the
# header compiles alone as strict C11 and as C++.
. "$SRC/tests/lib.sh"
# The repository's own profiles and pprof goldens (tests/data).
GOLDENS=$DATA

prefix="$WORK/prefix"
check "cmake --install" cmake --install "$BUILD" --prefix "$prefix"
check "CLI installed" test -x "$prefix/bin/heapflame"
check "header installed" test -f "$prefix/include/heapflame.h"
pc=$(find "$prefix" -name heapflame.pc | head -1)
check "heapflame.pc installed" test -n "$pc"

export PKG_CONFIG_PATH
PKG_CONFIG_PATH=$(dirname "$pc")
# -lheapflame links libheapflame.so where both libraries are installed.
export LD_LIBRARY_PATH
LD_LIBRARY_PATH=$(dirname "$(dirname "$pc")")
# The build's own compiler: a sanitized library needs that compiler's runtime.
cc=$(sed -n 's/^CMAKE_C_COMPILER:[A-Z]*=//p' "$BUILD/CMakeCache.txt")
cflags=$(pkg-config --cflags heapflame)
libs=$(pkg-config --static --libs heapflame)
# A sanitized library needs its runtime in the consumer too.
[ -z "${HF_SANITIZE:-}" ] || libs="$libs -fsanitize=$HF_SANITIZE"
# shellcheck disable=SC2086
check "consumer builds with pkg-config flags" \
  "${cc:-cc}" -std=c11 -Wall -Werror $cflags -o "$WORK/consumer" "$SRC/tests/install/consumer.c" $libs
"$WORK/consumer" "$GOLDENS/heap-small.pb.gz" > "$WORK/got"
check "consumer folds like pprof" cmp -s "$WORK/got" "$GOLDENS/heap-small.inuse_space.folded"

# raw-uncompressed.pb is heap-small.pb.gz gunzipped
"$prefix/bin/heapflame" --folded -alloc_space "$GOLDENS/raw-uncompressed.pb" > "$WORK/cli"
check "installed CLI works" cmp -s "$WORK/cli" "$GOLDENS/heap-small.alloc_space.folded"

echo '#include <heapflame.h>' > "$WORK/header.c"
check "header alone, strict C11" \
  cc -std=c11 -pedantic -Wall -Wextra -Werror -I"$prefix/include" -c "$WORK/header.c" -o "$WORK/h.o"
if command -v c++ > /dev/null; then
  check "header alone, C++" \
    c++ -x c++ -std=c++11 -pedantic -Wall -Wextra -Werror -I"$prefix/include" -c "$WORK/header.c" -o "$WORK/hpp.o"
fi
finish
