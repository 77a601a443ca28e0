#!/bin/sh
# heapflame benchmark harness: heapflame side by side with `go tool pprof`
# and `gzip -dc` on the same files. hyperfine gives the times (medians),
# /usr/bin/time -v the peak memory; every figure is also shown as a ratio
# to heapflame. Prints markdown tables. See bench/README.md.
#
#   bench/run.sh [--quick] [--runs N] [--sizes "N N ..."] [--no-pprof] [--no-build]
#                [--no-browser] [--out FILE]
#   bench/run.sh --smoke GEN HEAPFLAME DIR    (the ctest smoke test; no timing)
#   HTML_1M=yes bench/run.sh ...             (also open a 1,000,000-stack HTML report)
#
# flamegraph.pl is not in Debian: unless it is on PATH, the flame row uses
# the npm package `flamegraph` (a JavaScript port of it), installed with npm
# into $HF_BENCH_BUILD/npm. The browser row drives /usr/bin/chromium through
# playwright-core (tests/browser/node_modules, else installed there too).
#
# Environment: HF_BENCH_BUILD (build dir, default build-bench),
# HF_BENCH_DATA (generated profiles, default $HF_BENCH_BUILD/bench-data),
# FIXTURES (default ../shared/fixtures).
set -eu

REPO=$(cd "$(dirname "$0")/.." && pwd)

die() {
	echo "bench/run.sh: $*" >&2
	exit 1
}

# ---- smoke test: generator output parses, folds, and its totals match ----
if [ "${1:-}" = "--smoke" ]; then
	[ $# -eq 4 ] || die "usage: --smoke GEN HEAPFLAME DIR"
	gen=$2 hf=$3 dir=$4
	rm -rf "$dir"
	mkdir -p "$dir"
	"$gen" -stacks 3000 -depth 40 -funcs 500 -inline 0.3 -seed 7 -o "$dir/p.pb.gz" 2>"$dir/gen.log" ||
		die "generator failed: $(cat "$dir/gen.log")"
	"$gen" -stacks 3000 -depth 40 -funcs 500 -inline 0.3 -seed 7 -o "$dir/p.pb" 2>/dev/null ||
		die "generator failed (plain output)"
	gzip -dc "$dir/p.pb.gz" | cmp -s - "$dir/p.pb" ||
		die "gzipped and plain outputs of the same seed differ"
	failed=0
	for t in alloc_objects alloc_space inuse_objects inuse_space; do
		want=$(sed -n "s/.* $t=\([0-9]*\).*/\1/p" "$dir/gen.log")
		[ -n "$want" ] || die "no $t total in the generator's log"
		"$hf" --folded -sample_index=$t -o "$dir/$t.folded" "$dir/p.pb.gz" ||
			die "heapflame failed on the generated profile ($t)"
		got=$(awk '{ s += $NF } END { printf "%.0f", s }' "$dir/$t.folded")
		lines=$(wc -l <"$dir/$t.folded")
		if [ "$got" != "$want" ]; then
			echo "FAIL $t: folded total $got, generator wrote $want"
			failed=1
		elif [ "$lines" -lt 100 ] || [ "$lines" -gt 3000 ]; then
			echo "FAIL $t: $lines folded lines for 3000 distinct stacks"
			failed=1
		else
			echo "ok $t: total $got in $lines lines"
		fi
	done
	# Another variant of the same program shares its locations and functions.
	"$gen" -stacks 3000 -depth 40 -funcs 500 -seed 7 -variant 1 -o "$dir/v.pb.gz" 2>/dev/null
	"$hf" --folded -sample_index=alloc_space -o "$dir/v.folded" "$dir/v.pb.gz" ||
		die "heapflame failed on the variant profile"
	cmp -s "$dir/v.folded" "$dir/alloc_space.folded" && { echo "FAIL: variant equals the original"; failed=1; }
	[ $failed -eq 0 ] && echo "4 passed, 0 failed" || { echo "smoke test failed"; exit 1; }
	exit 0
fi

# ---- options ---------------------------------------------------------------
RUNS=5                 # the scaling table (a 1M-stack run takes seconds)
ROW_RUNS=15            # the main table's heapflame and gzip -dc rows: a 5 runs'
                       # median of a 0.13 s run moved 4 % between two quiet runs
SLOW_RUNS=3            # for pprof, which takes seconds per run
SIZES="15625 62500 250000 1000000"
PPROF=yes
BROWSER=yes
BROWSER_RUNS=5
OUT=
BUILD_IT=yes
while [ $# -gt 0 ]; do
	case $1 in
	--quick) RUNS=3 ROW_RUNS=3 SLOW_RUNS=1 SIZES="15625 62500" BROWSER_RUNS=3 ;;
	--runs) RUNS=$2 ROW_RUNS=$2 SLOW_RUNS=$2; shift ;;
	--sizes) SIZES=$2; shift ;;
	--no-pprof) PPROF=no ;;
	--no-build) BUILD_IT=no ;;
	--no-browser) BROWSER=no ;;
	--out) OUT=$2; shift ;;
	-h|--help) sed -n '2,19p' "$0"; exit 0 ;;
	*) die "unknown option $1 (see --help)" ;;
	esac
	shift
