# Usage: --help, --version, option spellings, sample-type aliases, and
# usage errors (exit 1).
. "$SRC/tests/lib.sh"
# The repository's own profiles and pprof goldens (tests/data).
GOLDENS=$DATA

"$HEAPFLAME" --help > "$WORK/help" 2>&1
check "--help exits 0" [ $? -eq 0 ]
for word in --folded -sample_index -alloc_space -inuse_objects --list-types -o Examples; do
  check "--help mentions $word" grep -q -- "$word" "$WORK/help"
done
check "--version" sh -c "'$HEAPFLAME' --version | grep -q '^heapflame [0-9]'"

# Every spelling selects the same type.
p="$GOLDENS/heap-small.pb.gz"
golden heap-small.alloc_objects.folded > "$WORK/want"
for spelling in -alloc_objects --alloc_objects -sample_index=alloc_objects \
    "--sample_index alloc_objects" -sample_index=0; do
  # shellcheck disable=SC2086
  "$HEAPFLAME" -r $spelling "$p" > "$WORK/got"
  check "spelling $spelling" cmp -s "$WORK/want" "$WORK/got"
done
"$HEAPFLAME" --raw "$p" > "$WORK/got"
check "default type is the last (inuse_space)" cmp -s "$WORK/got" "$GOLDENS/heap-small.inuse_space.folded"

"$HEAPFLAME" --list-types "$GOLDENS/cpu-small.pb.gz" > "$WORK/types"
printf '0 samples/count\n1 cpu/nanoseconds *\n' > "$WORK/want-types"
check "--list-types marks the default" cmp -s "$WORK/types" "$WORK/want-types"

usage_error() {
  desc=$1
  shift
  "$HEAPFLAME" "$@" > /dev/null 2> "$WORK/stderr"
  status=$?
  if [ $status -eq 1 ] && [ "$(wc -l < "$WORK/stderr")" -eq 1 ] && grep -q '^heapflame: ' "$WORK/stderr"; then
    pass
  else
    fail "$desc: exit $status, stderr: $(cat "$WORK/stderr")"
  fi
}
usage_error "unknown option" --no-such-option "$p"
usage_error "missing value" --folded -o
usage_error "no source" --folded
usage_error "value on a flag" --folded=yes "$p"
usage_error "bad limit" --max-depth=-3 --folded "$p"
finish
