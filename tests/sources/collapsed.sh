# Collapsed stacks as input ("a;b;c 123", FlameGraph/inferno/our --folded):
# they read back to the same stacks, --countname names the unit, the other
# views render them, and malformed files fail with the line number.
. "$SRC/tests/lib.sh"
need_fixtures

# Every pprof folded golden reads back unchanged (names with spaces too).
goldens="heap-small.inuse_space.folded cpu-small.cpu.folded heap-small.alloc_space.lines.folded"
on_shared && goldens="$goldens heap-inline.alloc_space.lines.folded synthetic-large.inuse_space.folded"
for g in $goldens; do
  golden "$g" > "$WORK/in"
  if "$HEAPFLAME" --folded -o "$WORK/out" "$WORK/in"; then
    check "$g reads back unchanged" cmp -s "$WORK/in" "$WORK/out"
  else
    fail "$g: exit $?"
  fi
done
# Gzipped, unsorted, repeated stacks with blank lines: summed and sorted.
printf 'main;b 5\n\nmain;a 3\nmain;b 2\n' | gzip > "$WORK/unsorted.gz"
"$HEAPFLAME" --folded "$WORK/unsorted.gz" > "$WORK/out"
printf 'main;a 3\nmain;b 7\n' > "$WORK/want"
check "gzipped collapsed input, summed and sorted" cmp -s "$WORK/want" "$WORK/out"

# The sample type: samples/count by default, --countname renames it.
golden heap-small.inuse_space.folded > "$WORK/heap.folded"
"$HEAPFLAME" --list-types "$WORK/heap.folded" > "$WORK/types"
check "default type samples/count" grep -qx '0 samples/count \*' "$WORK/types"
"$HEAPFLAME" --list-types --countname=bytes "$WORK/heap.folded" > "$WORK/types"
check "--countname=bytes" grep -qx '0 bytes/bytes \*' "$WORK/types"
"$HEAPFLAME" --info --countname bytes "$WORK/heap.folded" > "$WORK/info"
want=$(awk '{s += $NF} END {print s}' "$WORK/heap.folded")
check "--info total of collapsed input = $want" grep -q "0 bytes/bytes \* *$want\$" "$WORK/info"

# --top on collapsed input: flat is the leaf's sum, as for the profile.
if "$HEAPFLAME" --top --countname=bytes -nodecount=0 "$WORK/heap.folded" > "$WORK/top" 2> "$WORK/err"; then
  pprof_total=$(sed -n 's/.* of \(.*\) total$/\1/p' "$GOLDENS/heap-small.inuse_space.top.txt")
  check "--top total of collapsed input = pprof's $pprof_total" grep -q "of $pprof_total total\$" "$WORK/top"
  check "--top main.handle flat" grep -q ' main.handle$' "$WORK/top"
else
  grep -q 'not built yet' "$WORK/err" && pass || fail "--top on collapsed input: $(cat "$WORK/err")"
fi
# The flame graph of collapsed input.
if "$HEAPFLAME" -o "$WORK/flame.svg" "$WORK/heap.folded" 2> "$WORK/err"; then
  check "flame graph of collapsed input" grep -q 'main.handle' "$WORK/flame.svg"
else
  grep -q 'not built yet' "$WORK/err" && pass || fail "flame of collapsed input: $(cat "$WORK/err")"
fi

# Errors: one line with the file and line number, exit 2.
expect_error prose 'hello world\n' 'not a pprof profile (unrecognized text)'
expect_error no-count 'a;b 1\nc;d\n' 'line 2: expected "STACK COUNT"'
expect_error fraction 'a;b 1\na;c 1.5\n' 'line 2: expected "STACK COUNT"'
# Counts are int64: 19 digits up to INT64_MAX read, one more is out of
# range (on the first line too, and in either column of a diff).
expect_error huge-first 'a;b 9223372036854775808\n' 'line 1: count out of range (more than 9223372036854775807)'
expect_error huge-later 'a;b 1\na;c 123456789012345678901234\n' 'line 2: count out of range (more than 9223372036854775807)'
expect_error huge-before 'a;b 1 2\na;c 99999999999999999999 3\n' 'line 2: count out of range (more than 9223372036854775807)'
printf 'a;b 9223372036854775807\n' > "$WORK/max"
"$HEAPFLAME" --folded "$WORK/max" > "$WORK/max.out"
check "INT64_MAX count reads" grep -qx 'a;b 9223372036854775807' "$WORK/max.out"
# Two counts on some lines only: one-column input whose frame has a space.
printf 'a;b 1 2\na;c 3\n' > "$WORK/mixed"
"$HEAPFLAME" --folded "$WORK/mixed" > "$WORK/out"
printf 'a;b 1 2\na;c 3\n' > "$WORK/want"
check "mixed columns read as one column" cmp -s "$WORK/want" "$WORK/out"
printf "a;b;c;d;e 1\n" > "$WORK/deep"
"$HEAPFLAME" --folded --max-depth 3 "$WORK/deep" > /dev/null 2> "$WORK/err"
check "depth limit: $(cat "$WORK/err")" grep -qF "heapflame: $WORK/deep: line 1: more than 3 frames in one stack" "$WORK/err"
printf 'goroutine profile: total 3\n3 @ 0x1 0x2\n' > "$WORK/goroutine.txt"
"$HEAPFLAME" --folded "$WORK/goroutine.txt" > /dev/null 2> "$WORK/err"
check "goroutine text: $(cat "$WORK/err")" grep -qF "heapflame: $WORK/goroutine.txt: \"goroutine profile\" text profiles are not read; fetch the protobuf form (without ?debug=1)" "$WORK/err"
printf 'main;aVeryLongFunctionName 1\n' > "$WORK/long"
"$HEAPFLAME" --folded --max-name 16 "$WORK/long" > /dev/null 2> "$WORK/err"
check "collapsed name limit: $(cat "$WORK/err")" grep -qxF "heapflame: $WORK/long: line 1: name longer than 16 bytes" "$WORK/err"
"$HEAPFLAME" --folded --countname= "$WORK/long" > /dev/null 2> "$WORK/err"
rc=$?
check "empty --countname is bad usage (exit $rc): $(cat "$WORK/err")" grep -qx 'heapflame: --countname: give a unit name such as bytes' "$WORK/err"
check "empty --countname exits 1" test $rc -eq 1
"$HEAPFLAME" --folded --url ftp://host > /dev/null 2> "$WORK/err"
check "--url needs http(s): $(cat "$WORK/err")" grep -qx 'heapflame: ftp://host/debug/pprof/profile: --url needs an http:// or https:// address' "$WORK/err"
"$HEAPFLAME" --folded -timeout=soon "$WORK/long" > /dev/null 2> "$WORK/err"
check "bad --timeout: $(cat "$WORK/err")" grep -qx 'heapflame: -timeout: expected a number of seconds (1..86400), got "soon"' "$WORK/err"
"$HEAPFLAME" --folded --suffix /debug/pprof/heap "$WORK/long" > /dev/null 2> "$WORK/err"
check "--suffix without --url: $(cat "$WORK/err")" grep -qx 'heapflame: --suffix goes with -u/--url BASE' "$WORK/err"
# Standard input can be one source only.
"$HEAPFLAME" --folded - - < "$WORK/heap.folded" > /dev/null 2> "$WORK/err"
check "stdin twice: $(cat "$WORK/err")" grep -qx 'heapflame: standard input (-) can be read only once' "$WORK/err"
finish
