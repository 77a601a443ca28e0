# The flame graph command line: default view, options, themes, --cp, diffs,
# and errors (one line, exit status, nothing half-written).
. "$SRC/tests/lib.sh"
# The repository's own profiles and pprof goldens (tests/data).
GOLDENS=$DATA
H="$GOLDENS/heap-small.pb.gz"
C="$GOLDENS/cpu-small.pb.gz"
attr() { sed -n "s/^<svg .* $1=\"\([^\"]*\)\".*/\1/p" "$2"; }
frames() { grep -c '^<g data-v=' "$1"; }

# no view option: an SVG flame graph on stdout, for the profile's default type
"$HEAPFLAME" "$H" > "$WORK/default.svg"
check "default view is an SVG" grep -q '^<svg .*class="heapflame"' "$WORK/default.svg"
check "well-formed" xmllint --noout "$WORK/default.svg"
want=$(golden heap-small.inuse_space.folded | awk '{s += $NF} END {print s}')
check "default type inuse_space: total $want" [ "$(attr data-hf-total "$WORK/default.svg")" = "$want" ]
"$HEAPFLAME" -alloc_space "$H" > "$WORK/alloc.svg"
want=$(golden heap-small.alloc_space.folded | awk '{s += $NF} END {print s}')
check "-alloc_space total $want" [ "$(attr data-hf-total "$WORK/alloc.svg")" = "$want" ]
check "heap titles in bytes" grep -q '<title>all ([0-9.]* [kMG]*B, 100%; [0-9,]* bytes)</title>' "$WORK/alloc.svg"
"$HEAPFLAME" -sample_index=cpu "$C" > "$WORK/cpu.svg"
check "cpu titles in time units" grep -q '<title>all ([0-9.]* m*s, 100%; [0-9,]* ns)</title>' "$WORK/cpu.svg"
check "default title" grep -q '>Flame Graph</text>' "$WORK/cpu.svg"

# layout options
"$HEAPFLAME" --inverted "$H" > "$WORK/icicle.svg"
check "icicle title" grep -q '>Icicle Graph</text>' "$WORK/icicle.svg"
"$HEAPFLAME" --width=600 --height=20 --fontsize=10 "$H" > "$WORK/small.svg"
check "--width" [ "$(sed -n 's/^<svg version="1.1" width="\([0-9]*\)".*/\1/p' "$WORK/small.svg")" = 600 ]
check "--height: rect 19" grep -q 'height="19" fill=' "$WORK/small.svg"
"$HEAPFLAME" -alloc_space --minwidth=5% "$H" > "$WORK/pct.svg"
total=$(attr data-hf-total "$WORK/pct.svg")
check "--minwidth=5%: nothing under 5%" awk -v t="$total" -F'"' '/^<g data-v=/ { if ($2 * 20 < t) bad = 1 } END { exit bad }' "$WORK/pct.svg"
check "--minwidth=5% left frames out" [ "$(attr data-hf-omitted "$WORK/pct.svg")" -gt 0 ]
"$HEAPFLAME" -alloc_space --minwidth=0 --sort=weight "$H" > "$WORK/weight.svg"
# heaviest first: the first child of the root is the root's heaviest child
check "--sort=weight" awk -F'"' '/^<g data-v=/ { n++; if (n == 1) root_y = $0; if (n == 1) { match($0, /y="[0-9]+"/); ry = substr($0, RSTART + 3, RLENGTH - 4) }
  else { match($0, /y="[0-9]+"/); y = substr($0, RSTART + 3, RLENGTH - 4); if (y == ry - 16) { if (!first) first = $2; if ($2 + 0 > max) max = $2 + 0 } } }
  END { exit !(first + 0 == max && max > 0) }' "$WORK/weight.svg"
"$HEAPFLAME" -alloc_space --reverse --minwidth=0 "$H" > "$WORK/reverse.svg"
leaves=$(golden heap-small.alloc_space.folded | sed 's/ [0-9]*$//; s/.*;//' | sort -u | wc -l)
ry=$(grep -m1 '^<g data-v=' "$WORK/reverse.svg" | sed 's/.* y="\([0-9]*\)".*/\1/')
depth1=$(grep '^<g data-v=' "$WORK/reverse.svg" | grep -c " y=\"$((ry - 16))\"")
check "--reverse: the leaves ($leaves) sit on the root" [ "$depth1" -eq "$leaves" ]
"$HEAPFLAME" --title='<T> & "q"' --subtitle="s'b" --notes='made by a test -- ok' "$H" > "$WORK/text.svg"
check "title escaped" grep -q '>&lt;T&gt; &amp; &quot;q&quot;</text>' "$WORK/text.svg"
check "subtitle" grep -q '>s&apos;b</text>' "$WORK/text.svg"
check "notes comment" grep -q '^<!-- made by a test _- ok -->' "$WORK/text.svg"
check "text.svg well-formed" xmllint --noout "$WORK/text.svg"
"$HEAPFLAME" --fontwidth=0.59 --nametype=Func: "$H" > "$WORK/fw.svg"
check "--nametype" grep -q 'data-hf-nametype="Func:"' "$WORK/fw.svg"
check "--fontwidth labels cut with .." grep -q '\.\.</text></g>$' "$WORK/fw.svg"

