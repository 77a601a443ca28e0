# The bash completion (completion/heapflame.bash) completes option names
# from --help, -sample_index values from the profile's own sample types
# (samples/heap.pb.gz: alloc_objects alloc_space inuse_objects inuse_space),
# and fixed choices such as --colors.
. "$SRC/tests/lib.sh"

if ! command -v bash > /dev/null 2>&1; then
  echo "SKIPPED: bash is not installed"
  exit 77
fi
heap=$SRC/samples/heap.pb.gz

# complete WORD...: the completions bash would offer for the last word.
complete_words() {
  bash -c '
    . "$1"; shift
    COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
    _heapflame
    printf "%s\n" "${COMPREPLY[@]}"' sh "$SRC/completion/heapflame.bash" "$@"
}

complete_words "$HEAPFLAME" --fol > "$WORK/fol"
check "--fol completes to --folded" grep -qx -- --folded "$WORK/fol"
complete_words "$HEAPFLAME" --callg > "$WORK/callg"
check "--callg completes to --callgraph" grep -qx -- --callgraph "$WORK/callg"

"$HEAPFLAME" --list-types "$heap" | awk '{split($2, a, "/"); print a[1]}' | sort > "$WORK/types"
complete_words "$HEAPFLAME" "$heap" -sample_index "" | sort > "$WORK/si"
check "-sample_index VALUE: the profile's types" cmp -s "$WORK/types" "$WORK/si"
check "the sample's types are heap types" grep -qx alloc_space "$WORK/types"
complete_words "$HEAPFLAME" "$heap" --sample_index=inuse | sort > "$WORK/si2"
printf '%s\n' --sample_index=inuse_objects --sample_index=inuse_space > "$WORK/want2"
check "--sample_index=inuse completes in place" cmp -s "$WORK/want2" "$WORK/si2"

complete_words "$HEAPFLAME" --colors m > "$WORK/colors"
check "--colors m: mem" grep -qx mem "$WORK/colors"
finish
