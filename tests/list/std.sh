# --list of standard-library functions equals pprof's list-std goldens:
# once with the goldens' own -source_path=src:$GOROOT/src, once with only
# src, so the sources must be found under $GOROOT/src by ourselves (GOROOT
# from the environment, then from `go env GOROOT`).
. "$SRC/tests/lib.sh"

need_fixtures
need_go
goroot=$(go env GOROOT)
cd "$WORK" || exit 1
n=0
for f in $(proto_fixtures); do
  name=$(fixture_name "$f")
  case $name in
    heap-small) re='^bytes\.' ;;
    heap-inline) re='^strings\.' ;;
    cpu-small) re='^crypto/sha256\.' ;;
    *) continue ;;
  esac
  for t in $(sample_types "$f"); do
    g=$name.$t.list-std.txt
    golden_exists "$g" || continue
    n=$((n + 1))
    "$HEAPFLAME" -sample_index="$t" --list "$re" -source_path="$FIXTURES/src:$goroot/src" \
      "$FIXTURES/$f" > "$WORK/got" 2> "$WORK/err"
    golden "$g" | cmp -s - "$WORK/got" && pass \
      || fail "$g: $(golden "$g" | diff - "$WORK/got" | head -6 | tr '\n' ' ' | cut -c1-300)"
    # GOROOT from the environment...
    GOROOT=$goroot "$HEAPFLAME" -sample_index="$t" --list "$re" -source_path="$FIXTURES/src" \
      "$FIXTURES/$f" > "$WORK/got" 2> "$WORK/err"
    golden "$g" | cmp -s - "$WORK/got" && pass \
      || fail "$g with \$GOROOT: $(golden "$g" | diff - "$WORK/got" | head -6 | tr '\n' ' ' | cut -c1-300)"
    # ...and from `go env GOROOT`.
    env -u GOROOT "$HEAPFLAME" -sample_index="$t" --list "$re" "$FIXTURES/$f" > "$WORK/got" 2> "$WORK/err"
    golden "$g" | cmp -s - "$WORK/got" && pass \
      || fail "$g with go env GOROOT: $(golden "$g" | diff - "$WORK/got" | head -6 | tr '\n' ' ' | cut -c1-300)"
  done
done
[ "$n" -ge 10 ] && pass || fail "only $n list-std goldens found (want 10)"

# Without a go on PATH and without $GOROOT, pprof's error is all we can say.
mkdir -p "$WORK/nogo"
env -u GOROOT PATH="$WORK/nogo" "$HEAPFLAME" -alloc_space --list '^bytes\.\(\*Buffer\)\.grow$' \
  "$FIXTURES/heap-small.pb.gz" > "$WORK/got" 2> "$WORK/err"
grep -q "^ Error: could not find file bytes/buffer.go on path $WORK\$" "$WORK/got" && pass \
  || fail "without GOROOT: $(head -c 300 "$WORK/got")"
finish
