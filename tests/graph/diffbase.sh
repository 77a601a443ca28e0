# -diff_base and -base call graphs and top tables against the real
# `go tool pprof`, run here on the fixtures (no stored output of ours).
# pprof drops its pprof::base marker label before building the graph, so
# no nodelet may show it; the legend has the earliest time and the summed
# durations of both profiles. The top table is compared byte for byte, the
# DOT too except the order of edges: pprof sorts them with an unstable sort
# from a Go map, so edges of equal |weight| and opposite signs come out in
# any order (two pprof runs differ); the edge lines are compared as a set.
. "$SRC/tests/lib.sh"
need_fixtures

need_go
labels="$SRC/tests/graph/data/labels.pb.gz"

# compare VIEW TYPE BASE-FLAG BASE SOURCE
compare() {
  view=$1 t=$2 flag=$3 base=$4 src=$5
  what="--$view -$t $flag $(basename "$base") $(basename "$src")"
  go tool pprof "-$view" -sample_index="$t" "$flag" "$base" "$src" > "$WORK/want" 2> "$WORK/pprof.err"
  if ! "$HEAPFLAME" "--$view" -sample_index="$t" "$flag" "$base" "$src" > "$WORK/got" 2> "$WORK/err"; then
    fail "$what: heapflame failed: $(cat "$WORK/err")"
    return
  fi
  if ! grep -q 'accounting for' "$WORK/want"; then
    fail "$what: pprof gave no report: $(head -2 "$WORK/pprof.err")"
    return
  fi
  if grep -q 'pprof::base' "$WORK/got"; then
    fail "$what: the pprof::base marker shows"
    return
  fi
  if [ "$view" = dot ]; then
    for f in want got; do
      grep -v '^N[0-9]* -> N[0-9]* ' "$WORK/$f" > "$WORK/$f.rest"
      grep '^N[0-9]* -> N[0-9]* ' "$WORK/$f" | LC_ALL=C sort > "$WORK/$f.edges"
    done
    if ! cmp -s "$WORK/want.rest" "$WORK/got.rest"; then
      fail "$what: $(diff "$WORK/want.rest" "$WORK/got.rest" | head -4 | cut -c1-200 | tr '\n' ' ')"
    elif ! cmp -s "$WORK/want.edges" "$WORK/got.edges"; then
      fail "$what: edges $(diff "$WORK/want.edges" "$WORK/got.edges" | head -4 | cut -c1-200 | tr '\n' ' ')"
    else
      pass
    fi
  elif cmp -s "$WORK/want" "$WORK/got"; then
    pass
  else
    fail "$what: $(diff "$WORK/want" "$WORK/got" | head -4 | cut -c1-200 | tr '\n' ' ')"
  fi
}

F=$FIXTURES
for t in alloc_space alloc_objects inuse_space inuse_objects; do
  compare dot $t -diff_base "$F/heap-base.pb.gz" "$F/heap-later.pb.gz"
  compare top $t -diff_base "$F/heap-base.pb.gz" "$F/heap-later.pb.gz"
done
compare dot inuse_space -diff_base "$F/heap-small.pb.gz" "$F/heap-later.pb.gz"
compare dot alloc_space -diff_base "$F/heap-later.pb.gz" "$F/heap-base.pb.gz"
compare dot alloc_space -base "$F/heap-base.pb.gz" "$F/heap-later.pb.gz"
# CPU profiles with pprof labels on either side: the label nodelets must
# be the profile's own labels, never pprof::base; times and durations of
# both profiles are combined in the legend.
for t in cpu samples; do
  compare dot $t -diff_base "$F/cpu-small.pb.gz" "$labels"
  compare dot $t -diff_base "$labels" "$F/cpu-small.pb.gz"
  compare top $t -diff_base "$labels" "$F/cpu-small.pb.gz"
done
compare dot cpu -base "$labels" "$F/cpu-small.pb.gz"
compare top cpu -base "$F/cpu-small.pb.gz" "$labels"
finish
