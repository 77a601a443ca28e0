# --growth over saved snapshots: the ranking rule on made-up series
# (collapsed stacks, one file per snapshot), ordering by the profiles' own
# time (pprof fixtures written by the Go runtime), mixed programs and
# sample types refused, missing and corrupt snapshots named.
. "$SRC/tests/lib.sh"

# snapshot N LEAK CACHE CHURN STEP SHRINK: a collapsed snapshot file.
snapshot() {
  f=$WORK/snap$1.folded
  shift
  printf 'main;serve;leak %s\nmain;cache;fill %s\nmain;work;churn %s\nmain;init;step %s\nmain;shrink %s\n' \
    "$@" > "$f"
}
snapshot 1 100 100 50 0 90
snapshot 2 200 300 400 0 80
snapshot 3 300 500 20 0 70
snapshot 4 400 600 380 0 60
snapshot 5 500 600 40 0 50
snapshot 6 600 600 350 100 40
snapshot 7 700 600 60 100 30

# trend NAME FILE: the trend column of NAME's row.
trend() {
  awk -v n="$1" '$NF == n {print $6; exit}' "$2"
}
rank_of() {
  awk -v n="$1" '/^ +first +last/ {on = 1; next} on && $NF != "(total)" {r++; if ($NF == n) {print r; exit}}' "$2"
}

"$HEAPFLAME" --growth --countname bytes "$WORK"/snap[1-7].folded > "$WORK/report" 2> "$WORK/err"
check "report over collapsed snapshots: $(cat "$WORK/err")" test $? -eq 0
check "untimed snapshots are said to be ordered as given" \
  grep -q '^Time: not in every snapshot: ordered as given, rates per snapshot$' "$WORK/report"
check "leak is steady" test "$(trend leak "$WORK/report")" = steady
check "leak ranks first" test "$(rank_of leak "$WORK/report")" = 1
check "the cache levels off (not steady)" test "$(trend fill "$WORK/report")" = levelling
check "churn is noisy" test "$(trend churn "$WORK/report")" = noisy
check "a late jump is a step" test "$(trend step "$WORK/report")" = step
check "shrink is shrinking" test "$(trend shrink "$WORK/report")" = shrinking
check "churn ranks below the cache" test "$(rank_of churn "$WORK/report")" -gt "$(rank_of fill "$WORK/report")"
# The leak's row: first, last, change, rate (per snapshot), grew.
check "leak row values" grep -qE '^ +100B +700B +\+600B +\+100B +6/6  steady ' "$WORK/report"
# cum: the callers; serve (cum = leak) is steady and main levels off? main
# grows with leak+cache+churn: whatever it is, leak's caller ranks first.
"$HEAPFLAME" --growth -cum --countname bytes "$WORK"/snap[1-7].folded > "$WORK/cum"
check "-cum ranks by cum" grep -q '^Ranked by cum' "$WORK/cum"
check "-cum: serve (the leak's caller) is steady" test "$(trend serve "$WORK/cum")" = steady
check "-cum lists callers" test -n "$(rank_of main "$WORK/cum")"
check "flat lists no function whose flat is always 0" test -z "$(rank_of serve "$WORK/report")"
# -nodecount and --ascii
"$HEAPFLAME" --growth -nodecount 2 --ascii --countname bytes "$WORK"/snap[1-7].folded > "$WORK/two"
check "-nodecount 2: two rows" test "$(rank_of fill "$WORK/two")" = 2
check "-nodecount 2: the rest counted" grep -q '^(3 more functions; see -nodecount)$' "$WORK/two"
# Filters apply per snapshot; one that matches nothing in any is said once,
# one that matches in some snapshot is not said at all.
"$HEAPFLAME" --growth -focus=nomatch --countname bytes "$WORK"/snap[1-7].folded > /dev/null 2> "$WORK/err"
check "a filter matching nothing is warned of once ($(cat "$WORK/err"))" \
  test "$(grep -c '^heapflame: warning: -focus=nomatch matched no frames$' "$WORK/err")" -eq 1
printf 'main;a 1\n' > "$WORK/only-a.folded"
printf 'main;b 2\n' > "$WORK/only-b.folded"
"$HEAPFLAME" --growth -focus='^b$' "$WORK/only-a.folded" "$WORK/only-b.folded" > /dev/null 2> "$WORK/err"
check "a filter matching in one snapshot is not warned of ($(cat "$WORK/err"))" test ! -s "$WORK/err"
check "--ascii is ASCII" sh -c "! LC_ALL=C grep -q '[^ -~]' '$WORK/two'"
check "--ascii sparkline of the leak" grep -qE ' _[.:=-]+[*+#]+# +leak$' "$WORK/two"
check "Unicode sparkline by default" grep -q '▁▂▃▅▆▇█  leak$' "$WORK/report"

# Real profiles written by the Go runtime (the pprof fixtures): three
# snapshots of one program, given out of order, are ordered by time_nanos.
# The rest is tied to the shared set's profiles (their times and program
# names); a clone without it has run the ranking checks above.
if [ ! -f "$FIXTURES/README.md" ]; then
  skip_part "the checks on the shared fixtures' snapshots: not found at $FIXTURES"
  finish
  exit
