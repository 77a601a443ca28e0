# Legacy text heap profiles: frames from the '#' lines, with what pprof
# does given the binary (runtime.goexit, which the '#' lines never show;
# its pruning of heap profiles), so --folded equals the folding of pprof's
# own conversion (the .folded goldens); values equal pprof's (un-sampled)
# ones; the sample types, MemStats and memory map are read; broken headers
# and records fail with a message. (tests/graph/golden.sh compares --top,
# --dot and --traces with pprof's.)
. "$SRC/tests/lib.sh"
need_fixtures

legacy="$GOLDENS/heap-legacy.txt"
for t in alloc_objects alloc_space inuse_objects inuse_space; do
  golden "heap-legacy.$t.folded" > "$WORK/want"
  if "$HEAPFLAME" --folded -sample_index=$t -o "$WORK/got" "$legacy"; then
    if cmp -s "$WORK/want" "$WORK/got"; then pass; else
      fail "heap-legacy $t: $(diff "$WORK/want" "$WORK/got" | head -3 | tr '\n' ' ')"
    fi
  else
    fail "heap-legacy $t: exit $?"
  fi
  # The '#' lines alone (the .comments.folded goldens, shared set only) are
  # the same stacks without pprof's runtime.goexit root.
  golden_exists "heap-legacy.$t.comments.folded" || continue
  golden "heap-legacy.$t.comments.folded" > "$WORK/want"
  sed 's/^runtime\.goexit;//' "$WORK/got" | LC_ALL=C sort | awk '
    { n = $NF; k = substr($0, 1, length($0) - length(n) - 1); s[k] += n; if (!(k in o)) { o[k] = ++c; ks[c] = k } }
    END { for (i = 1; i <= c; i++) print ks[i], s[ks[i]] }' > "$WORK/nogoexit"
  check "heap-legacy $t without goexit = the -comments folding" cmp -s "$WORK/want" "$WORK/nogoexit"
done

# Default type: inuse_space (alloc types come first, as pprof orders them).
"$HEAPFLAME" --list-types "$legacy" > "$WORK/types"
printf '0 alloc_objects/count\n1 alloc_space/bytes\n2 inuse_objects/count\n3 inuse_space/bytes *\n' > "$WORK/want"
check "legacy sample types" cmp -s "$WORK/want" "$WORK/types"

# Same stacks through standard input and with CRLF line ends.
sed 's/$/\r/' "$legacy" | "$HEAPFLAME" --folded - > "$WORK/crlf"
check "CRLF legacy input" cmp -s "$WORK/crlf" "$GOLDENS/heap-legacy.inuse_space.folded"

# --info: MemStats summary.
"$HEAPFLAME" --info "$legacy" > "$WORK/info"
if on_shared; then
  check "--info HeapAlloc" grep -q '^  HeapAlloc  *261744 B (255.6 KiB)$' "$WORK/info"
  check "--info HeapInuse" grep -q '^  HeapInuse  *1138688 B' "$WORK/info"
  check "--info Sys" grep -q '^  Sys  *19576072 B' "$WORK/info"
  check "--info NumGC" grep -q '^  NumGC  *7$' "$WORK/info"
  check "--info GC pauses" grep -q '^  GC pauses  7 recorded, total 4.25 ms, mean 607.2 us, max 3.03 ms$' "$WORK/info"
else
  # the values of the profile's own "# runtime.MemStats" lines
  for stat in HeapAlloc HeapInuse Sys NumGC; do
    v=$(sed -n "s/^# $stat = \([0-9]*\)\$/\1/p" "$legacy")
    check "--info $stat = $v" grep -q "^  $stat  *$v\( B\|\$\)" "$WORK/info"
  done
fi
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
# heap/0 is read as pprof reads it: period 0, values as written (no
# un-sampling); pprof -raw on this file shows 3 12288 1 4096, Period: 0.
printf 'heap profile: 1: 4096 [3: 12288] @ heap/0\n1: 4096 [3: 12288] @ 0x401001 0x402001\n#\t0x401000\tmain.f+0x10\tmain.go:3\n#\t0x402000\tmain.main+0x10\tmain.go:9\n' > "$WORK/rate0.txt"
for t in alloc_objects:3 alloc_space:12288 inuse_objects:1 inuse_space:4096; do
  "$HEAPFLAME" --folded -sample_index=${t%%:*} "$WORK/rate0.txt" > "$WORK/rate0.folded" 2> "$WORK/err"
  check "heap/0 ${t%%:*} as written: $(cat "$WORK/rate0.folded" "$WORK/err")" grep -qx "main.main;main.f ${t#*:}" "$WORK/rate0.folded"
