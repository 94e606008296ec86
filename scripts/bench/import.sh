#!/usr/bin/env bash
# strace import throughput on a large real log: strace -f -tt -T -y over real
# workloads (find, ls -lR, tar, git, Python, make, fork/exec loops) until the
# log reaches MB megabytes. The log is made once and cached (in
# $PROCTRACE_BENCH_CACHE, default /tmp/proctrace-bench). Reports MB/s next to
# `wc -l` on the same file in the same run (the baseline), and peak memory.
#   scripts/bench/import.sh [MB]          (default 600)
# Needs a built tree (scripts/build.sh) and strace.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${PROCTRACE_BUILD_DIR:-build}
driver=$build/tests/proctrace_import_bench
[ -x "$driver" ] || { echo "build first: scripts/build.sh ($driver is missing)" >&2; exit 1; }
target_mb=${1:-600}
cache=${PROCTRACE_BENCH_CACHE:-/tmp/proctrace-bench}
log=$cache/strace-f-tt-T-y-${target_mb}MB.log
mkdir -p "$cache"

generate() {
  command -v strace >/dev/null || { echo "strace is needed to make the log" >&2; exit 1; }
  local work
  work=$(mktemp -d)
  mkdir -p "$work/proj" "$work/repo"
  printf 'prog: a.o b.o\n\tcc -o prog a.o b.o\n%%.o: %%.c\n\tcc -c $< -o $@\nclean:\n\trm -f prog *.o\n' >"$work/proj/Makefile"
  printf 'int f(int x) { return x + 1; }\n' >"$work/proj/a.c"
  printf 'int f(int);\nint main(void) { return f(-1); }\n' >"$work/proj/b.c"
  git -C "$work/repo" init -q && cp -r /usr/include/linux "$work/repo/" 2>/dev/null || true
  git -C "$work/repo" -c user.email=b@e -c user.name=b add -A >/dev/null 2>&1 || true
  git -C "$work/repo" -c user.email=b@e -c user.name=b commit -qm init >/dev/null 2>&1 || true
  cat >"$work/py.py" <<'PY'
import json, os, subprocess, threading
def walk():
    n = 0
    for root, dirs, files in os.walk("/usr/share/doc"):
        n += len(files)
    return n
t = [threading.Thread(target=walk) for _ in range(2)]
[x.start() for x in t]; [x.join() for x in t]
subprocess.run(["true"]); json.dumps({"a": 1})
PY
  cat >"$work/loop.sh" <<'SH'
log=$1 limit=$2 work=$3
while [ "$(stat -c %s "$log")" -lt "$limit" ]; do
  find /usr/share -xdev >/dev/null 2>&1
  ls -lR /usr/include >/dev/null 2>&1
  tar -cf - /usr/include/linux 2>/dev/null | cat >/dev/null
  git -C "$work/repo" status >/dev/null 2>&1
  git -C "$work/repo" log --stat -3 >/dev/null 2>&1
  /usr/bin/python3 "$work/py.py"
  make -s -C "$work/proj" clean prog >/dev/null 2>&1
  for i in 1 2 3 4 5 6 7 8 9 10; do sh -c 'cat /etc/hostname >/dev/null; exit 3'; done
done
exit 0
SH
  echo "making a ${target_mb} MB strace log in $log (once; cached)..." >&2
  strace -f -tt -T -y -o "$log.tmp" -- bash "$work/loop.sh" "$log.tmp" $((target_mb * 1048576)) "$work"
  mv "$log.tmp" "$log"
  rm -rf "$work"
}
[ -s "$log" ] || generate

tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
size=$(stat -c %s "$log")
mb=$(awk -v s="$size" 'BEGIN { printf "%.0f", s / 1048576 }')
cat "$log" >/dev/null  # into the page cache, for every contender alike

# run LABEL CMD...: best of 3 wall seconds, its CPU seconds and peak RSS.
run() {
  local label=$1; shift
  best=""
  for _ in 1 2 3; do
    /usr/bin/time -f "%e %U %S %M" -o "$tmp" "$@" >/dev/null
    read -r secs user sys rss <"$tmp"
    if [ -z "$best" ] || awk -v a="$secs" -v b="$best" 'BEGIN { exit !(a < b) }'; then
      best=$secs; cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }'); peak=$rss
    fi
  done
  secs=$best
  printf '%-30s %6.2f s %6.0f MB/s   CPU %5.2f s %6.0f MB/CPU-s   peak RSS %5d MB\n' "$label" "$secs" \
    "$(awk -v m="$mb" -v s="$secs" 'BEGIN { printf "%.0f", (s > 0 ? m / s : 0) }')" "$cpu" \
    "$(awk -v m="$mb" -v s="$cpu" 'BEGIN { printf "%.0f", (s > 0 ? m / s : 0) }')" $((peak / 1024))
}

echo "log: $log, ${mb} MB, $(wc -l <"$log") lines, $(nproc) cores (load $(cut -d' ' -f1 /proc/loadavg))"
run "baseline: wc -l" wc -l "$log"
base=$secs
run "import, lifecycle only" "$driver" "$log"
life=$secs
run "import with the syscall table" "$driver" --syscalls "$log"
full=$secs
"$driver" --syscalls "$log"
awk -v b="$base" -v l="$life" -v f="$full" \
  'BEGIN { printf "wall time relative to wc -l: lifecycle %.2fx, with syscalls %.2fx\n", l / b, f / b }'
echo "(on a busy machine wall time follows the load; CPU time is the steady figure. The parser"
echo " uses every core: MB/CPU-s times the idle cores is what an idle machine reaches, less the"
echo " short serial merge.)"