done

BUILD=${HF_BENCH_BUILD:-$REPO/build-bench}
DATA=${HF_BENCH_DATA:-$BUILD/bench-data}
FIXTURES=${FIXTURES:-$REPO/../shared/fixtures}
LARGE=$FIXTURES/synthetic-large.pb.gz
SMALL=$FIXTURES/heap-small.pb.gz
[ -f "$LARGE" ] || die "$LARGE not found (set FIXTURES)"
for tool in hyperfine cmake gzip awk; do
	command -v $tool >/dev/null || die "$tool not found (scripts/install-deps.sh installs it)"
done
[ -x /usr/bin/time ] || die "/usr/bin/time not found (Debian package: time)"
PPROF_BIN=
if [ $PPROF = yes ]; then
	command -v go >/dev/null || die "go not found (Debian golang-go); or use --no-pprof"
	# The pprof binary itself: `go tool pprof` adds the go command's start-up.
	PPROF_BIN=$(go env GOTOOLDIR)/pprof
	[ -x "$PPROF_BIN" ] || PPROF_BIN="go tool pprof"
	# pprof -svg and its web UI's graph page run Graphviz's dot: without it
	# they print "Could not execute dot" (a call graph row of 0 nodes)
	command -v dot >/dev/null || die "dot not found (Debian graphviz; scripts/install-deps.sh installs it); or use --no-pprof"
fi
FLAMEGRAPH_PL=$(command -v flamegraph.pl || true)
STACKCOLLAPSE_GO=$(command -v stackcollapse-go.pl || true)
NPM_DIR=$BUILD/npm
# npm_module NAME VERSION: prints the node_modules dir holding NAME, installing
# it with npm into $NPM_DIR/NAME (never committed) if needed; nothing if it
# cannot. One prefix per package: `npm install --no-save` prunes what an
# earlier --no-save install put into the same prefix (installing
# playwright-core removed the flamegraph port, and the flame row failed).
npm_module() {
	[ -d "$NPM_DIR/$1/node_modules/$1" ] ||
		{ command -v npm >/dev/null && mkdir -p "$NPM_DIR/$1" &&
			PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --prefix "$NPM_DIR/$1" --no-audit \
				--no-fund --no-save "$1@$2" >"$NPM_DIR/install-$1.log" 2>&1; } || true
	[ -d "$NPM_DIR/$1/node_modules/$1" ] && echo "$NPM_DIR/$1/node_modules"
}
FLAMEGRAPH_JS=
if [ $PPROF = yes ] && { [ -z "$FLAMEGRAPH_PL" ] || [ -z "$STACKCOLLAPSE_GO" ]; } &&
	command -v node >/dev/null; then
	# thlorenz's JavaScript port of flamegraph.pl (bench/flamegraph-port.js)
	FLAMEGRAPH_JS=$(npm_module flamegraph 1.3.0)
	[ -n "$FLAMEGRAPH_JS" ] || echo "npm install flamegraph failed (see $NPM_DIR): flame row without it" >&2
