# --growth --every/--count against a real Go program (leaky/main.go,
# standard library only) that leaks steadily in main.leak, fills a bounded
# cache in main.fillCache (from its first request: a plateau 1 s later)
# and churns short-lived buffers in main.churn, serving net/http/pprof on 127.0.0.1. Snapshots
# are saved as they arrive (pprof's names, complete files only, even when
# interrupted), failed fetches are retried, legacy text brings MemStats.
. "$SRC/tests/lib.sh"

need_go
export GO111MODULE=off GOFLAGS=
export no_proxy=127.0.0.1,localhost NO_PROXY=127.0.0.1,localhost
check "go build leaky" go build -o "$WORK/leaky" "$SRC/tests/growth/leaky/main.go"
[ -x "$WORK/leaky" ] || { finish; exit 1; }

"$WORK/leaky" -lifetime 600s > "$WORK/addr" 2> "$WORK/leaky.log" &
server=$!
trap 'kill $server 2> /dev/null; wait $server 2> /dev/null' EXIT
i=0
while [ ! -s "$WORK/addr" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
addr=$(head -1 "$WORK/addr")
check "leaky listening" test -n "$addr"
url=http://$addr/debug/pprof/heap

# Collect 7 snapshots 300 ms apart, then the report.
"$HEAPFLAME" --growth --every 300ms --count 7 --save-dir "$WORK/snaps" "$url" > "$WORK/report" 2> "$WORK/err"
check "collection succeeds: $(cat "$WORK/err")" test $? -eq 0
check "no progress line when stderr is not a terminal" test ! -s "$WORK/err"
n=$(ls "$WORK/snaps" | grep -cE '^pprof\.leaky\.alloc_objects\.alloc_space\.inuse_objects\.inuse_space\.[0-9]{14}\.00[1-7]\.pb\.gz$')
check "7 snapshots saved under pprof's names (got $n: $(ls "$WORK/snaps"))" test "$n" -eq 7
check "no temporary files left" test -z "$(ls -A "$WORK/snaps" | grep -v '^pprof\.')"
for f in "$WORK"/snaps/*; do
  "$HEAPFLAME" --list-types "$f" > /dev/null 2>&1 || fail "saved $f does not decode"
done
cat "$WORK/report"

rows() { # the ranked rows: "rank trend name"
  awk '/^ +first +last/ {on = 1; next} on && NF >= 8 && $NF != "(total)" {r++; print r, $6, $NF}' "$1"
}
rows "$WORK/report" > "$WORK/rows"
check "main.leak ranks first" sh -c "head -1 '$WORK/rows' | grep -qx '1 steady main.leak'"
cache=$(awk '$3 == "main.fillCache" {print $1, $2}' "$WORK/rows")
check "the cache is ranked ($cache)" test -n "$cache"
check "the cache, which plateaus, is not steady ($cache)" sh -c "! echo '$cache' | grep -qE ' (steady|growing)$'"
churn=$(awk '$3 == "main.churn" {print $1}' "$WORK/rows")
if [ -n "$churn" ]; then
  check "churn ($churn) ranks below the leak and the cache" test "$churn" -gt "${cache%% *}"
else
  pass # churn had nothing in use at any GC: not ranked at all
fi

# The saved series gives the same report, in any argument order.
ls "$WORK"/snaps/* | sort -r > "$WORK/list"
# shellcheck disable=SC2046
"$HEAPFLAME" --growth $(cat "$WORK/list") > "$WORK/again"
check "saved snapshots, reversed, give the same report" cmp -s "$WORK/report" "$WORK/again"

# A snapshot of the same program but another type is refused.
"$HEAPFLAME" --growth --every 100ms --count 2 --save-dir "$WORK/gor" "http://$addr/debug/pprof/goroutine" > /dev/null 2>&1
gor=$(ls "$WORK"/gor/* | head -1)
# shellcheck disable=SC2046
"$HEAPFLAME" --growth $(ls "$WORK"/snaps/* | head -2) "$gor" > /dev/null 2> "$WORK/err"
check "exit 2 for a goroutine profile among heap snapshots" test $? -eq 2
check "the other type is named: $(cat "$WORK/err")" \
  grep -qE "^heapflame: $gor: different sample types \\(goroutine\\)" "$WORK/err"

# HTML from the live series.
"$HEAPFLAME" --growth -o "$WORK/g.html" "$WORK"/snaps/*
check "html: main.leak outlined in the flame graph" grep -q 'id="hf-growers">\["main.leak"' "$WORK/g.html"
# --html says the same as -o FILE.html, before or after --growth.
"$HEAPFLAME" --growth --html "$WORK"/snaps/* > "$WORK/g2.html"
check "--growth --html writes the growth page" cmp -s "$WORK/g.html" "$WORK/g2.html"
"$HEAPFLAME" --html --growth "$WORK"/snaps/* > "$WORK/g3.html"
check "--html --growth writes the growth page" cmp -s "$WORK/g.html" "$WORK/g3.html"

# A failed fetch is reported and retried at the next tick: /flaky-heap
# fails every other request.
"$HEAPFLAME" --growth --every 100ms --count 3 --save-dir "$WORK/flaky" "http://$addr/flaky-heap" > "$WORK/flaky.txt" 2> "$WORK/err"
check "flaky source: 3 snapshots in the end ($(cat "$WORK/err"))" test "$(ls "$WORK/flaky" | wc -l)" -eq 3
check "the failures were reported" grep -q "^heapflame: http://$addr/flaky-heap: server answered HTTP 503: try again later (snapshot [0-9] of 3: retrying at the next tick)$" "$WORK/err"
check "then the report" grep -q '^Series: 3 snapshots of leaky' "$WORK/flaky.txt"
# Nobody listening: bounded retries, then a clear error.
"$HEAPFLAME" --growth --every 50ms --count 2 --save-dir "$WORK/none" http://127.0.0.1:1/debug/pprof/heap > "$WORK/out" 2> "$WORK/err"
check "unreachable: exit 2" test $? -eq 2
check "unreachable: 3 attempts reported" test "$(grep -c 'retrying at the next tick' "$WORK/err")" -eq 3
check "unreachable: a clear error at the end" grep -q '^heapflame: http://127.0.0.1:1/debug/pprof/heap: 0 of 2 snapshots fetched, 3 fetches failed: giving up' "$WORK/err"
check "unreachable: no report" test ! -s "$WORK/out"

# Legacy text (?debug=1): MemStats in the report; saved as .txt.
"$HEAPFLAME" --growth --every 200ms --count 3 --save-dir "$WORK/legacy" "$url?debug=1" > "$WORK/legacy.txt" 2> "$WORK/err"
check "legacy collection: $(cat "$WORK/err")" test $? -eq 0
check "legacy saved as .txt" test "$(ls "$WORK"/legacy/*.txt | wc -l)" -eq 3
check "legacy: timed by the fetch" grep -q '^Time: ' "$WORK/legacy.txt"
check "legacy: MemStats table" grep -q '^runtime.MemStats' "$WORK/legacy.txt"
for k in HeapAlloc HeapInuse HeapObjects Sys NumGC; do
  check "legacy: $k row" grep -qE "  $k\$" "$WORK/legacy.txt"
done
check "legacy: NumGC went up (a GC every 50 ms)" sh -c "grep -E '  NumGC\$' '$WORK/legacy.txt' | awk '{exit !(\$2 > \$1)}'"
"$HEAPFLAME" --growth "$WORK"/legacy/*.txt > "$WORK/legacy-saved.txt"
check "saved legacy text: file order" grep -q '^Time: not in every snapshot: ordered as given' "$WORK/legacy-saved.txt"
"$HEAPFLAME" --growth -o "$WORK/legacy.html" "$WORK"/legacy/*.txt
check "legacy html: MemStats charts" grep -q '<h2>runtime.MemStats</h2>' "$WORK/legacy.html"

# SIGINT while collecting: everything fetched is on disk, complete.
"$HEAPFLAME" --growth --every 100ms --count 1000 --save-dir "$WORK/int" "$url" > /dev/null 2> "$WORK/int.err" &
pid=$!
# Interrupt once a snapshot is saved: the handler is surely installed then
# (a SIGINT before it would be lost: sh starts background jobs with SIGINT
# ignored, which a loaded machine once showed by running all 1000).
for i in $(seq 600); do
  ls "$WORK/int" 2>/dev/null | grep -q '^pprof\.' && break
  sleep 0.1
done
sleep 0.3
kill -INT $pid
wait $pid
rc=$?
check "interrupted: exit 130 (got $rc)" test $rc -eq 130
check "interrupted: says where the snapshots are" grep -q "interrupted: [0-9]* of 1000 snapshots saved in $WORK/int" "$WORK/int.err"
n=$(ls "$WORK/int" | wc -l)
check "interrupted: snapshots kept ($n)" test "$n" -ge 1
check "interrupted: no temporary files" test -z "$(ls -A "$WORK/int" | grep -v '^pprof\.')"
for f in "$WORK"/int/*; do
  "$HEAPFLAME" --list-types "$f" > /dev/null 2>&1 && pass || fail "interrupted: $f does not decode"
done

# Usage errors.
"$HEAPFLAME" --growth --every 1x --count 2 "$url" 2> "$WORK/err"
check "bad duration" grep -q '^heapflame: --every: expected a duration' "$WORK/err"
"$HEAPFLAME" --growth --every 1s --count 1 "$url" 2> "$WORK/err"
check "count below 2" grep -q '^heapflame: --count: expected a number of snapshots' "$WORK/err"
"$HEAPFLAME" --growth --every 1s "$WORK/leaky" 2> "$WORK/err"
check "collect needs a URL" grep -q '^heapflame: --every collects from one http(s) URL' "$WORK/err"

# The progress line shows on a terminal.
if command -v script > /dev/null 2>&1; then
  script -qec "'$HEAPFLAME' --growth --every 100ms --count 2 --save-dir '$WORK/tty' -o '$WORK/tty.txt' '$url'" /dev/null > "$WORK/tty.log" 2>&1
  check "progress line on a terminal" grep -q 'snapshot 2 of 2 saved (pprof.leaky.' "$WORK/tty.log"
fi
finish
