# Hostile frame names (tests/escaping) through the growth report: the text
# keeps one row per function and no control characters; the HTML page
# holds no more script, foreign elements or handlers than a benign series
# gives, and (when Chromium and playwright-core are there) runs none of
# the names' script.
. "$SRC/tests/lib.sh"

dir=$SRC/tests/escaping
# Three snapshots of the hostile stacks, their counts growing (collapsed
# input: one program, no times, so ordered as given).
cp "$dir/hostile-names.folded" "$WORK/s1.folded"
sed -E 's/ ([0-9]+)$/ \1\1/' "$dir/hostile-names.folded" > "$WORK/s2.folded"
sed -E 's/ ([0-9]+)$/ \1\1\1/' "$dir/hostile-names.folded" > "$WORK/s3.folded"

no_controls() {
  ! LC_ALL=C grep -q "$(printf '[\001-\010\011\013-\037\177]')" "$1"
}

"$HEAPFLAME" --growth "$WORK"/s[123].folded > "$WORK/report" 2> "$WORK/err"
check "text report: $(head -c 200 "$WORK/err")" test $? -eq 0
check "text: no control characters" no_controls "$WORK/report"
nfn=$(tr ';' '\n' < "$dir/hostile-names.folded" | sed -E 's/ [0-9]+$//' | sort -u | wc -l)
rows=$(awk '/^ +first +last/ {on = 1; next} on' "$WORK/report" | grep -vc '(total)$')
check "text: one row per function ($rows, want at most $nfn)" test "$rows" -le "$nfn" -a "$rows" -gt 5
check "text: the hostile names are there" grep -q 'window.__pwned=1<' "$WORK/report"
"$HEAPFLAME" --growth --ascii "$WORK"/s[123].folded > "$WORK/ascii"
check "--ascii: sparklines in ASCII (names may hold UTF-8)" \
  sh -c "awk '/^ +first/ {on=1; next} on {print \$7}' '$WORK/ascii' | LC_ALL=C grep -q '[^ -~]' && exit 1 || exit 0"

"$HEAPFLAME" --growth -o "$WORK/hostile.html" "$WORK"/s[123].folded
F=$DATA
"$HEAPFLAME" --growth -o "$WORK/benign.html" "$F/heap-small.pb.gz" "$F/heap-base.pb.gz" "$F/heap-later.pb.gz"
# What the page holds that could run script, as an HTML parser sees it
# (Python's html.parser, standard library).
census() {
  python3 -c '
import sys
from html.parser import HTMLParser
class Census(HTMLParser):
    def __init__(self):
        super().__init__()
        self.n = {"script": 0, "foreign": 0, "handlers": 0, "style": 0}
    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.n["script"] += 1
        if tag == "style":
            self.n["style"] += 1
        if tag in ("img", "iframe", "object", "embed", "foreignobject", "link", "base", "meta"):
            self.n["foreign"] += 1
        for k, v in attrs:
            if k.lower().startswith("on") or "javascript:" in (v or "").lower():
                self.n["handlers"] += 1
c = Census()
c.feed(open(sys.argv[1], encoding="utf-8", errors="replace").read())
print(" ".join("%s=%d" % kv for kv in sorted(c.n.items())))
' "$1"
}
ch=$(census "$WORK/hostile.html")
cb=$(census "$WORK/benign.html")
check "html: same script, elements and handlers as a benign series ($ch vs $cb)" test "$ch" = "$cb"
nh=$(grep -o '</script' "$WORK/hostile.html" | wc -l)
nb=$(grep -o '</script' "$WORK/benign.html" | wc -l)
check "html: $nh \"</script\", a benign series gives $nb" test "$nh" -le "$nb"
check "html: the hostile names are there, escaped" grep -q 'window.__pwned=1&lt;/script&gt;' "$WORK/hostile.html"
check "html: growers list is JSON without '<'" \
  sh -c "grep -o 'id=\"hf-growers\">[^<]*</script>' '$WORK/hostile.html' | grep -q 'u003c/script'"

if have_browser; then
  NODE_PATH=$SRC/tests/browser/node_modules node "$SRC/tests/browser/hostile.js" \
    "$WORK/hostile.html" "$WORK/benign.html" && pass || fail "the browser test failed"
else
  skip_part "the browser test: no node, playwright-core (npm install in tests/browser) or Chromium"
fi
finish