fi
PLAYWRIGHT=
if [ $BROWSER = yes ] && [ -x /usr/bin/chromium ] && command -v node >/dev/null; then
	if [ -d "$REPO/tests/browser/node_modules/playwright-core" ]; then
		PLAYWRIGHT=$REPO/tests/browser/node_modules
	else
		PLAYWRIGHT=$(npm_module playwright-core 1.47)
	fi
fi

if [ $BUILD_IT = yes ]; then
	echo "building heapflame in $BUILD ..." >&2
	cmake -Wno-dev -S "$REPO" -B "$BUILD" -DHEAPFLAME_BUILD_BENCH=ON >/dev/null
	cmake --build "$BUILD" -j2 --target heapflame_cli heapflame_gen >/dev/null
fi
HF=$BUILD/heapflame
GEN=$BUILD/bench/heapflame_gen

WORK=$(mktemp -d "${TMPDIR:-/tmp}/heapflame-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT INT TERM
mkdir -p "$DATA"

gen() { # gen FILE ARGS...: generate once, reuse later
	f=$1
	shift
	[ -s "$f" ] || "$GEN" "$@" -o "$f" 2>/dev/null || die "heapflame_gen $* failed"
}

# ---- which views does this heapflame have? ---------------------------------
# Each view lists spellings to try, with @IN@ @OUT@ @BASE@ placeholders, and
# a check of the output. The first spelling that works on a small real
# profile is measured; none working means "n/a".
looks_like() { # looks_like KIND FILE
	[ -s "$2" ] || return 1
	case $1 in
	svg) head -c 4096 "$2" | grep -q '<svg' ;;
	dot) head -c 200 "$2" | grep -q '^digraph' ;;
	top) grep -q 'flat%' "$2" ;;
	folded) head -n 1 "$2" | grep -q ' [0-9-]*$' ;;
	diff) head -n 1 "$2" | grep -q ' [0-9-]* [0-9-]*$' ;;
	esac
}

detect() { # detect KIND EXT SPELLING...; prints the spelling that works
	kind=$1 ext=$2
	shift 2
	for spelling in "$@"; do
		out=$WORK/detect.$ext
		rm -f "$out"
		cmd=$(expand "$spelling" "$SMALL" "$out" "$FIXTURES/heap-base.pb.gz")
		if sh -c "$cmd" >/dev/null 2>&1 && looks_like "$kind" "$out"; then
			echo "$spelling"
			return 0
		fi
	done
	echo n/a
}

expand() { # expand SPELLING IN OUT BASE
	printf '%s\n' "$1" | sed -e "s#@HF@#$HF#g" -e "s#@IN@#$2#g" -e "s#@OUT@#$3#g" -e "s#@BASE@#$4#g"
}

IDX=-sample_index=alloc_space
V_FOLDED=$(detect folded txt "@HF@ --folded $IDX -o @OUT@ @IN@")
V_FLAME=$(detect svg svg "@HF@ $IDX -o @OUT@ @IN@" "@HF@ --flame $IDX -o @OUT@ @IN@" \
	"@HF@ --flamegraph $IDX -o @OUT@ @IN@" "@HF@ --svg $IDX -o @OUT@ @IN@")
V_TOP=$(detect top txt "@HF@ --top $IDX -o @OUT@ @IN@" "@HF@ -top $IDX @IN@ > @OUT@")
V_DOT=$(detect dot dot "@HF@ --dot $IDX -o @OUT@ @IN@" "@HF@ -dot $IDX @IN@ > @OUT@")
V_CALLGRAPH=$(detect svg svg "@HF@ --callgraph $IDX -o @OUT@ @IN@" \
	"@HF@ --callgraph --format=svg $IDX -o @OUT@ @IN@" "@HF@ -svg $IDX -o @OUT@ @IN@")