# inlined calls are marked (pprof draws no border between them)
"$HEAPFLAME" "$GOLDENS/heap-small.pb.gz" > "$WORK/inline.svg"
check "inlined frames marked" grep -q '^<g data-v="[0-9]*" class="hf-inl">' "$WORK/inline.svg"

# colours and themes
"$HEAPFLAME" --bgcolors=blue "$H" > "$WORK/bg.svg"
check "--bgcolors=blue" grep -q 'stop-color="#eeeeee" offset="5%"/><stop stop-color="#e0e0ff"' "$WORK/bg.svg"
"$HEAPFLAME" --theme=dark "$H" > "$WORK/dark.svg"
check "--theme=dark background" grep -q 'stop-color="#1b1b1f"' "$WORK/dark.svg"
check "--theme=dark ui text" grep -q '.hf-ui { fill: #dddddd; }' "$WORK/dark.svg"
"$HEAPFLAME" --colors=colorblind "$H" > "$WORK/cb.svg"
fills=$(grep -o 'fill="rgb([0-9,]*)" rx' "$WORK/cb.svg" | sort -u | sed 's/fill="rgb(\([0-9]*\),\([0-9]*\),\([0-9]*\))" rx/\1 \2 \3/' |
  awk '{printf "#%02x%02x%02x\n", $1, $2, $3}')
list=$(sed -n 's/^colors = //p' "$SRC/themes/colorblind.theme")
bad=0
for c in $fills; do case " $list " in *" $c "*) ;; *) bad=1 ;; esac; done
check "colorblind fills come from its list" [ "$bad" -eq 0 ]
cat > "$WORK/mine.theme" <<'T'
[flame]
background = #101010
[palette]
colors = #123456
[rules]
^main\. = #abcdef
T
"$HEAPFLAME" --theme="$WORK/mine.theme" "$H" > "$WORK/mine.svg"
check "theme file: rule colour" grep -q '<title>main.handle (.*fill="rgb(171,205,239)"' "$WORK/mine.svg"
check "theme file: list colour" grep -q '<title>runtime.*fill="rgb(18,52,86)"' "$WORK/mine.svg"
printf '[palette]\nred = 999\n' > "$WORK/bad.theme"
if "$HEAPFLAME" --theme="$WORK/bad.theme" -o "$WORK/bad.svg" "$H" 2> "$WORK/err"; then
  fail "a bad theme was accepted"
else
  check "bad theme: one line naming file and line" grep -q "^heapflame: .*bad.theme: line 2: " "$WORK/err"
  check "bad theme: one line" [ "$(wc -l < "$WORK/err")" -eq 1 ]
fi
check "bad theme: no output" [ ! -e "$WORK/bad.svg" ]

# --cp: palette.map written, then honoured
(cd "$WORK" && "$HEAPFLAME" --cp "$H" > cp1.svg)
check "--cp writes palette.map" grep -q '^main.handle->rgb([0-9]*,[0-9]*,[0-9]*)$' "$WORK/palette.map"
check "palette.map sorted" sh -c "LC_ALL=C sort -c '$WORK/palette.map'"
sed -i 's/^main.handle->.*/main.handle->rgb(1,2,3)/' "$WORK/palette.map"
(cd "$WORK" && "$HEAPFLAME" --cp "$H" > cp2.svg)
check "--cp uses the map" grep -q '<title>main.handle (.*fill="rgb(1,2,3)"' "$WORK/cp2.svg"

# --random: every frame its own colour of the palette, new on each run
fills() { sed -n 's/^<g data-v=.*<title>\([^ ]*\) .*fill="rgb(\([0-9,]*\))".*/\1 \2/p' "$1"; }
"$HEAPFLAME" --random -alloc_space "$H" > "$WORK/random1.svg"
"$HEAPFLAME" --random -alloc_space "$H" > "$WORK/random2.svg"
check "--random: as many frames" [ "$(frames "$WORK/random1.svg")" = "$(frames "$WORK/alloc.svg")" ]
check "--random: mem palette (0, 190-240, 0-210)" sh -c "! sed -n 's/.*fill=\"rgb(\([0-9,]*\))\".*/\1/p' '$WORK/random1.svg' |
  awk -F, '\$1 != 0 || \$2 < 190 || \$2 > 240 || \$3 > 210' | grep -q ."
