# The HTML report without a browser: every fixture gives a file that
# xmllint's HTML parser reads without errors, carries the Content Security
# Policy, references nothing outside itself, and embeds names from the
# profile only escaped (the hostile-names profile: no markup of its own).
. "$SRC/tests/lib.sh"
need_fixtures

CSP="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"

# no_outside_refs FILE: as parsed by libxml2's HTML parser, no attribute
# or element that loads something, no url() in the style; in the call
# graphs (SVG text in the data), no link
no_outside_refs() {
  n=$(xmllint --html --huge --xpath 'count(//@src|//@href|//@srcset|//@action|//@poster|//@background|//link|//iframe|//object|//embed|//base|//img|//frame|//audio|//video|//meta[@http-equiv="refresh"])' "$1" 2>/dev/null)
  if [ "$n" != 0 ]; then
    echo "$1: $n loading attributes or elements" >&2
    return 1
  fi
  if xmllint --html --huge --xpath 'string(//style)' "$1" 2>/dev/null | grep -Eiq 'url\(|@import'; then
    echo "$1: url() or @import in the style" >&2
    return 1
  fi
  # the call graphs travel packed (base64 of gzip): unpacked, an SVG
  # attribute's quotes are plain, a name's are &quot;
  for g in $(grep -o 'id="hf-graph-[0-9]*"' "$1" | sed 's/id="\(.*\)"/\1/'); do
    unpack "$1" "$g" | grep -Eq '(href|src)="' && { echo "$1: a link in call graph $g" >&2; return 1; }
  done
  return 0
}

# unpack FILE ID: the text of a packed data element
unpack() {
  sed -n "s/^<script type=\"text\/plain\" id=\"$2\">\(.*\)<\/script>\$/\1/p" "$1" | base64 -d | gzip -dc
}

# data_part FILE: the data elements: after our markup, before and after
# our program (the bulk follows it, so that the page draws first)
data_part() {
  awk '/^<script type="application\/json" id="hf-meta">/ { on = 1 } /^<script>$/ { prog = 1 } /^<\/body>$/ { on = 0 }
    on && !prog; prog && /^<\/script>$/ { prog = 0 }' "$1"
}

# markup_ok FILE: every "<" of the data part opens or closes one of the
# data elements (names from the profile are \u003c there); the body holds
# only our elements
markup_ok() {
  bad=$(data_part "$1" | grep -ao '<[^>]*>' | grep -Ev '^<script type="(application/json|text/plain)" id="hf-[a-z0-9-]*">$|^</script>$' | head -3)
  if [ -n "$bad" ]; then
    echo "$1: markup in the data: $bad" >&2
    return 1
  fi
  others=$(xmllint --html --huge --xpath 'count(//body//*[not(self::script or self::div or self::noscript)])' "$1" 2>/dev/null)
  [ "$others" = 0 ] || { echo "$1: $others other elements in the body" >&2; return 1; }
}

check_report() {
  f=$1
  check "$f parses as HTML" sh -c "xmllint --html --noout --huge '$f' 2>'$f.xmllint' && ! grep -q . '$f.xmllint'"
  check "$f has the CSP" grep -qF "<meta http-equiv=\"Content-Security-Policy\" content=\"$CSP\">" "$f"
  check "$f references nothing outside" no_outside_refs "$f"
  check "$f: no markup from the profile" markup_ok "$f"
  # the stacks, the tables and the call graphs are data: no executable
  # script other than the page's own one
  n_exec=$(grep -o '<script[^>]*>' "$f" | grep -vc 'type="application/json"\|type="text/plain"')
  check "$f has exactly one program script ($n_exec)" test "$n_exec" -eq 1
}

# GOLDENS: the shared fixtures, or the repository's tests/data (the
# html_structure_data run), which lacks heap-inline and synthetic-large
profiles="heap-small.pb.gz cpu-small.pb.gz heap-legacy.txt raw-uncompressed.pb"
on_shared && profiles="$profiles heap-inline.pb.gz synthetic-large.pb.gz"
for p in $profiles; do
  n=$(fixture_name "$p")
  if "$HEAPFLAME" --html "$GOLDENS/$p" > "$WORK/$n.html" 2> "$WORK/$n.err"; then
    pass
    check_report "$WORK/$n.html"
  else
    fail "--html $p: $(cat "$WORK/$n.err")"
  fi
done

# -o FILE.html chooses the report; so does --format html
check "-o x.html" "$HEAPFLAME" -o "$WORK/by-ext.html" "$GOLDENS/heap-small.pb.gz"
check "-o x.html is the report" grep -q 'id="hf-stacks"' "$WORK/by-ext.html"
check "--format html" sh -c "'$HEAPFLAME' --format html '$GOLDENS/heap-small.pb.gz' > '$WORK/by-format.html'"
check "--format html is the report" grep -q 'id="hf-stacks"' "$WORK/by-format.html"
check "the sample types are all in the file" sh -c "test \$(grep -o '\"type\":\"[a-z_]*\",\"unit\"' '$WORK/heap-small.html' | wc -l) -eq 4"
check "a call graph per type" sh -c "test \$(grep -c 'id=\"hf-graph-[0-9]\"' '$WORK/heap-small.html') -eq 4"
graphs_unpack() { for t in 0 1 2 3; do unpack "$1" hf-graph-$t | grep -q '^<svg' || return 1; done; }
check "the call graphs unpack to SVG" graphs_unpack "$WORK/heap-small.html"
source_unpacks() { unpack "$1" hf-source | grep -q '^{"'; }
check "the source listings unpack to JSON" source_unpacks "$WORK/heap-small.html"

# a diff
check "-base diff" "$HEAPFLAME" --html -base "$GOLDENS/heap-base.pb.gz" -o "$WORK/diff.html" "$GOLDENS/heap-later.pb.gz"
check_report "$WORK/diff.html"
check "the diff says so" grep -q '"diff":true' "$WORK/diff.html"

# hostile names: every one is in the data, escaped; nothing of theirs is markup
H="$SRC/tests/escaping/hostile-names.pb.gz"
check "hostile --html" "$HEAPFLAME" --html -o "$WORK/hostile.html" "$H"
check_report "$WORK/hostile.html"
check "hostile: the names are in the data" grep -q 'javascript:window.__pwned' "$WORK/hostile.html"
check "hostile: U+2028/2029 escaped" sh -c "! grep -aq \"\$(printf '\\342\\200\\250')\" '$WORK/hostile.html' && ! grep -aq \"\$(printf '\\342\\200\\251')\" '$WORK/hostile.html'"
check "hostile: valid UTF-8" sh -c "iconv -f UTF-8 -t UTF-8 '$WORK/hostile.html' > /dev/null"

# bad input: one line naming the input, exit 2, no file left behind
"$HEAPFLAME" --html -o "$WORK/bad.html" "$SRC/tests/html/CMakeLists.txt" 2> "$WORK/bad.err"
rc=$?
check "bad input exits 2 ($rc)" test "$rc" -eq 2
check "bad input leaves no file" test ! -e "$WORK/bad.html"
check "bad input: one line naming it" sh -c "test \$(wc -l < '$WORK/bad.err') -eq 1 && grep -q 'CMakeLists.txt' '$WORK/bad.err'"
"$HEAPFLAME" --html --format svg "$GOLDENS/heap-small.pb.gz" > /dev/null 2>&1
check "--html --format svg is a usage error" test $? -eq 1
finish
