# The built-in themes are written down in one place, themes/*.theme: the
# library compiles them in and hf_theme_builtin_names lists them. --help
# prints that list at run time and the bash completion reads it from
# --help; the man page and docs/usage.md are prose, so this test fails
# when their list differs from the themes the program has.
. "$SRC/tests/lib.sh"

for f in "$SRC"/themes/*.theme; do basename "$f" .theme; done | sort > "$WORK/want"
check "themes/ has the built-in themes" grep -qx mem "$WORK/want"

# names FILE: the sorted words of a list ("a, b, c" or "a b c").
names() { tr ', \t' '\n\n\n' < "$1" | grep -v '^$' | sort; }

"$HEAPFLAME" --help | sed -n 's/^  --colors PALETTE  *\(.*\) (default:.*/\1/p' > "$WORK/help"
names "$WORK/help" > "$WORK/help.sorted"
cmp -s "$WORK/want" "$WORK/help.sorted" && pass \
  || fail "--help's --colors list differs from themes/: $(diff "$WORK/want" "$WORK/help.sorted" | grep '^[<>]' | tr '\n' ' ')"

if command -v bash > /dev/null 2>&1; then
  for opt in --colors --theme; do
    bash -c '
      . "$1"; shift
      COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
      _heapflame
      printf "%s\n" "${COMPREPLY[@]}"' sh "$SRC/completion/heapflame.bash" "$HEAPFLAME" "$opt" "" \
      | grep -v '\.theme$' | grep -v '/$' | sort > "$WORK/complete"
    cmp -s "$WORK/want" "$WORK/complete" && pass \
      || fail "the completion of $opt differs from themes/: $(diff "$WORK/want" "$WORK/complete" | grep '^[<>]' | tr '\n' ' ')"
  done
else
  skip_part "bash is not installed: the completion is not checked"
fi

# The man page: "*--colors* _PALETTE_" then "A built-in theme: a, b, ... (".
awk '/^\*--colors\* _PALETTE_/ { on = 1; next } on && /^$/ { exit } on { printf "%s ", $0 }' \
  "$SRC/docs/heapflame.1.scd" | sed -n 's/.*A built-in theme: \([^(]*\) (.*/\1/p' > "$WORK/man"
names "$WORK/man" > "$WORK/man.sorted"
cmp -s "$WORK/want" "$WORK/man.sorted" && pass \
  || fail "docs/heapflame.1.scd's --colors list differs from themes/: $(diff "$WORK/want" "$WORK/man.sorted" | grep '^[<>]' | tr '\n' ' ')"

# docs/usage.md: "`--colors=` takes a built-in theme: a, b, ... (`heapflame".
awk '/^\*\*Colours\.\*\*/ { on = 1 } on && /^$/ { exit } on { printf "%s ", $0 }' \
  "$SRC/docs/usage.md" | sed -n 's/.*takes a built-in theme: \([^(]*\) (`heapflame.*/\1/p' > "$WORK/usage"
names "$WORK/usage" > "$WORK/usage.sorted"
cmp -s "$WORK/want" "$WORK/usage.sorted" && pass \
  || fail "docs/usage.md's --colors list differs from themes/: $(diff "$WORK/want" "$WORK/usage.sorted" | grep '^[<>]' | tr '\n' ' ')"
finish
