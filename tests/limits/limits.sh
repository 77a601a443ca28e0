# Resource limits (--max-decompressed, --max-depth, --max-name), a real
# decompression bomb, option validation, and atomic output: a failing run
# leaves an existing file untouched and no temporary file behind.
. "$SRC/tests/lib.sh"
# The repository's own profiles and pprof goldens (tests/data).
GOLDENS=$DATA

small=$GOLDENS/heap-small.pb.gz
raw=$GOLDENS/raw-uncompressed.pb

# expect_fail STATUS WORDS COMMAND...: exit STATUS, one stderr line with WORDS.
expect_fail() {
  want=$1 words=$2
  shift 2
  "$@" > "$WORK/stdout" 2> "$WORK/stderr"
  rc=$?
  msg=$(head -c 300 "$WORK/stderr")
  if [ $rc -ne "$want" ]; then
    fail "$*: exit $rc, want $want ($msg)"
  elif [ "$(wc -l < "$WORK/stderr")" -ne 1 ]; then
    fail "$*: want one stderr line, got: $msg"
  elif ! grep -qF -- "$words" "$WORK/stderr"; then
    fail "$*: message lacks \"$words\": $msg"
  elif [ -s "$WORK/stdout" ]; then
    fail "$*: wrote to stdout on failure"
  else
    pass
  fi
}

"$HEAPFLAME" --folded "$small" > "$WORK/default.folded" || fail "default run failed"

# Decompressed size.
expect_fail 2 "decompressed size exceeds the limit of 1024 bytes" \
  "$HEAPFLAME" --folded --max-decompressed=1K "$small"
expect_fail 2 "exceeds the limit of 1024 bytes" \
  "$HEAPFLAME" --folded --max-decompressed=1K "$raw"
expect_fail 2 "exceeds the limit" "$HEAPFLAME" --folded --max-decompressed=4K - < "$raw"
"$HEAPFLAME" --folded --max-decompressed=64K "$small" > "$WORK/64k.folded" \
  && cmp -s "$WORK/64k.folded" "$WORK/default.folded" && pass \
  || fail "--max-decompressed=64K changed the output of a 60 KB profile"

# The limit is inclusive: a profile of exactly N inflated bytes passes
# --max-decompressed=N and is refused at N-1 (gzipped, plain, stdin; the
# gzip path used to take one byte over the limit).
n_small=$(gzip -dc "$small" | wc -c)
"$HEAPFLAME" --folded --max-decompressed="$n_small" "$small" > "$WORK/exact.folded" \
  && cmp -s "$WORK/exact.folded" "$WORK/default.folded" && pass \
  || fail "--max-decompressed=$n_small refused a profile of $n_small inflated bytes"
expect_fail 2 "exceeds the limit of $((n_small - 1)) bytes" \
  "$HEAPFLAME" --folded --max-decompressed=$((n_small - 1)) "$small"
expect_fail 2 "exceeds the limit of $((n_small - 1)) bytes" \
  "$HEAPFLAME" --folded --max-decompressed=$((n_small - 1)) - < "$small"
n_raw=$(wc -c < "$raw")
"$HEAPFLAME" --folded --max-decompressed="$n_raw" "$raw" > /dev/null && pass \
  || fail "--max-decompressed=$n_raw refused a plain profile of $n_raw bytes"
expect_fail 2 "exceeds the limit of $((n_raw - 1)) bytes" \
  "$HEAPFLAME" --folded --max-decompressed=$((n_raw - 1)) "$raw"
# Two members (zlib's path, not libdeflate's), the limit one byte short.
gzip -dc "$small" | head -c 5000 | gzip -1 > "$WORK/m1.gz"
gzip -dc "$small" | tail -c +5001 | gzip -1 > "$WORK/m2.gz"
cat "$WORK/m1.gz" "$WORK/m2.gz" > "$WORK/members.gz"
"$HEAPFLAME" --folded --max-decompressed="$n_small" "$WORK/members.gz" > "$WORK/members.folded" \
  && cmp -s "$WORK/members.folded" "$WORK/default.folded" && pass \
  || fail "two gzip members of $n_small bytes in all refused at the exact limit"
expect_fail 2 "exceeds the limit of $((n_small - 1)) bytes" \
  "$HEAPFLAME" --folded --max-decompressed=$((n_small - 1)) "$WORK/members.gz"

