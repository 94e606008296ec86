#!/usr/bin/env bash
# What recording costs the recorded command: each workload runs natively,
# under `proctrace record` (eBPF) and under `strace -f`, interleaved round by
# round so that machine noise hits all three alike, and the medians are
# compared with the native run of the same round set.
#
#   scripts/bench/record-overhead.sh [ROUNDS]      (as root, after a build)
#
# Workloads: an exec storm (2000 x /bin/true from a shell loop: fork, exec,
# exit), a syscall storm (dd bs=1 count=1M: 2M read/write syscalls, which the
# tp_btf/sys_exit fallback sees one by one) and start-up (/bin/true alone:
# the whole cost of loading, attaching and tearing down the recorder).
set -euo pipefail
cd "$(dirname "$0")/../.."
proctrace=${PROCTRACE:-$PWD/${PROCTRACE_BUILD_DIR:-build}/proctrace}
rounds=${1:-7}
[ "$(id -u)" = 0 ] || { echo "run as root: the eBPF recorder needs it" >&2; exit 2; }
command -v strace >/dev/null || { echo "strace is not installed" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

declare -A workload=(
  [exec-storm]='sh -c "i=0; while [ \$i -lt 2000 ]; do /bin/true; i=\$((i+1)); done"'
  [syscall-storm]='dd if=/dev/zero of=/dev/null bs=1 count=1M status=none'
  [start-up]='/bin/true'
)
declare -A wrapper=(
  [native]=''
  [proctrace]="$proctrace record --backend bpf -o $work/rec.\$w.jsonl --"
  [strace]="strace -f -o /dev/null"
)
workloads=(exec-storm syscall-storm start-up)
modes=(native proctrace strace)
# strace makes the syscall storm ~50x slower: SKIP_STRACE=1 leaves it out.
[ "${SKIP_STRACE:-0}" = 1 ] && modes=(native proctrace)

now_ns() { date +%s%N; }
for ((round = 1; round <= rounds; round++)); do
  for w in "${workloads[@]}"; do
    for m in "${modes[@]}"; do
      start=$(now_ns)
      eval "${wrapper[$m]} ${workload[$w]}" >/dev/null
      echo $(( $(now_ns) - start )) >>"$work/$w.$m"
    done
  done
done

median_ms() { sort -n "$1" | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.1f", m / 1e6 }'; }
printf "%-14s %12s %14s %12s %12s %12s\n" workload native_ms proctrace_ms strace_ms proctrace_x strace_x
for w in "${workloads[@]}"; do
  n=$(median_ms "$work/$w.native")
  p=$(median_ms "$work/$w.proctrace")
  s=nan
  [ -f "$work/$w.strace" ] && s=$(median_ms "$work/$w.strace")
  printf "%-14s %12s %14s %12s %12s %12s\n" "$w" "$n" "$p" "$s" \
    "$(awk -v a="$p" -v b="$n" 'BEGIN { printf "%.3f", a / b }')" \
    "$(awk -v a="$s" -v b="$n" 'BEGIN { printf "%.3f", a / b }')"
done
n=$(median_ms "$work/start-up.native")
p=$(median_ms "$work/start-up.proctrace")
echo "proctrace start-up (start-up median minus native): $(awk -v a="$p" -v b="$n" 'BEGIN { printf "%.1f", a - b }') ms over $rounds rounds"
rec=$work/rec.exec-storm.jsonl
echo "exec-storm recording: $(grep -c '^{"Exec"' "$rec") Exec events (2001 expected); $(grep -o '"lost":{[^}]*}' "$rec")"
