#!/usr/bin/env bash
# Regenerates tests/fixtures/strace/: real strace logs of real workloads
# (a make -j2 build, Python threads/multiprocessing/subprocess, bash job
# control with setsid/timeout/kill -9, git init/commit) under the flag sets
# people actually use. The tests assert the process trees, exit statuses and
# that our syscall counts equal strace's own -C table in the same log.
#
# Usage: scripts/gen-strace-fixtures.sh [OUTDIR] [FLAGSET...]
#   (default tests/fixtures/strace, every flag set: fttTyyy status stderr ff
#   rT rttT tt ttt). The timestamp shapes (issue 11): rT (-r deltas), rttT
#   (-r with -tt: "(+ delta)"), tt (no -T: durations only from split calls),
#   ttt (epoch seconds), t (whole seconds).
# Pids and timestamps differ on every run; the tests only assert what is
# stable (commands, statuses, counts against the log's own table).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-tests/fixtures/strace}
shift || true
sets=("$@")
[ ${#sets[@]} -gt 0 ] || sets=(fttTyyy status stderr ff rT rttT tt ttt t cwd)
wanted() { local s; for s in "${sets[@]}"; do [ "$s" = "$1" ] && return 0; done; return 1; }
mkdir -p "$out"
out=$(cd "$out" && pwd)
for tool in strace make cc git xz /usr/bin/python3; do
  command -v "$tool" >/dev/null || { echo "$tool is needed" >&2; exit 1; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A clean, small environment: fixtures must not carry this machine's
# variables (-v prints them all), and a short env keeps the files small.
clean_env=(env -i PATH=/usr/bin:/bin HOME="$work/home" LANG=C.UTF-8 TERM=dumb)
mkdir -p "$work/home"

# --- workloads: each is a command run from its own directory ---------------
mkdir -p "$work/make"
cat >"$work/make/Makefile" <<'MK'
prog: a.o b.o
	cc -o prog a.o b.o
%.o: %.c
	cc -O0 -c $< -o $@
clean:
	rm -f prog a.o b.o
MK
printf 'int twice(int x) { return 2 * x; }\n' >"$work/make/a.c"
printf 'int twice(int);\nint main(void) { return twice(0); }\n' >"$work/make/b.c"

cat >"$work/threads.py" <<'PY'
import multiprocessing, subprocess, sys, threading

def spin(n):
    return sum(range(n))

def child(code):
    sys.exit(code)

if __name__ == "__main__":
    threads = [threading.Thread(target=spin, args=(20000,)) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    p = multiprocessing.get_context("fork").Process(target=child, args=(7,))
    p.start()
    p.join()
    assert p.exitcode == 7
    assert subprocess.run(["sh", "-c", "exit 5"]).returncode == 5
    sys.exit(0)
PY

cat >"$work/jobs.sh" <<'SH'
set -m                      # job control: every job gets its own process group
sleep 5 &
victim=$!
sleep 0.05 &
wait $!
kill -9 "$victim"
wait "$victim" || true
timeout 0.2 sleep 5 || echo "timeout: $?" >/dev/null
setsid sh -c 'exit 4' || true
(exit 2) || true
exit 3
SH

cat >"$work/git.sh" <<'SH'
repo=$(mktemp -d)
cd "$repo"
git init -q .
git config user.email t@example.com
git config user.name tester
echo hello >file
git add file
git commit -q -m first
cd /
rm -rf "$repo"
SH

# Runs workload $1 under the command in the remaining arguments. strace's
# own stderr goes to $stderr_log (the log itself for the stderr flag set);
# the workload's output is discarded.
stderr_log=/dev/null
run_workload() {
  local name=$1; shift
  local quiet=(sh -c 'exec 2>/dev/null; exec "$@"' sh)  # the tracee's stderr must not mix into the log
  case $name in
    make) make -s -C "$work/make" clean >/dev/null
          (cd "$work/make" && "$@" "${quiet[@]}" make -s -j2 >/dev/null 2>>"$stderr_log") ;;
    python) (cd "$work" && "$@" "${quiet[@]}" /usr/bin/python3 threads.py >/dev/null 2>>"$stderr_log") ;;
    bash) (cd "$work" && "$@" "${quiet[@]}" bash jobs.sh >/dev/null 2>>"$stderr_log") || true ;;
    git) (cd "$work" && "$@" "${quiet[@]}" bash git.sh >/dev/null 2>>"$stderr_log") ;;
  esac
}

for w in make python bash git; do
  echo "== $w" >&2
  stderr_log=/dev/null
  # strace-parser's flags (-o: padded pids; -tt, -T, -yyy, long strings)
  wanted fttTyyy && run_workload "$w" "${clean_env[@]}" strace -fttTyyy -s 1024 -C -o "$out/$w.fttTyyy.log"
  # systrument's flags: seccomp, whole calls printed at exit, -ttt, -v
  wanted status && run_workload "$w" "${clean_env[@]}" strace --seccomp-bpf -f -e 'status=!unfinished' -Ttttyyv -C \
    -o "$out/$w.status.log"
  # plain -f -tt -T written to stderr: "[pid N]" prefixes, none before the first fork
  if wanted stderr; then
    rm -f "$out/$w.stderr.log"
    stderr_log="$out/$w.stderr.log"
    run_workload "$w" "${clean_env[@]}" strace -f -tt -T -C
    stderr_log=/dev/null
  fi
  # -ff -o PREFIX: one file per pid, no pid prefixes (strace forbids -C with -ff)
  if wanted ff; then
    rm -rf "$out/$w.ff" && mkdir -p "$out/$w.ff"
    run_workload "$w" "${clean_env[@]}" strace -ff -tt -T -o "$out/$w.ff/trace"
  fi
  # Timestamp shapes: -r deltas (any pid's line before), -r beside -tt,
  # -tt without -T, -ttt epoch seconds.
  wanted rT && run_workload "$w" "${clean_env[@]}" strace -f -r -T -C -o "$out/$w.rT.log"
  wanted rttT && run_workload "$w" "${clean_env[@]}" strace -f -r -tt -T -C -o "$out/$w.rttT.log"
  wanted tt && run_workload "$w" "${clean_env[@]}" strace -f -tt -C -o "$out/$w.tt.log"
  wanted ttt && run_workload "$w" "${clean_env[@]}" strace -f -ttt -T -C -o "$out/$w.ttt.log"
  wanted t && run_workload "$w" "${clean_env[@]}" strace -f -t -T -C -o "$out/$w.t.log"
done
# Working directories (the Exec events' cwd): a shell that changes
# directory with absolute and relative paths, in a subshell, and once to a
# directory that does not exist (the cwd stays).
if wanted cwd; then
  (cd "$work" && "${clean_env[@]}" strace -f -tt -T -o "$out/cwd.fttT.log" \
    sh -c 'cd /usr/share && ls -d doc >/dev/null; cd ../lib && /bin/true; (cd / && env true); cd nosuchdir 2>/dev/null; /bin/true')
  xz -9e -f "$out/cwd.fttT.log"
fi
# Compressed: the logs are repetitive text, xz makes ~5 MB into ~400 KB. The
# tests unpack them into a temporary directory.
for w in make python bash git; do
  for s in "${sets[@]}"; do
    if [ "$s" = cwd ]; then
      continue
    elif [ "$s" = ff ]; then
      tar -C "$out" -cJf "$out/$w.ff.tar.xz" "$w.ff" && rm -rf "${out:?}/$w.ff"
    else
      xz -9e -f "$out/$w.$s.log"
    fi
  done
done
du -sh "$out"
