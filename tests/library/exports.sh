# libheapflame exports exactly the functions include/heapflame.h declares
# (HF_EXTERN): no test hook, no hf__ internal, nothing missing. The
# shared library (cmake/install.cmake builds it beside the archive) is
# read with nm -D --defined-only. A static-only build is read with readelf:
# the GLOBAL symbols of DEFAULT visibility in its objects (all else is
# compiled hidden) are exactly what a shared build of them exports.
. "$SRC/tests/lib.sh"

lib=$(ls "$BUILD"/libheapflame.so.*.*.* 2>/dev/null | head -1)
if [ -n "$lib" ]; then
  how="nm -D $(basename "$lib")"
  nm -D --defined-only "$lib" | awk '$2 ~ /^[TDBR]$/ { print $3 }' | sort -u > "$WORK/exported"
elif [ -f "$BUILD/libheapflame.a" ]; then
  how="readelf libheapflame.a"
  readelf -sW "$BUILD/libheapflame.a" |
    awk '$5 == "GLOBAL" && $6 == "DEFAULT" && $7 != "UND" { print $8 }' | sort -u > "$WORK/exported"
else
  echo "no libheapflame.so or libheapflame.a in $BUILD" >&2
  exit 1
fi
# The declarations: HF_EXTERN <type> <name>(
sed -n 's/^HF_EXTERN[^(]*[ *]\(hf_[a-z0-9_]*\)(.*/\1/p' "$SRC/include/heapflame.h" | sort -u > "$WORK/declared"

check "the header declares functions" test -s "$WORK/declared"
check "the library exports symbols ($how)" test -s "$WORK/exported"
if cmp -s "$WORK/declared" "$WORK/exported"; then
  pass
else
  fail "exports ($how) differ from the header: $(diff "$WORK/declared" "$WORK/exported" | grep '^[<>]' | head -20 | tr '\n' ' ')"
fi
# Every HF_EXTERN line names one function (a declaration the sed above
# missed would be a hole in this test).
n_extern=$(grep -c '^HF_EXTERN' "$SRC/include/heapflame.h")
n_declared=$(wc -l < "$WORK/declared")
check "every HF_EXTERN line parsed ($n_extern lines, $n_declared names)" test "$n_extern" -eq "$n_declared"
finish
