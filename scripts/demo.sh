#!/bin/sh
# Installs the build dependencies, builds heapflame, and draws the bundled
# sample heap profile: out/flame.svg (flame graph) and out/callgraph.svg.
set -eu
cd "$(dirname "$0")/.."

HEAPFLAME_DEPS=build sh scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j "$(nproc 2>/dev/null || echo 2)"

mkdir -p out
./build/heapflame -alloc_space samples/heap.pb.gz -o out/flame.svg
./build/heapflame --callgraph -alloc_space samples/heap.pb.gz -o out/callgraph.svg
echo "wrote out/flame.svg and out/callgraph.svg"
