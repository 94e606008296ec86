#!/usr/bin/env bash
# Builds one libFuzzer target and runs it for SECONDS.
#   scripts/fuzz.sh TARGET SECONDS [extra libFuzzer flags...]
# TARGET is a fuzz/fuzz_TARGET.cpp name ("recording", or "fuzz_recording").
# Seeds: fuzz/corpus/TARGET (committed) plus what earlier runs found, kept in
# $PROCTRACE_FUZZ_DIR/corpus/TARGET. Exits non-zero on any crash, leak, timeout
# or out-of-memory; the input that did it is saved under .../artifacts/TARGET/.
# Run it with `nice -n 19` on a shared machine.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { echo "usage: $0 TARGET SECONDS [libFuzzer flags...]" >&2; exit 2; }
name=${1#fuzz_}
seconds=$2
shift 2
build=${PROCTRACE_FUZZ_BUILD_DIR:-build-fuzz}
work=${PROCTRACE_FUZZ_DIR:-$build}

[ -f "fuzz/fuzz_$name.cpp" ] || { echo "fuzz.sh: no target fuzz/fuzz_$name.cpp" >&2; exit 2; }
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD} CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}  # see build.sh
CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja "${launcher[@]}" \
  -DPROCTRACE_FUZZ=ON -DPROCTRACE_TESTS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
ninja -C "$build" "fuzz_$name" >/dev/null

corpus=$work/corpus/$name
artifacts=$work/artifacts/$name
mkdir -p "$corpus" "$artifacts"
seeds=()
[ -d "fuzz/corpus/$name" ] && seeds+=("fuzz/corpus/$name")
# The real fixtures are the best seeds (recordings, strace logs).
case $name in
  recording)
    for d in tests/fixtures/recordings tests/fixtures/bad; do [ -d "$d" ] && seeds+=("$d"); done ;;
  strace_*)
    # The fixtures are compressed whole logs: cut them into small seeds.
    if [ -d tests/fixtures/strace ]; then
      python3 fuzz/make_seeds.py "$name" tests/fixtures/strace "$work/seeds/$name"
      seeds+=("$work/seeds/$name")
    fi ;;
esac
dict=()
[ -f "fuzz/$name.dict" ] && dict=(-dict="fuzz/$name.dict")

# Leaks are detected at exit of each input by libFuzzer itself (-detect_leaks=1).
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1} \
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
  "$build/fuzz/fuzz_$name" "$corpus" "${seeds[@]}" "${dict[@]}" \
  -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
  -artifact_prefix="$artifacts/" -print_final_stats=1 "$@"
