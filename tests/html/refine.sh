# The page's refine boxes at scale (tests/browser/refine.test.mjs): on a
# profile made by heapflame_gen whose refined call tree has millions of
# nodes (a refine over 4,000,000 nodes was once refused), a focus and a
# hide give our CLI's --top with the same flags, and the flame graph is
# drawn cut with exact widths. Skipped (77) without Chromium,
# playwright-core or heapflame_gen (failed under CI=true).
. "$SRC/tests/lib.sh"

need_browser
[ -x "${HEAPFLAME_GEN:-}" ] || skip "heapflame_gen is not built (HEAPFLAME_BUILD_BENCH=OFF)"
"$HEAPFLAME_GEN" -stacks 100000 -seed 1 -o "$WORK/big.pb.gz" > /dev/null 2>&1
check "heapflame_gen wrote a profile" test -s "$WORK/big.pb.gz"
"$HEAPFLAME" --html "$WORK/big.pb.gz" > "$WORK/big.html" 2> "$WORK/err"
check "--html: $(head -c 200 "$WORK/err")" test -s "$WORK/big.html"
browser_test refine.test.mjs HEAPFLAME="$HEAPFLAME" PROFILE="$WORK/big.pb.gz" REPORT=big.html
finish
