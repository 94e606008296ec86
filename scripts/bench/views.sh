#!/usr/bin/env bash
# Every view and analysis that loads a whole recording (tree, html, summary,
# why, exec, critical-path, stats --by program, diff) on a synthetic
# recording of EVENTS events (default 1,000,000;
# scripts/bench/gen-synthetic-recording.sh), each with its CPU time
# (user + system) and peak RSS, best of RUNS (default 3), and PASS/FAIL
# against the targets: < 1 s CPU and < 200 MB. CPU time, not wall time,
# because the machines these run on are shared; `sort` over the same file
# in the same run is the baseline (reading it as a stream). Wall time is
# shown beside it. diff reads two recordings of EVENTS events each, at
# once on two cores: its CPU target is per recording read (CPU / 2 < 1 s),
# its memory target the whole run's.
# Set BASELINE_BIN to a second proctrace (e.g. one built from main) to get
# its figures beside these, from the same run.
#   scripts/bench/views.sh [EVENTS]
set -euo pipefail
cd "$(dirname "$0")/../.."
events=${1:-1000000}
runs=${RUNS:-3}
bin=${PROCTRACE_BUILD_DIR:-build}/proctrace
old=${BASELINE_BIN:-}
[ -x "$bin" ] || { echo "build first: scripts/build.sh ($bin is missing)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

input=$work/big.jsonl
scripts/bench/gen-synthetic-recording.sh "$events" >"$input"
# diff's second run: the same job with one run in eleven failing.
scripts/bench/gen-synthetic-recording.sh "$events" |
  awk '/"Exit"/ && NR % 11 == 0 { sub(/"code":0/, "\"code\":1") } { print }' >"$work/other.jsonl"
cat "$input" "$work/other.jsonl" >/dev/null  # into the page cache, for every contender alike

# measure BIN CMD...: "CPU_SECONDS PEAK_MB" of the run with the least CPU.
measure() {
  local bin=$1 best="" peak="" user sys rss cpu
  shift
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%U %S %M %e" -o "$work/time" "$bin" "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
    read -r user sys rss elapsed <"$work/time"
    cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
    if [ -z "$best" ] || awk -v a="$cpu" -v b="$best" 'BEGIN { exit !(a < b) }'; then
      best=$cpu; peak=$((rss / 1024)); wall=$elapsed
    fi
  done
  echo "$best $peak $wall"
}

fails=0
# run LABEL INPUTS ARGS...: INPUTS > 0 checks < 1 s CPU per input recording
# and < 200 MB; 0 checks nothing.
run() {
  local label=$1 target=$2 cpu peak wall verdict="" before=""
  shift 2
  read -r cpu peak wall < <(measure "$bin" "$@")
  if [ -n "$old" ]; then
    read -r ocpu opeak _ < <(measure "$old" "$@")
    before=$(printf '  (baseline bin %5.2f s %4d MB)' "$ocpu" "$opeak")
  fi
  if [ "$target" -gt 0 ]; then
    if awk -v s="$cpu" -v n="$target" -v m="$peak" 'BEGIN { exit !(s / n < 1 && m < 200) }'; then verdict="  PASS"
    else verdict="  FAIL"; fails=$((fails + 1)); fi
    [ "$target" -gt 1 ] && verdict+=$(awk -v s="$cpu" -v n="$target" 'BEGIN { printf " (%.2f s CPU per input)", s / n }')
  fi
  printf '%-22s %6.2f s CPU (%5.2f s wall)  peak RSS %4d MB  %6s sort%s%s\n' "$label" "$cpu" "$wall" "$peak" \
    "$(awk -v a="$cpu" -v b="${base:-0}" 'BEGIN { if (b > 0) printf "%.1fx", a / b; else print "-" }')" "$verdict" "$before"
  last=$cpu
}

echo "input: $events events, $(( $(stat -c %s "$input") / 1048576 )) MB, $(nproc) cores (load $(cut -d' ' -f1 /proc/loadavg)), best of $runs"
base=""
run "baseline: sort" 0 sort "$input" -o /dev/null
base=$last
run "tree" 1 tree "$input" -o /dev/null
run "render -d html" 1 render -d html "$input" -o /dev/null
run "summary" 1 summary "$input" -o /dev/null
run "why" 1 why "$input" -o /dev/null
run "exec" 1 exec "$input" -o /dev/null
run "critical-path" 1 critical-path "$input" -o /dev/null
run "stats --by program" 1 stats --by program "$input" -o /dev/null
run "diff" 2 diff "$input" "$work/other.jsonl" -o /dev/null
echo "$fails over target"