fi
F=$FIXTURES
"$HEAPFLAME" --growth "$F/heap-later.pb.gz" "$F/heap-small.pb.gz" "$F/heap-base.pb.gz" > "$WORK/shuffled"
"$HEAPFLAME" --growth "$F/heap-small.pb.gz" "$F/heap-base.pb.gz" "$F/heap-later.pb.gz" > "$WORK/ordered"
check "argument order does not matter" cmp -s "$WORK/shuffled" "$WORK/ordered"
check "time span from the profiles" grep -q '^Time: 2026-11-26 16:12:16 to 16:12:20 UTC (3.8s)$' "$WORK/ordered"
check "heap caveat" grep -q '^Note: a heap profile shows the heap as of the last GC, sampled at MemProfileRate' "$WORK/ordered"
check "caveat printed once" test "$(grep -c 'MemProfileRate' "$WORK/ordered")" -eq 1
# The total row is the profiles' inuse_space totals, first and last, as
# pprof -top prints them (its "of TOTAL" in the legend).
small_total=$(golden heap-small.inuse_space.top.txt | sed -n 's/^Showing nodes accounting for .* of \([^ ]*\) total$/\1/p')
later_total=$(golden heap-later.inuse_space.top.txt | sed -n 's/^Showing nodes accounting for .* of \([^ ]*\) total$/\1/p')
check "total row: first is heap-small's total ($small_total) and last heap-later's ($later_total)" \
  grep -qE "^ +$small_total +$later_total .*\\(total\\)$" "$WORK/ordered"
# inuse_objects, by name.
"$HEAPFLAME" --growth -sample_index=inuse_objects "$F/heap-small.pb.gz" "$F/heap-later.pb.gz" > "$WORK/objects"
check "inuse_objects series" grep -q '^Series: 2 snapshots of heapsmall, inuse_objects (count)$' "$WORK/objects"
"$HEAPFLAME" --growth -alloc_space "$F/heap-small.pb.gz" "$F/heap-later.pb.gz" > "$WORK/alloc"
check "-alloc_space series" grep -q 'alloc_space (bytes)$' "$WORK/alloc"

# expect_error DESCRIPTION STATUS MESSAGE-REGEX ARGS...: one line, no output.
expect_error() {
  desc=$1 want=$2 re=$3
  shift 3
  rm -f "$WORK/out"
  "$HEAPFLAME" --growth -o "$WORK/out" "$@" 2> "$WORK/err"
  rc=$?
  check "$desc: exit $want (got $rc)" test $rc -eq "$want"
  check "$desc: one line (got: $(cat "$WORK/err"))" test "$(wc -l < "$WORK/err")" -eq 1
  check "$desc: message (got: $(cat "$WORK/err"))" grep -qE "^heapflame: $re" "$WORK/err"
  check "$desc: no output" test ! -e "$WORK/out"
}
expect_error "another program" 2 "$F/heap-inline.pb.gz: a different program \\(heapinline\\)" \
  "$F/heap-small.pb.gz" "$F/heap-base.pb.gz" "$F/heap-inline.pb.gz"
expect_error "another type" 2 "$F/cpu-small.pb.gz: a different program" \
  "$F/heap-small.pb.gz" "$F/cpu-small.pb.gz"
expect_error "missing snapshot" 2 "$WORK/nosuch.pb.gz: " \
  "$F/heap-small.pb.gz" "$WORK/nosuch.pb.gz" "$F/heap-base.pb.gz"
head -c 300 "$F/heap-base.pb.gz" > "$WORK/cut.pb.gz"
expect_error "corrupt snapshot" 2 "$WORK/cut.pb.gz: " \
  "$F/heap-small.pb.gz" "$WORK/cut.pb.gz" "$F/heap-later.pb.gz"
expect_error "one snapshot" 1 "--growth needs two or more snapshots" "$F/heap-small.pb.gz"
expect_error "unknown type" 2 "$F/heap-small.pb.gz: .*nosuch" -sample_index=nosuch \
  "$F/heap-small.pb.gz" "$F/heap-base.pb.gz"
expect_error "bad format" 1 "--growth writes text or html" --format png \
  "$F/heap-small.pb.gz" "$F/heap-base.pb.gz"

# HTML: one self-contained page.
"$HEAPFLAME" --growth -o "$WORK/g.html" "$F/heap-small.pb.gz" "$F/heap-base.pb.gz" "$F/heap-later.pb.gz"
check "html written" test -s "$WORK/g.html"
check "html: no-network policy" grep -q "content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'\"" "$WORK/g.html"
check "html: nothing loaded from elsewhere" sh -c "! grep -qiE '(src|href)=\"(https?:)?//' '$WORK/g.html'"
check "html: the differential flame graph" grep -q '<svg [^>]*class="heapflame" data-hf-total="[0-9]*" [^>]*data-hf-diff="1"' "$WORK/g.html"
check "html: growers listed for highlighting" grep -q '<script type="application/json" id="hf-growers">\["' "$WORK/g.html"
check "html: ranking table" grep -q '<td class="name">main.handle</td>' "$WORK/g.html"
check "html: a whole page" sh -c "tail -1 '$WORK/g.html' | grep -qx '</body></html>'"
finish
