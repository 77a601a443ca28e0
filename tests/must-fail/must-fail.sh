# Every malformed input listed in README.md must make every view exit with
# status 2 and exactly one stderr line "heapflame: FILE: problem" (the
# problem containing the listed words), without crashing, leaking (ASan
# builds fail with another status and more lines) or leaving output behind.
. "$SRC/tests/lib.sh"
# The repository's own profiles and pprof goldens (tests/data).
GOLDENS=$DATA

dir=$SRC/tests/must-fail
readme=$dir/README.md
valid=$GOLDENS/heap-small.pb.gz

# view_flag VIEW: sets flag (the option that asks for VIEW) and ext (its
# output's extension).
view_flag() {
  flag=--$1
  ext=$1
  [ "$1" = flame ] && flag= && ext=svg
  [ "$1" = callgraph ] && ext=svg
  [ "$1" = peek ] && flag=--peek=.
  [ "$1" = list ] && flag=--list=. && ext=txt
}

# The views this build has: a view counts once it accepts a good profile.
views=""
for v in folded dot top callgraph traces flame peek tags list; do
  view_flag $v
  # shellcheck disable=SC2086
  if "$HEAPFLAME" $flag -o "$WORK/probe.$ext" "$valid" 2>/dev/null && [ -s "$WORK/probe.$ext" ]; then
    views="$views $v"
  fi
done
echo "views under test:$views"
case "$views" in *folded*) pass ;; *) fail "--folded does not accept $valid" ;; esac

# README rows: | `FILE` | what is wrong | `words` or - |
rows=$(grep '^| `' "$readme")
listed=$(echo "$rows" | sed 's/^| `\([^`]*\)`.*/\1/')
n=$(echo "$listed" | grep -c .)
[ "$n" -ge 30 ] && pass || fail "only $n inputs listed in README.md (want >= 30)"
for f in "$dir"/*; do
  b=$(basename "$f")
  case $b in README.md|must-fail.sh|make-inputs.py|CMakeLists.txt|lsan.supp) continue ;; esac
  echo "$listed" | grep -qxF "$b" && pass || fail "$b is not listed in README.md"
done

mkdir -p "$WORK/out"
echo "$rows" | while IFS='|' read -r _ file why words _; do
  file=$(echo "$file" | tr -d '` ')
  words=$(echo "$words" | sed 's/^ *`\{0,1\}//; s/`\{0,1\} *$//')
  [ "$words" = "-" ] && words=
  input=$dir/$file
  if [ ! -f "$input" ]; then
    fail "$file is listed but missing"
    echo "x" >> "$WORK/failed"
    continue
  fi
  for v in $views; do
    view_flag $v
    out=$WORK/out/$file.$ext
    # shellcheck disable=SC2086
    "$HEAPFLAME" $flag -o "$out" "$input" > "$WORK/stdout" 2> "$WORK/stderr"
    rc=$?
    # --traces lists samples, summing only identical traces: values that
    # overflow only when added across stacks are fine there.
    if [ $v = traces ] && [ "$words" = overflow ] && [ $rc -eq 0 ] && [ ! -s "$WORK/stderr" ]; then
      rm -f "$out"
      echo "." >> "$WORK/passed"
      continue
    fi
    lines=$(wc -l < "$WORK/stderr")
    msg=$(head -c 300 "$WORK/stderr")
    ok=1
    [ "$rc" -eq 2 ] || { echo "FAIL: $file ($v): exit $rc, want 2: $msg" >&2; ok=0; }
    [ "$lines" -eq 1 ] || { echo "FAIL: $file ($v): $lines stderr lines, want 1: $msg" >&2; ok=0; }
    case $msg in
      "heapflame: $input: "?*) ;;
      *) echo "FAIL: $file ($v): message does not start with the file name: $msg" >&2; ok=0 ;;
    esac
    if [ -n "$words" ] && ! grep -qiF -- "$words" "$WORK/stderr"; then
      echo "FAIL: $file ($v): message lacks \"$words\": $msg" >&2; ok=0
    fi
    [ -s "$WORK/stdout" ] && { echo "FAIL: $file ($v): wrote to stdout" >&2; ok=0; }
    if [ -n "$(ls -A "$WORK/out")" ]; then
      echo "FAIL: $file ($v): left output behind: $(ls -A "$WORK/out" | tr '\n' ' ')" >&2
      rm -f "$WORK/out"/* "$WORK/out"/.??*
      ok=0
    fi
    [ $ok -eq 1 ] && echo "." >> "$WORK/passed" || echo "x" >> "$WORK/failed"
  done
done
# The loop ran in a subshell (a pipe): count its results from the files.
if [ -f "$WORK/passed" ]; then hf_checks=$((hf_checks + $(wc -l < "$WORK/passed"))); fi
if [ -f "$WORK/failed" ]; then hf_failures=$((hf_failures + $(wc -l < "$WORK/failed"))); fi
finish
