#!/bin/sh
# Installs what the tests need, builds heapflame plainly and with ASan+UBSan,
# and runs the whole test suite under CTest in both builds.
set -eu
cd "$(dirname "$0")/.."

sh scripts/install-deps.sh
# Node keeps a CA list of its own: let npm and the tests trust the
# system's too (where a proxy's CA is installed, say).
if [ -z "${NODE_EXTRA_CA_CERTS:-}" ] && [ -f /etc/ssl/certs/ca-certificates.crt ]; then
  export NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
fi
# playwright-core stays on 1.61, the last for Debian 12's Node.js 18.
[ ! -f tests/browser/package.json ] || (cd tests/browser && npm install --no-audit --no-fund)

jobs=$(nproc 2>/dev/null || echo 2)

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHEAPFLAME_WERROR=ON
cmake --build build -j "$jobs"
(cd build && ctest --output-on-failure -j "$jobs")

cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DHEAPFLAME_WERROR=ON -DHEAPFLAME_SANITIZE=address,undefined \
  -DHEAPFLAME_DEBUG_ARENA=ON
cmake --build build-asan -j "$jobs"
(cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j "$jobs")
