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

# our CLI's --peek for the page's Peek view (pprof's goldens are checked too)
for t in alloc_space inuse_objects; do
  check "cli peek $t" sh -c "'$HEAPFLAME' --peek 'main\\.' -sample_index=$t '$FIXTURES/heap-small.pb.gz' > '$WORK/cli-peek.heap-small.$t.txt'"
done

# Firefox: Debian's firefox-esr draws the report from file:// (a headless
# screenshot; report.test.mjs counts the flame graph's pixels in it)
if command -v firefox-esr > /dev/null 2>&1; then
  mkdir -p "$WORK/firefox-profile"
  if HOME="$WORK" timeout 600 firefox-esr --headless --no-remote --profile "$WORK/firefox-profile" \
    --window-size=1300,900 --screenshot "$WORK/firefox.png" "file://$WORK/heap-small.html" \
    > "$WORK/firefox.log" 2>&1 && [ -s "$WORK/firefox.png" ]; then
    pass
  else
    fail "firefox-esr --screenshot: $(tail -3 "$WORK/firefox.log")"
  fi
else
  skip_part "firefox-esr is not installed (scripts/install-deps.sh installs it)"
fi

browser_test report.test.mjs FIXTURES="$GOLDENS"
finish
