# -base: --folded writes STACK BEFORE AFTER equal to pprof's difffolded
# goldens; the columns are the two profiles' own folded stacks; merging
# several sources sums them; incompatible sources fail clearly.
. "$SRC/tests/lib.sh"
need_fixtures

base="$GOLDENS/heap-base.pb.gz"
later="$GOLDENS/heap-later.pb.gz"
for t in alloc_objects alloc_space inuse_objects inuse_space; do
  golden "heap-diff.$t.difffolded" > "$WORK/want"
  if "$HEAPFLAME" --folded -sample_index=$t -base "$base" -o "$WORK/got" "$later"; then
    if cmp -s "$WORK/want" "$WORK/got"; then pass; else
      fail "heap-diff $t: $(diff "$WORK/want" "$WORK/got" | head -3 | tr '\n' ' ')"
    fi
  else
    fail "heap-diff $t: exit $?"
  fi
  # -diff_base keeps the base apart but folds to the same two columns.
  "$HEAPFLAME" --folded -sample_index=$t -diff_base "$base" "$later" > "$WORK/got2"
  check "-diff_base $t folds like -base" cmp -s "$WORK/want" "$WORK/got2"
  # The before column is heap-base's folded golden, the after column heap-later's.
  awk '$(NF-1) != 0 {$NF = ""; sub(/ $/, ""); print}' "$WORK/got" > "$WORK/before"
  check "before column = heap-base $t" cmp -s "$WORK/before" "$GOLDENS/heap-base.$t.folded"
  awk '$NF != 0 {v = $NF; NF -= 2; print $0 " " v}' "$WORK/got" > "$WORK/after"
  check "after column = heap-later $t" cmp -s "$WORK/after" "$GOLDENS/heap-later.$t.folded"
done

# A difffolded file is input again: two columns make a profile with a base.
"$HEAPFLAME" --folded "$GOLDENS/heap-diff.inuse_space.difffolded" > "$WORK/again"
check "difffolded input round-trips" cmp -s "$WORK/again" "$GOLDENS/heap-diff.inuse_space.difffolded"

# Merging: a profile with itself doubles every stack.
"$HEAPFLAME" --folded -alloc_space "$later" "$later" > "$WORK/double"
awk '{v = $NF; $NF = v * 2; print}' "$GOLDENS/heap-later.alloc_space.folded" > "$WORK/want"
check "merge doubles values" cmp -s "$WORK/want" "$WORK/double"
# Merging base and later: per stack, the sum of both.
"$HEAPFLAME" --folded -inuse_objects "$base" "$later" > "$WORK/sum"
awk '{s = $NF + $(NF-1); NF -= 2; print $0 " " s}' "$GOLDENS/heap-diff.inuse_objects.difffolded" |
  awk '$NF != 0' > "$WORK/want"
check "merge sums two profiles" cmp -s "$WORK/want" "$WORK/sum"

# Incompatible sample types: one line naming the odd source, exit 2.
"$HEAPFLAME" --folded "$later" "$GOLDENS/cpu-small.pb.gz" > /dev/null 2> "$WORK/err"
rc=$?
check "incompatible merge exits 2 (got $rc)" test $rc -eq 2
check "incompatible merge message: $(cat "$WORK/err")" grep -q "^heapflame: $GOLDENS/cpu-small.pb.gz: cannot combine with .*heap-later.pb.gz: period types differ (cpu/nanoseconds vs space/bytes)$" "$WORK/err"
# Same period type, other sample types: a two-type legacy heap profile.
printf 'heap profile: 2: 2048 [2: 2048] @ heap_v2/524288\n2: 2048 [2: 2048] @ 0x401001\n' > "$WORK/two.txt"
"$HEAPFLAME" --folded "$later" "$WORK/two.txt" > /dev/null 2> "$WORK/err"
check "sample types differ: $(cat "$WORK/err")" grep -qF "heapflame: $WORK/two.txt: cannot combine with $later: sample types differ ([objects/count space/bytes] vs [alloc_objects/count alloc_space/bytes inuse_objects/count inuse_space/bytes])" "$WORK/err"
"$HEAPFLAME" --folded -base "$GOLDENS/cpu-small.pb.gz" "$later" > /dev/null 2> "$WORK/err"
check "incompatible base message: $(cat "$WORK/err")" grep -q "^heapflame: $GOLDENS/cpu-small.pb.gz: cannot combine" "$WORK/err"
"$HEAPFLAME" --folded -base "$WORK/missing.pb.gz" "$later" > /dev/null 2> "$WORK/err"
check "missing base names the file" grep -q "^heapflame: $WORK/missing.pb.gz: cannot open" "$WORK/err"
"$HEAPFLAME" --folded -base "$base" -diff_base "$base" "$later" > /dev/null 2> "$WORK/err"
check "-base with -diff_base is bad usage" grep -q "give one of -base and -diff_base" "$WORK/err"

# --top -base equals pprof's (once --top exists).
if "$HEAPFLAME" --top "$later" > /dev/null 2>&1; then
  for t in alloc_objects alloc_space inuse_objects inuse_space; do
    "$HEAPFLAME" --top -nodecount=0 -nodefraction=0 -edgefraction=0 -sample_index=$t -base "$base" "$later" > "$WORK/top" 2>&1
    # File/Time header lines depend on pprof's binary name; compare the rest.
    golden "heap-diff.$t.top.txt" | sed 1,3d > "$WORK/want"
    sed '/^File:\|^Type:\|^Time:/d' "$WORK/top" > "$WORK/got"
    if cmp -s "$WORK/want" "$WORK/got"; then pass; else
      fail "--top -base $t: $(diff "$WORK/want" "$WORK/got" | head -4 | tr '\n' ' ')"
    fi
  done
fi
finish
