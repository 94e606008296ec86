#!/usr/bin/env bash
# Configures and builds into build/ (or $PROCTRACE_BUILD_DIR). Extra arguments
# go to cmake, e.g. -DPROCTRACE_SANITIZE=ON.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${PROCTRACE_BUILD_DIR:-build}
launcher=()
# ccache makes rebuilds across worktrees and CI reruns cheap; optional.
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD}
# Objects built with -g name their build directory; hashing it would make every
# clone miss. Debug info of a cached object may then point at another checkout.
export CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}
cmake -S . -B "$build" -G Ninja "${launcher[@]}" "$@" >/dev/null
ninja -C "$build"
