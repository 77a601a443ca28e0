# Legacy text heap profiles: frames from the '#' lines equal the -comments
# goldens, values equal pprof's (un-sampled) ones, the sample types and
# MemStats are read, and broken headers and records fail with a message.
. "$SRC/tests/lib.sh"

legacy="$FIXTURES/heap-legacy.txt"
for t in alloc_objects alloc_space inuse_objects inuse_space; do
  golden "heap-legacy.$t.comments.folded" > "$WORK/want"
  if "$HEAPFLAME" --folded -sample_index=$t -o "$WORK/got" "$legacy"; then
    if cmp -s "$WORK/want" "$WORK/got"; then pass; else
      fail "heap-legacy $t: $(diff "$WORK/want" "$WORK/got" | head -3 | tr '\n' ' ')"
    fi
  else
    fail "heap-legacy $t: exit $?"
  fi
  # Values equal pprof's own conversion: same total as its folded golden.
  want=$(awk '{s += $NF} END {print s}' "$FIXTURES/heap-legacy.$t.folded")
  got=$(awk '{s += $NF} END {print s}' "$WORK/got")
  check "heap-legacy $t total $got = pprof's $want" test "$want" = "$got"
done

# --top equals pprof's report (made with the binary), but for the File line
# (pprof names the binary) and runtime.goexit (the '#' lines never show it).
if "$HEAPFLAME" --top "$legacy" > /dev/null 2>&1; then
  for t in alloc_objects alloc_space inuse_objects inuse_space; do
    "$HEAPFLAME" --top -sample_index=$t -nodecount=0 -nodefraction=0 -edgefraction=0 "$legacy" > "$WORK/top"
    grep -v -e '^File:' -e 'runtime.goexit$' "$FIXTURES/heap-legacy.$t.top.txt" > "$WORK/want"
    if cmp -s "$WORK/want" "$WORK/top"; then pass; else
      fail "legacy --top $t: $(diff "$WORK/want" "$WORK/top" | head -4 | tr '\n' ' ')"
    fi
  done
fi

# Default type: inuse_space (alloc types come first, as pprof orders them).
"$HEAPFLAME" --list-types "$legacy" > "$WORK/types"
printf '0 alloc_objects/count\n1 alloc_space/bytes\n2 inuse_objects/count\n3 inuse_space/bytes *\n' > "$WORK/want"
check "legacy sample types" cmp -s "$WORK/want" "$WORK/types"

# Same stacks through standard input and with CRLF line ends.
sed 's/$/\r/' "$legacy" | "$HEAPFLAME" --folded - > "$WORK/crlf"
check "CRLF legacy input" cmp -s "$WORK/crlf" "$FIXTURES/heap-legacy.inuse_space.comments.folded"

# --info: MemStats summary.
"$HEAPFLAME" --info "$legacy" > "$WORK/info"
check "--info HeapAlloc" grep -q '^  HeapAlloc  *261744 B (255.6 KiB)$' "$WORK/info"
check "--info HeapInuse" grep -q '^  HeapInuse  *1138688 B' "$WORK/info"
check "--info Sys" grep -q '^  Sys  *19576072 B' "$WORK/info"
check "--info NumGC" grep -q '^  NumGC  *7$' "$WORK/info"
check "--info GC pauses" grep -q '^  GC pauses  7 recorded, total 4.25 ms, mean 607.2 us, max 3.03 ms$' "$WORK/info"
check "--info period" grep -q '^Period: 4096 space/bytes$' "$WORK/info"

