#!/usr/bin/env bash
# Export throughput on a large synthetic recording: rows/s into SQLite and
# ClickHouse, peak memory, and the time to merely parse and rewrite the same
# file (`proctrace sort`) as the baseline measured in the same run.
#   scripts/bench/export.sh [EVENTS]     (default 1000000)
# Needs a built proctrace (scripts/build.sh). ClickHouse is skipped with a
# note when scripts/clickhouse-test-server.sh cannot start one.
set -euo pipefail
cd "$(dirname "$0")/../.."
events=${1:-1000000}
bin=${PROCTRACE_BUILD_DIR:-build}/proctrace
work=$(mktemp -d)
ch_pid=""
cleanup() {
  [ -n "$ch_pid" ] && kill "$ch_pid" 2>/dev/null && while kill -0 "$ch_pid" 2>/dev/null; do sleep 0.2; done
  rm -rf "$work"
}
trap cleanup EXIT

input=$work/big.jsonl
scripts/bench/gen-synthetic-recording.sh "$events" >"$input"
size_mb=$(( $(stat -c %s "$input") / 1048576 ))

# run LABEL CMD...: wall seconds, CPU seconds (user+sys) and peak RSS (KB)
# into $secs / $cpu / $rss. On a shared machine wall time follows the load;
# CPU time and the ratio to the baseline are the comparable figures.
run() {
  local label=$1; shift
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
  read -r secs user sys rss <"$work/time"
  cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
  printf '%-28s %7.2f s wall %7.2f s CPU  peak RSS %4d MB\n' "$label" "$secs" "$cpu" $((rss / 1024))
}
rate() { awk -v r="$1" -v s="$2" 'BEGIN { printf "%.0f", (s > 0 ? r / s : 0) }'; }

echo "input: $events events, ${size_mb} MB (mapped, counted in RSS)"
run "baseline: sort (parse+write)" "$bin" sort "$input" -o /dev/null
base=$cpu

run "export --sqlite" "$bin" export --sqlite "$work/x.db" "$input"
rows=$(sqlite3 "$work/x.db" "SELECT (SELECT count(*) FROM processes) + (SELECT count(*) FROM exec_segments)
                             + (SELECT count(*) FROM events) + (SELECT count(*) FROM recordings)")
echo "  sqlite: $rows rows, $(rate "$rows" "$secs") rows/s wall, $(rate "$rows" "$cpu") rows/CPU-s, $(awk -v a="$cpu" -v b="$base" 'BEGIN{printf "%.1f", a/b}')x baseline CPU"

run "export --perfetto" "$bin" export --perfetto "$work/x.pftrace" "$input"
echo "  perfetto: $(( $(stat -c %s "$work/x.pftrace") / 1048576 )) MB, $(awk -v a="$cpu" -v b="$base" 'BEGIN{printf "%.1f", a/b}')x baseline CPU"

if out=$(scripts/clickhouse-test-server.sh "$work/ch" 2>"$work/ch.err"); then
  read -r ch_pid ch_port <<<"$out"
  run "export --clickhouse" "$bin" export --clickhouse "http://127.0.0.1:$ch_port/" "$input"
  q() { curl -sS "http://127.0.0.1:$ch_port/" --data-binary "$1"; }
  chrows=$(q "SELECT (SELECT count() FROM processes) + (SELECT count() FROM exec_segments) + (SELECT count() FROM events) + (SELECT count() FROM recordings)")
  # The server's own work runs in another process: wall time is the figure here.
  echo "  clickhouse: $chrows rows, $(rate "$chrows" "$secs") rows/s wall, client $(awk -v a="$cpu" -v b="$base" 'BEGIN{printf "%.1f", a/b}')x baseline CPU"
else
  echo "  clickhouse: skipped ($(head -1 "$work/ch.err"))"
fi
