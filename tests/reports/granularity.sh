# pprof's granularities (-functions, -filefunctions, -files, -lines,
# -addresses) for --top, --dot, --traces and --peek against the real
# `go tool pprof` run here on the fixtures, byte for byte; --folded at each
# granularity against pprof's --top of the same granularity (every frame
# name is a node, with the node's flat and cum).
. "$SRC/tests/lib.sh"
need_fixtures
need_go
F=$GOLDENS
# A heap profile with inlined frames (locations of several lines): the
# shared set's heap-inline, or tests/data's heap-small (built with inlining).
if on_shared; then inline=heap-inline; else inline=heap-small; fi

# compare WHAT ARGS...: heapflame and pprof given the same arguments.
compare() {
  what=$(echo "$*" | sed "s#$F/##g")
  go tool pprof "$@" > "$WORK/want" 2> "$WORK/pprof.err"
  prc=$?
  if [ $prc -ne 0 ] || [ ! -s "$WORK/want" ]; then
    fail "$what: pprof gave no report: $(head -2 "$WORK/pprof.err")"
    return
  fi
  if ! "$HEAPFLAME" "$@" > "$WORK/got" 2> "$WORK/err"; then
    fail "$what: heapflame failed: $(cat "$WORK/err")"
  elif cmp -s "$WORK/want" "$WORK/got"; then
    pass
  else
    fail "$what: $(diff "$WORK/want" "$WORK/got" | head -6 | cut -c1-200 | tr '\n' ' ')"
  fi
}

for g in functions filefunctions files lines addresses; do
  for case in "heap-small alloc_space" "$inline inuse_objects" "cpu-small cpu"; do
    set -- $case
    in=$F/$1.pb.gz t=$2
    compare -$g -top -nodecount=0 -nodefraction=0 -edgefraction=0 -sample_index=$t "$in"
    compare -$g -top -cum -sample_index=$t "$in"
    compare -$g -dot -sample_index=$t "$in"
    compare -$g -traces -sample_index=$t "$in"
    compare -$g '-peek=main\.|runtime\.mallocgc' -sample_index=$t "$in"
  done
  # With a base, and merged sources.
  compare -$g -top -nodecount=0 -sample_index=alloc_space -base "$F/heap-base.pb.gz" "$F/heap-later.pb.gz"
  compare -$g -dot -sample_index=inuse_space "$F/heap-base.pb.gz" "$F/heap-later.pb.gz"
done

# --folded: frame names per granularity (docs/reports.md). Each distinct
# frame is one of pprof's -top nodes, with the same flat (stacks ending in
# it) and cum (stacks containing it, once): for the granularities whose
# frame name is pprof's node name (functions, filefunctions, files).
# alloc_objects counts need no unit scaling.
for g in functions filefunctions files; do
  in=$F/heap-small.pb.gz
  go tool pprof -$g -top -nodecount=0 -nodefraction=0 -edgefraction=0 -sample_index=alloc_objects \
    "$in" 2> /dev/null | awk 'f { $2 = $3 = $5 = ""; sub(/ \((partial-)?inline\)$/, ""); print } /flat%/ { f = 1 }' \
    | awk '{ flat = $1; cum = $2; $1 = $2 = ""; sub(/^ +/, ""); print $0 "|" flat "|" cum }' \
    | LC_ALL=C sort > "$WORK/want.nodes"
  if ! "$HEAPFLAME" -$g --folded -sample_index=alloc_objects "$in" > "$WORK/folded" 2> "$WORK/err"; then
    fail "--folded -$g: $(cat "$WORK/err")"
    continue
  fi
  awk '{
      n = split(substr($0, 1, length($0) - length($NF) - 1), fr, ";"); v = $NF
      flat[fr[n]] += v
      delete seen
      for (i = 1; i <= n; i++) if (!(fr[i] in seen)) { seen[fr[i]] = 1; cum[fr[i]] += v }
    }
    END { for (k in cum) print k "|" (k in flat ? flat[k] : 0) "|" cum[k] }' "$WORK/folded" \
    | LC_ALL=C sort > "$WORK/got.nodes"
  if cmp -s "$WORK/want.nodes" "$WORK/got.nodes"; then pass; else
    fail "--folded -$g: frames differ from pprof's nodes: $(diff "$WORK/want.nodes" "$WORK/got.nodes" | head -6 | tr '\n' ' ')"
  fi
done
# -lines frames are "name:line", -addresses "0xADDR name:line": without
# the address, the addresses stacks add up to the lines stacks.
"$HEAPFLAME" -lines --folded "$F/$inline.pb.gz" > "$WORK/lines.folded"
"$HEAPFLAME" -addresses --folded "$F/$inline.pb.gz" | sed 's/0x[0-9a-f]* //g' \
  | awk '{ v = $NF; $NF = ""; s[$0] += v } END { for (k in s) print k s[k] }' | LC_ALL=C sort > "$WORK/addr.folded"
LC_ALL=C sort "$WORK/lines.folded" | cmp -s - "$WORK/addr.folded" && pass \
  || fail "--folded -addresses without addresses differs from -lines"
grep -q '^0x[0-9a-f]* ' "$WORK/addr.folded" && fail "addresses left in" || pass
"$HEAPFLAME" -addresses --folded "$F/$inline.pb.gz" | grep -q '^0x[0-9a-f]* [^;]*:[0-9]*;0x' && pass \
  || fail "--folded -addresses frames are not \"0xADDR name:line\""
finish
