# Source lookup for --list: pprof's -source_path and -trim_path (compared
# with `go tool pprof -list` run here on the same profile and files), then
# what pprof cannot find: module-cache files (with the cache's "!b" case
# escaping), vendor/ directories, the recorded absolute path, the working
# directory. Also a source shorter than the profile says, hostile bytes in
# source text, and -base/-diff_base/filters/merged sources against pprof.
# Profiles naming arbitrary files come from mkprofile.go (Go, stdlib only).
. "$SRC/tests/lib.sh"

need_fixtures
need_go
go build -o "$WORK/mkprofile" "$SRC/tests/list/mkprofile.go" || { echo "cannot build mkprofile.go"; exit 1; }
mkdir -p "$WORK/empty"
cd "$WORK/empty" || exit 1

# numbered FILE N: N lines "\t// line K of FILE's base name".
numbered() {
  mkdir -p "$(dirname "$1")"
  awk -v n="$2" -v b="$(basename "$1")" 'BEGIN { for (k = 1; k <= n; k++) printf "\t// line %d of %s\n", k, b }' > "$1"
}

# same WHAT WANT GOT
same() {
  if cmp -s "$2" "$3"; then pass; else
    fail "$1: $(diff "$2" "$3" | head -6 | tr '\n' ' ' | cut -c1-300)"
  fi
}

# pprof_list OUT ARGS...: go tool pprof -list, in the empty directory.
pprof_list() {
  out=$1
  shift
  go tool pprof "$@" > "$out" 2> "$WORK/pprof.err"
  grep -q '^Total: ' "$out" || fail "pprof gave no listing for $*: $(head -c 200 "$WORK/pprof.err")"
}

# --- the module cache ---------------------------------------------------
mod=github.com/SomeUser/mod@v1.0.0
"$WORK/mkprofile" "$WORK/mod.pb.gz" "100=github.com/SomeUser/mod.F|$mod/x.go|7;main.main|main.go|3" \
  "30=github.com/SomeUser/mod.F|$mod/x.go|9" || fail "mkprofile failed"
numbered "$WORK/plain/$mod/x.go" 20
pprof_list "$WORK/want" -list 'mod\.F' -source_path="$WORK/plain" "$WORK/mod.pb.gz"
grep -q 'line 7 of x.go' "$WORK/want" && pass || fail "pprof did not list x.go: $(head -c 300 "$WORK/want")"
# GOMODCACHE, then the first GOPATH entry's pkg/mod, then ~/go/pkg/mod.
numbered "$WORK/modcache/github.com/!some!user/mod@v1.0.0/x.go" 20
numbered "$WORK/gopath1/pkg/mod/github.com/!some!user/mod@v1.0.0/x.go" 20
numbered "$WORK/home2/go/pkg/mod/github.com/!some!user/mod@v1.0.0/x.go" 20
GOMODCACHE=$WORK/modcache GOPATH=/nonexistent "$HEAPFLAME" --list 'mod\.F' "$WORK/mod.pb.gz" > "$WORK/got"
same "module cache from GOMODCACHE" "$WORK/want" "$WORK/got"
env -u GOMODCACHE GOPATH="$WORK/gopath1:/nonexistent" "$HEAPFLAME" --list 'mod\.F' "$WORK/mod.pb.gz" > "$WORK/got"
same "module cache from GOPATH" "$WORK/want" "$WORK/got"
env -u GOMODCACHE -u GOPATH HOME="$WORK/home2" "$HEAPFLAME" --list 'mod\.F' "$WORK/mod.pb.gz" > "$WORK/got"
same "module cache from HOME" "$WORK/want" "$WORK/got"
# The cache holds escaped paths only: an unescaped copy is not the cache's.
numbered "$WORK/unescaped/github.com/SomeUser/mod@v1.0.0/x.go" 20
GOMODCACHE=$WORK/unescaped "$HEAPFLAME" --list 'mod\.F' "$WORK/mod.pb.gz" > "$WORK/got"
grep -q "^ Error: could not find file $mod/x.go on path $WORK/empty\$" "$WORK/got" && pass \
  || fail "an unescaped module path was used: $(head -c 300 "$WORK/got")"
# A module file recorded under another machine's cache, absolute.
"$WORK/mkprofile" "$WORK/modabs.pb.gz" \
  "100=github.com/SomeUser/mod.F|/home/ci/go/pkg/mod/github.com/!some!user/mod@v1.0.0/x.go|7" || fail "mkprofile failed"
GOMODCACHE=$WORK/modcache "$HEAPFLAME" --list 'mod\.F' "$WORK/modabs.pb.gz" > "$WORK/got"
grep -q 'line 7 of x.go' "$WORK/got" && pass || fail "absolute module path: $(head -c 300 "$WORK/got")"

