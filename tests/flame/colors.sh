# Frame colours against flamegraph.pl's color() (re-implemented in
# colors.pl with Perl's own srand/rand): the default palette by sample
# type (mem for heap, hot for CPU), every --colors palette, and --hash.
. "$SRC/tests/lib.sh"
# The repository's own profiles and pprof goldens (tests/data).
GOLDENS=$DATA

# vectors from anchors.md: Perl's rand after srand(code-point sum)
check "perl rand(421)" [ "$(perl -e 'srand(421); printf "%.15f", rand(1)')" = 0.778599984319047 ]
check "perl rand(324)" [ "$(perl -e 'srand(324); printf "%.15f", rand(1)')" = 0.310776043756963 ]

run() { # NAME PALETTE HASH FIXTURE [OPTIONS...]
  n=$1 pal=$2 hash=$3 fx=$4
  shift 4
  case $fx in /*) ;; *) fx=$GOLDENS/$fx ;; esac
  if "$HEAPFLAME" "$@" -o "$WORK/$n.svg" "$fx"; then
    if perl "$SRC/tests/flame/colors.pl" "$pal" "$hash" "$WORK/$n.svg" > "$WORK/$n.out"; then
      pass
    else
      fail "$n: $(head -3 "$WORK/$n.out" | tr '\n' '|')"
    fi
  else
    fail "$n: heapflame failed"
  fi
}

run heap-default mem 0 heap-small.pb.gz
run heap-objects mem 0 heap-small.pb.gz -alloc_objects
run cpu-default hot 0 cpu-small.pb.gz
run cpu-samples hot 0 cpu-small.pb.gz -sample_index=samples
for p in hot mem io wakeup chain java js perl red green blue aqua yellow purple orange; do
  run "heap-$p" "$p" 0 heap-small.pb.gz --colors="$p"
done
run heap-hash-mem mem 1 heap-small.pb.gz --hash
run cpu-hash-hot hot 1 cpu-small.pb.gz --hash
# the shared set's synthetic profile: Java, JS, Perl and C++ names
syn=$FIXTURES/synthetic-large.pb.gz
if [ -f "$syn" ]; then
  for p in hot mem io wakeup chain java js perl red green blue aqua yellow purple orange; do
    run "syn-$p" "$p" 0 "$syn" --colors="$p"
  done
  run syn-hash-java java 1 "$syn" --colors=java --hash
else
  skip_part "the palettes over synthetic-large.pb.gz: the shared fixtures are not at $FIXTURES"
fi

finish
