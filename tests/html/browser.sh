# The HTML report in headless Chromium (tests/browser/report.test.mjs):
# every view against pprof's goldens (top, peek) and our CLI (--top with
# filters), type switch, selection linking, refine, URL state, diffs, no
# network, hostile names. Skipped (77) without Chromium or playwright-core
# (failed under CI=true).
. "$SRC/tests/lib.sh"

need_fixtures
need_browser

for n in heap-small cpu-small heap-inline; do
  check "$n.html" "$HEAPFLAME" --html -o "$WORK/$n.html" "$FIXTURES/$n.pb.gz"
done
check "diff.html" "$HEAPFLAME" --html -base "$FIXTURES/heap-base.pb.gz" -o "$WORK/diff.html" "$FIXTURES/heap-later.pb.gz"
check "hostile.html" "$HEAPFLAME" --html -o "$WORK/hostile.html" "$SRC/tests/escaping/hostile-names.pb.gz"
# our CLI's --top under the filters the test types into the page
for t in alloc_space inuse_objects; do
  check "refined top $t" sh -c "'$HEAPFLAME' --top -sample_index=$t -nodecount=0 -nodefraction=0 -edgefraction=0 \
    -focus='main\\.handle' -hide='^runtime\\.' '$FIXTURES/heap-small.pb.gz' > '$WORK/refined.$t.top.txt'"
  check "ignored top $t" sh -c "'$HEAPFLAME' --top -sample_index=$t -nodecount=0 -nodefraction=0 -edgefraction=0 \
    -ignore='json' -show='^(main|encoding|bytes)' '$FIXTURES/heap-small.pb.gz' > '$WORK/ignored.$t.top.txt'"
done

if HOME="$WORK" FIXTURES="$GOLDENS" node "$SRC/tests/browser/report.test.mjs" "$WORK" > "$WORK/node.out" 2>&1; then
  pass
else
  fail "browser test: $(grep -v '^ *at ' "$WORK/node.out" | tail -30)"
fi
cat "$WORK/node.out"
finish