# Equal alloc and inuse totals: pprof's two-type form (objects, space).
printf 'heap profile: 2: 2048 [2: 2048] @ heap_v2/524288\n2: 2048 [2: 2048] @ 0x401001\n#\t0x401000\tmain.f+0x10\tmain.go:3\n' > "$WORK/two.txt"
"$HEAPFLAME" --list-types "$WORK/two.txt" > "$WORK/types2"
printf '0 objects/count\n1 space/bytes *\n' > "$WORK/want2"
check "two-type legacy profile" cmp -s "$WORK/want2" "$WORK/types2"
# un-sampling with rate 524288: 2 objects of 1024 B -> scale 1/(1-exp(-1024/524288))
"$HEAPFLAME" --folded -inuse_space "$WORK/two.txt" > "$WORK/two.folded"
check "heap_v2 un-sampling" grep -qx 'main.f 1049600' "$WORK/two.folded"
# heapz_v2/N is rate N (not N/2); heap/N is N/2: same values for 2N.
printf 'heap profile: 2: 2048 [4: 4096] @ heapz_v2/4096\n2: 2048 [4: 4096] @ 0x401001\n#\t0x401000\tmain.f+0x10\tmain.go:3\n' > "$WORK/z.txt"
sed 's|heapz_v2/4096|heap/8192|' "$WORK/z.txt" > "$WORK/h.txt"
"$HEAPFLAME" --folded -alloc_space "$WORK/z.txt" > "$WORK/z.folded"
"$HEAPFLAME" --folded -alloc_space "$WORK/h.txt" > "$WORK/h.folded"
check "heapz_v2/4096 un-samples (4 x 1024 B at rate 4096: x4.52)" grep -qx 'main.f 18517' "$WORK/z.folded"
check "heap/8192 = heapz_v2/4096" cmp -s "$WORK/z.folded" "$WORK/h.folded"
# growthz: not sampled, period 1, objects/space.
printf 'heap profile: 3: 300 [3: 300] @ growthz\n3: 300 [3: 300] @ 0x401001\n' > "$WORK/g.txt"
"$HEAPFLAME" --folded -sample_index=space "$WORK/g.txt" > "$WORK/g.folded"
check "growthz values as written" grep -qx '0x401000 300' "$WORK/g.folded"
# No '#' lines: address-only frames (return address - 1), as pprof.
printf 'heap profile: 1: 64 [1: 64] @ heapprofile\n1: 64 [1: 64] @ 0x401001 0x402001\n' > "$WORK/nosym.txt"
"$HEAPFLAME" --folded "$WORK/nosym.txt" > "$WORK/nosym.folded"
check "addresses without symbols" grep -qx '0x402000;0x401000 64' "$WORK/nosym.folded"

# Errors: one line naming the file, exit 2, nothing written.
expect_error() { # NAME CONTENT MESSAGE
  printf "$2" > "$WORK/$1"
  "$HEAPFLAME" --folded -o "$WORK/$1.out" "$WORK/$1" 2> "$WORK/err"
  rc=$?
  check "$1: exit 2 (got $rc)" test $rc -eq 2
  check "$1: one error line" test "$(wc -l < "$WORK/err")" -eq 1
  check "$1: message '$3' (got: $(cat "$WORK/err"))" grep -qF "heapflame: $WORK/$1: $3" "$WORK/err"
  check "$1: no output left" test ! -e "$WORK/$1.out"
}
expect_error bad-kind 'heap profile: 1: 1 [1: 1] @ heapz/2\n' 'line 1: unsupported heap profile kind "heapz"'
expect_error bad-header 'heap profile: 1: 1 @ heap/2\n' 'line 1: malformed heap profile header'
expect_error bad-record 'heap profile: 1: 1 [1: 1] @ heap/2\n1: 1 [1 1] @ 0x1\n' 'line 2: malformed heap profile record'
expect_error zero-count 'heap profile: 1: 1 [1: 1] @ heap/2\n0: 8 [1: 8] @ 0x1\n' 'line 2: inuse count was 0 but inuse bytes was 8'
expect_error bad-addr 'heap profile: 1: 1 [1: 1] @ heap/2\n1: 8 [1: 8] @ 0x1 zz\n' 'line 2: malformed address'
expect_error rate-0 'heap profile: 1: 1 [1: 1] @ heap/0\n' 'line 1: a sampling rate of 0 ("heap/0")'
expect_error long-addr 'heap profile: 1: 1 [1: 1] @ heap/2\n1: 8 [1: 8] @ 0x11112222333344445\n' 'line 2: address out of range'
expect_error huge-rate 'heap profile: 1: 1 [1: 1] @ heap/99999999999999999999\n' 'line 1: sampling rate out of range'
expect_error overflow 'heap profile: 1: 1 [1: 1] @ heap_v2/9000000000000000000\n1: 9000000000000000000 [1: 9000000000000000000] @ 0x1\n' 'line 2: un-sampled inuse values overflow 64 bits'
# Limits apply to legacy text too.
printf 'heap profile: 1: 8 [1: 8] @ heapprofile\n1: 8 [1: 8] @ 0x1 0x2 0x3 0x4\n' > "$WORK/deep.txt"
"$HEAPFLAME" --folded --max-depth 3 "$WORK/deep.txt" > /dev/null 2> "$WORK/err"
check "legacy depth limit: $(cat "$WORK/err")" grep -qxF "heapflame: $WORK/deep.txt: line 2: more than 3 frames in one stack" "$WORK/err"
printf 'heap profile: 1: 8 [1: 8] @ heapprofile\n1: 8 [1: 8] @ 0x2\n#\t0x1\tmain.aVeryLongFunctionName+0x1\tmain.go:1\n' > "$WORK/long.txt"
"$HEAPFLAME" --folded --max-name 16 "$WORK/long.txt" > /dev/null 2> "$WORK/err"
check "legacy name limit: $(cat "$WORK/err")" grep -qxF "heapflame: $WORK/long.txt: line 3: name longer than 16 bytes" "$WORK/err"
finish
