# pprof's filters against pprof itself: `go tool pprof -top` (Go 1.19.8,
# the pprof that made the goldens) and `heapflame --top` with the same
# filters must print the same report, rows and percentages of the
# unfiltered total included. Regular expressions are kept to the common
# subset of RE2 and POSIX ERE. Then filtered --folded output, and errors.
. "$SRC/tests/lib.sh"
# The repository's own profiles and pprof goldens (tests/data).
GOLDENS=$DATA

need_go
top_flags="-top -nodecount=0 -nodefraction=0 -edgefraction=0"

compare() { # SAMPLE_TYPE FIXTURE FILTER...
  t=$1 f=$2
  shift 2
  case $f in /*) p=$f ;; *) p=$GOLDENS/$f ;; esac
  # shellcheck disable=SC2086
  go tool pprof -sample_index="$t" $top_flags "$@" "$p" > "$WORK/want" 2> "$WORK/pprof.err"
  # shellcheck disable=SC2086
  if ! "$HEAPFLAME" -sample_index="$t" $top_flags "$@" "$p" > "$WORK/got" 2> "$WORK/err"; then
    fail "$f $t $*: heapflame failed: $(cat "$WORK/err")"
    return
  fi
  if ! grep -q 'accounting for' "$WORK/want"; then
    fail "$f $t $*: pprof gave no report: $(head -2 "$WORK/pprof.err")"
  elif cmp -s "$WORK/want" "$WORK/got"; then
    pass
  else
    fail "$f $t $*: $(diff "$WORK/want" "$WORK/got" | head -5 | tr '\n' ' ')"
  fi
}

compare inuse_space heap-small.pb.gz -focus=main.handle
compare inuse_space heap-small.pb.gz -ignore=json
compare inuse_space heap-small.pb.gz '-ignore=sync|bytes'
compare inuse_space heap-small.pb.gz -hide=runtime
compare alloc_space heap-small.pb.gz -show=main
compare alloc_space heap-small.pb.gz -show_from=main.handle
compare alloc_space heap-small.pb.gz -prune_from=json
compare alloc_space heap-small.pb.gz -focus=main.handle -hide=json
compare alloc_objects heap-small.pb.gz -focus=main.go -show_from=serve
# inlined frames (main.newItem, main.(*Cart).add and main.key are inlined)
compare alloc_space heap-small.pb.gz -focus=newItem -hide=main.buildCart
compare inuse_objects heap-small.pb.gz '-show=main[.]'
compare alloc_space heap-small.pb.gz -show_from=main.key
compare alloc_space heap-small.pb.gz -prune_from=Cart
compare cpu cpu-small.pb.gz -focus=sha256 -ignore=gzip
compare samples cpu-small.pb.gz -show_from=sort
compare cpu cpu-small.pb.gz -prune_from=runtime.mallocgc
compare cpu cpu-small.pb.gz '-hide=^runtime[.]'
compare cpu cpu-small.pb.gz -focus=nosuchfunction
# Object (mapping) file names match too; percentages stay of the whole
# (the shared set's synthetic profile has several mappings).
syn=$FIXTURES/synthetic-large.pb.gz
if [ -f "$syn" ]; then
  compare inuse_space "$syn" -focus=libstdc
  compare inuse_space "$syn" -ignore=libc.so -hide=gorilla
  compare alloc_objects "$syn" -show=libc -prune_from=Reduce
else
  skip_part "object file filters on synthetic-large.pb.gz: the shared fixtures are not at $FIXTURES"
fi
# Filters on a -base difference (pprof filters after subtracting).
compare inuse_space heap-later.pb.gz -base="$GOLDENS/heap-base.pb.gz" -focus=sessionCache
compare alloc_space heap-later.pb.gz -diff_base="$GOLDENS/heap-base.pb.gz" -hide=json

# Several sources merged, and -diff_base, against pprof (no filter).
compare alloc_space heap-later.pb.gz "$GOLDENS/heap-base.pb.gz"
compare inuse_objects heap-later.pb.gz -diff_base="$GOLDENS/heap-base.pb.gz"
compare cpu cpu-small.pb.gz -focus=sort "$GOLDENS/cpu-small.pb.gz"

# --folded with a filter: only stacks through main.handle, cut at it.
"$HEAPFLAME" --folded -alloc_space -show_from=main.handle "$GOLDENS/heap-small.pb.gz" > "$WORK/from"
check "show_from: every stack starts at main.handle" awk '$0 !~ /^main.handle/ {exit 1}' "$WORK/from"
awk '/(^|;)main.handle(;| )/ {sub(/^.*main.handle/, "main.handle"); print}' "$GOLDENS/heap-small.alloc_space.folded" |
  awk '{v = $NF; NF--; s[$0] += v} END {for (k in s) print k " " s[k]}' | LC_ALL=C sort > "$WORK/want"
LC_ALL=C sort "$WORK/from" > "$WORK/got"
check "show_from folded = golden stacks cut at main.handle" cmp -s "$WORK/want" "$WORK/got"

# Errors: a bad expression is bad usage (exit 1) naming the option.
"$HEAPFLAME" --folded '-focus=(' "$GOLDENS/heap-small.pb.gz" > /dev/null 2> "$WORK/err"
rc=$?
check "bad regex exits 1 (got $rc)" test $rc -eq 1
check "bad regex message: $(cat "$WORK/err")" grep -q '^heapflame: -focus: bad regular expression "(": ' "$WORK/err"
"$HEAPFLAME" --folded -hide=nosuchframe "$GOLDENS/heap-small.pb.gz" > /dev/null 2> "$WORK/err"
check "no-match warning: $(cat "$WORK/err")" grep -q '^heapflame: warning: -hide=nosuchframe matched no frames$' "$WORK/err"
finish