V_BASE=$(detect diff txt "@HF@ --folded $IDX -base @BASE@ -o @OUT@ @IN@" \
	"@HF@ --folded $IDX --base=@BASE@ -o @OUT@ @IN@")
V_MERGE=$(detect folded txt "@HF@ --folded $IDX -o @OUT@ @IN@ @BASE@")
echo "views: folded=[$V_FOLDED] flame=[$V_FLAME] top=[$V_TOP] dot=[$V_DOT]" \
	"callgraph=[$V_CALLGRAPH] base=[$V_BASE] merge=[$V_MERGE]" >&2

# ---- measuring -------------------------------------------------------------
# measure RUNS CMD: prints "WALL CPU": hyperfine's median wall time and its
# mean user + system time, in seconds. On a busy machine the CPU time is the
# steadier of the two. Every run writes a new output file, as a first run
# does: the last run's outputs are removed before it, untimed (otherwise the
# kernel's freeing of the 1M-stack --folded's 2.4 GB, written back to disk
# by then, took ~2.9 s of the next run's time).
measure() {
	hyperfine --style none --warmup 1 --runs "$1" --prepare "rm -f $WORK/o.* $WORK/p.*" \
		--export-csv "$WORK/h.csv" "$2" >/dev/null 2>&1 ||
		{ echo fail fail; return; }
	awk -F, 'NR == 2 { print $4, $5 + $6 }' "$WORK/h.csv"
}

peak_kb() { # peak_kb CMD: maximum resident set size in KB (one run)
	/usr/bin/time -v sh -c "$1" 2>"$WORK/time.log" >/dev/null || { echo fail; return; }
	sed -n 's/.*Maximum resident set size (kbytes): //p' "$WORK/time.log"
}

fmt_s() { # seconds, 3 significant digits
	case $1 in fail|n/a|"") echo "$1" ;; *) awk -v t="$1" 'BEGIN {
		if (t < 0.1) printf "%.1f ms", t * 1000; else if (t < 10) printf "%.3f s", t; else printf "%.1f s", t }' ;;
	esac
}

fmt_mb() {
	case $1 in fail|n/a|"") echo "$1" ;; *) awk -v k="$1" 'BEGIN { printf "%.0f MB", k / 1024 }' ;; esac
}

ratio() { # ratio OTHER HEAPFLAME: how many times OTHER is heapflame
	case "$1$2" in *fail*|*n/a*) echo "n/a"; return ;; esac
	awk -v a="$1" -v b="$2" 'BEGIN { if (b <= 0) print "n/a"; else if (a / b >= 10) printf "%.0f×\n", a / b; else printf "%.2f×\n", a / b }'
}

ROWS=$WORK/rows
: >"$ROWS"

# row VIEW FILE-LABEL HF-CMD PPROF-CMD PPROF-LABEL GZIP-INPUT
row() {
	view=$1 label=$2 hcmd=$3 pcmd=$4 plabel=$5 gzin=$6
	echo "measuring $view ..." >&2
	if [ "$hcmd" = n/a ]; then
		ht=n/a hc=n/a hm=n/a
	else
		set -- $(measure "$ROW_RUNS" "$hcmd")
		ht=$1 hc=$2
		hm=$(peak_kb "$hcmd")
	fi
	if [ $PPROF = yes ] && [ "$pcmd" != n/a ]; then
		set -- $(measure "$SLOW_RUNS" "$pcmd")
		pt=$1 pc=$2
		pm=$(peak_kb "$pcmd")
	else
		pt=n/a pc=n/a pm=n/a
	fi
	if [ -n "$gzin" ]; then
		set -- $(measure "$ROW_RUNS" "gzip -dc $gzin >/dev/null")
		gcell="$(fmt_s "$1") (heapflame = $(ratio "$ht" "$1"))"
	else
		gcell="—"
	fi
	printf '| %s | %s | %s / %s | %s | %s: %s / %s | **%s** / %s | %s | **%s** | %s |\n' \
		"$view" "$label" "$(fmt_s "$ht")" "$(fmt_s "$hc")" "$(fmt_mb "$hm")" \
		"$plabel" "$(fmt_s "$pt")" "$(fmt_s "$pc")" "$(ratio "$pt" "$ht")" "$(ratio "$pc" "$hc")" \
		"$(fmt_mb "$pm")" "$(ratio "$pm" "$hm")" "$gcell" >>"$ROWS"
}

