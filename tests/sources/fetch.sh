# URL sources end to end against a real Go program serving net/http/pprof
# on 127.0.0.1 (built here from goserver/main.go with Debian's golang-go,
# standard library only): heap and a 1-second CPU profile are fetched and
# rendered; go-torch's -u/--suffix/-t spellings; and every error path.
. "$SRC/tests/lib.sh"

# Built without libcurl (HEAPFLAME_WITH_CURL=OFF): a URL is refused, saying
# why (checked here, no server needed); the rest needs libcurl.
if ! "$HEAPFLAME" --version | grep -q ' +curl'; then
  "$HEAPFLAME" --top http://127.0.0.1:1/debug/pprof/heap > "$WORK/out" 2> "$WORK/err"
  check "no libcurl: exit status 2" test $? -eq 2
  check "no libcurl: one line saying so" \
    grep -qx 'heapflame: http://127.0.0.1:1/debug/pprof/heap: URLs cannot be fetched: heapflame was built without libcurl (HEAPFLAME_WITH_CURL=OFF); save the profile to a file and give its name' "$WORK/err"
  [ "$hf_failures" -eq 0 ] || { finish; exit 1; }
  skip "fetching: heapflame built without libcurl"
fi

need_go
export GO111MODULE=off GOFLAGS=
# The server is local: never through a proxy a CI machine may define.
export no_proxy=127.0.0.1,localhost NO_PROXY=127.0.0.1,localhost
check "go build goserver" go build -o "$WORK/goserver" "$SRC/tests/sources/goserver/main.go"
[ -x "$WORK/goserver" ] || { finish; exit 1; }