# A bomb: 256 MiB of zeros in about 1 MB of gzip -1. Refused at the limit,
# without inflating it all (peak memory well under the inflated size).
head -c 268435456 /dev/zero | gzip -1 > "$WORK/bomb.gz"
if [ -x /usr/bin/time ]; then
  /usr/bin/time -f %M -o "$WORK/rss" "$HEAPFLAME" --folded --max-decompressed=16M \
    "$WORK/bomb.gz" > /dev/null 2> "$WORK/stderr"
  rc=$?
  rss_kb=$(tail -1 "$WORK/rss")
  [ $rc -eq 2 ] && grep -q "exceeds the limit" "$WORK/stderr" && pass \
    || fail "bomb: exit $rc: $(head -c 200 "$WORK/stderr")"
  [ "$rss_kb" -lt 131072 ] && pass || fail "bomb: peak RSS $rss_kb KiB with a 16 MiB limit"
  # Under the default limit (2 GiB) the zeros are refused as not a profile
  # once 16 MiB are held; the rest is inflated and dropped (file and stdin).
  # About 30 MB in a plain build; the bound leaves room for ASan's shadow.
  for src in file stdin; do
    if [ $src = file ]; then
      /usr/bin/time -f %M -o "$WORK/rss" "$HEAPFLAME" --folded "$WORK/bomb.gz" \
        > /dev/null 2> "$WORK/stderr"
    else
      /usr/bin/time -f %M -o "$WORK/rss" "$HEAPFLAME" --folded - < "$WORK/bomb.gz" \
        > /dev/null 2> "$WORK/stderr"
    fi
    rc=$?
    rss_kb=$(tail -1 "$WORK/rss")
    [ $rc -eq 2 ] && grep -q "not a pprof profile" "$WORK/stderr" && pass \
      || fail "bomb ($src, default limit): exit $rc: $(head -c 200 "$WORK/stderr")"
    [ "$rss_kb" -lt 98304 ] && pass || fail "bomb ($src): peak RSS $rss_kb KiB, over 96 MiB"
  done
  # A real profile followed by the zeros: refused the same way.
  { gzip -dc "$small"; head -c 100663296 /dev/zero; } | gzip -1 > "$WORK/bomb2.gz"
  /usr/bin/time -f %M -o "$WORK/rss" "$HEAPFLAME" --folded "$WORK/bomb2.gz" \
    > /dev/null 2> "$WORK/stderr"
  rc=$?
  rss_kb=$(tail -1 "$WORK/rss")
  [ $rc -eq 2 ] && grep -q "not a pprof profile" "$WORK/stderr" && [ "$rss_kb" -lt 98304 ] && pass \
    || fail "profile + zeros: exit $rc, peak RSS $rss_kb KiB: $(head -c 200 "$WORK/stderr")"
else
  fail "/usr/bin/time is missing (scripts/install-deps.sh installs it)"
fi

# Stack depth (locations per sample) and name length.
expect_fail 2 "more than the limit of 5" "$HEAPFLAME" --folded --max-depth=5 "$small"
expect_fail 2 "longer than the limit of 8 bytes" "$HEAPFLAME" --folded --max-name=8 "$small"
"$HEAPFLAME" --folded --max-depth=100 --max-name=4K "$small" > "$WORK/roomy.folded" \
  && cmp -s "$WORK/roomy.folded" "$WORK/default.folded" && pass \
  || fail "limits above the profile's needs changed the output"

# Bad limit values are usage errors.
for bad in 0 -1 abc 1Q 99999999999999999999G ""; do
  expect_fail 1 "expected a positive size" "$HEAPFLAME" --folded --max-depth="$bad" "$small"
done

# Atomic output: a failure leaves the old file alone and no temporary.
mkdir -p "$WORK/out"
echo "previous content" > "$WORK/out/keep.folded"
expect_fail 2 "truncated gzip" "$HEAPFLAME" --folded -o "$WORK/out/keep.folded" \
  "$SRC/tests/must-fail/truncated-gzip-at-1519.pb.gz"
[ "$(cat "$WORK/out/keep.folded")" = "previous content" ] && pass \
  || fail "a failed run changed the existing output file"
[ "$(ls -A "$WORK/out")" = "keep.folded" ] && pass \
  || fail "a failed run left files behind: $(ls -A "$WORK/out" | tr '\n' ' ')"
expect_fail 2 "overflow" "$HEAPFLAME" --folded -o "$WORK/out/new.folded" \
  "$SRC/tests/must-fail/values-overflow-total.pb"
[ ! -e "$WORK/out/new.folded" ] && pass || fail "an overflow left an output file"
expect_fail 2 "$WORK/no/such/dir/x.folded" \
  "$HEAPFLAME" --folded -o "$WORK/no/such/dir/x.folded" "$small"

# A full disk on standard output is an error, not a short file.
"$HEAPFLAME" --folded "$small" > /dev/full 2> "$WORK/stderr"
rc=$?
[ $rc -eq 2 ] && [ "$(wc -l < "$WORK/stderr")" -eq 1 ] && grep -q "stdout: write failed" "$WORK/stderr" \
  && pass || fail "writing to /dev/full: exit $rc: $(head -c 200 "$WORK/stderr")"

# -o naming a device or FIFO writes into it: the temporary file is not
# renamed over it (as root, -o /dev/null replaced /dev/null with a file).
mkfifo "$WORK/fifo"
timeout 120 cat "$WORK/fifo" > "$WORK/from-fifo" &
reader=$!
"$HEAPFLAME" --folded -o "$WORK/fifo" "$small" 2> "$WORK/stderr"
rc=$?
wait $reader
"$HEAPFLAME" --folded "$small" > "$WORK/direct" 2>/dev/null
[ $rc -eq 0 ] && [ -p "$WORK/fifo" ] && cmp -s "$WORK/from-fifo" "$WORK/direct" && pass \
  || fail "-o FIFO: exit $rc, still a FIFO: $([ -p "$WORK/fifo" ] && echo yes || echo no)"
