# --folded equals the pprof-made goldens, byte for byte, for every profile
# and sample type, at function and at line granularity.
. "$SRC/tests/lib.sh"
need_fixtures

for f in $(proto_fixtures); do
  name=$(fixture_name "$f")
  types=$(sample_types "$f")
  [ -n "$types" ] || fail "$f: no sample types listed"
  for t in $types; do
    for gran in functions lines; do
      suffix=folded
      [ $gran = lines ] && suffix=lines.folded
      golden_exists "$name.$t.$suffix" || continue
      golden "$name.$t.$suffix" > "$WORK/want"
      if "$HEAPFLAME" --folded -sample_index="$t" --$gran -o "$WORK/got" "$GOLDENS/$f"; then
        if cmp -s "$WORK/want" "$WORK/got"; then
          pass
        else
          fail "$name.$t.$suffix differs: $(diff "$WORK/want" "$WORK/got" | head -3 | tr '\n' ' ')"
        fi
      else
        fail "$name.$t.$suffix: heapflame exited with $?"
      fi
    done
  done
done
finish
