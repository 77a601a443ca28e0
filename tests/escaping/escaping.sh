# A profile full of hostile frame names (make-hostile.py) through every
# view this build has: line-based outputs keep a line per record and no
# control characters; SVGs are well-formed XML with no more script,
# foreign elements or event handlers than a benign profile gives; DOT stays
# lexically sound and Graphviz reads it. The browser test
# (tests/browser/hostile.js) then opens the SVGs in Chromium.
. "$SRC/tests/lib.sh"
# The repository's own profiles and pprof goldens (tests/data).
GOLDENS=$DATA

dir=$SRC/tests/escaping
pb=$dir/hostile-names.pb.gz
folded_in=$dir/hostile-names.folded
benign=$GOLDENS/heap-small.pb.gz
nstacks=18

# no_controls FILE: no control characters other than newline (and tab,
# which --top may use for alignment is not allowed either).
no_controls() {
  ! LC_ALL=C grep -q "$(printf '[\001-\010\011\013-\037\177]')" "$1"
}

# xml_count FILE XPATH
xml_count() {
  xmllint --xpath "$2" "$1" 2>/dev/null || echo 0
}

# svg_checks NAME HOSTILE BENIGN
svg_checks() {
  name=$1 h=$2 b=$3
  if xmllint --noout "$h" 2> "$WORK/xmlerr"; then pass; else
    fail "$name: not well-formed XML: $(head -c 200 "$WORK/xmlerr")"
    return
  fi
  for what in "count(//*[local-name()='script'])" \
      "count(//*[local-name()='img' or local-name()='iframe' or local-name()='foreignObject' or local-name()='object' or local-name()='embed'])" \
      "count(//@*[starts-with(translate(local-name(),'ON','on'),'on')])" \
      "count(//@*[contains(translate(.,'JAVSCRIPT','javscript'),'javascript:')])"; do
    nh=$(xml_count "$h" "$what")
    nb=$(xml_count "$b" "$what")
    [ "$nh" -le "$nb" ] && pass || fail "$name: $what is $nh, a benign profile gives $nb"
  done
  # Inline SVG in HTML ends a script at the first "</script", CDATA or not.
  nh=$(grep -o '</script' "$h" | wc -l)
  nb=$(grep -o '</script' "$b" | wc -l)
  [ "$nh" -le "$nb" ] && pass || fail "$name: $nh \"</script\" sequences, a benign profile gives $nb"
  # The names are there, as text.
  grep -q 'window.__pwned=2' "$h" && pass || fail "$name: the hostile names are missing"
}

# What this build can draw: a view counts once it accepts a good profile.
views=""
# --list reads a main.go with hostile bytes (source text is data too).
mkdir -p "$WORK/listsrc"
printf 'package main \001\033[31m\377\300\200 caf\303\251\r\n\tx := 1 \302\233 \000\n' > "$WORK/listsrc/main.go"
for v in folded top dot callgraph flame list; do
  flag=--$v ext=$v
  [ $v = flame ] && flag= && ext=svg
  [ $v = callgraph ] && ext=svg
  [ $v = list ] && flag="--list=. -source_path=$WORK/listsrc" && ext=txt
  # shellcheck disable=SC2086
  "$HEAPFLAME" $flag -o "$WORK/benign.$v.$ext" "$benign" 2>/dev/null \
    && [ -s "$WORK/benign.$v.$ext" ] && views="$views $v"
done
echo "views under test:$views"

inputs=$pb
if "$HEAPFLAME" --folded -o "$WORK/probe" "$folded_in" 2> "$WORK/err"; then
  inputs="$inputs $folded_in"
else
  echo "folded input not read by this build ($(head -c 120 "$WORK/err")); skipping it"
fi

