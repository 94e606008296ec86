#!/usr/bin/env bash
# What reading a compressed recording costs: the synthetic 1M-event
# recording (gen-synthetic-recording.sh) plain, zstd -3 and gzip -6, each
# read by `sort` (the whole reader, streaming) and `tree` (the whole model),
# interleaved round by round so machine noise hits all alike. Prints the
# best wall time, CPU time and peak RSS of each, with its ratio to plain.
#   scripts/bench/compressed-read.sh [EVENTS] [ROUNDS]   (default 1000000 3)
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${PROCTRACE_BUILD_DIR:-build}/proctrace
[ -x "$bin" ] || { echo "build first: scripts/build.sh ($bin is missing)" >&2; exit 1; }
events=${1:-1000000}
rounds=${2:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
scripts/bench/gen-synthetic-recording.sh "$events" >"$work/rec.jsonl"
zstd -q -3 "$work/rec.jsonl" -o "$work/rec.jsonl.zst"
gzip -6 -c "$work/rec.jsonl" >"$work/rec.jsonl.gz"
cat "$work"/rec.* >/dev/null  # into the page cache, for every contender alike
echo "input: $events events; plain $(stat -c %s "$work/rec.jsonl") bytes, zstd $(stat -c %s "$work/rec.jsonl.zst"), gzip $(stat -c %s "$work/rec.jsonl.gz")"

declare -A best cpu rss
for ((round = 1; round <= rounds; round++)); do
  for view in sort tree; do
    for kind in plain zst gz; do
      input=$work/rec.jsonl
      [ $kind = plain ] || input=$work/rec.jsonl.$kind
      if [ $view = sort ]; then cmd=("$bin" sort -i "$input" -o /dev/null); else cmd=("$bin" tree "$input"); fi
      /usr/bin/time -f "%e %U %S %M" -o "$work/time" "${cmd[@]}" >/dev/null 2>&1
      read -r secs user sys peak <"$work/time"
      key=$view.$kind
      if [ -z "${best[$key]:-}" ] || awk -v a="$secs" -v b="${best[$key]}" 'BEGIN { exit !(a < b) }'; then
        best[$key]=$secs; cpu[$key]=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }'); rss[$key]=$peak
      fi
    done
  done
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
printf "%-6s %-6s %8s %8s %10s %9s %9s\n" view input wall_s cpu_s peak_MB wall_x cpu_x
for view in sort tree; do
  for kind in plain zst gz; do
    k=$view.$kind p=$view.plain
    printf "%-6s %-6s %8s %8s %10d %9s %9s\n" "$view" "$kind" "${best[$k]}" "${cpu[$k]}" $((rss[$k] / 1024)) \
      "$(ratio "${best[$k]}" "${best[$p]}")" "$(ratio "${cpu[$k]}" "${cpu[$p]}")"
  done
done
