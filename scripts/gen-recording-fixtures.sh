#!/usr/bin/env bash
# Regenerates the small real recordings in tests/fixtures/recordings/ with the
# eBPF recorder (run as root, after ./scripts/build.sh). Views and exports use
# them as golden-test inputs; pids, timestamps, host and kernel change on each
# run, so regenerate the goldens that depend on them together with these.
set -euo pipefail
cd "$(dirname "$0")/.."
proctrace=${PROCTRACE:-$PWD/${PROCTRACE_BUILD_DIR:-build}/proctrace}
out=$PWD/tests/fixtures/recordings
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

record() {  # NAME [record options] -- COMMAND...
  local name=$1
  shift
  (cd "$work" && "$proctrace" record --backend bpf -o "$out/$name.jsonl" "$@" >/dev/null 2>&1) || true
  echo "$out/$name.jsonl: $(wc -l <"$out/$name.jsonl") lines"
}

# A make run: a parallel build of three objects and a link, each recipe a
# shell that execs a tool; one recipe runs a subshell.
cat >"$work/Makefile" <<'MAKE'
all: app
app: a.o b.o c.o
	@sh -c 'cat a.o b.o c.o > app'
a.o:
	@sleep 0.02; echo a > a.o
b.o:
	@(cd . && sleep 0.01); echo b > b.o
c.o:
	@sh -c 'exit 0' && echo c > c.o
MAKE
record make -- make -s -j2 -C "$work"

# A shell script forking subshells with known exit codes.
record subshells -- sh -c '(exit 3); (sh -c "exit 5"); (true); exit 7'

# A pipeline of four processes.
record pipeline -- sh -c 'seq 1 1000 | sort -rn | head -n 3 | wc -l'

# argv that needs escaping in every output format.
record special_argv -- /bin/echo ': # ; " < > é' 'https://example.com/a:b#c' 'two  spaces' "new
line" "tab	here" '$HOME `id` \back\slash' "'single'"

# A sleep killed by SIGKILL once it runs, a shell killing itself with
# SIGTERM, and a root that exits 1.
record killed -- sh -c 'sleep 5 & while read c < /proc/$!/comm && [ $c != sleep ]; do :; done; kill -9 $!; sh -c "kill -TERM \$\$"; wait; exit 1'

# Still running when the recording stops: the root returns once its
# background sleep has exec'd (shell builtins only, no other processes).
record still_running -- sh -c 'sleep 3 & while read c < /proc/$!/comm && [ $c != sleep ]; do :; done; exit 0'

# Recordings that end with a snapshot (why, and the culprits the tree and
# the HTML report mark): a background sleep keeps the job's stdout, a pipe
# to cat, after the root exits; and a cat blocked opening a fifo nobody
# writes, stopped by --timeout.
(cd "$work" && "$proctrace" record --backend bpf -o "$out/held_stdout.jsonl" -- \
  sh -c 'sleep 1 & echo done' 2>/dev/null | cat >/dev/null) || true
echo "$out/held_stdout.jsonl: $(wc -l <"$out/held_stdout.jsonl") lines"
record timeout_fifo --timeout 1 -- sh -c 'mkfifo f; cat f'

# setsid and job control (setpgid from both sides of a fork).
record sessions -- bash -c 'set -m; sleep 0.05 & (exit 2) & setsid sh -c "exit 0"; wait'

# What processes used (CPU, peak memory, I/O on Exit) and failed execs: sort
# holds a 40 MB line, awk loops, and env searches a PATH of missing
# directories (two BadExecs with ENOENT) before the root exits 0.
record resources -- sh -c "head -c 40000000 /dev/zero | tr '\\0' x | sort >/dev/null; awk 'BEGIN { for (i = 0; i < 3000000; i++) x += i }'; env PATH=/nonexistent-a:/nonexistent-b nosuchcmd; exit 0"

# Inherited fds (Exec "fds"): the job's stdout is a pipe to cat; sh opens
# fd 3 on a file for everything it runs, and a pipeline's sleep and cat
# share a second pipe. The fds this script itself inherited are closed
# first, so only those show. The HTML report's "inherited fds" toggle shows them.
(cd "$work" && echo data >input &&
  for fd in $(ls /proc/$BASHPID/fd); do if [ "$fd" -gt 2 ]; then eval "exec $fd>&-"; fi; done &&
  "$proctrace" record --backend bpf -o "$out/inherited_fds.jsonl" -- \
    sh -c 'exec 3<input; sleep 0.05 | cat >/dev/null; ls -d . >&2' 2>/dev/null </dev/null | cat >/dev/null) || true
echo "$out/inherited_fds.jsonl: $(wc -l <"$out/inherited_fds.jsonl") lines"
