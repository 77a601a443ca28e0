# --peek and --tags against the real `go tool pprof`, run here on the
# fixtures (no stored output of ours): with -base and -diff_base (signed
# values), the filters, merged sources, -cum, and other regexps.
#
# pprof sorts tag values and edges with Go's unstable sort over a map, by
# |value| then name, so entries of equal |value| and opposite signs (only
# in diffs) come out in any order (two pprof runs differ): diffs are
# compared with each block's lines as a set, everything else byte for byte.
. "$SRC/tests/lib.sh"
# The repository's own profiles (tests/data).
GOLDENS=$DATA

need_go
F=$GOLDENS

# compare MODE ARGS...: MODE exact or blocks.
compare() {
  mode=$1
  shift
  what=$(echo "$*" | sed "s#$F/##g")
  go tool pprof "$@" > "$WORK/want" 2> "$WORK/pprof.err"
  prc=$?
  "$HEAPFLAME" "$@" > "$WORK/got" 2> "$WORK/err"
  rc=$?
  if [ $prc -ne 0 ] && msg=$(grep -o 'no matches found for regexp: .*' "$WORK/pprof.err"); then
    # pprof's error for a regexp matching nothing, and no report.
    if [ $rc -eq 2 ] && [ ! -s "$WORK/got" ] && grep -qF -- ": $msg" "$WORK/err"; then pass; else
      fail "$what: want exit 2 and \"$msg\", got exit $rc: $(head -c 200 "$WORK/err")"
    fi
    return
  fi
  if [ $prc -ne 0 ] || [ ! -s "$WORK/want" ]; then
    fail "$what: pprof gave no report: $(head -2 "$WORK/pprof.err")"
    return
  fi
  if [ $rc -ne 0 ]; then
    fail "$what: heapflame failed: $(cat "$WORK/err")"
    return
  fi
  if cmp -s "$WORK/want" "$WORK/got"; then
    pass
    return
  fi
  if [ "$mode" = blocks ]; then
    # Number the blocks (a blank or separator line starts one), sort
    # within each: the same lines in the same blocks.
    for x in want got; do
      awk '/^$|^-+\+/ { b++ } { printf "%06d %s\n", b, $0 }' "$WORK/$x" | LC_ALL=C sort > "$WORK/$x.sorted"
    done
    if cmp -s "$WORK/want.sorted" "$WORK/got.sorted"; then
      pass
      return
    fi
  fi
  fail "$what: $(diff "$WORK/want" "$WORK/got" | head -6 | cut -c1-200 | tr '\n' ' ')"
}

for t in alloc_space inuse_objects; do
  for v in -tags '-peek=main\.' '-peek=.'; do
    compare blocks "$v" -sample_index=$t -base "$F/heap-base.pb.gz" "$F/heap-later.pb.gz"
    compare blocks "$v" -sample_index=$t -diff_base "$F/heap-base.pb.gz" "$F/heap-later.pb.gz"
    compare exact "$v" -sample_index=$t "$F/heap-base.pb.gz" "$F/heap-later.pb.gz"
  done
done
for v in -tags '-peek=main\.handle|runtime\.mallocgc$' '-peek=json'; do
  compare exact "$v" -sample_index=alloc_objects -focus=handle "$F/heap-small.pb.gz"
  compare exact "$v" -ignore=json -hide='runtime\.' "$F/heap-small.pb.gz"
  compare exact "$v" -show_from='main\.' -sample_index=alloc_space "$F/heap-small.pb.gz"
  compare exact "$v" -cum "$F/heap-later.pb.gz"
done
compare exact '-peek=sha256|sort\.' "$F/cpu-small.pb.gz"
compare exact '-peek=.' -sample_index=samples "$F/cpu-small.pb.gz"
compare exact '-peek=.' -sample_index=alloc_space "$F/raw-uncompressed.pb"
compare exact -tags -sample_index=alloc_space "$F/raw-uncompressed.pb"
compare exact -tags "$SRC/tests/graph/data/labels.pb.gz"
compare exact -tags -sample_index=cpu "$F/cpu-small.pb.gz" "$SRC/tests/graph/data/labels.pb.gz"
finish
