#!/usr/bin/env bash
# Builds proctrace without the recorder (PROCTRACE_RECORDER=OFF) into
# build-norec (or $PROCTRACE_NOREC_DIR) where libbpf and bpftool cannot be
# found, as on a Mac, and runs its whole suite: every test that does not
# record, plus the check that nothing of the recorder got in
# (scripts/check-no-recorder-build.sh, registered as a test of that build).
# Prints "TOTAL (build-norec): ..." like scripts/test.sh. Objects the default
# build already compiled come from ccache (same launcher, same flags).
set -uo pipefail
cd "$(dirname "$0")/.."
build=${PROCTRACE_NOREC_DIR:-build-norec}
mkdir -p "$build"

# pkg-config sees every .pc file this machine has except libbpf's (and
# libelf's, which only libbpf needs); PATH loses the directories bpftool is in.
pcdir=$build/pkgconfig-without-libbpf
rm -rf "$pcdir" && mkdir -p "$pcdir"
IFS=: read -r -a pc_dirs <<<"$(pkg-config --variable pc_path pkg-config)"
for dir in "${pc_dirs[@]}"; do
  for pc in "$dir"/*.pc; do
    [ -e "$pc" ] || continue
    case $(basename "$pc") in libbpf.pc | libelf.pc) continue ;; esac
    [ -e "$pcdir/$(basename "$pc")" ] || ln -s "$pc" "$pcdir/"
  done
done
export PKG_CONFIG_LIBDIR=$PWD/$pcdir PKG_CONFIG_PATH=
path=
IFS=: read -r -a path_dirs <<<"$PATH"
for dir in "${path_dirs[@]}"; do [ -x "$dir/bpftool" ] || path=${path:+$path:}$dir; done
export PATH=$path

# Prove the environment before trusting the build made in it.
if pkg-config --exists libbpf || command -v bpftool >/dev/null; then
  echo "TOTAL ($build): setup failed: libbpf or bpftool still visible"
  exit 1
fi

PROCTRACE_BUILD_DIR=$build ./scripts/build.sh -DPROCTRACE_RECORDER=OFF "$@" ||
  { echo "TOTAL ($build): build failed"; exit 1; }
log=$(mktemp)
ctest --test-dir "$build" --output-on-failure -j2 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
summary=$(grep -E "tests passed, .* tests failed out of" "$log" | tail -1)
echo "TOTAL ($build): ${summary:-no tests ran}"
rm -f "$log"
exit "$rc"
