#!/usr/bin/env bash
# The analysis views on the large strace log of the import benchmark
# (scripts/bench/import.sh makes and caches it), each timed against the
# import alone in the same run: `quantize` of a syscall the log does not
# have loads the log with its syscall table and does one trivial pass, so
# it is the floor every syscall view stands on. `sort` (lifecycle import,
# no table) is the floor of exec and tree. Reports best-of-RUNS wall time,
# CPU time and peak RSS (/usr/bin/time; the log is mmapped, so its pages
# count in RSS).
#   scripts/bench/analyze.sh [MB]   (default 600; RUNS=1 by default)
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${PROCTRACE_BUILD_DIR:-build}
bin=$build/proctrace
[ -x "$bin" ] || { echo "build first: scripts/build.sh ($bin is missing)" >&2; exit 1; }
target_mb=${1:-600}
runs=${RUNS:-1}
cache=${PROCTRACE_BENCH_CACHE:-/tmp/proctrace-bench}
log=$cache/strace-f-tt-T-y-${target_mb}MB.log
if [ ! -s "$log" ]; then
  [ -x scripts/bench/import.sh ] || { echo "no $log, and no scripts/bench/import.sh to make it" >&2; exit 1; }
  scripts/bench/import.sh "$target_mb" >&2
fi

tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
cat "$log" >/dev/null  # into the page cache, for every contender alike
root_pid=$(head -c 64 "$log" | grep -o '^[0-9]*')

# run LABEL CMD...: best wall seconds of $runs runs, with its CPU and peak RSS.
run() {
  local label=$1; shift
  local best="" cpu="" peak=""
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %U %S %M" -o "$tmp" "$@" >/dev/null 2>/dev/null
    read -r secs user sys rss <"$tmp"
    if [ -z "$best" ] || awk -v a="$secs" -v b="$best" 'BEGIN { exit !(a < b) }'; then
      best=$secs; cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }'); peak=$rss
    fi
  done
  secs=$best
  local ratio
  ratio=$(awk -v s="$secs" -v b="${floor:-$secs}" 'BEGIN { printf "%.2f", (b > 0 ? s / b : 0) }')
  printf '%-32s %7.2f s  x%-5s CPU %6.2f s  peak RSS %5d MB\n' "$label" "$secs" "$ratio" "$cpu" $((peak / 1024))
}

size=$(stat -c %s "$log")
echo "log: $log, $((size / 1048576)) MB, $(nproc) cores (load $(cut -d' ' -f1 /proc/loadavg)), best of $runs"
floor=""
run "import, lifecycle (sort)" "$bin" sort "$log" -o /dev/null
floor=$secs
run "exec" "$bin" exec "$log"
run "tree" "$bin" tree "$log"
floor=""
run "import + syscall table (floor)" "$bin" quantize no_such_syscall "$log"
floor=$secs
run "summary" "$bin" summary "$log"
run "summary --json -c 0" "$bin" summary --json -c 0 "$log"
run "list-pids" "$bin" list-pids "$log"
run "pid $root_pid -r" "$bin" pid "$log" "$root_pid" -r
run "files" "$bin" files "$log"
run "files -s duration" "$bin" files -s duration "$log"
run "directories" "$bin" directories "$log"
run "io" "$bin" io "$log"
run "io --totals" "$bin" io --totals "$log"
run "quantize read,openat" "$bin" quantize read,openat "$log"