hf_cmd() { # hf_cmd SPELLING IN OUT [BASE]
	[ "$1" = n/a ] && { echo n/a; return; }
	expand "$1" "$2" "$3" "${4:-}"
}

P="$PPROF_BIN"
PIDX=-sample_index=alloc_space
LOAD_MAIN=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')

# Main table: synthetic-large (the fixture) for every view.
row "--folded (one sample type)" "synthetic-large" "$(hf_cmd "$V_FOLDED" "$LARGE" "$WORK/o.txt")" \
	"$P -raw $LARGE > $WORK/p.txt" "pprof -raw" "$LARGE"
if [ -n "$FLAMEGRAPH_PL" ] && [ -n "$STACKCOLLAPSE_GO" ]; then
	flame_p="$P -raw $LARGE | $STACKCOLLAPSE_GO | $FLAMEGRAPH_PL --colors=mem > $WORK/p.svg"
	flame_label="pprof -raw + flamegraph.pl"
elif [ -n "$FLAMEGRAPH_JS" ]; then
	# alloc_space is the 2nd column of a Go heap profile's samples
	flame_p="$P -raw $LARGE | awk -v col=2 -f $REPO/bench/stackcollapse-raw.awk | node $REPO/bench/flamegraph-port.js $FLAMEGRAPH_JS > $WORK/p.svg"
	flame_label="pprof -raw + awk collapse + flamegraph (npm, JS port of flamegraph.pl)"
else
	# Not packaged in Debian 12: pprof -raw alone is a lower bound for it.
	flame_p="$P -raw $LARGE > $WORK/p.txt"
	flame_label="pprof -raw alone (flamegraph.pl n/a)"
fi
row "flame SVG" "synthetic-large" "$(hf_cmd "$V_FLAME" "$LARGE" "$WORK/o.svg")" \
	"$flame_p" "$flame_label" "$LARGE"
row "--top" "synthetic-large" "$(hf_cmd "$V_TOP" "$LARGE" "$WORK/o.txt")" \
	"$P -top $PIDX $LARGE > $WORK/p.txt" "pprof -top" "$LARGE"
row "--dot" "synthetic-large" "$(hf_cmd "$V_DOT" "$LARGE" "$WORK/o.dot")" \
	"$P -dot $PIDX $LARGE > $WORK/p.dot" "pprof -dot" "$LARGE"
row "--callgraph (SVG)" "synthetic-large" "$(hf_cmd "$V_CALLGRAPH" "$LARGE" "$WORK/o.svg")" \
	"$P -svg $PIDX $LARGE > $WORK/p.svg" "pprof -svg" "$LARGE"

# Many functions, few stacks (issue 14: a real 1.2 MB CPU profile with 20k
# stacks and 23k functions): per-function work and start-up dominate.
FUNCS=$DATA/gen-funcs-23000.pb.gz
gen "$FUNCS" -funcs 23000 -stacks 20000 -seed 1
row "--top" "gen 20k stacks, 23k funcs" "$(hf_cmd "$V_TOP" "$FUNCS" "$WORK/o.txt")" \
	"$P -top $PIDX $FUNCS > $WORK/p.txt" "pprof -top" "$FUNCS"
row "flame SVG" "gen 20k stacks, 23k funcs" "$(hf_cmd "$V_FLAME" "$FUNCS" "$WORK/o.svg")" \
	"$(printf '%s\n' "$flame_p" | sed "s#$LARGE#$FUNCS#g")" "$flame_label" "$FUNCS"