for input in $inputs; do
  in=$(basename "$input")
  for v in $views; do
    flag=--$v ext=$v
    [ $v = flame ] && flag= && ext=svg
    [ $v = callgraph ] && ext=svg
    [ $v = list ] && flag="--list=. -source_path=$WORK/listsrc" && ext=txt
    out=$WORK/$in.$v.$ext
    # shellcheck disable=SC2086
    if ! "$HEAPFLAME" $flag -o "$out" "$input" 2> "$WORK/err"; then
      fail "$in --$v failed: $(head -c 200 "$WORK/err")"
      continue
    fi
    case $v in
    folded)
      no_controls "$out" && pass || fail "$in folded: control characters in the output"
      n=$(wc -l < "$out")
      want=$nstacks
      [ "$input" = "$folded_in" ] && want=$(wc -l < "$input")
      [ "$n" -eq "$want" ] && pass || fail "$in folded: $n lines, want $want (a name forged lines?)"
      bad=$(grep -cvE ' -?[0-9]+$' "$out")
      [ "$bad" -eq 0 ] && pass || fail "$in folded: $bad lines without a trailing count"
      ;;
    top)
      no_controls "$out" && pass || fail "$in top: control characters in the output"
      if [ "$input" = "$pb" ]; then
        grep 'fake;frames' "$out" | grep -q '%' && pass \
          || fail "$in top: the row of a name with a newline was split"
      fi
      n=$(grep -c 'window.__pwned=1<' "$out")
      [ "$n" -eq 1 ] && pass || fail "$in top: $n rows for one hostile function"
      ;;
    dot)
      # Every line's quotes balance once escapes are removed: a label
      # cannot end early or run over a line.
      unbalanced=$(sed 's/\\\\//g; s/\\"//g' "$out" | awk -F'"' 'NF % 2 == 0' | wc -l)
      [ "$unbalanced" -eq 0 ] && pass || fail "$in dot: $unbalanced lines with unbalanced quotes"
      no_controls "$out" && pass || fail "$in dot: control characters in the output"
      if command -v dot > /dev/null; then
        dot -Tsvg "$out" > "$WORK/$in.dot.svg" 2> "$WORK/err" && xmllint --noout "$WORK/$in.dot.svg" \
          && pass || fail "$in dot: Graphviz cannot read it: $(head -c 200 "$WORK/err")"
      else
        skip_part "Graphviz's dot command is not installed (scripts/install-deps.sh installs it)"
      fi
      ;;
    callgraph|flame)
      svg_checks "$in $v" "$out" "$WORK/benign.$v.$ext"
      ;;
    list)
      # Tabs are kept in source text (pprof aligns with them); nothing else.
      ! LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" "$out" && pass \
        || fail "$in list: control characters in the output"
      iconv -f UTF-8 -t UTF-8 "$out" > /dev/null 2>&1 && pass || fail "$in list: not UTF-8"
      # Every line is one of the listing's own: no name or source line forged one.
      bad=$(grep -cvE '^(Total: |ROUTINE =+ |No source information for | Error: | +[^ ]+ +[^ ]+ (\(flat, cum\) .* of Total| +[0-9]+:))' "$out")
      [ "$bad" -eq 0 ] && pass || fail "$in list: $bad lines of no known form"
      if [ "$input" = "$pb" ]; then
        n=$(grep -c '^ROUTINE ' "$out")
        [ "$n" -eq $((nstacks + 1)) ] && pass || fail "$in list: $n routines, want $((nstacks + 1))"
        grep -qF "$(printf '     1:package main ??[31m??? caf\303\251')" "$out" && pass \
          || fail "$in list: hostile source text not escaped: $(grep -a '  1:' "$out" | od -c | head -3)"
      fi
      ;;
    esac
  done
done

# --peek: pprof's heading line has tabs of its own; every other line is
# free of control characters, and every line after the legend is a row of
# the table (a name with a newline cannot forge one).
if "$HEAPFLAME" --peek . -o "$WORK/peek.txt" "$pb" 2> "$WORK/err"; then
  grep -v '^      flat  flat%   sum%        cum   cum%   calls calls% + context 	 	 $' "$WORK/peek.txt" > "$WORK/peek.rest"
  [ "$(wc -l < "$WORK/peek.rest")" -eq $(($(wc -l < "$WORK/peek.txt") - 1)) ] && pass \
    || fail "peek: the heading line is missing"
  no_controls "$WORK/peek.rest" && pass || fail "peek: control characters in the output"
  bad=$(sed -n '/^-----/,$p' "$WORK/peek.rest" | grep -v '^-*+-*$' | grep -cv '|')
  [ "$bad" -eq 0 ] && pass || fail "peek: $bad lines that are not table rows (a name split a line?)"
  n=$(grep -c '|   </script><script>window.__pwned=1</script>$\|| </script><script>window.__pwned=1</script>$' "$WORK/peek.txt")
  [ "$n" -ge 3 ] && pass || fail "peek: the hostile function shows in $n rows"
else
  fail "--peek failed: $(head -c 200 "$WORK/err")"
fi

# --tags over hostile label keys, values and units (make-hostile-labels.py):
# one header line per key, then aligned value rows, a blank line after
# each key; no control characters.
labels=$dir/hostile-labels.pb.gz
if "$HEAPFLAME" --tags -o "$WORK/tags.txt" "$labels" 2> "$WORK/err"; then
  no_controls "$WORK/tags.txt" && pass || fail "tags: control characters in the output"
  row='^ +[0-9.]+[a-zA-Z]* \([ 0-9.%]+\): .'
  grep -v '^$' "$WORK/tags.txt" | grep -vE "$row" > "$WORK/tags.keys"
  keys=$(grep -c ': Total [0-9.]*[a-zA-Z]*$' "$WORK/tags.keys")
  blanks=$(grep -c '^$' "$WORK/tags.txt")
  [ "$keys" -eq 7 ] && [ "$blanks" -eq 7 ] && pass || fail "tags: $keys keys and $blanks blank lines, want 7"
  bad=$(grep -cv ': Total [0-9.]*[a-zA-Z]*$' "$WORK/tags.keys")
  [ "$bad" -eq 0 ] && pass || fail "tags: $bad lines are neither a key nor a value row"
else
  fail "--tags failed: $(head -c 200 "$WORK/err")"
fi

# Error messages carry names too (an unknown sample type is echoed back).
"$HEAPFLAME" --folded -sample_index="$(printf 'x\ny\033[31m')" "$pb" 2> "$WORK/err"
[ "$(wc -l < "$WORK/err")" -eq 1 ] && no_controls "$WORK/err" && pass \
  || fail "an error message echoing user input is not one clean line: $(head -c 200 "$WORK/err" | od -c | head -3)"

# The browser test (scripts/test.sh installs playwright-core; Chromium
# comes from Debian).
if have_browser; then
  set --
  for v in flame callgraph; do
    case " $views " in *" $v "*) set -- "$@" "$WORK/hostile-names.pb.gz.$v.svg" "$WORK/benign.$v.svg" ;; esac
  done
  if [ $# -gt 0 ]; then
    NODE_PATH=$SRC/tests/browser/node_modules node "$SRC/tests/browser/hostile.js" "$@" \
      && pass || fail "the browser test failed"
  fi
else
  skip_part "the browser test: no node, playwright-core or chromium"
fi
finish
