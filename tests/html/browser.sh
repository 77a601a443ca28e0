# The HTML report in headless Chromium (tests/browser/report.test.mjs):
# every view against pprof's goldens (top, peek, folded) and our CLI (--top
# with filters, --peek), type switch, selection linking, refine, URL state,
# diffs, no network, hostile names. html_browser runs it on the shared
# fixture set (skipped without it), html_browser_data on the repository's
# tests/data, so a clone alone runs it; the functions and expressions it
# uses come from the goldens. Skipped (77) without Chromium or
# playwright-core (failed under CI=true).
. "$SRC/tests/lib.sh"

need_fixtures
need_browser

profiles=
for n in heap-small cpu-small heap-inline; do
  [ -f "$GOLDENS/$n.pb.gz" ] || continue
  profiles="$profiles $n"
  check "$n.html" "$HEAPFLAME" --html -o "$WORK/$n.html" "$GOLDENS/$n.pb.gz"
done
check "diff.html" "$HEAPFLAME" --html -base "$GOLDENS/heap-base.pb.gz" -o "$WORK/diff.html" "$GOLDENS/heap-later.pb.gz"
check "hostile.html" "$HEAPFLAME" --html -o "$WORK/hostile.html" "$SRC/tests/escaping/hostile-names.pb.gz"

# our CLI's --peek for the page's Peek view (pprof's goldens are checked too)
for t in alloc_space inuse_objects; do
  check "cli peek $t" sh -c "'$HEAPFLAME' --peek 'main\\.' -sample_index=$t '$GOLDENS/heap-small.pb.gz' > '$WORK/cli-peek.heap-small.$t.txt'"
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

browser_test report.test.mjs FIXTURES="$GOLDENS" PROFILES="$profiles" HEAPFLAME="$HEAPFLAME"
finish
