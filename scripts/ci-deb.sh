#!/bin/sh
# The packaging check of CI (as root on Debian 12): builds the .deb from a
# Release build installed to /usr, installs it with apt-get (which pulls in
# the dependencies dpkg-shlibdeps worked out), runs the installed heapflame
# on samples/heap.pb.gz and `man heapflame`, then purges it and checks that
# none of its files is left.
#   scripts/ci-deb.sh [BUILD_DIR]   (default build-deb)
set -eu
cd "$(dirname "$0")/.."
build=${1:-build-deb}
jobs=$(nproc 2>/dev/null || echo 2)

if [ "$(id -u)" -ne 0 ]; then
  echo "ci-deb: needs root (apt-get install, apt-get purge)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
command -v man > /dev/null 2>&1 || apt-get install -y --no-install-recommends man-db

cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DHEAPFLAME_WERROR=ON \
  -DCMAKE_INSTALL_PREFIX=/usr -DBUILD_TESTING=OFF -DHEAPFLAME_BUILD_BENCH=OFF
cmake --build "$build" -j "$jobs"
rm -f "$build"/heapflame_*.deb
(cd "$build" && cpack -G DEB)
# apt-get installs a local package given by a path with a slash: make it absolute.
deb=$(cd "$build" && ls "$(pwd)"/heapflame_*.deb)
echo "ci-deb: $deb"
dpkg-deb --info "$deb" | sed -n 's/^ *Depends: /  Depends: /p'

dpkg-deb --contents "$deb"
apt-get install -y "$deb"
dpkg -L heapflame > "$build/files.txt"

fail() {
  echo "ci-deb: FAIL: $*" >&2
  exit 1
}
[ "$(command -v heapflame)" = /usr/bin/heapflame ] || fail "heapflame is not /usr/bin/heapflame"
heapflame --version
want=$(sed -n 's/^project(heapflame VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
heapflame --version | grep -qx "heapflame $want" || fail "--version is not $want"
[ "$(pkg-config --modversion heapflame)" = "$want" ] || fail "pkg-config --modversion is not $want"
tmp=$(mktemp -d)
heapflame -alloc_space samples/heap.pb.gz > "$tmp/flame.svg" || fail "flame graph"
grep -q '</svg>' "$tmp/flame.svg" || fail "flame graph is not an SVG"
heapflame --top samples/heap.pb.gz > "$tmp/top.txt" || fail "--top"
grep -q 'flat%' "$tmp/top.txt" || fail "--top has no table"
heapflame --callgraph -alloc_space samples/heap.pb.gz > "$tmp/graph.svg" || fail "--callgraph"
grep -q '</svg>' "$tmp/graph.svg" || fail "call graph is not an SVG"
MANWIDTH=80 man heapflame > "$tmp/man.txt" 2>&1 || fail "man heapflame: $(cat "$tmp/man.txt")"
grep -q 'heapflame - flame graphs' "$tmp/man.txt" || fail "man heapflame shows another page"
for f in /usr/share/bash-completion/completions/heapflame /usr/include/heapflame.h \
  /usr/share/heapflame/themes/mem.theme; do
  [ -f "$f" ] || fail "$f not installed"
done
ls /usr/lib/*/libheapflame.so.* /usr/lib/*/libheapflame.a > /dev/null || fail "libraries not installed"
grep -qx /usr/share/man/man1/heapflame.1.gz "$build/files.txt" || fail "the man page is not /usr/share/man/man1/heapflame.1.gz (Debian wants it compressed)"
rm -rf "$tmp"

apt-get purge -y heapflame
if dpkg -L heapflame > /dev/null 2>&1; then
  fail "dpkg still knows heapflame's files after the purge"
fi
left=""
while read -r f; do
  # Directories Debian's own packages share (/usr, /usr/share/man/man1...) stay.
  [ -d "$f" ] && continue
  [ -e "$f" ] || [ -L "$f" ] && left="$left $f"
done < "$build/files.txt"
for d in /usr/share/heapflame /usr/lib/*/cmake/heapflame /usr/lib/cmake/heapflame; do
  [ ! -e "$d" ] || left="$left $d"
done
[ -z "$left" ] || fail "left behind after the purge:$left"
echo "ci-deb: installed, ran, purged; nothing left behind"
