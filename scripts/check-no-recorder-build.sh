#!/usr/bin/env bash
# Checks a PROCTRACE_RECORDER=OFF build (default build-norec): the proctrace
# binary links no libbpf or libelf, and nothing compiled there reads a header
# of the recorder (src/record/, bpf/, a BPF skeleton, libbpf). The program
# itself (proctrace_lib, tools/) must also name no Linux-only header in its
# own #include lines. Headers are those ninja recorded while compiling
# (`ninja -t deps`): every file each object read, not what we think it reads.
# glibc's own headers pull in <linux/limits.h> and the like on any build, so
# those are judged by who names them: our sources must not.
# Exit 0 when clean; 1 with the offending objects and headers listed.
set -uo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-norec}
ninja=${NINJA:-ninja}
bad=0
fail() { echo "FAIL: $*"; bad=1; }

binary=$build/proctrace
[ -x "$binary" ] || { echo "FAIL: $binary not built"; exit 1; }
needed=$(readelf -d "$binary" | grep -F '(NEEDED)')
grep -Eiq 'libbpf|libelf' <<<"$needed" && fail "$binary links the recorder's libraries: $(grep -Ei 'libbpf|libelf' <<<"$needed" | tr -s ' ')"
loaded=$(ldd "$binary")
grep -Eiq 'libbpf|libelf' <<<"$loaded" && fail "$binary loads the recorder's libraries: $(grep -Ei 'libbpf|libelf' <<<"$loaded" | tr -s ' ')"

deps=$("$ninja" -C "$build" -t deps) || { echo "FAIL: ninja -t deps in $build"; exit 1; }
source_dir=$PWD
# "object: #deps N, ..." then one indented header per line.
report=$(awk -v src="$source_dir/" -v build="$(cd "$build" && pwd)/" '
  /^[^ ].*: #deps/ { obj = $1; sub(/:$/, "", obj); objects++
                     product = (obj ~ /^CMakeFiles\/(proctrace_lib|proctrace)\.dir\//); if (product) products++; next }
  /^    / { h = $1
            if (h !~ /^\//) h = build h  # relative to the build directory when ccache rewrote it
            while (h ~ /\/[^\/]+\/\.\.\//) sub(/\/[^\/]+\/\.\.\//, "/", h)
            if (index(h, src "src/record/") == 1 || index(h, src "bpf/") == 1 || index(h, build "bpf/") == 1 ||
                h ~ /\/include\/bpf\// || h ~ /\.skel\.h$/ || h ~ /sys\/(epoll|signalfd)\.h$/)
              print "RECORDER " obj " " h
            else if (product && index(h, src) == 1)
              print "OURS " h }
  END { print "COUNT " objects + 0 " " products + 0 }' <<<"$deps")

read -r _ objects products < <(grep '^COUNT ' <<<"$report")
# A check over nothing proves nothing: the library alone is ~90 objects.
[ "$objects" -ge 100 ] && [ "$products" -ge 50 ] ||
  fail "only $objects objects ($products of proctrace itself) have deps in $build: is it built with Ninja?"
grep '^RECORDER ' <<<"$report" | sort -u | head -20 | while read -r _ obj header; do
  echo "FAIL: $obj includes $header"
done
grep -q '^RECORDER ' <<<"$report" && bad=1

# Our own files compiled into proctrace: their #include lines, Linux-only names.
linux_only='^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]((linux|asm|bpf)/|sys/(epoll|signalfd|inotify|timerfd|eventfd|prctl|mount|ptrace|fanotify|sysinfo|personality)\.h|.*\.skel\.h)'
# (The compiler lists each object's own source first among its deps.)
files=$(grep '^OURS ' <<<"$report" | cut -d' ' -f2- | sort -u)
while read -r file; do
  [ -n "$file" ] || continue
  hits=$(grep -nE "$linux_only" "$file") && fail "$file names a Linux-only header: $hits"
done <<<"$files"

[ "$bad" -eq 0 ] && echo "ok: $binary links no libbpf/libelf; $objects objects read no recorder header; $(wc -l <<<"$files") files of proctrace name no Linux-only header"
exit "$bad"