"$HEAPFLAME" --folded -o /dev/full "$small" 2> "$WORK/stderr"
rc=$?
[ $rc -eq 2 ] && [ -c /dev/full ] && grep -q "/dev/full: write failed" "$WORK/stderr" && pass \
  || fail "-o /dev/full: exit $rc: $(head -c 200 "$WORK/stderr")"

# -o naming a symbolic link writes the file it points to (through a chain
# of links, and when the last one dangles, as a shell's "> link" would):
# the link itself stays a link.
mkdir -p "$WORK/links/real"
echo "old" > "$WORK/links/real/out.folded"
ln -s real/out.folded "$WORK/links/one"
ln -s one "$WORK/links/two"
ln -s real/new.folded "$WORK/links/dangling"
for link in two dangling; do
  "$HEAPFLAME" --folded -o "$WORK/links/$link" "$small" 2> "$WORK/stderr"
  rc=$?
  [ $rc -eq 0 ] && [ -L "$WORK/links/$link" ] && cmp -s "$WORK/links/$link" "$WORK/direct" && pass \
    || fail "-o symbolic link $link: exit $rc, still a link: $([ -L "$WORK/links/$link" ] && echo yes || echo no)"
done
[ -L "$WORK/links/one" ] && [ "$(ls -A "$WORK/links/real" | tr '\n' ' ')" = "new.folded out.folded " ] && pass \
  || fail "-o through links left: $(ls -A "$WORK/links/real" | tr '\n' ' ')"
ln -s loop "$WORK/links/loop"
expect_fail 2 "$WORK/links/loop" "$HEAPFLAME" --folded -o "$WORK/links/loop" "$small"

# A large output (7 MB, past the 1 MiB from which -o FILE and the temporary
# file behind standard output reserve the file's blocks ahead on ext4):
# the same bytes to -o, to a pipe and to a redirected file, and no block
# reserved past the end is left to the published file.
awk 'BEGIN { pad = sprintf("%150s", ""); gsub(/ /, "x", pad)
  for (i = 0; i < 40000; i++) printf "main;f%d_%s;g%d %d\n", i, pad, i % 97, i + 1 }' \
  > "$WORK/large-in.folded"
"$HEAPFLAME" --folded -o "$WORK/large.folded" "$WORK/large-in.folded" 2> "$WORK/stderr"
rc=$?
"$HEAPFLAME" --folded "$WORK/large-in.folded" 2>/dev/null | cat > "$WORK/large-pipe.folded"
"$HEAPFLAME" --folded "$WORK/large-in.folded" > "$WORK/large-redirect.folded" 2>/dev/null
size=$(stat -c %s "$WORK/large.folded")
allocated=$(( $(stat -c %b "$WORK/large.folded") * $(stat -c %B "$WORK/large.folded") ))
[ $rc -eq 0 ] && [ ! -s "$WORK/stderr" ] && [ "$size" -gt 6000000 ] \
  && cmp -s "$WORK/large.folded" "$WORK/large-pipe.folded" \
  && cmp -s "$WORK/large.folded" "$WORK/large-redirect.folded" \
  && [ "$(wc -l < "$WORK/large.folded")" -eq 40000 ] && [ "$allocated" -le $((size + 65536)) ] \
  && [ -z "$(ls "$WORK" | grep 'large.folded.tmp')" ] && pass \
  || fail "large -o: exit $rc, $size bytes, $allocated allocated: $(head -c 200 "$WORK/stderr")"

# A write that fails part way through a large output (a file size limit
# of 2 MiB, under the blocks reserved ahead): one line, exit 2, no file
# and no temporary left, an existing target untouched; on standard output
# nothing written.
# size_limited COMMAND...: COMMAND under a 2 MiB file size limit, the
# signal of a write past it ignored (the write fails with EFBIG instead).
size_limited() { sh -c 'trap "" XFSZ; ulimit -f 2048; exec "$@"' sh "$@"; }
expect_fail 2 "large-limited.folded: write failed" \
  size_limited "$HEAPFLAME" --folded -o "$WORK/large-limited.folded" "$WORK/large-in.folded"
echo "old" > "$WORK/large-old.folded"
expect_fail 2 "large-old.folded: write failed" \
  size_limited "$HEAPFLAME" --folded -o "$WORK/large-old.folded" "$WORK/large-in.folded"
expect_fail 2 "stdout: write failed" size_limited "$HEAPFLAME" --folded "$WORK/large-in.folded"
[ ! -e "$WORK/large-limited.folded" ] && [ "$(cat "$WORK/large-old.folded")" = old ] \
  && [ -z "$(ls "$WORK" | grep 'large-.*tmp')" ] && pass \
  || fail "a failed large -o left: $(ls "$WORK" | grep large- | tr '\n' ' ')"

# Standard input is named "-" in errors.
expect_fail 2 "heapflame: -: empty file" "$HEAPFLAME" --folded - < /dev/null
finish
