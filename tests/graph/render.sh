# --callgraph lays the graph out in-process: it works with no `dot` on PATH,
# writes well-formed SVG with a box per DOT node (the same nodes and edges
# as pprof's SVG for every fixture), tooltips and our pan/zoom script, PNG and PDF through the cairo plugin (by -o extension or
# --format); an empty profile, an unknown format and an unwritable output
# are one-line errors that leave no file behind; in Chromium the pan/zoom
# script pans, zooms and resets.
. "$SRC/tests/lib.sh"
need_fixtures
# Drawing needs Graphviz: a build without it skips (--dot is tested elsewhere).
"$HEAPFLAME" --version | grep -q ' +graphviz' || skip "heapflame built without Graphviz"

hf=$HEAPFLAME
in=$GOLDENS/heap-inline.pb.gz
on_shared || in=$GOLDENS/heap-small.pb.gz

# No Graphviz program can be found: everything happens in the library.
nodot() { env PATH=/nonexistent "$@"; }

if nodot "$hf" --callgraph -o "$WORK/g.svg" "$in" 2> "$WORK/err"; then
  pass
  check "SVG is well-formed XML" xmllint --noout "$WORK/g.svg"
  "$hf" --dot -o "$WORK/g.dot" "$in"
  want=$(grep -c '^N[0-9_N]* \[label' "$WORK/g.dot")
  got=$(xmllint --xpath "count(//*[local-name()='g'][@class='node'])" "$WORK/g.svg")
  # The legend box is a node of its own.
  [ "$got" -eq $((want + 1)) ] && pass || fail "SVG has $got node boxes, the DOT $want (+1 legend)"
  want=$(grep -c '^N[0-9_N]* -> ' "$WORK/g.dot")
  got=$(xmllint --xpath "count(//*[local-name()='g'][@class='edge'])" "$WORK/g.svg")
  [ "$got" -eq "$want" ] && pass || fail "SVG has $got edges, the DOT $want"
  if on_shared; then
    grep -q '<title>main.work (576.58kB)</title>' "$WORK/g.svg" && pass || fail "node tooltip missing"
    grep -q '<title>main.buildTree &#45;&gt; main.(\*Node).add (171.56kB)</title>' "$WORK/g.svg" && pass \
      || fail "edge tooltip missing"
  else
    # pprof's own tooltips (the DOT golden) for main.handle and its edges
    golden heap-small.inuse_space.dot > "$WORK/want.dot"
    node=$(sed -n 's/^N[0-9]* \[label="main\\nhandle\\n.*tooltip="\(main.handle ([^)]*)\)".*/\1/p' "$WORK/want.dot")
    grep -qF "<title>$node</title>" "$WORK/g.svg" && pass || fail "node tooltip '$node' missing"
  fi
  grep -q "addEventListener('wheel'" "$WORK/g.svg" && pass || fail "pan/zoom script missing"
  n=$(xmllint --xpath "count(//*[local-name()='script'])" "$WORK/g.svg")
  [ "$n" -eq 1 ] && pass || fail "$n scripts in the SVG, want 1"
  grep -q '<svg width="100%" height="100%"' "$WORK/g.svg" && pass || fail "SVG not sized to the window"
else
  fail "--callgraph without dot on PATH failed: $(head -c 200 "$WORK/err")"
fi

# The pan/zoom script works in a browser (scripts/test.sh installs
# playwright-core; Chromium comes from Debian).
if have_browser && [ -s "$WORK/g.svg" ]; then
  NODE_PATH=$SRC/tests/browser/node_modules node "$SRC/tests/graph/panzoom.js" "$WORK/g.svg" \
    && pass || fail "pan/zoom does not work in Chromium"
else
  have_browser || skip_part "the pan/zoom browser check: no node, playwright-core or chromium"
fi

# SVG is the default on standard output too.
nodot "$hf" --callgraph "$in" > "$WORK/stdout.svg" && xmllint --noout "$WORK/stdout.svg" && pass \
  || fail "--callgraph to stdout is not an SVG"