done
"$HEAPFLAME" --info "$WORK/rate0.txt" > "$WORK/info0"
check "heap/0 period 0" grep -qx 'Period: 0 space/bytes' "$WORK/info0"
# No '#' lines: address-only frames (return address - 1), as pprof.
printf 'heap profile: 1: 64 [1: 64] @ heapprofile\n1: 64 [1: 64] @ 0x401001 0x402001\n' > "$WORK/nosym.txt"
"$HEAPFLAME" --folded "$WORK/nosym.txt" > "$WORK/nosym.folded"
check "addresses without symbols" grep -qx '0x402000;0x401000 64' "$WORK/nosym.folded"

# A memory map (tcmalloc's MAPPED_LIBRARIES: or "--- Memory map: ---"):
# mappings as pprof makes them (non-executable lines skipped, the two
# pieces of /bin/app joined, the main binary first), so the File line and
# address-only frames ([object]) are pprof's. Expected output: go tool
# pprof -top / -traces on this file.
printf 'heap profile: 1: 64 [1: 64] @ heapprofile\n1: 64 [1: 64] @ 0x401001 0x7f0000001001\nMAPPED_LIBRARIES:\n7f0000000000-7f0000021000 r-xp 00000000 fd:01 99 /lib/libc.so.6\n00600000-00601000 rw-p 00000000 fd:01 1 /bin/app\n00400000-00401800 r-xp 00000000 fd:01 1 /bin/app\n00401800-00500000 r-xp 00001800 fd:01 1 /bin/app\n' > "$WORK/map.txt"
printf 'File: app\nType: space\nShowing nodes accounting for 64B, 100%% of 64B total\n      flat  flat%%   sum%%        cum   cum%%\n       64B   100%%   100%%        64B   100%%  [app]\n         0     0%%   100%%        64B   100%%  [libc.so.6]\n' > "$WORK/map.want"
"$HEAPFLAME" --top "$WORK/map.txt" > "$WORK/map.top" 2>&1
check "memory map: pprof's top ($(diff "$WORK/map.want" "$WORK/map.top" | tr '\n' ' '))" cmp -s "$WORK/map.want" "$WORK/map.top"
printf 'File: app\nType: space\n-----------+-------------------------------------------------------\n     bytes:  64B\n       64B   [app]\n             [libc.so.6]\n-----------+-------------------------------------------------------\n' > "$WORK/map.want"
"$HEAPFLAME" --traces "$WORK/map.txt" > "$WORK/map.traces" 2>&1
check "memory map: pprof's traces" cmp -s "$WORK/map.want" "$WORK/map.traces"
# /proc/self/maps after the Go text, with the '#' lines: named frames, and
# the File line from the main binary (not the library listed first; its
# name ends at the first space, as pprof reads it: go tool pprof -top).
sed -n 1,5p "$legacy" > "$WORK/gomap.txt"
printf '\n--- Memory map: ---\n7f0000000000-7f0000021000 r-xp 00000000 fd:01 99 /lib/x86_64-linux-gnu/libc.so.6\n00400000-004e7000 r-xp 00000000 fd:01 1234   /srv/heapsmall (deleted)\n' >> "$WORK/gomap.txt"
"$HEAPFLAME" --top "$WORK/gomap.txt" > "$WORK/gomap.top"
check "memory map after Go text: File line" grep -qx 'File: heapsmall' "$WORK/gomap.top"
check "memory map after Go text: named frames" grep -q 'main.(\*sessionCache).remember$' "$WORK/gomap.top"