recoloured=$(fills "$WORK/random1.svg" | sort -u | awk '{print $1}' | uniq -d | wc -l)
check "--random: one name, several colours ($recoloured names)" [ "$recoloured" -gt 0 ]
check "--random: a new picture each run" sh -c "! cmp -s '$WORK/random1.svg' '$WORK/random2.svg'"
mkdir -p "$WORK/cp-random"
(cd "$WORK/cp-random" && "$HEAPFLAME" --cp --random -alloc_space "$H" > random.svg)
recoloured=$(fills "$WORK/cp-random/random.svg" | sort -u | awk '{print $1}' | uniq -d | wc -l)
check "--random --cp: a name keeps its first colour" [ "$recoloured" = 0 ]

# differential: -base gives before/after titles and red/blue colours
"$HEAPFLAME" -inuse_space -base "$GOLDENS/heap-base.pb.gz" "$GOLDENS/heap-later.pb.gz" > "$WORK/diff.svg"
check "diff flagged" grep -q 'data-hf-diff="1"' "$WORK/diff.svg"
check "diff titles" grep -q '<title>all (.*; before .*, change [+-]' "$WORK/diff.svg"
check "diff colours are red/blue/white" awk '/^<g data-v=/ { if ($0 !~ /fill="rgb\(255,[0-9]+,[0-9]+\)"/ && $0 !~ /fill="rgb\([0-9]+,[0-9]+,255\)"/) bad = 1 } END { exit bad }' "$WORK/diff.svg"
"$HEAPFLAME" -inuse_space --negate -base "$GOLDENS/heap-base.pb.gz" "$GOLDENS/heap-later.pb.gz" > "$WORK/neg.svg"
# the frame that grew most is pure red, and pure blue negated
grown=$(grep -o '<title>[^<]*</title><rect [^>]*fill="rgb(255,0,0)"' "$WORK/diff.svg" | sed -n '1s/<title>\([^ ]*\) .*/\1/p')
a=$(grep -o "<title>$grown ([^<]*</title><rect [^>]*fill=\"rgb([0-9,]*)\"" "$WORK/diff.svg" | sed 's/.*fill=//')
b=$(grep -o "<title>$grown ([^<]*</title><rect [^>]*fill=\"rgb([0-9,]*)\"" "$WORK/neg.svg" | sed 's/.*fill=//')
check "a pure red frame in the diff" [ -n "$grown" ]
check "--negate swaps $grown ($a vs $b)" [ "$a" = '"rgb(255,0,0)"' ] && check "--negate blue" [ "$b" = '"rgb(0,0,255)"' ]

# ids: derived from the data, or given
"$HEAPFLAME" --id-prefix=second "$C" > "$WORK/id.svg"
check "--id-prefix" grep -q 'id="second-frames"' "$WORK/id.svg"
check "different profiles, different ids" [ "$(attr id "$WORK/default.svg")" != "$(attr id "$WORK/cpu.svg")" ]

# errors: one line, exit status, no file
expect_fail() { # STATUS DESCRIPTION ARGS...
  st=$1 d=$2
  shift 2
  rm -f "$WORK/out.svg"
  "$HEAPFLAME" "$@" -o "$WORK/out.svg" 2> "$WORK/err"
  got=$?
  check "$d: exit $st (got $got)" [ "$got" -eq "$st" ]
  check "$d: one line" [ "$(wc -l < "$WORK/err")" -eq 1 ]
  check "$d: heapflame: prefix" grep -q '^heapflame: ' "$WORK/err"
  check "$d: no output" [ ! -e "$WORK/out.svg" ]
}
expect_fail 1 "unknown palette" --colors=nope "$H"
expect_fail 1 "bad format" --format=gif "$H"
expect_fail 1 "notes with <" --notes='a<b' "$H"
expect_fail 1 "bad minwidth" --minwidth=abc "$H"
expect_fail 1 "bad sort" --sort=size "$H"
expect_fail 1 "bad bgcolors" --bgcolors=pink "$H"
expect_fail 2 "missing theme" --theme="$WORK/none.theme" "$H"
expect_fail 2 "missing profile" "$WORK/none.pb.gz"
printf 'not a profile at all\x01\x02' > "$WORK/junk"
expect_fail 2 "junk profile" "$WORK/junk"
finish
