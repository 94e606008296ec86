#!/usr/bin/env bash
# What the end-of-recording /proc snapshot costs (`record --timeout`, the
# snapshot `proctrace why` reads): a job of N sleeping processes, all holding
# the job's stdout pipe, is recorded with --timeout; the recorder snapshots
# every live process (state, syscall, wchan, fds, and a scan of every /proc
# entry for other holders of the job's pipes) and writes how long that took
# into the Snapshot line. Budget: 200 ms for 1,000 processes.
#
#   scripts/bench/snapshot.sh [PROCESSES] [ROUNDS]    (as root, after a build)
#
# Baseline, in the same round: `cat /proc/PID/stat /proc/PID/syscall` and
# `ls -l /proc/PID/fd` for the same processes from one shell (what a person
# does by hand), timed around the recording's timeout. Prints the median
# snapshot time, its ratio to the budget and to the baseline.
set -euo pipefail
cd "$(dirname "$0")/../.."
proctrace=${PROCTRACE:-$PWD/${PROCTRACE_BUILD_DIR:-build}/proctrace}
n=${1:-1000}
rounds=${2:-3}
[ "$(id -u)" = 0 ] || { echo "run as root: the eBPF recorder needs it" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

snap=() base=()
for round in $(seq "$rounds"); do
  # Long enough for the shell to start n sleeps on a busy machine.
  "$proctrace" record --backend bpf -o "$work/r.jsonl" --timeout 8 -- \
    sh -c "i=0; while [ \$i -lt $n ]; do sleep 60 & i=\$((i+1)); done; echo \$\$ > $work/pid; wait" \
    2>"$work/err" | cat >/dev/null || true
  # The Snapshot line's keys are written in alphabetical order.
  ms=$(grep '^{"Snapshot":' "$work/r.jsonl" | grep '"reason":"timeout"' | grep -o '"duration_ns":[0-9]*' | head -1 |
         grep -o '[0-9]*$' | awk '{printf "%.1f", $1 / 1e6}')
  alive=$(grep -o 'snapshot of [0-9]* live' "$work/err" | grep -o '[0-9]*' || echo 0)
  # Baseline: the same reads by hand, on n fresh sleeps.
  pids=()
  for i in $(seq "$n"); do sleep 60 & pids+=($!); done
  t0=$(date +%s%N)
  for p in "${pids[@]}"; do cat /proc/$p/stat /proc/$p/syscall /proc/$p/wchan >/dev/null 2>&1; ls -l /proc/$p/fd >/dev/null 2>&1; done
  t1=$(date +%s%N)
  kill "${pids[@]}" 2>/dev/null; wait "${pids[@]}" 2>/dev/null || true
  b=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) / 1e6 }')
  echo "round $round: snapshot of $alive live processes ${ms} ms; by hand ${b} ms"
  snap+=("$ms") base+=("$b")
done
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
s=$(median "${snap[@]}") b=$(median "${base[@]}")
awk -v s="$s" -v b="$b" -v n="$n" 'BEGIN {
  printf "median snapshot of %d processes: %.1f ms (%.2f of the 200 ms budget); by hand: %.1f ms (snapshot/by hand = %.3f)\n",
         n, s, s / 200, b, s / b }'
echo "(machine load: $(cut -d' ' -f1-3 /proc/loadavg); shared machines make both slower)"
