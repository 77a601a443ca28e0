# docs/architecture.md's layering holds in the sources: no #include runs
# back up (tests/docs/layers.py reads the modules' "May call" lists).
. "$SRC/tests/lib.sh"

out=$(python3 "$SRC/tests/docs/layers.py" "$SRC" 2>&1)
check "includes follow docs/architecture.md: $out" test $? -eq 0
# The check can fail: a module that includes one above it is caught.
mkdir -p "$WORK/src/util" "$WORK/src/html" "$WORK/docs"
cp "$SRC/docs/architecture.md" "$WORK/docs/"
for d in "$SRC"/src/*/; do mkdir -p "$WORK/src/$(basename "$d")"; done
printf '#include "../html/html.h"\n' > "$WORK/src/util/bad.c"
python3 "$SRC/tests/docs/layers.py" "$WORK" > "$WORK/bad.out" 2>&1
check "an include of html from util is refused" grep -q 'util includes ../html/html.h' "$WORK/bad.out"
finish
