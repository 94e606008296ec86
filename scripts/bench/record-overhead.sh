#!/usr/bin/env bash
# What recording costs the recorded command: each workload runs natively,
# under `proctrace record` (eBPF) and under `strace -f`, interleaved round by
# round so that machine noise hits all three alike, and the medians are
# compared with the native run of the same round set.
#
#   scripts/bench/record-overhead.sh [ROUNDS]      (as root, after a build)
#
# proctrace runs twice: writing a plain recording, and -o FILE.zst (zstd
# level 1, a frame per drain).
#
# Prints medians of wall-clock time and of CPU time (user+system of
# everything involved: the workload, and proctrace or strace), each with its
# ratio to native. On a busy machine, trust the CPU ratio more.
#
# Workloads: an exec storm (2000 x /bin/true from a shell loop: fork, exec,
# exit), a syscall storm (dd bs=1 count=1M: 2M read/write syscalls, which the
# raw_tp/sys_exit fallback sees one by one) and start-up (/bin/true alone:
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
  [proctrace-zst]="$proctrace record --backend bpf -o $work/rec.\$w.jsonl.zst --"
  [strace]="strace -f -o /dev/null"
)
workloads=(exec-storm syscall-storm start-up)
modes=(native proctrace proctrace-zst strace)
# strace makes the syscall storm ~50x slower: SKIP_STRACE=1 leaves it out.
[ "${SKIP_STRACE:-0}" = 1 ] && modes=(native proctrace proctrace-zst)

TIMEFORMAT='%3R %3U %3S'
for ((round = 1; round <= rounds; round++)); do
  for w in "${workloads[@]}"; do
    for m in "${modes[@]}"; do
      { time eval "${wrapper[$m]} ${workload[$w]}" >/dev/null 2>&1; } 2>>"$work/$w.$m"
    done
  done
done

# median FILE COLUMN-EXPRESSION (awk, over "real user sys" seconds) in ms
median() {
  awk "{ print $2 }" "$1" | sort -g |
    awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.1f", m * 1000 }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == 0) print "-"; else printf "%.3f", a / b }'; }

echo "medians over $rounds rounds (ms); x = ratio to native"
printf "%-14s %-5s %10s %10s %10s %10s %12s %9s %9s\n" workload time native proctrace with_zst strace proctrace_x zst_x strace_x
for w in "${workloads[@]}"; do
  for kind in wall cpu; do
    col='$1'
    [ $kind = cpu ] && col='$2 + $3'
    n=$(median "$work/$w.native" "$col")
    p=$(median "$work/$w.proctrace" "$col")
    z=$(median "$work/$w.proctrace-zst" "$col")
    s=-
    [ -f "$work/$w.strace" ] && s=$(median "$work/$w.strace" "$col")
    printf "%-14s %-5s %10s %10s %10s %10s %12s %9s %9s\n" "$w" "$kind" "$n" "$p" "$z" "$s" "$(ratio "$p" "$n")" \
      "$(ratio "$z" "$n")" "$(ratio "$s" "$n")"
  done
done
n=$(median "$work/start-up.native" '$1')
p=$(median "$work/start-up.proctrace" '$1')
echo "proctrace start-up (wall, minus native /bin/true): $(awk -v a="$p" -v b="$n" 'BEGIN { printf "%.1f", a - b }') ms"
rec=$work/rec.exec-storm.jsonl
echo "exec-storm recording: $(grep -c '^{"Exec"' "$rec") Exec events (2001 expected); $(grep -o '"lost":{[^}]*}' "$rec")"
zrec=$rec.zst
echo "with -o .zst: $(zstd -dc "$zrec" | grep -c '^{"Exec"') Exec events; $(zstd -dc "$zrec" | grep -o '"lost":{[^}]*}'); $(stat -c %s "$zrec") bytes against $(stat -c %s "$rec") plain"

# Most of the start-up is the kernel verifying the programs: what each costs.
obj=$(dirname "$proctrace")/bpf/proctrace.bpf.o
if [ -f "$obj" ] && cc -O1 -o "$work/verifier-stats" scripts/bench/verifier-stats.c -lbpf 2>/dev/null; then
  echo "verifier, per program:"
  "$work/verifier-stats" "$obj" | sed 's/^/  /'
fi
