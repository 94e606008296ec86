#!/usr/bin/env bash
# The build analyses (critical-path, stats, diff) on a synthetic recording
# of EVENTS events (default 1,000,000; scripts/bench/gen-synthetic-recording.sh),
# next to `sort` over the same file in the same run (the baseline: reading
# it as a stream). Wall time, CPU time and peak RSS, best of 3. diff
# compares the recording with itself: every run is matched, the most work.
#   scripts/bench/build-analysis.sh [EVENTS]
# Target for each analysis: < 1 s and < 200 MB. Needs a built proctrace.
set -euo pipefail
cd "$(dirname "$0")/../.."
events=${1:-1000000}
bin=${PROCTRACE_BUILD_DIR:-build}/proctrace
[ -x "$bin" ] || { echo "build first: scripts/build.sh ($bin is missing)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

input=$work/big.jsonl
scripts/bench/gen-synthetic-recording.sh "$events" >"$input"
size_mb=$(awk -v s="$(stat -c %s "$input")" 'BEGIN { printf "%.0f", s / 1048576 }')
cat "$input" >/dev/null  # into the page cache, for every contender alike

# run LABEL TARGET CMD...: best of 3; TARGET=1 checks < 1 s and < 200 MB.
run() {
  local label=$1 target=$2 best="" secs user sys rss cpu peak verdict=""
  shift 2
  for _ in 1 2 3; do
    /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
    read -r secs user sys rss <"$work/time"
    if [ -z "$best" ] || awk -v a="$secs" -v b="$best" 'BEGIN { exit !(a < b) }'; then
      best=$secs; cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }'); peak=$((rss / 1024))
    fi
  done
  if [ "$target" = 1 ]; then
    verdict=$(awk -v s="$best" -v m="$peak" 'BEGIN { print (s < 1 && m < 200) ? "  within target" : "  OVER TARGET" }')
  fi
  printf '%-28s %6.2f s wall %6.2f s CPU  peak RSS %4d MB  %6s baseline%s\n' "$label" "$best" "$cpu" "$peak" \
    "$(awk -v a="$best" -v b="${base:-0}" 'BEGIN { if (b > 0) printf "%.1fx", a / b; else print "-" }')" "$verdict"
  last=$best
}

echo "input: $events events, ${size_mb} MB, $(nproc) cores (load $(cut -d' ' -f1 /proc/loadavg))"
base=""
run "baseline: sort" 0 "$bin" sort "$input" -o /dev/null
base=$last
run "critical-path" 1 "$bin" critical-path "$input" -o /dev/null
run "critical-path --json" 1 "$bin" critical-path --json "$input" -o /dev/null
run "stats" 1 "$bin" stats "$input" -o /dev/null
run "stats --by command" 1 "$bin" stats --by command "$input" -o /dev/null
run "stats --by parent --json" 1 "$bin" stats --by parent --json "$input" -o /dev/null
run "diff (itself)" 1 "$bin" diff "$input" "$input" -o /dev/null
