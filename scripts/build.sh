#!/usr/bin/env bash
# Configures and builds into build/ (or $PROCTRACE_BUILD_DIR). Extra arguments
# go to cmake, e.g. -DPROCTRACE_SANITIZE=ON.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${PROCTRACE_BUILD_DIR:-build}
cmake -S . -B "$build" -G Ninja "$@" >/dev/null
ninja -C "$build"
