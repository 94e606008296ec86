#!/usr/bin/env bash
# Regenerates tests/fixtures/why/: real strace logs that end while the job
# still has work alive, for `proctrace why` on strace logs. strace -I1 lets
# timeout's TERM stop strace itself (by default strace -o FILE PROG blocks
# it) and --foreground keeps it from the traced processes, so the log ends
# mid-call, as a CI job killed under strace leaves it:
#   held_stdout.log   `sh -c 'sleep 3 & echo done' | cat`: sleep keeps the pipe
#   fifo_timeout.log  cat blocks opening a fifo nobody writes; the sleeps
#                     after it print lines, so its openat is "<unfinished ...>"
# The last line of each is cut off mid-call (strace stopped while printing
# it): it is reported as a bad line, and that one call stays unknown.
# Calls that change no fd and name no pipe are left out (-e trace=!...) to
# keep the files small. Pids and times change on every run.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$PWD/tests/fixtures/why
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
quiet='trace=!mmap,mprotect,munmap,brk,arch_prctl,set_tid_address,set_robust_list,rseq,prlimit64,getrandom,futex'
quiet+=',newfstatat,pread64,access,rt_sigaction,rt_sigprocmask,rt_sigreturn,getuid,getgid,geteuid,getegid'
quiet+=',getpid,getppid,uname,statfs,fstatfs,ioctl,fadvise64,lseek,sysinfo'
trace=(strace -I1 -f -yy -tt -T -e "$quiet")
timeout --foreground 1 "${trace[@]}" -o "$out/held_stdout.log" sh -c 'sleep 3 & echo done' | cat >/dev/null || true
timeout --foreground 1.5 "${trace[@]}" -o "$out/fifo_timeout.log" sh -c 'mkfifo f; cat f & sleep 0.5; sleep 3' \
  >/dev/null 2>&1 || true
# cat is still blocked (strace let go of it): a writer releases it.
timeout 1 sh -c ': > f' || true
wc -l "$out"/*.log
