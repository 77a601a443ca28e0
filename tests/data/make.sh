#!/bin/sh
# Regenerates tests/data: runs the Go program programs/shop (standard
# library only) to write real profiles, then the real "go tool pprof"
# (TZ=UTC) for the goldens. See README.md for what each file is. Takes a
# minute or two (most of it building); needs Go (Debian's golang-go).
#
#   sh tests/data/make.sh
#
# Never make a golden from heapflame's output: these are what heapflame is
# compared against.
set -eu
data=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Go gets a home and caches of its own; pprof prints times in local time.
export HOME="$tmp/home" GOCACHE="$tmp/gocache" GOPATH="$tmp/gopath" GOFLAGS= TZ=UTC LC_ALL=C
mkdir -p "$HOME" "$tmp/inline" "$tmp/noinline"
goroot=$(go env GOROOT)

# The same program twice: as the compiler likes it (small helpers inlined,
# so locations carry several lines), and with inlining off for the legacy
# text profile, whose "#" lines then agree with pprof's symbolization from
# the binary (one function per PC). -trimpath: the profiles record
# programs/shop/main.go and standard-library paths such as
# bytes/buffer.go, not this machine's.
(cd "$data/programs" && go build -trimpath -o "$tmp/inline/shop" ./shop \
  && go build -trimpath -gcflags=all=-l -o "$tmp/noinline/shop" ./shop)

cd "$tmp"
"$tmp/inline/shop" -mode=heap -out heap-small.pb.gz
"$tmp/inline/shop" -mode=pair -base heap-base.pb.gz -later heap-later.pb.gz
SHOP_MEMRATE=4096 "$tmp/noinline/shop" -mode=legacy -out heap-legacy.txt
"$tmp/inline/shop" -mode=cpu -out cpu-small.pb.gz
# The same heap profile as plain protobuf (pprof reads it ungzipped too).
gzip -dc heap-small.pb.gz > raw-uncompressed.pb

pprof() { go tool pprof "$@" 2> "$tmp/pprof.err" || { cat "$tmp/pprof.err" >&2; exit 1; }; }

# types PROFILE: its sample type names in order, from pprof's -raw header.
types() {
  pprof -raw "$@" | sed -n '/^Samples:$/{n;p;q;}' | tr ' ' '\n' | sed -n 's|/.*||p'
}

# goldens NAME PROFILE...: the goldens of one profile (PROFILE... is what
# pprof is given: the profile, or the binary and the legacy text). The diff
# pair gets only top and folded (to keep the set small).
goldens() {
  name=$1
  shift
  pprof -raw "$@" > "$tmp/$name.raw"
  case $name in heap-base | heap-later) ;; *) pprof -traces "$@" > "$name.traces.txt" ;; esac
  i=0
  for t in $(types "$@"); do
    pprof -sample_index="$t" -top -nodecount=0 -nodefraction=0 -edgefraction=0 "$@" > "$name.$t.top.txt"
    awk -v idx=$i -f "$data/fold-raw.awk" "$tmp/$name.raw" | sort > "$name.$t.folded"
    case $name in heap-base | heap-later) i=$((i + 1)); continue ;; esac
    pprof -sample_index="$t" -dot "$@" > "$name.$t.dot"
    awk -v idx=$i -v lines=1 -f "$data/fold-raw.awk" "$tmp/$name.raw" | sort > "$name.$t.lines.folded"
    case $name in heap-small | cpu-small)
      pprof -sample_index="$t" -peek 'main\.' "$@" > "$name.$t.peek.txt"
      pprof -sample_index="$t" -tags "$@" > "$name.$t.tags.txt"
      pprof -sample_index="$t" -list 'main\.' -source_path="$data:$goroot/src" "$@" > "$name.$t.list.txt"
    esac
    i=$((i + 1))
  done
}

goldens heap-small heap-small.pb.gz
goldens heap-base heap-base.pb.gz
goldens heap-later heap-later.pb.gz
goldens cpu-small cpu-small.pb.gz
# pprof symbolizes legacy text with the binary; its File line names it.
goldens heap-legacy "$tmp/noinline/shop" heap-legacy.txt
for t in $(types heap-later.pb.gz); do
  pprof -base heap-base.pb.gz -sample_index="$t" -top -nodecount=0 -nodefraction=0 -edgefraction=0 \
    heap-later.pb.gz > "heap-diff.$t.top.txt"
  awk -f "$data/difffold.awk" "heap-base.$t.folded" "heap-later.$t.folded" | sort > "heap-diff.$t.difffolded"
done

# Replace the previous set (programs, scripts and README stay).
find "$data" -maxdepth 1 -type f \( -name '*.pb.gz' -o -name '*.pb' -o -name '*.txt' -o -name '*.dot' \
  -o -name '*.folded' -o -name '*.difffolded' \) -delete
cp ./*.pb.gz ./*.pb ./*.txt ./*.dot ./*.folded ./*.difffolded "$data/"
du -sh "$data"