# PNG and PDF, chosen by extension or --format.
nodot "$hf" --callgraph -o "$WORK/g.png" "$in" && [ "$(head -c 8 "$WORK/g.png" | od -An -tx1 | tr -d ' ')" = 89504e470d0a1a0a ] \
  && pass || fail "-o g.png is not a PNG"
nodot "$hf" --callgraph -o "$WORK/g.pdf" "$in" && head -c 5 "$WORK/g.pdf" | grep -q '%PDF-' \
  && pass || fail "-o g.pdf is not a PDF"
nodot "$hf" --callgraph --format=png "$in" > "$WORK/f.png" && head -c 4 "$WORK/f.png" | grep -q PNG \
  && pass || fail "--format=png is not a PNG"
nodot "$hf" --callgraph --format=dot "$in" | cmp -s - "$WORK/g.dot" && pass \
  || fail "--callgraph --format=dot differs from --dot"

# svg_titles SVG CLASS: the <title> of every node or edge group, sorted
# (Graphviz names them after the DOT ids: "N3", "N1&#45;&gt;N3").
svg_titles() {
  xmllint --xpath "//*[local-name()='g'][@class='$2']/*[local-name()='title']/text()" "$1" \
    2> /dev/null | sort
}

# Every fixture and sample type draws, with the same nodes and edges as
# pprof's SVG (laid out by another Graphviz, so only the structure is
# compared).
for f in $(proto_fixtures); do
  name=$(fixture_name "$f")
  for t in $(sample_types "$f"); do
    if ! nodot "$hf" --callgraph -sample_index="$t" -o "$WORK/all.svg" "$GOLDENS/$f" 2> "$WORK/err" \
        || ! xmllint --noout "$WORK/all.svg"; then
      fail "$f $t: $(head -c 200 "$WORK/err")"
      continue
    fi
    pass
    golden_exists "$name.$t.svg" || continue
    golden "$name.$t.svg" > "$WORK/want.svg"
    for class in node edge; do
      svg_titles "$WORK/want.svg" $class > "$WORK/want.titles"
      svg_titles "$WORK/all.svg" $class > "$WORK/got.titles"
      [ -s "$WORK/want.titles" ] && cmp -s "$WORK/want.titles" "$WORK/got.titles" && pass \
        || fail "$name.$t.svg: ${class}s differ from pprof's: $(diff "$WORK/want.titles" "$WORK/got.titles" | head -3 | tr '\n' ' ')"
    done
  done
done

# fails NAME EXIT COMMAND...: exits with EXIT, an error line on stderr (after
# any warnings), every line a heapflame one, no -o file.
fails() {
  name=$1 want=$2
  shift 2
  rm -f "$WORK/out.svg"
  "$@" 2> "$WORK/err"
  rc=$?
  [ "$rc" -eq "$want" ] && pass || fail "$name: exit $rc, want $want"
  [ "$(wc -l < "$WORK/err")" -ge 1 ] && ! grep -qv '^heapflame: ' "$WORK/err" && pass \
    || fail "$name: stderr is not heapflame lines: $(head -c 300 "$WORK/err")"
  [ ! -e "$WORK/out.svg" ] && pass || fail "$name: left $WORK/out.svg behind"
}

# A profile whose samples all disappear (a focus matching nothing).
fails "empty graph" 2 nodot "$hf" --callgraph -focus='^no such function$' -o "$WORK/out.svg" "$in"
grep -q 'nothing to draw' "$WORK/err" && pass || fail "empty graph message: $(cat "$WORK/err")"
fails "empty graph dot" 2 "$hf" --dot -focus='^no such function$' -o "$WORK/out.svg" "$in"
fails "unknown format" 1 "$hf" --callgraph --format=gif -o "$WORK/out.svg" "$in"
fails "bad nodecount" 1 "$hf" --callgraph -nodecount=lots -o "$WORK/out.svg" "$in"
fails "bad nodefraction" 1 "$hf" --callgraph -nodefraction=2 -o "$WORK/out.svg" "$in"
fails "unwritable output" 2 "$hf" --callgraph -o /nonexistent/dir/out.svg "$in"
fails "bad sample type" 2 "$hf" --callgraph -sample_index=nope -o "$WORK/out.svg" "$in"
finish