# A gzip bomb: 1 GiB of zeros (about 1 MB gzipped), under the default limit.
# pprof has no limit: it is not run on it.
BOMB=$DATA/bomb-1g.gz
[ -s "$BOMB" ] || head -c 1073741824 /dev/zero | gzip -1 >"$BOMB"
row "gzip bomb (refused)" "1 GiB of zeros" "$HF --folded $BOMB > /dev/null 2>&1; test \$? = 2" \
	n/a "n/a" "$BOMB"

# -base: two snapshots of one generated program (same locations, other samples).
gen "$DATA/gen-50000.pb.gz" -stacks 50000 -seed 1
gen "$DATA/gen-50000-v1.pb.gz" -stacks 50000 -seed 1 -variant 1
row "-base diff" "gen 50k vs 50k" \
	"$(hf_cmd "$V_BASE" "$DATA/gen-50000.pb.gz" "$WORK/o.txt" "$DATA/gen-50000-v1.pb.gz")" \
	"$P -raw -base $DATA/gen-50000-v1.pb.gz $DATA/gen-50000.pb.gz > $WORK/p.txt" "pprof -raw -base" ""

# Merging: 100 snapshots of one smaller program (1,000 functions), 2,000
# stacks each.
MERGE_FILES=
i=1
while [ $i -le 100 ]; do
	gen "$DATA/merge-2000-$i.pb.gz" -stacks 2000 -funcs 1000 -seed 1 -variant $i
	MERGE_FILES="$MERGE_FILES $DATA/merge-2000-$i.pb.gz"
	i=$((i + 1))
done
if [ "$V_MERGE" = n/a ]; then merge_h=n/a; else
	merge_h="$HF --folded $IDX -o $WORK/o.txt$MERGE_FILES"
fi
row "merge 100 profiles (--folded)" "100 × gen 2k" "$merge_h" \
	"$P -raw$MERGE_FILES > $WORK/p.txt" "pprof -raw" ""

# Scaling: heapflame alone on generated profiles, 4× apart.
SCALE=$WORK/scale
: >"$SCALE"
prev_f= prev_s= prev_n=
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
for n in $SIZES; do
	f=$DATA/gen-$n.pb.gz
	gen "$f" -stacks "$n" -seed 1
	echo "measuring scaling at $n stacks ..." >&2
	set -- $(measure "$RUNS" "$(hf_cmd "$V_FOLDED" "$f" "$WORK/o.txt")")
	tf=$1 cf=$2
	mf=$(peak_kb "$(hf_cmd "$V_FOLDED" "$f" "$WORK/o.txt")")
	ts=n/a cs=n/a ms=n/a
	if [ "$V_FLAME" != n/a ]; then
		set -- $(measure "$RUNS" "$(hf_cmd "$V_FLAME" "$f" "$WORK/o.svg")")
		ts=$1 cs=$2
		ms=$(peak_kb "$(hf_cmd "$V_FLAME" "$f" "$WORK/o.svg")")
	fi
	set -- $(measure "$RUNS" "gzip -dc $f >/dev/null")
	tg=$1
	size=$(wc -c <"$f")
	if [ -n "$prev_n" ]; then
		gf="$(ratio "$cf" "$prev_f") for $(ratio "$n" "$prev_n")"
		gs="$(ratio "$cs" "$prev_s")"
	else
		gf="—" gs="—"
	fi
	printf '| %s | %s | %s | %s / %s | %s | %s | %s / %s | %s | %s |\n' "$n" \
		"$(awk -v s="$size" 'BEGIN { printf "%.1f MB", s / 1048576 }')" "$(fmt_s "$tg")" \
		"$(fmt_s "$tf")" "$(fmt_s "$cf")" "$gf" "$(fmt_mb "$mf")" "$(fmt_s "$ts")" "$(fmt_s "$cs")" \
		"$gs" "$(fmt_mb "$ms")" >>"$SCALE"
	prev_f=$cf prev_s=$cs prev_n=$n
done

