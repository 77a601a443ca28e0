#!/bin/sh
# Installs everything heapflame needs to build and test, from Debian's archive
# (and, for the browser tests, playwright-core from npm). Run as root on Debian 12.
# HEAPFLAME_DEPS=build installs only what the build needs.
set -eu

build_pkgs="build-essential cmake pkg-config zlib1g-dev libprotobuf-c-dev protobuf-c-compiler
  libcairo2-dev libpango1.0-dev libgraphviz-dev libcurl4-openssl-dev scdoc libdeflate-dev"
test_pkgs="xz-utils libxml2-utils golang-go clang libclang-rt-14-dev chromium
  hyperfine time valgrind git ca-certificates man-db firefox-esr graphviz python3"

pkgs=$build_pkgs
[ "${HEAPFLAME_DEPS:-all}" = build ] || pkgs="$pkgs $test_pkgs"

missing=""
for p in $pkgs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
# Node may come from outside Debian's packages on some images: check the commands.
if [ "${HEAPFLAME_DEPS:-all}" != build ]; then
  command -v node >/dev/null 2>&1 || missing="$missing nodejs"
  command -v npm >/dev/null 2>&1 || missing="$missing npm"
fi
if [ -n "$missing" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: missing packages:$missing (run as root)" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  # shellcheck disable=SC2086
  apt-get install -y --no-install-recommends $missing
fi