# --- vendor/ and the working directory ----------------------------------
"$WORK/mkprofile" "$WORK/vendor.pb.gz" "10=github.com/Other/dep.G|github.com/Other/dep@v0.1.0/y.go|4" \
  "20=example.com/lib.H|example.com/lib/z.go|6" || fail "mkprofile failed"
numbered "$WORK/plain/github.com/Other/dep@v0.1.0/y.go" 12
numbered "$WORK/plain/example.com/lib/z.go" 12
pprof_list "$WORK/want" -list '\.(G|H)$' -source_path="$WORK/plain" "$WORK/vendor.pb.gz"
numbered "$WORK/proj/vendor/github.com/Other/dep/y.go" 12
numbered "$WORK/proj/vendor/example.com/lib/z.go" 12
mkdir -p "$WORK/proj/cmd/tool"
(cd "$WORK/proj/cmd/tool" && GOMODCACHE=$WORK/modcache "$HEAPFLAME" --list '\.(G|H)$' \
  -source_path="$WORK/nowhere" "$WORK/vendor.pb.gz") > "$WORK/got"
same "vendor/ above the working directory" "$WORK/want" "$WORK/got"
GOMODCACHE=$WORK/modcache "$HEAPFLAME" --list '\.(G|H)$' -source_path="$WORK/proj" "$WORK/vendor.pb.gz" > "$WORK/got"
same "vendor/ under -source_path" "$WORK/want" "$WORK/got"

"$WORK/mkprofile" "$WORK/rel.pb.gz" "10=main.main|shop/app/main.go|5" || fail "mkprofile failed"
numbered "$WORK/cwd/shop/app/main.go" 9
pprof_list "$WORK/want" -list 'main\.main' -source_path="$WORK/cwd" "$WORK/rel.pb.gz"
(cd "$WORK/cwd" && "$HEAPFLAME" --list 'main\.main' -source_path=/nonexistent "$WORK/rel.pb.gz") > "$WORK/got"
same "the working directory after -source_path" "$WORK/want" "$WORK/got"

# --- -source_path and -trim_path, as pprof ------------------------------
numbered "$WORK/tree/proj/main.go" 30
numbered "$WORK/tree2/proj/main.go" 31
"$WORK/mkprofile" "$WORK/trim.pb.gz" "40=main.main|/build/xyz/proj/main.go|12;main.start|/build/xyz/proj/main.go|25" \
  "2=main.main|/build/xyz/proj/main.go|13" || fail "mkprofile failed"
for opts in "-trim_path=/build/xyz -source_path=$WORK/tree" \
    "-trim_path=/nope:/build/xyz/ -source_path=$WORK/tree" \
    "-source_path=$WORK/tree/proj" \
    "-source_path=$WORK/tree2:$WORK/tree" \
    "-trim_path=/build/xyz" \
    "-source_path=$WORK/nowhere" \
    "-trim_path=/build -source_path=$WORK/tree/proj/sub:$WORK/nowhere"; do
  # shellcheck disable=SC2086
  pprof_list "$WORK/want" -list 'main\.' $opts "$WORK/trim.pb.gz"
  # shellcheck disable=SC2086
  "$HEAPFLAME" --list 'main\.' $opts "$WORK/trim.pb.gz" > "$WORK/got" 2> "$WORK/err"
  same "$opts" "$WORK/want" "$WORK/got"
done
# Absolute paths: found as recorded, or pprof's open error.
"$WORK/mkprofile" "$WORK/abs.pb.gz" "40=main.main|$WORK/tree/proj/main.go|12" \
  "5=main.gone|$WORK/tree/proj/gone.go|3" || fail "mkprofile failed"
pprof_list "$WORK/want" -list 'main\.' "$WORK/abs.pb.gz"
"$HEAPFLAME" --list 'main\.' "$WORK/abs.pb.gz" > "$WORK/got"
same "absolute recorded paths" "$WORK/want" "$WORK/got"
grep -q "^ Error: open $WORK/tree/proj/gone.go: no such file or directory\$" "$WORK/got" && pass \
  || fail "pprof's open error is missing: $(head -c 400 "$WORK/got")"
# The recorded absolute path is tried after -trim_path made it relative.
pprof_list "$WORK/want" -list 'main\.main' -trim_path="$WORK/tree" -source_path="$WORK/tree" "$WORK/abs.pb.gz"
"$HEAPFLAME" --list 'main\.main' -trim_path="$WORK/tree" -source_path="$WORK/nowhere" "$WORK/abs.pb.gz" > "$WORK/got"
same "the recorded absolute path after -trim_path" "$WORK/want" "$WORK/got"

