# --list equals pprof's list goldens byte for byte: every main. function
# of every fixture and sample type that has a golden (sources where the
# goldens were made with them: the shared set's src/, or tests/data itself
# for programs/shop/main.go), and the missing-source case.
. "$SRC/tests/lib.sh"
need_fixtures

cd "$WORK" || exit 1
if on_shared; then sources=$GOLDENS/src; want=10; else sources=$GOLDENS; want=6; fi
n=0
for f in $(proto_fixtures); do
  name=$(fixture_name "$f")
  for t in $(sample_types "$f"); do
    g=$name.$t.list.txt
    golden_exists "$g" || continue
    n=$((n + 1))
    # The goldens were made with -source_path=SOURCES:$GOROOT/src; main.go
    # files need only the first entry.
    if "$HEAPFLAME" -sample_index="$t" --list 'main\.' -source_path="$sources" \
        "$GOLDENS/$f" > "$WORK/got" 2> "$WORK/err"; then
      golden "$g" | cmp -s - "$WORK/got" && pass \
        || fail "$g: $(golden "$g" | diff - "$WORK/got" | head -6 | tr '\n' ' ' | cut -c1-300)"
    else
      fail "$g: heapflame failed: $(head -c 200 "$WORK/err")"
    fi
  done
done
[ "$n" -ge "$want" ] && pass || fail "only $n list goldens found (want $want)"

# pprof's -list=RE spelling, and -o.
"$HEAPFLAME" -sample_index=alloc_space -list='main\.' -source_path="$sources" \
  -o "$WORK/out.txt" "$GOLDENS/heap-small.pb.gz" \
  && golden heap-small.alloc_space.list.txt | cmp -s - "$WORK/out.txt" && pass \
  || fail "-list=RE -o FILE differs from the golden"

# A missing source: pprof's Error line, and the listing carries on (the
# shared set's golden; tests/data has none).
if on_shared; then
g=heap-small.alloc_space.list-nosource.txt
"$HEAPFLAME" -alloc_space --list 'main\.handle$' -source_path=/nonexistent \
  "$GOLDENS/heap-small.pb.gz" > "$WORK/got" 2> "$WORK/err"
golden "$g" | cmp -s - "$WORK/got" && pass \
  || fail "$g: $(golden "$g" | diff - "$WORK/got" | head -6 | tr '\n' ' ')"
[ -s "$WORK/err" ] && fail "$g: stderr: $(head -c 200 "$WORK/err")" || pass
"$HEAPFLAME" -alloc_space --list 'main\.(handle|zzz)$' -source_path=/nonexistent:"$FIXTURES/src" \
  "$GOLDENS/heap-small.pb.gz" > "$WORK/got" 2> "$WORK/err"
grep -q '^ROUTINE ======================== main.handle in shop/heapsmall/main.go$' "$WORK/got" \
  && ! grep -q Error "$WORK/got" && pass || fail "the second -source_path entry was not searched"
fi

# No match at all: pprof's message, one line, exit 2, no output.
refused 2 "no match" "$WORK/none.txt" -Fx \
  "heapflame: $GOLDENS/heap-small.pb.gz: no matches found for regexp: no\\.such\\.function" \
  "$HEAPFLAME" --list 'no\.such\.function' -o "$WORK/none.txt" "$GOLDENS/heap-small.pb.gz"
# A bad expression is a usage error.
refused 1 "bad regex" - -F 'regular expression' "$HEAPFLAME" --list 'a(' "$GOLDENS/heap-small.pb.gz"
finish
