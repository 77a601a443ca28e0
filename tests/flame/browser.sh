# Headless Chromium over real flame graphs (tests/browser/flame.test.mjs):
# zoom, search and Matched %, tooltips, URL state, hostile names, two graphs
# on one page, and the 200,000-stack budget. Screenshots stay in $WORK.
. "$SRC/tests/lib.sh"
# The repository's own profiles and pprof goldens (tests/data).
GOLDENS=$DATA

need_browser

# generated inputs: hostile names, a diff, 200,000 stacks (its size budget
# is checked by flame_gen)
if "$BUILD/tests/flame/flame_gen" "$WORK" > "$WORK/gen.out"; then
  pass
else
  fail "flame_gen: $(cat "$WORK/gen.out")"
fi
for f in hostile diff big; do
  check "$f.svg well-formed" xmllint --noout --huge "$WORK/$f.svg"
done
check "icicle.svg" "$HEAPFLAME" --inverted -o "$WORK/icicle.svg" "$GOLDENS/heap-small.pb.gz"
check "heap.svg" "$HEAPFLAME" --minwidth=0 -o "$WORK/heap.svg" "$GOLDENS/heap-small.pb.gz"
check "cpu.svg" "$HEAPFLAME" -o "$WORK/cpu.svg" "$GOLDENS/cpu-small.pb.gz"
golden heap-small.inuse_space.folded > "$WORK/heap.folded"

browser_test flame.test.mjs
finish