# --- a source file shorter than the profile says -------------------------
numbered "$WORK/short/main.go" 15
"$WORK/mkprofile" "$WORK/short.pb.gz" "10=main.main|main.go|12" "7=main.main|main.go|30" || fail "mkprofile failed"
pprof_list "$WORK/want" -list 'main\.main' -source_path="$WORK/short" "$WORK/short.pb.gz"
"$HEAPFLAME" --list 'main\.main' -source_path="$WORK/short" "$WORK/short.pb.gz" > "$WORK/got"
grep -v '^ Note: ' "$WORK/got" > "$WORK/got.pprof"
same "a short file (apart from the note)" "$WORK/want" "$WORK/got.pprof"
[ "$(grep -c "^ Note: $WORK/short/main.go has 15 lines but the profile has samples at line 30: " "$WORK/got")" -eq 1 ] \
  && pass || fail "no note about the short file: $(tail -2 "$WORK/got")"
# A sample past the end with the window entirely outside the file.
"$WORK/mkprofile" "$WORK/short2.pb.gz" "10=main.main|main.go|40" || fail "mkprofile failed"
"$HEAPFLAME" --list 'main\.main' -source_path="$WORK/short" "$WORK/short2.pb.gz" > "$WORK/got"
[ "$(wc -l < "$WORK/got")" -eq 4 ] && grep -q '^ Note: .* at line 40: ' "$WORK/got" && pass \
  || fail "window past the end of the file: $(cat "$WORK/got")"

# --- hostile bytes in source text ----------------------------------------
mkdir -p "$WORK/hostile"
{
  printf 'package main\n'
  printf '\tx := "\001\002\033[31mred\033[0m\177" // ctrl\n'
  printf '\ty := "\377\376\300\200\355\240\200" // invalid UTF-8\n'
  printf '\tz := "caf\303\251 \342\230\203 \360\237\224\245" // fine\n'
  printf '\tcr := "a\rb" \000 nul\r\n'
  printf '\tc1 := "\302\233[31m"\n'
  printf 'func main() {}\n'
} > "$WORK/hostile/main.go"
"$WORK/mkprofile" "$WORK/hostile.pb.gz" "10=main.main|main.go|4" || fail "mkprofile failed"
"$HEAPFLAME" --list 'main\.main' -source_path="$WORK/hostile" "$WORK/hostile.pb.gz" > "$WORK/got"
[ "$(wc -l < "$WORK/got")" -eq 10 ] && pass || fail "hostile source: $(wc -l < "$WORK/got") lines, want 10"
! LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" "$WORK/got" && pass \
  || fail "hostile source: control characters in the output"
iconv -f UTF-8 -t UTF-8 "$WORK/got" > /dev/null 2>&1 && pass || fail "hostile source: output is not UTF-8"
LC_ALL=C grep -q "$(printf '\302\233')" "$WORK/got" && fail "hostile source: a C1 control is kept" || pass
grep -qF "$(printf '\tz := "caf\303\251 \342\230\203 \360\237\224\245" // fine')" "$WORK/got" && pass \
  || fail "hostile source: valid UTF-8 or the tab was changed"
grep -qF '     2:	x := "???[31mred?[0m?" // ctrl' "$WORK/got" && pass \
  || fail "hostile source: control characters not shown as '?': $(sed -n 5p "$WORK/got" | od -c | head -3)"
grep -qF '     5:	cr := "a?b" ? nul' "$WORK/got" && pass || fail "hostile source: CR or NUL inside a line"

# --- -base, -diff_base, filters, merged sources: as pprof ---------------
b=$FIXTURES/heap-base.pb.gz
l=$FIXTURES/heap-later.pb.gz
for args in "-sample_index=alloc_space -base $b $l" "-sample_index=inuse_space -base $b $l" \
    "-sample_index=inuse_objects -diff_base $b $l" "-sample_index=alloc_space $b $l" \
    "-sample_index=alloc_space -focus=main\\.handle $l" "-sample_index=alloc_space -ignore=encoding $l" \
    "-sample_index=inuse_space -hide=main\\.newSession $l"; do
  # shellcheck disable=SC2086
  pprof_list "$WORK/want" -list 'main\.' -source_path="$FIXTURES/src" $args
  # shellcheck disable=SC2086
  "$HEAPFLAME" --list 'main\.' -source_path="$FIXTURES/src" $args > "$WORK/got" 2> "$WORK/err"
  same "--list $args" "$WORK/want" "$WORK/got"
done
finish
