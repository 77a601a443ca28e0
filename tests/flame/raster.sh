# PNG and PDF through cairo: valid files whose size matches the SVG's layout,
# for a flame and an icicle graph, by -o extension and by --format.
. "$SRC/tests/lib.sh"
# The repository's own profiles (tests/data), and the shared set's deep
# 50,000-stack one where it is there.
GOLDENS=$DATA
inputs="$DATA/heap-small.pb.gz $DATA/cpu-small.pb.gz"
if [ -f "$FIXTURES/synthetic-large.pb.gz" ]; then
  inputs="$inputs $FIXTURES/synthetic-large.pb.gz"
else
  skip_part "synthetic-large.pb.gz: the shared fixtures are not at $FIXTURES"
fi

be32() { # FILE OFFSET: a big-endian 32-bit number
  od -An -tu1 -j "$2" -N4 "$1" | awk '{print (($1 * 256 + $2) * 256 + $3) * 256 + $4}'
}

svg_size() { # SVG: "W H"
  sed -n 's/^<svg version="1.1" width="\([0-9]*\)" height="\([0-9]*\)".*/\1 \2/p' "$1"
}

for fx in $inputs; do
  for opts in "" "--inverted --width=800 --subtitle=sub"; do
    n=$(fixture_name "$(basename "$fx")")$(echo "$opts" | tr -d ' =-')
    # shellcheck disable=SC2086
    "$HEAPFLAME" $opts -o "$WORK/$n.svg" "$fx" || { fail "$n: svg failed"; continue; }
    set -- $(svg_size "$WORK/$n.svg")
    w=$1 h=$2
    # shellcheck disable=SC2086
    if "$HEAPFLAME" $opts -o "$WORK/$n.png" "$fx"; then
      magic=$(od -An -tx1 -N8 "$WORK/$n.png" | tr -d ' \n')
      check "$n.png magic" [ "$magic" = 89504e470d0a1a0a ]
      check "$n.png IHDR" [ "$(dd if="$WORK/$n.png" bs=1 skip=12 count=4 2>/dev/null)" = IHDR ]
      check "$n.png width $w" [ "$(be32 "$WORK/$n.png" 16)" = "$w" ]
      check "$n.png height $h" [ "$(be32 "$WORK/$n.png" 20)" = "$h" ]
      check "$n.png ends with IEND" [ "$(tail -c 8 "$WORK/$n.png" | head -c 4)" = IEND ]
      # a drawn graph, not a blank background
      check "$n.png has content" [ "$(wc -c < "$WORK/$n.png")" -gt 8000 ]
    else
      fail "$n.png: heapflame failed"
    fi
    # shellcheck disable=SC2086
    if "$HEAPFLAME" $opts --format=pdf "$fx" > "$WORK/$n.pdf"; then
      check "$n.pdf header" [ "$(head -c 5 "$WORK/$n.pdf")" = "%PDF-" ]
      check "$n.pdf trailer" sh -c "tail -c 16 '$WORK/$n.pdf' | grep -q '%%EOF'"
      check "$n.pdf page $w x $h" grep -aq "/MediaBox \[ *0 0 $w $h *\]" "$WORK/$n.pdf"
      check "$n.pdf one page" grep -aq "/Count 1" "$WORK/$n.pdf"
    else
      fail "$n.pdf: heapflame failed"
    fi
  done
done

# --format wins over the extension; stdout works too
"$HEAPFLAME" --format=png "$GOLDENS/heap-small.pb.gz" > "$WORK/stdout.png"
check "png on stdout" [ "$(od -An -tx1 -N4 "$WORK/stdout.png" | tr -d ' \n')" = 89504e47 ]
# a failed output leaves nothing behind
if "$HEAPFLAME" -o "$WORK/no/such/dir/x.png" "$GOLDENS/heap-small.pb.gz" 2> "$WORK/err"; then
  fail "writing into a missing directory succeeded"
else
  check "one error line" [ "$(wc -l < "$WORK/err")" -eq 1 ]
fi
check "no partial png" [ ! -e "$WORK/no/such/dir/x.png" ]
finish
