# File names as pprof shows them: filepath.Clean'd ("//", "." and "x/.."
# collapse) in every report that names files, at every granularity that
# keeps them. A profile whose functions record unclean paths (written by
# tests/list/mkprofile.go) against `go tool pprof` run here, byte for byte.
. "$SRC/tests/lib.sh"
need_go
go build -o "$WORK/mkprofile" "$SRC/tests/list/mkprofile.go" || { echo "cannot build mkprofile.go"; exit 1; }
in=$WORK/unclean.pb.gz
"$WORK/mkprofile" "$in" \
  "100=main.f|./a//b/../c.go|7;main.g|/x/./y/../z.go|3;main.main|../up/./m.go|1" \
  "50=main.h|a/b/./c.go/|9;main.k|/../../r.go|2;main.main|../up/./m.go|1" \
  "20=main.e|.|4;main.main|../up/./m.go|1" || fail "mkprofile failed"

for g in functions filefunctions files lines addresses; do
  for r in traces top dot 'peek=.'; do
    go tool pprof "-$g" "-$r" "$in" > "$WORK/want" 2> "$WORK/pprof.err"
    if [ ! -s "$WORK/want" ]; then
      fail "-$g -$r: pprof gave no report: $(head -2 "$WORK/pprof.err")"
    elif ! "$HEAPFLAME" "-$g" "-$r" "$in" > "$WORK/got" 2> "$WORK/err"; then
      fail "-$g -$r: heapflame failed: $(cat "$WORK/err")"
    elif cmp -s "$WORK/want" "$WORK/got"; then
      pass
    else
      fail "-$g -$r: $(diff "$WORK/want" "$WORK/got" | head -6 | cut -c1-200 | tr '\n' ' ')"
    fi
  done
done
finish