# Browser: headless Chromium opening a heapflame SVG of 200,000 stacks.
BROWSER_ROW=
if [ -n "$PLAYWRIGHT" ] && [ "$V_FLAME" != n/a ]; then
	echo "measuring the browser ..." >&2
	f=$DATA/gen-200000.pb.gz
	gen "$f" -stacks 200000 -seed 1
	sh -c "$(hf_cmd "$V_FLAME" "$f" "$WORK/big.svg")" >/dev/null 2>&1 || die "heapflame failed on $f"
	if set -- $(node "$REPO/bench/browser.mjs" "$PLAYWRIGHT" "$WORK/big.svg" "$BROWSER_RUNS" 2>"$WORK/browser.log") &&
		[ $# -eq 4 ]; then
		BROWSER_ROW=$(printf '| gen 200k | %s | %s | %s | %s ms | %s ms | %s ms |' \
			"$(awk -v s="$(wc -c <"$WORK/big.svg")" 'BEGIN { printf "%.1f MB", s / 1048576 }')" \
			"$4" "$(chromium --version 2>/dev/null | awk '{ print $2 }')" "$1" "$2" "$3")
	else
		echo "browser row failed: $(cat "$WORK/browser.log")" >&2
	fi
fi

# HTML report: heapflame --html of the same 200,000 stacks (and of 1,000,000
# with --html-1m) in Chromium, next to our SVG and pprof's web UI
# (go tool pprof -http: /ui/flamegraph and /ui/) in the same browser
# (bench/html.mjs). pprof's server is started here and stopped by its PID.
HTML_ROWS=$WORK/html.rows
: >"$HTML_ROWS"
if [ -n "$PLAYWRIGHT" ] && [ "$V_FLAME" != n/a ]; then
	echo "measuring the HTML report ..." >&2
	f=$DATA/gen-200000.pb.gz
	gen "$f" -stacks 200000 -seed 1
	"$BUILD/heapflame" --html -o "$WORK/big.html" "$f" || die "heapflame --html failed on $f"
	[ -f "$WORK/big.svg" ] || sh -c "$(hf_cmd "$V_FLAME" "$f" "$WORK/big.svg")" >/dev/null 2>&1
	base=-
	pprof_pid=
	if [ $PPROF = yes ]; then
		port=$((20000 + $$ % 20000))
		HOME=$WORK $PPROF_BIN -http=127.0.0.1:$port -no_browser "$f" >"$WORK/pprof-http.log" 2>&1 &
		pprof_pid=$!
		base=http://127.0.0.1:$port
	fi
	node "$REPO/bench/html.mjs" "$PLAYWRIGHT" "$WORK/big.html" "$WORK/big.svg" "$base" "$BROWSER_RUNS" \
		>"$WORK/html.json" 2>"$WORK/html.log" || echo "HTML rows failed: $(cat "$WORK/html.log")" >&2
	[ -z "$pprof_pid" ] || kill "$pprof_pid" 2>/dev/null || true
	if [ "${HTML_1M:-no}" = yes ]; then
		f=$DATA/gen-1000000.pb.gz
		gen "$f" -stacks 1000000 -seed 1
		"$BUILD/heapflame" --html -o "$WORK/big1m.html" "$f" &&
			node "$REPO/bench/html.mjs" "$PLAYWRIGHT" "$WORK/big1m.html" - - 1 >>"$WORK/html.json" 2>>"$WORK/html.log"
	fi
	# one markdown row per page
	node -e '
		const fs = require("fs");
		for (const l of fs.readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean)) {
			const r = JSON.parse(l);
			if (r.error) { console.log(`| ${r.name} | — | failed: ${r.error} after ${r.afterMs} ms | | | |`); continue; }
			const extra = r.zoomMs !== undefined ? `decode ${r.decodeMs} ms, layout ${r.layoutMs} ms, first draw ${r.firstDrawMs} ms; zoom ${r.zoomMs} ms, search ${r.searchMs} ms, "Matched" ${r.matchedMs} ms (longest main-thread block ${r.matchedBlockMs} ms); refine (focus ${r.heaviest}, hide runtime) ${r.refineMs} ms (${r.refineNodes} nodes: build ${r.refineBuildMs} ms, cut layout ${r.refineLayoutMs} ms), its Top ${r.refineTopMs} ms; refine (focus ${r.narrowFn}) ${r.narrowRefineMs} ms, its Top ${r.narrowTopMs} ms` : "";
			// the report: its first paint by the page clock (openMs: when playwright saw it)
			console.log(`| ${r.name} | ${r.drawnMs !== undefined ? r.drawnMs : r.openMs} ms | ${r.frames}${r.note ? " (the page: " + JSON.stringify(r.note) + ")" : ""} | ${r.peakMB || r.memMB} MB | ${extra} |`);
		}' "$WORK/html.json" >"$HTML_ROWS" 2>/dev/null || true
	HTML_SIZE=$(awk -v s="$(wc -c <"$WORK/big.html")" 'BEGIN { printf "%.1f MB", s / 1048576 }')
