#!/usr/bin/env bash
# The .deb that `cpack -G DEB` builds from this build directory, unpacked with
# dpkg -x into an empty tree: its control fields (Depends from dpkg-shlibdeps),
# its files (binary, man page, completions, copyright), a postinst that grants
# nothing unless PROCTRACE_SETCAP=1, and the unpacked binary at work: --version,
# a real eBPF recording of /bin/true (we are root), rendered as a tree.
#   deb_test.sh BUILD_DIR RECORDER(ON|OFF) FIXTURE_RECORDING
# Without the recorder the unpacked binary renders FIXTURE_RECORDING instead.
# No `producer | grep -q` here: under pipefail the producer's SIGPIPE, when
# grep stops reading early, would fail the check at random.
set -euo pipefail
build=$1
recorder=$2
fixture=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# -B keeps cpack's staging tree and the package out of the build directory.
cpack -G DEB --config "$build/CPackConfig.cmake" -B "$tmp/out" >"$tmp/cpack.log" 2>&1 ||
  { cat "$tmp/cpack.log"; echo "FAIL: cpack -G DEB"; exit 1; }
debs=("$tmp"/out/proctrace_*.deb)
[ -f "${debs[0]}" ] || { cat "$tmp/cpack.log"; echo "FAIL: no proctrace_*.deb"; exit 1; }
deb=${debs[0]}
echo "built $(basename "$deb"), $(($(stat -c %s "$deb") / 1024)) KiB"

field() { dpkg-deb -f "$deb" "$1"; }
echo "Depends: $(field Depends)"
[ "$(field Package)" = proctrace ] || fail "Package is '$(field Package)'"
[ "$(field Section)" = utils ] || fail "Section is '$(field Section)'"
[ -n "$(field Maintainer)" ] || fail "no Maintainer"
grep -q "process subtree" <<<"$(field Description)" || fail "no Description"
# dpkg-shlibdeps names the libraries the binary links, with versions.
depends=", $(field Depends),"
libraries=(libc6 libstdc++6 libsqlite3-0 libcurl4)
# RE2 serves record --report-dir's --redact-pattern only: a build without the
# recorder leaves it out at link time (--as-needed), so the package needs it not.
if [ "$recorder" = ON ]; then libraries+=(libbpf1 libre2-9); fi
for library in "${libraries[@]}"; do
  [[ $depends == *", $library "* || $depends == *", $library,"* ]] || fail "Depends lacks $library"
done

dpkg -x "$deb" "$tmp/root"
binary=$tmp/root/usr/bin/proctrace
for file in usr/bin/proctrace usr/share/man/man1/proctrace.1 usr/share/bash-completion/completions/proctrace \
            usr/share/zsh/vendor-completions/_proctrace usr/share/fish/vendor_completions.d/proctrace.fish \
            usr/share/doc/proctrace/copyright usr/share/doc/proctrace/LICENSE-MIT; do
  [ -s "$tmp/root/$file" ] || fail "the package has no $file"
done
grep -q ", stripped" <<<"$(file "$binary")" || fail "the binary is not stripped: $(file "$binary")"
grep -q "_proctrace()" "$tmp/root/usr/share/bash-completion/completions/proctrace" || fail "bash completion is not the function"
! command -v man >/dev/null || grep -q -- "--output" <<<"$(man -l "$tmp/root/usr/share/man/man1/proctrace.1" 2>/dev/null)" ||
  fail "the man page does not show the --output options"

# The postinst grants nothing by default and says how; PROCTRACE_SETCAP=1
# grants (tried on a copy pointed at the unpacked binary, never /usr/bin).
dpkg-deb -e "$deb" "$tmp/control"
[ -x "$tmp/control/postinst" ] || fail "no executable postinst"
message=$(env -u PROCTRACE_SETCAP "$tmp/control/postinst" configure 2>&1) || fail "postinst configure failed"
grep -qF "sudo setcap cap_bpf,cap_perfmon+ep /usr/bin/proctrace" <<<"$message" || fail "postinst does not say how: $message"
# Only where this filesystem keeps file capabilities (extended attributes).
cp /bin/true "$tmp/probe"
if command -v setcap >/dev/null && setcap cap_bpf+ep "$tmp/probe" 2>/dev/null; then
  [ -z "$(getcap "$binary")" ] || fail "the unpacked binary has capabilities already"
  sed "s|^binary=.*|binary=$binary|" "$tmp/control/postinst" >"$tmp/postinst-here"
  PROCTRACE_SETCAP=1 sh "$tmp/postinst-here" configure >"$tmp/setcap.log" 2>&1 || fail "postinst with PROCTRACE_SETCAP=1 failed"
  grep -q "cap_perfmon,cap_bpf[=+]ep" <<<"$(getcap "$binary")" || fail "PROCTRACE_SETCAP=1 granted: '$(getcap "$binary")' ($(cat "$tmp/setcap.log"))"
else
  echo "note: no setcap, or $tmp keeps no file capabilities: PROCTRACE_SETCAP=1 not tried"
fi

version=$("$binary" --version)
[[ $version == "proctrace "[0-9]* ]] || fail "--version says '$version'"

if [ "$recorder" = ON ]; then
  # A real recording through the unpacked binary's own eBPF program.
  "$binary" record --backend bpf -o "$tmp/true.jsonl" -- /bin/true || fail "record exited $?"
  tree=$("$binary" render -d tree "$tmp/true.jsonl") || fail "render exited $?"
  grep -q "true" <<<"$tree" || fail "the tree of the recording does not show /bin/true: $tree"
else
  tree=$("$binary" render -d tree "$fixture") || fail "render exited $?"
  [ -n "$tree" ] || fail "render -d tree of $fixture printed nothing"
fi

[ "$failures" -eq 0 ] || { echo "$failures failures"; exit 1; }
if [ "$recorder" = ON ]; then did="records /bin/true"; else did="renders a recording"; fi
echo "ok: $(basename "$deb") unpacks, runs ($version) and $did"
