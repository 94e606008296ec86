#!/usr/bin/env bash
# What the inherited-fd table costs per exec: an exec storm (1000 x /bin/true
# from a shell loop) whose shell holds 3, 30 or 300 open descriptors, which
# every /bin/true inherits, run natively and under `proctrace record`,
# interleaved round by round. Prints the median wall and CPU time of each and
# the recorder's added cost per exec; the 30 and 300 rows minus the 3 row are
# the fd walk's share (300 also exercises the count of descriptors above the
# 256 the table keeps).
#
#   scripts/bench/exec-fds.sh [ROUNDS]      (as root, after a build)
set -euo pipefail
cd "$(dirname "$0")/../.."
proctrace=${PROCTRACE:-$PWD/${PROCTRACE_BUILD_DIR:-build}/proctrace}
rounds=${1:-5}
execs=1000
[ "$(id -u)" = 0 ] || { echo "run as root: the eBPF recorder needs it" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A shell that opens descriptors 3.. up to n-1 on /dev/null, then runs the storm.
storm() {
  local n=$1
  echo "i=3; while [ \$i -lt $n ]; do eval \"exec \$i</dev/null\"; i=\$((i+1)); done;" \
       "i=0; while [ \$i -lt $execs ]; do /bin/true; i=\$((i+1)); done"
}

TIMEFORMAT='%3R %3U %3S'
for ((round = 1; round <= rounds; round++)); do
  for n in 3 30 300; do
    script=$(storm "$n")
    { time bash -c "$script" >/dev/null 2>&1; } 2>>"$work/$n.native"
    { time "$proctrace" record --backend bpf -o "$work/rec.jsonl" -- bash -c "$script" >/dev/null 2>&1; } \
      2>>"$work/$n.proctrace"
  done
done
grep -c '"Exec"' "$work/rec.jsonl" >/dev/null || { echo "the recording has no Exec events" >&2; exit 1; }

median() {
  awk "{ print $2 }" "$1" | sort -g |
    awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.1f", m * 1000 }'
}

printf '%-5s %12s %12s %8s %12s %12s %8s %14s\n' fds "native ms" "proctrace ms" ratio "native cpu" "proct. cpu" ratio "+cpu us/exec"
for n in 3 30 300; do
  nw=$(median "$work/$n.native" '$1'); pw=$(median "$work/$n.proctrace" '$1')
  nc=$(median "$work/$n.native" '$2 + $3'); pc=$(median "$work/$n.proctrace" '$2 + $3')
  awk -v n="$n" -v nw="$nw" -v pw="$pw" -v nc="$nc" -v pc="$pc" -v e="$execs" \
    'BEGIN { printf "%-5s %12.1f %12.1f %8.3f %12.1f %12.1f %8.3f %14.1f\n", n, nw, pw, pw / nw, nc, pc, pc / nc, (pc - nc) * 1000 / e }'
done
echo "($rounds rounds, medians; $execs execs per run; recorded Exec lines carry the fd table)"