# Go's '#' lines: an address without one is a hidden runtime frame before
# the first written frame (left out: pprof prunes it) and runtime.goexit
# after it; pprof's heap pruning cuts runtime frames under user frames but
# keeps those above the first (runtime.main) and the kept ones
# (runtime.call32); records with equal addresses are one sample (pprof
# merges before pruning), records that only prune to equal stacks are not.
printf 'heap profile: 4: 400 [4: 400] @ heapprofile\n1: 100 [1: 100] @ 0x10 0x21 0x31 0x41 0x51 0x61\n#\t0x20\tmain.f+0x1\tmain.go:1\n#\t0x30\truntime.mapassign+0x1\tmap.go:1\n#\t0x40\treflect.Value.call+0x1\tvalue.go:1\n#\t0x50\truntime.call32+0x1\tasm.s:1\n#\t0x60\truntime.main+0x1\tproc.go:1\n\n1: 100 [1: 100] @ 0x11 0x21 0x31 0x41 0x51 0x61\n#\t0x20\tmain.f+0x1\tmain.go:1\n#\t0x30\truntime.mapassign+0x1\tmap.go:1\n#\t0x40\treflect.Value.call+0x1\tvalue.go:1\n#\t0x50\truntime.call32+0x1\tasm.s:1\n#\t0x60\truntime.main+0x1\tproc.go:1\n\n2: 200 [2: 200] @ 0x11 0x21 0x31 0x41 0x51 0x61\n#\t0x20\tmain.f+0x1\tmain.go:1\n#\t0x30\truntime.mapassign+0x1\tmap.go:1\n#\t0x40\treflect.Value.call+0x1\tvalue.go:1\n#\t0x50\truntime.call32+0x1\tasm.s:1\n#\t0x60\truntime.main+0x1\tproc.go:1\n\n' > "$WORK/prune.txt"
"$HEAPFLAME" --folded "$WORK/prune.txt" > "$WORK/prune.folded"
check "pruning: $(cat "$WORK/prune.folded")" grep -qx 'runtime.main;runtime.call32;reflect.Value.call 400' "$WORK/prune.folded"
"$HEAPFLAME" --traces "$WORK/prune.txt" > "$WORK/prune.traces"
check "pruned records listed apart, equal ones merged" test "$(grep -c 'bytes:  100B' "$WORK/prune.traces")" -eq 2
check "merged record's value" grep -q '^      300B   reflect.Value.call$' "$WORK/prune.traces"
# Recursion (an address twice: one '#' line each) and inlining (two '#'
# lines at one address: one location, innermost first).
printf 'heap profile: 1: 64 [1: 64] @ heapprofile\n1: 64 [1: 64] @ 0x11 0x21 0x21 0x31 0x41\n#\t0x10\tmain.f+0x1\tm.go:1\n#\t0x10\tmain.inl+0x1\tm.go:2\n#\t0x20\tmain.g+0x1\tm.go:3\n#\t0x20\tmain.g+0x1\tm.go:3\n#\t0x30\tmain.main+0x1\tm.go:4\n' > "$WORK/rec.txt"
"$HEAPFLAME" --folded "$WORK/rec.txt" > "$WORK/rec.folded"
check "recursion and inlining: $(cat "$WORK/rec.folded")" grep -qx 'runtime.goexit;main.main;main.g;main.g;main.inl;main.f 64' "$WORK/rec.folded"
"$HEAPFLAME" --traces "$WORK/rec.txt" > "$WORK/rec.traces"
check "inlined frame in the traces" grep -q '^       64B   main.f (inline)$' "$WORK/rec.traces"
# '#' lines that do not line up with the addresses (another writer): each
# is a frame, as written.
printf 'heap profile: 1: 64 [1: 64] @ heapprofile\n1: 64 [1: 64] @ 0x401001 0x402001\n#\t0x501000\tmain.f+0x10\tmain.go:3\n#\t0x502000\tmain.main+0x10\tmain.go:9\n' > "$WORK/odd.txt"
"$HEAPFLAME" --folded "$WORK/odd.txt" > "$WORK/odd.folded"
check "unaligned '#' lines: $(cat "$WORK/odd.folded")" grep -qx 'main.main;main.f 64' "$WORK/odd.folded"

# Errors: one line naming the file, exit 2, nothing written.
expect_error bad-kind 'heap profile: 1: 1 [1: 1] @ heapz/2\n' 'line 1: unsupported heap profile kind "heapz"'
expect_error bad-header 'heap profile: 1: 1 @ heap/2\n' 'line 1: malformed heap profile header'
expect_error bad-record 'heap profile: 1: 1 [1: 1] @ heap/2\n1: 1 [1 1] @ 0x1\n' 'line 2: malformed heap profile record'
expect_error zero-count 'heap profile: 1: 1 [1: 1] @ heap/2\n0: 8 [1: 8] @ 0x1\n' 'line 2: inuse count was 0 but inuse bytes was 8'
expect_error bad-addr 'heap profile: 1: 1 [1: 1] @ heap/2\n1: 8 [1: 8] @ 0x1 zz\n' 'line 2: malformed address'
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
