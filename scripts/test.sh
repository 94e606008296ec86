#!/usr/bin/env bash
# Builds and runs the whole test suite (unit, integration with real BPF and
# strace, browser, databases). Prints a one-line total at the end.
set -uo pipefail
cd "$(dirname "$0")/.."
build=${PROCTRACE_BUILD_DIR:-build}
./scripts/build.sh "$@" || { echo "TOTAL: build failed"; exit 1; }
log=$(mktemp)
ctest --test-dir "$build" --output-on-failure -j2 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
summary=$(grep -E "tests passed, .* tests failed out of" "$log" | tail -1)
echo "TOTAL ($build): ${summary:-no tests ran}"
rm -f "$log"
exit "$rc"
