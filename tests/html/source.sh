# The HTML report's Source view in headless Chromium
# (tests/browser/source.test.mjs) against pprof's list goldens in
# tests/data (so a clone alone runs it) and our CLI's --list for the same
# profile, type and -source_path: every main. function, every type chosen
# in the page's menu, a -base diff, sources not found, and a hostile source
# file (</script>, <!--, U+2028, invalid UTF-8, control characters); the
# refine boxes against our --list with the same -focus/-ignore/-hide/-show.
# Skipped (77) without Chromium or playwright-core (failed under CI=true).
. "$SRC/tests/lib.sh"

need_browser
cd "$WORK" || exit 1

check "heap-small.html" "$HEAPFLAME" --html -source_path="$DATA" -o "$WORK/heap-small.html" "$DATA/heap-small.pb.gz"
check "cpu-small.html" "$HEAPFLAME" --html -source_path="$DATA" -o "$WORK/cpu-small.html" "$DATA/cpu-small.pb.gz"
check "diff.html" "$HEAPFLAME" --html -source_path="$DATA" -base "$DATA/heap-base.pb.gz" \
  -o "$WORK/diff.html" "$DATA/heap-later.pb.gz"
check "nosrc.html" "$HEAPFLAME" --html -source_path=/nonexistent -o "$WORK/nosrc.html" "$DATA/heap-small.pb.gz"

# A hostile copy of the shop's source: every line keeps its number and gets
# markup, script, line separators, bytes that are not UTF-8 and controls.
mkdir -p "$WORK/hostile/programs/shop"
perl -pe 'chomp; $_ .= " // </script><script>window.__pwned=1</script><!-- <img src=x onerror=alert(1)> \xe2\x80\xa8|\xe2\x80\xa9| \xff\xfe\xc0\xaf \x1b[31m \x00 \r ]]> \"q\" \\u2028 \xc2\x85 <\/script>\n"' \
  "$DATA/programs/shop/main.go" > "$WORK/hostile/programs/shop/main.go"
check "hostile.html" "$HEAPFLAME" --html -source_path="$WORK/hostile" -o "$WORK/hostile.html" "$DATA/heap-small.pb.gz"
# no closing tag, comment or raw line separator from the source reaches the file
if LC_ALL=C grep -q -e '</script><script>window' -e '<!-- <img' -e "$(printf '\342\200\250')" "$WORK/hostile.html"; then
  fail "hostile.html: source text unescaped in the file"
else
  pass
fi

# our CLI's --list for the same profiles and options
for t in alloc_objects alloc_space inuse_objects inuse_space; do
  check "cli list $t" sh -c "'$HEAPFLAME' --list 'main\\.' -sample_index=$t -source_path='$DATA' '$DATA/heap-small.pb.gz' > cli.heap-small.$t.list.txt"
  check "cli hostile list $t" sh -c "'$HEAPFLAME' --list 'main\\.' -sample_index=$t -source_path='$WORK/hostile' '$DATA/heap-small.pb.gz' > cli.hostile.$t.list.txt"
  check "cli diff list $t" sh -c "'$HEAPFLAME' --list 'main\\.' -sample_index=$t -source_path='$DATA' -base '$DATA/heap-base.pb.gz' '$DATA/heap-later.pb.gz' > cli.diff.$t.list.txt"
done
for t in samples cpu; do
  check "cli cpu list $t" sh -c "'$HEAPFLAME' --list 'main\\.' -sample_index=$t -source_path='$DATA' '$DATA/cpu-small.pb.gz' > cli.cpu-small.$t.list.txt"
done
check "cli nosrc list" sh -c "'$HEAPFLAME' --list 'main\\.' -sample_index=alloc_space -source_path=/nonexistent '$DATA/heap-small.pb.gz' > cli.nosrc.alloc_space.list.txt"

browser_test source.test.mjs DATA="$DATA" HEAPFLAME="$HEAPFLAME"
finish
