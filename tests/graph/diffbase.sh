# -diff_base and -base call graphs and top tables against the real
# `go tool pprof`, run here on the fixtures (no stored output of ours).
# pprof drops its pprof::base marker label before building the graph, so
# no nodelet may show it; the legend has the earliest time and the summed
# durations of both profiles. The top table is compared byte for byte, the
# DOT too except where pprof's own output changes from run to run or
# points at nothing (docs/callgraph.md, "Diffs"):
# - pprof sorts edges, and a node's nodelets, with an unstable sort over a
#   Go map whose comparison calls +w and -w equal, so those come out in any
#   order (two pprof runs differ): edge lines are compared as a set, and a
#   node's nodelets as a set of (label, weight) pairs;
# - pprof leaves out nodes whose values net to zero but keeps the edges
#   into them, drawn to an undeclared "N0" with weight 0: heapflame leaves
#   those edges out, so they are dropped from pprof's output (any other
#   edge to N0 still fails).
. "$SRC/tests/lib.sh"
need_fixtures
need_go
labels="$SRC/tests/graph/data/labels.pb.gz"

# nodelet_sets: DOT with each run of nodelet lines (a node's boxes and
# their edges) numbered away and sorted, so the run compares as a set.
nodelet_sets() {
  awk '
    function flush() { if (n) { fflush(); cmd = "LC_ALL=C sort"; for (i = 1; i <= n; i++) print run[i] | cmd; close(cmd); n = 0 } }
    /^N+[0-9]+(_[0-9]+)+ \[|^N+[0-9]+(_[0-9]+)* -> N+[0-9]+(_[0-9]+)+ \[/ {
      line = $0; gsub(/N+[0-9]+(_[0-9]+)+/, "NODELET", line); run[++n] = line; next
    }
    { flush(); print }
    END { flush() }'
}

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
    grep -v '^N[0-9]* -> N0 \[label=" 0[\\" ]' "$WORK/want" > "$WORK/want.kept"
    cp "$WORK/got" "$WORK/got.kept"
    for f in want got; do
      grep -v '^N[0-9]* -> N[0-9]* ' "$WORK/$f.kept" | nodelet_sets > "$WORK/$f.rest"
      grep '^N[0-9]* -> N[0-9]* ' "$WORK/$f.kept" | LC_ALL=C sort > "$WORK/$f.edges"
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

F=$GOLDENS
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
