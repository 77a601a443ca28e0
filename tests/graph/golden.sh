# --dot, --top and --traces equal pprof's goldens for every fixture and
# sample type: the DOT byte for byte (legend, nodes, nodelets, edges; the
# Time line included), the top table with -nodecount=0 -nodefraction=0
# -edgefraction=0, the traces for the default type, and the -base top
# tables (heap-diff). Where a golden differs, the kept node set and edge
# set are compared too, so the failure says what is wrong.
. "$SRC/tests/lib.sh"
need_fixtures # GOLDENS: the shared set, or tests/data (graph_golden_data)

# dot_nodes FILE: "label|flat-and-cum" per node, sorted (node ids dropped).
dot_nodes() {
  sed -n 's/^N[0-9]* \[label="\([^"]*\)".*/\1/p' "$1" | sort
}
# dot_edges FILE: "from-name -> to-name weight" per edge, from the tooltips.
dot_edges() {
  sed -n 's/^N[0-9]* -> N[0-9]* \[label=" \([^"]*\)".* tooltip="\([^"]*\)" labeltooltip.*/\2 \1/p' "$1" | sort
}

compare() { # compare WHAT WANT GOT
  if cmp -s "$2" "$3"; then
    pass
  else
    fail "$1 differs: $(diff "$2" "$3" | head -4 | cut -c1-160 | tr '\n' ' ')"
    return 1
  fi
}

# Legacy text profiles: pprof's goldens were made with the binary given on
# its command line ("go tool pprof heapsmall heap-legacy.txt"): their File
# line names it, which the text itself never does (Go writes no memory map).
# They are compared, byte for byte, on a copy of the fixture with a memory
# map naming the binary appended (pprof takes the same File line from it);
# the frames come from the "#" lines (runtime.goexit, which they never
# show, and pprof's pruning of heap profiles included). The top tables of
# the fixture as it is must equal the goldens but for the File line.
legacy_with_map() { # FIXTURE OUT BINARY
  { cat "$1"; printf '\n--- Memory map: ---\n00400000-004e7000 r-xp 00000000 fd:01 1234 /build/%s\n' "$3"; } > "$2"
}
for f in $(proto_fixtures) $(cd "$GOLDENS" && ls *.txt 2>/dev/null | grep -v '\.top\.txt$\|\.traces\.txt$'); do
  name=$(fixture_name "$f")
  input=$GOLDENS/$f
  case $f in *.txt)
    binary=$(golden "$name.traces.txt" | sed -n '1s/^File: //p')
    legacy_with_map "$GOLDENS/$f" "$WORK/$f" "${binary:-heapsmall}"
    input=$WORK/$f
    for t in $(sample_types "$f"); do
      golden_exists "$name.$t.top.txt" || continue
      golden "$name.$t.top.txt" | grep -v '^File: ' > "$WORK/want.top"
      if "$HEAPFLAME" --top -sample_index="$t" -nodecount=0 -nodefraction=0 -edgefraction=0 \
          -o "$WORK/got.top" "$GOLDENS/$f"; then
        compare "$name.$t.top.txt (no memory map: no File line)" "$WORK/want.top" "$WORK/got.top"
      else
        fail "$name.$t.top.txt: heapflame exited with $?"
      fi
    done ;;
  esac
  if ! "$HEAPFLAME" --list-types "$input" > /dev/null 2> "$WORK/err"; then
    echo "SKIP $f: not readable yet ($(head -c 100 "$WORK/err"))"
    continue
  fi
  for t in $(sample_types "$f"); do
    if golden_exists "$name.$t.dot"; then
      golden "$name.$t.dot" > "$WORK/want.dot"
      if "$HEAPFLAME" --dot -sample_index="$t" -o "$WORK/got.dot" "$input"; then
        if ! compare "$name.$t.dot" "$WORK/want.dot" "$WORK/got.dot"; then
          dot_nodes "$WORK/want.dot" > "$WORK/want.nodes"; dot_nodes "$WORK/got.dot" > "$WORK/got.nodes"
          dot_edges "$WORK/want.dot" > "$WORK/want.edges"; dot_edges "$WORK/got.dot" > "$WORK/got.edges"
          compare "$name.$t.dot node set" "$WORK/want.nodes" "$WORK/got.nodes"
          compare "$name.$t.dot edge set" "$WORK/want.edges" "$WORK/got.edges"
        fi
      else
        fail "$name.$t.dot: heapflame exited with $?"
      fi
    fi
    if golden_exists "$name.$t.top.txt"; then
      golden "$name.$t.top.txt" > "$WORK/want.top"
      if "$HEAPFLAME" --top -sample_index="$t" -nodecount=0 -nodefraction=0 -edgefraction=0 \
          -o "$WORK/got.top" "$input"; then
        compare "$name.$t.top.txt" "$WORK/want.top" "$WORK/got.top"
      else
        fail "$name.$t.top.txt: heapflame exited with $?"
      fi
    fi
  done
  if golden_exists "$name.traces.txt"; then
    if "$HEAPFLAME" --traces -o "$WORK/got.traces" "$input"; then
      golden "$name.traces.txt" > "$WORK/want.traces"
      compare "$name.traces.txt" "$WORK/want.traces" "$WORK/got.traces"
    else
      fail "$name.traces.txt: heapflame exited with $?"
    fi
  fi