# The server exits by itself after 120 s; the trap ends it sooner.
"$WORK/goserver" -portfile "$WORK/port" -tlsportfile "$WORK/tlsport" -lifetime 120s 2> "$WORK/server.log" &
server=$!
trap 'kill $server 2> /dev/null; wait $server 2> /dev/null' EXIT
i=0
while [ ! -s "$WORK/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
port=$(cat "$WORK/port")
url="http://127.0.0.1:$port"
check "server listening" test -n "$port"
sleep 1 # let it allocate

# Heap: all four sample types, the default is inuse_space.
"$HEAPFLAME" --list-types "$url/debug/pprof/heap" > "$WORK/types"
check "heap types over http" grep -q '^3 inuse_space/bytes \*$' "$WORK/types"
"$HEAPFLAME" --folded -alloc_space -o "$WORK/heap.folded" "$url/debug/pprof/heap"
check "heap folded has the allocating function" grep -q 'main.allocate' "$WORK/heap.folded"
# The legacy text form of the same endpoint (debug=1) reads too.
"$HEAPFLAME" --folded -alloc_space -o "$WORK/legacy.folded" "$url/debug/pprof/heap?debug=1"
check "legacy text over http names frames" grep -q 'main.burn;main.allocate' "$WORK/legacy.folded"
check "legacy text over http has MemStats" sh -c "'$HEAPFLAME' --info '$url/debug/pprof/heap?debug=1' | grep -q '^  NumGC '"

# CPU: -seconds 1 adds ?seconds=1; the profile has cpu samples in burn.
"$HEAPFLAME" --folded -seconds 1 -o "$WORK/cpu.folded" "$url/debug/pprof/profile"
check "cpu profile over http" grep -q 'main.burn' "$WORK/cpu.folded"
# go-torch: -u BASE (suffix /debug/pprof/profile), -t seconds.
"$HEAPFLAME" --folded -u "$url" -t 1 -o "$WORK/gotorch.folded"
check "go-torch -u -t" grep -q 'main.burn' "$WORK/gotorch.folded"
"$HEAPFLAME" --list-types --url "$url/" --suffix /debug/pprof/heap > "$WORK/types2"
check "go-torch --url --suffix" grep -q 'inuse_space/bytes' "$WORK/types2"

# https: the throwaway certificate is refused, unless https+insecure (pprof).
tls=$(cat "$WORK/tlsport")
"$HEAPFLAME" --list-types "https+insecure://127.0.0.1:$tls/debug/pprof/heap" > "$WORK/types3"
check "https+insecure fetch" grep -q 'inuse_space/bytes' "$WORK/types3"
"$HEAPFLAME" --list-types "https://127.0.0.1:$tls/debug/pprof/heap" > /dev/null 2> "$WORK/err"
check "https with an unknown certificate fails: $(cat "$WORK/err")" \
  grep -qE "^heapflame: https://127.0.0.1:$tls/debug/pprof/heap: fetch failed: .*certificate" "$WORK/err"

# Rendered: the default view (a flame graph) when it exists, else folded.
for what in heap cpu; do
  src="$url/debug/pprof/heap"
  [ $what = cpu ] && src="-seconds=1 $url/debug/pprof/profile"
  # shellcheck disable=SC2086
  if "$HEAPFLAME" -o "$WORK/$what.svg" $src 2> "$WORK/render.err"; then
    check "$what flame graph is SVG" grep -q '<svg' "$WORK/$what.svg"
  elif grep -q 'not built yet' "$WORK/render.err"; then
    pass
  else
    fail "$what render: $(cat "$WORK/render.err")"
  fi
done

# Two snapshots of the live server, merged and diffed.
"$HEAPFLAME" --folded "$url/debug/pprof/heap" "$url/debug/pprof/heap" > /dev/null
check "two URL sources merge" test $? -eq 0
"$HEAPFLAME" --folded -alloc_objects -base "$url/debug/pprof/heap" "$url/debug/pprof/heap" > "$WORK/delta"
check "-base URL gives two columns" awk 'NF < 3 {exit 1}' "$WORK/delta"

# Errors: one line "heapflame: URL: ...", exit 2, no output file.
expect_fetch_error() { # DESCRIPTION MESSAGE-REGEX ARGS...
  desc=$1 re=$2
  shift 2
  refused 2 "$desc" "$WORK/out" -E "^heapflame: $re" "$HEAPFLAME" --folded -o "$WORK/out" "$@"
}
# A port nobody listens on: take a free one from the server's range end.
expect_fetch_error "refused" "http://127.0.0.1:1/debug/pprof/heap: fetch failed: .*(refused|Couldn't connect)" \
  http://127.0.0.1:1/debug/pprof/heap
expect_fetch_error "404" "$url/debug/pprof/nosuch: server answered HTTP 404: Unknown profile" \
  "$url/debug/pprof/nosuch"
expect_fetch_error "not a profile" "$url/debug/pprof/cmdline: the answer is not a profile \\(" \
  "$url/debug/pprof/cmdline"
expect_fetch_error "size limit" "$url/debug/pprof/heap: the answer exceeds the limit of 1024 bytes" \
  --max-decompressed 1k "$url/debug/pprof/heap"
expect_fetch_error "timeout" "$url/slow: no complete answer within 1 s \\(see --timeout\\)" \
  --timeout 1 "$url/slow"
expect_fetch_error "scheme" "ftp://127.0.0.1/x: cannot open" ftp://127.0.0.1/x
"$HEAPFLAME" --folded -seconds=0 "$url/debug/pprof/heap" > /dev/null 2> "$WORK/err"
check "-seconds=0 is bad usage" grep -q '^heapflame: -seconds: expected a number of seconds' "$WORK/err"

# The progress line shows only on a terminal: not here (stderr is a file).
"$HEAPFLAME" --folded -seconds 1 "$url/debug/pprof/profile" > /dev/null 2> "$WORK/err"
check "no progress line when stderr is not a terminal" test ! -s "$WORK/err"
if command -v script > /dev/null 2>&1; then
  script -qec "'$HEAPFLAME' --folded -seconds 2 -o '$WORK/tty.folded' '$url/debug/pprof/profile'" /dev/null > "$WORK/tty.log" 2>&1
  check "progress line on a terminal" grep -q 'profiling, 1 of 2 s' "$WORK/tty.log"
fi
finish