fi

# ---- report ----------------------------------------------------------------
report() {
	echo "### heapflame vs go tool pprof ($(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m))"
	echo
	echo "Times are \"wall / CPU\": hyperfine's median wall time of $ROW_RUNS runs (scaling: $RUNS; pprof: $SLOW_RUNS) and the mean"
	echo "user + system time; peak RSS from \`/usr/bin/time -v\`. Ratios are pprof's figure over heapflame's"
	echo "(bigger is better for heapflame), wall / CPU. Load average before the main table: $LOAD_MAIN;"
	echo "before the scaling table: $LOAD_BEFORE; at the end: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)."
	echo "Sample type alloc_space throughout. pprof is Go $(go version 2>/dev/null | awk '{print $3}')'s, run as $P."
	if [ -n "$FLAMEGRAPH_PL" ] && [ -n "$STACKCOLLAPSE_GO" ]; then :
	elif [ -n "$FLAMEGRAPH_JS" ]; then
		echo "flamegraph.pl and stackcollapse-go.pl are not packaged in Debian 12: the flame row runs \`pprof -raw\`, bench/stackcollapse-raw.awk"
		echo "(the same folded stacks) and the npm package \`flamegraph\` 1.3.0, thlorenz's JavaScript port of flamegraph.pl (bench/flamegraph-port.js);"
		echo "its peak is the largest of the three processes (node's)."
	else
		echo "flamegraph.pl is not packaged in Debian 12 and not installed: the flame row compares with \`pprof -raw\` alone, a lower bound for pprof + flamegraph.pl."
	fi
	echo
	echo "| view | input | heapflame time | heapflame peak | pprof time | time ratio | pprof peak | memory ratio | gzip -dc (floor) |"
	echo "|---|---|---|---|---|---|---|---|---|"
	cat "$ROWS"
	echo
	echo "Scaling (heapflame alone; generated profiles, depth ≤ 120, 8,000 functions):"
	echo
	echo "| stacks | .pb.gz | gzip -dc | --folded | growth (CPU) | --folded peak | flame SVG | growth (CPU) | flame SVG peak |"
	echo "|---|---|---|---|---|---|---|---|---|"
	cat "$SCALE"
	if [ -n "$BROWSER_ROW" ]; then
		echo
		echo "Browser (headless /usr/bin/chromium via playwright-core; medians of $BROWSER_RUNS fresh pages after one warm-up):"
		echo "open = page.goto until the viewer marks the SVG ready; script start-up = the viewer's own initMs; zoom = zoom(1) to the next painted frame."
		echo
		echo "| profile | SVG | frames | Chromium | open | script start-up | zoom |"
		echo "|---|---|---|---|---|---|---|"
		echo "$BROWSER_ROW"
	fi
	if [ -s "$HTML_ROWS" ]; then
		echo
		echo "HTML report of gen 200k ($HTML_SIZE; bench/html.mjs): time from navigation to the drawn flame graph (pprof: to the load event),"
		echo "frames (or graph nodes) shown, the tab's renderer memory (RSS), and the report's own timings:"
		echo
		echo "| page | open | frames | tab memory | in the page |"
		echo "|---|---|---|---|---|"
		cat "$HTML_ROWS"
	fi
}
if [ -n "$OUT" ]; then report | tee "$OUT"; else report; fi