done

# -base: flat and cum of later - base, percentages of pprof's diff total.
for t in $(sample_types heap-later.pb.gz); do
  golden_exists "heap-diff.$t.top.txt" || continue
  golden "heap-diff.$t.top.txt" > "$WORK/want.top"
  if "$HEAPFLAME" --top -sample_index="$t" -nodecount=0 -nodefraction=0 -edgefraction=0 \
      -base "$GOLDENS/heap-base.pb.gz" -o "$WORK/got.top" "$GOLDENS/heap-later.pb.gz"; then
    compare "heap-diff.$t.top.txt" "$WORK/want.top" "$WORK/got.top"
  else
    fail "heap-diff.$t.top.txt: heapflame exited with $?"
  fi
done

# A profile with pprof labels (tests/graph/data): label nodelets, labels in
# the traces.
data=$SRC/tests/graph/data
"$HEAPFLAME" --dot -o "$WORK/got.dot" "$data/labels.pb.gz" \
  && compare "labels.cpu.dot" "$data/labels.cpu.dot" "$WORK/got.dot"
"$HEAPFLAME" --top -nodecount=0 -nodefraction=0 -edgefraction=0 -o "$WORK/got.top" "$data/labels.pb.gz" \
  && compare "labels.cpu.top.txt" "$data/labels.cpu.top.txt" "$WORK/got.top"
"$HEAPFLAME" --traces -o "$WORK/got.traces" "$data/labels.pb.gz" \
  && compare "labels.traces.txt" "$data/labels.traces.txt" "$WORK/got.traces"
grep -q 'label = "kind:x\\nworker:beta"' "$WORK/got.dot" && pass || fail "no label nodelet"

# -cum orders by cum; -nodecount limits the rows and says so.
cum_input=$GOLDENS/heap-inline.pb.gz
on_shared || cum_input=$GOLDENS/heap-small.pb.gz
"$HEAPFLAME" --top -cum -nodecount=5 -o "$WORK/cum.top" "$cum_input"
rows=$(sed -n '/^ *flat  flat%/,$p' "$WORK/cum.top" | tail -n +2)
[ "$(echo "$rows" | wc -l)" -eq 5 ] && pass || fail "-nodecount=5 printed $(echo "$rows" | wc -l) rows"
echo "$rows" | awk '{print $4}' | sed 's/[kMGT]*B$//' > "$WORK/cums"
sort -rn "$WORK/cums" | cmp -s - "$WORK/cums" && pass || fail "-cum rows are not by cum: $(tr '\n' ' ' < "$WORK/cums")"
grep -q '^Showing top 5 nodes out of ' "$WORK/cum.top" && pass || fail "-nodecount legend line missing"
finish
