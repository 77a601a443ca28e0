# --peek and --tags equal pprof's goldens (NAME.T.peek.txt, made with
# `go tool pprof -sample_index=T -peek 'main\.'`, and NAME.T.tags.txt, made
# with -tags) byte for byte, for every fixture and sample type that has
# them; a regexp matching nothing and a bad one fail cleanly.
. "$SRC/tests/lib.sh"
need_fixtures # GOLDENS: the shared set, or tests/data (reports_golden_data)

npeek=0
ntags=0
for f in $(proto_fixtures); do
  name=$(fixture_name "$f")
  ls "$GOLDENS/$name".*.peek.txt "$GOLDENS/$name".*.tags.txt > /dev/null 2>&1 || continue
  for t in $(sample_types "$f"); do
    if golden_exists "$name.$t.peek.txt"; then
      npeek=$((npeek + 1))
      golden "$name.$t.peek.txt" > "$WORK/want"
      if "$HEAPFLAME" --peek 'main\.' -sample_index="$t" "$GOLDENS/$f" > "$WORK/got" 2> "$WORK/err" \
          && cmp -s "$WORK/want" "$WORK/got"; then
        pass
      else
        fail "$name $t --peek: $(cat "$WORK/err") $(diff "$WORK/want" "$WORK/got" | head -4 | tr '\n' ' ')"
      fi
      # The single-dash spelling with '=' is the same option.
      "$HEAPFLAME" -peek='main\.' -sample_index="$t" "$GOLDENS/$f" 2>&1 | cmp -s - "$WORK/want" \
        && pass || fail "$name $t: -peek=RE differs from --peek RE"
    fi
    if golden_exists "$name.$t.tags.txt"; then
      ntags=$((ntags + 1))
      golden "$name.$t.tags.txt" > "$WORK/want"
      if "$HEAPFLAME" --tags -sample_index="$t" "$GOLDENS/$f" > "$WORK/got" 2> "$WORK/err" \
          && cmp -s "$WORK/want" "$WORK/got"; then
        pass
      else
        fail "$name $t --tags: $(cat "$WORK/err") $(diff "$WORK/want" "$WORK/got" | head -4 | tr '\n' ' ')"
      fi
    fi
  done
done
# The fixtures README lists 10 of each (heap-small, heap-inline, cpu-small);
# tests/data has 6 (heap-small, cpu-small).
want=10
on_shared || want=6
[ "$npeek" -ge $want ] && pass || fail "only $npeek peek goldens found"
[ "$ntags" -ge $want ] && pass || fail "only $ntags tags goldens found"

# No function matches: pprof's error, exit 2, and no output file.
in=$GOLDENS/heap-small.pb.gz
refused 2 "--peek without a match" "$WORK/none.txt" -E \
  "^heapflame: .*heap-small.pb.gz: no matches found for regexp: no_such_function$" \
  "$HEAPFLAME" --peek 'no_such_function' -o "$WORK/none.txt" "$in"
# A bad expression is bad usage.
refused 1 "--peek with a bad regexp" - -F 'bad regular expression' "$HEAPFLAME" --peek 'main\.(' "$in"
# A profile without labels: -tags prints nothing, successfully.
"$HEAPFLAME" --tags "$GOLDENS/cpu-small.pb.gz" > "$WORK/out" 2> "$WORK/err" && [ ! -s "$WORK/out" ] \
  && [ ! -s "$WORK/err" ] && pass || fail "--tags without labels: $(head -c 200 "$WORK/err")"
finish
