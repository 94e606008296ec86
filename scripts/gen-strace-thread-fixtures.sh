#!/usr/bin/env bash
# Regenerates the multi-threaded attach fixtures of tests/fixtures/strace/
# (issue 11): `strace -f -p PID` of a process whose threads were already
# running when strace attached, so the log has no clone that ties them to it.
# The target (scripts/strace-fixtures/threads.c) is a main thread and
# workers that each leave a different kind of tie in the log: a condition
# variable (futex wait/wake pairs), /proc/self/task/TID/comm opened by
# pthread_getname_np, tgkill, /proc/self/stat (tgid under -yy), an
# exit_group that ends them all, a thread created after the attach.
#
#   threads.fttTyy.log   attached for a moment (-yy), the target keeps running
#   threads.fttT.log     the same without -yy
#   threads.exit.fttTyy.log  attached until the target's exit_group(3); a
#                        worker that only sleeps, and one created after the
#                        attach (CLONE_THREAD) that ends with exit(0)
# Every log carries strace's -C table: the tests compare counts with it.
# Usage: scripts/gen-strace-thread-fixtures.sh [OUTDIR]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-tests/fixtures/strace}
mkdir -p "$out"
out=$(cd "$out" && pwd)
for tool in strace cc xz timeout; do
  command -v "$tool" >/dev/null || { echo "$tool is needed" >&2; exit 1; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cc -O1 -pthread -o "$work/threads" scripts/strace-fixtures/threads.c

# Starts the target with its arguments, lets its threads get going, then
# attaches with the given strace flags for at most $2 seconds.
attach() {
  local log=$1 seconds=$2 flags=$3; shift 3
  "$work/threads" "$@" &
  local pid=$!
  sleep 0.3
  # shellcheck disable=SC2086
  timeout -s INT "$seconds" strace $flags -C -p "$pid" -o "$out/$log" || true
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  xz -9e -f "$out/$log"
}
attach threads.fttTyy.log 0.6 "-f -tt -T -yy" 0
attach threads.fttT.log 0.6 "-f -tt -T" 0
# Runs 1.2 s from its start: strace (attached at 0.3 s) sees the late
# thread start at 0.6 s and the exit_group at 1.2 s, then ends by itself.
attach threads.exit.fttTyy.log 5 "-f -tt -T -yy" 1200 600 idle
