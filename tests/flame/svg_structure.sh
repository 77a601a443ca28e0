# The SVG of every fixture (protobuf and legacy text) and sample type against the pprof folded goldens:
# well-formed XML, root = total, every frame = the sum of the golden stacks
# under its path (siblings merged by name), the frame count, nothing
# narrower than minwidth; as flame, icicle and reversed graphs.
. "$SRC/tests/lib.sh"
need_fixtures

# legacy text profiles: names from their "#" lines, which with pprof's
# runtime.goexit and pruning equal the .folded goldens (pprof symbolizing
# with the binary)
legacy() {
  for f in "$GOLDENS"/*.txt; do
    case $f in *.*.txt) continue ;; esac # goldens: NAME.T.top.txt, ...
    [ -f "$f" ] && basename "$f"
  done
}

for f in $(proto_fixtures) $(legacy); do
  name=$(fixture_name "$f")
  suffix=folded
  for t in $(sample_types "$f"); do
    golden_exists "$name.$t.$suffix" || continue
    golden "$name.$t.$suffix" > "$WORK/want"
    lines=$(wc -l < "$WORK/want")
    for mode in flame icicle reverse flame-all; do
      # the 50,000-stack profile: every type as a flame, one type in all
      # modes (sanitizer builds: that one type only)
      [ "$lines" -gt 5000 ] && [ $mode != flame ] && [ "$t" != alloc_space ] && continue
      [ "$lines" -gt 5000 ] && [ -n "${HF_SANITIZE:-}" ] && [ "$t" != alloc_space ] && continue
      # sanitizer builds are slow: the icicle geometry is covered by test_flame
      [ -n "${HF_SANITIZE:-}" ] && [ $mode = icicle ] && continue
      case $mode in
        flame) opts= ;;
        icicle) opts=--inverted ;;
        reverse) opts=--reverse ;;
        flame-all) opts="--minwidth=0 --max-frames=100000000"
          # every frame of the 50,000-stack profile would be a 200 MB SVG
          [ "$lines" -gt 5000 ] && continue ;;
      esac
      out="$WORK/$name.$t.$mode.svg"
      # shellcheck disable=SC2086
      if ! "$HEAPFLAME" -sample_index="$t" $opts -o "$out" "$GOLDENS/$f"; then
        fail "$name.$t $mode: heapflame failed"
        continue
      fi
      if xmllint --noout "$out" 2> "$WORK/xmllint.err"; then pass; else
        fail "$name.$t $mode: not well-formed: $(head -2 "$WORK/xmllint.err")"
      fi
      if perl "$SRC/tests/flame/check_svg.pl" "$mode" "$WORK/want" "$out" > "$WORK/problems"; then
        pass
      else
        fail "$name.$t $mode: $(head -5 "$WORK/problems" | tr '\n' '|')"
      fi
    done
  done
done
finish
