# Every option name in src/cli/main.c's options[] table (each '|'-separated
# spelling) appears in `heapflame --help` and in the man page's source
# (docs/heapflame.1.scd), and in the built page when scdoc made one. The
# names are read from the table itself, so options added later are checked
# without editing this test.
. "$SRC/tests/lib.sh"

scd=$SRC/docs/heapflame.1.scd
awk '/^static const cli_option options\[\] = \{/ { on = 1; next }
     on && /^\};/ { exit }
     on && match($0, /^[ \t]*\{"[^"]*"/) {
       s = substr($0, RSTART, RLENGTH); sub(/^[ \t]*\{"/, "", s); sub(/"$/, "", s)
       n = split(s, names, "|"); for (i = 1; i <= n; i++) print names[i] }' \
  "$SRC/src/cli/main.c" > "$WORK/names"
count=$(wc -l < "$WORK/names")
# The table has some 70 spellings today; fewer than 50 means the parse broke.
check "option table read ($count names)" test "$count" -ge 50

"$HEAPFLAME" --help > "$WORK/help"
check "--help runs" test -s "$WORK/help"
if [ -n "${HF_MAN:-}" ] && [ -f "$HF_MAN" ]; then
  man=$HF_MAN
else
  man=
  echo "no built man page (scdoc missing): checking $scd only"
fi

[ -z "$man" ] || sed 's/\\-/-/g' "$man" > "$WORK/man.norm"
while read -r name; do
  case $name in ?) dashed=-$name ;; *) dashed=--$name ;; esac
  # --help: "  --name", ", --name" or "-x" followed by a space, comma or end.
  grep -Eq -- "(^|[ ,])$dashed([ ,]|\$)" "$WORK/help" || fail "$dashed missing from --help"
  pass
  # The man page source writes each option in bold: *--name*.
  grep -Fq -- "*$dashed*" "$scd" || fail "$dashed missing from docs/heapflame.1.scd"
  pass
  if [ -n "$man" ]; then
    # In bold (\fB...\fR), with '-' written plainly or as roff's '\-'.
    grep -Fq -- "\\fB$dashed\\fR" "$WORK/man.norm" || fail "$dashed missing from the built man page $man"
    pass
  fi
done < "$WORK/names"

# The page renders (when man is installed) and names the program.
if [ -n "$man" ] && command -v man > /dev/null 2>&1; then
  MANWIDTH=80 man -l "$man" > "$WORK/man.txt" 2> "$WORK/man.err"
  check "man -l renders the page" grep -q 'heapflame - flame graphs' "$WORK/man.txt"
fi
finish
