# Bad input: one line on stderr naming the file and the problem, exit 2,
# and no output file left behind.
. "$SRC/tests/lib.sh"
# The repository's own profiles and pprof goldens (tests/data).
GOLDENS=$DATA

# expect_input_error FILE MESSAGE: heapflame --folded -o OUT FILE must fail so.
expect_input_error() {
  file=$1
  want=$2
  rm -f "$WORK/out.txt"
  "$HEAPFLAME" --folded -o "$WORK/out.txt" "$file" > "$WORK/stdout" 2> "$WORK/stderr"
  status=$?
  [ $status -eq 2 ] || { fail "$file: exit $status, want 2"; return; }
  [ "$(wc -l < "$WORK/stderr")" -eq 1 ] || { fail "$file: stderr is not one line: $(cat "$WORK/stderr")"; return; }
  line=$(cat "$WORK/stderr")
  [ "$line" = "heapflame: $file: $want" ] || { fail "$file: got '$line', want 'heapflame: $file: $want'"; return; }
  [ ! -s "$WORK/stdout" ] || { fail "$file: wrote to stdout"; return; }
  [ ! -e "$WORK/out.txt" ] || { fail "$file: left an output file"; return; }
  leftovers=$(ls "$WORK" | grep -c 'out.txt.tmp' || true)
  [ "$leftovers" -eq 0 ] || { fail "$file: left a temporary file"; return; }
  pass
}

: > "$WORK/empty.pb"
expect_input_error "$WORK/empty.pb" "empty file"

# 2 KB of fixed pseudo-random bytes.
LC_ALL=C awk 'BEGIN { srand(7); for (i = 0; i < 2048; i++) printf "%c", int(rand() * 255) + 1 }' \
  > "$WORK/random.bin"
printf '\001\002\003' >> "$WORK/random.bin"
"$HEAPFLAME" --folded "$WORK/random.bin" > /dev/null 2> "$WORK/stderr"
status=$?
if [ $status -eq 2 ] && grep -q "^heapflame: $WORK/random.bin: not a pprof profile" "$WORK/stderr"; then
  pass
else
  fail "random bytes: exit $status, stderr: $(cat "$WORK/stderr")"
fi

head -c 5000 "$GOLDENS/heap-small.pb.gz" > "$WORK/truncated.pb.gz"
expect_input_error "$WORK/truncated.pb.gz" "truncated gzip stream"

head -c 3000 "$GOLDENS/heap-small.pb.gz" | tail -c 2000 > "$WORK/garbage"
gzip -c < "$WORK/garbage" > "$WORK/garbage.gz"
expect_input_error "$WORK/garbage.gz" "gzip data is not a pprof profile"

cp "$GOLDENS/heap-small.pb.gz" "$WORK/junk.pb.gz"
printf 'JUNK' >> "$WORK/junk.pb.gz"
expect_input_error "$WORK/junk.pb.gz" "4 bytes of trailing garbage after the gzip stream"

expect_input_error "$WORK/does-not-exist.pb.gz" "cannot open (No such file or directory)"

# The limit on inflated size stops a decompression bomb early.
"$HEAPFLAME" --folded --max-decompressed 8K "$GOLDENS/heap-small.pb.gz" > /dev/null 2> "$WORK/stderr"
status=$?
check "decompression limit exit status ($status)" [ $status -eq 2 ]
check "decompression limit message" grep -q "decompressed size exceeds the limit of 8192 bytes" "$WORK/stderr"

# An unknown sample type lists the profile's types.
"$HEAPFLAME" --folded -sample_index=cpu "$GOLDENS/heap-small.pb.gz" > /dev/null 2> "$WORK/stderr"
status=$?
check "unknown sample type exit status ($status)" [ $status -eq 2 ]
check "unknown sample type lists types" grep -q 'no sample type "cpu" (this profile has: alloc_objects, alloc_space, inuse_objects, inuse_space)' "$WORK/stderr"

# A bad --theme file: one line naming the file once, then the line and the
# problem; a missing one says so the same way.
theme_error() { # NAME CONTENT MESSAGE
  rm -f "$WORK/$1" "$WORK/theme.svg"
  [ "$2" = MISSING ] || printf "$2" > "$WORK/$1"
  "$HEAPFLAME" --theme="$WORK/$1" -o "$WORK/theme.svg" "$GOLDENS/heap-small.pb.gz" 2> "$WORK/stderr"
  status=$?
  check "theme $1: exit 2 (got $status)" [ $status -eq 2 ]
  check "theme $1: '$(cat "$WORK/stderr")' = 'heapflame: $WORK/$1: $3'" \
    [ "$(cat "$WORK/stderr")" = "heapflame: $WORK/$1: $3" ]
  check "theme $1: no output" [ ! -e "$WORK/theme.svg" ]
}
theme_error bad-key.theme '[flame]\nfoo = 1\n' 'line 2: unknown key in [flame]'
theme_error bad-red.theme '# mine\n[palette]\nred = 999\n' 'line 3: expected BASE [+ SCALE vN] (0-255, N 1-3)'
theme_error no-palette.theme '[flame]\nui = #000000\n' '[palette] needs red, green and blue, or colors'
theme_error missing.theme MISSING 'cannot open (No such file or directory)'

# Standard input works, and a failure there writes nothing to stdout.
"$HEAPFLAME" --folded - < "$GOLDENS/heap-small.pb.gz" > "$WORK/stdin.folded"
check "stdin folds like the file" cmp -s "$WORK/stdin.folded" "$GOLDENS/heap-small.inuse_space.folded"
"$HEAPFLAME" --folded - < "$WORK/truncated.pb.gz" > "$WORK/stdin.out" 2> "$WORK/stderr"
check "stdin failure exit 2" [ $? -eq 2 ]
check "stdin failure writes nothing" [ ! -s "$WORK/stdin.out" ]
check "stdin failure names -" grep -q '^heapflame: -: truncated gzip stream$' "$WORK/stderr"
finish
