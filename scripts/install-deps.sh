#!/usr/bin/env bash
# Installs every build and test dependency from Debian's packages.
# Idempotent: packages already present are skipped, so CI can call it every run.
set -euo pipefail

# What building proctrace needs (python3: the man page and completions are
# generated from --help; file: cpack's dpkg-shlibdeps step; libzstd-dev and
# zlib1g-dev: .zst and .gz recordings and logs), and strace, the recorder's
# fallback.
packages=(
  build-essential cmake ninja-build pkg-config git ccache
  clang llvm libbpf-dev bpftool linux-libc-dev libelf-dev zlib1g-dev
  libzstd-dev libcli11-dev nlohmann-json3-dev libspdlog-dev libfmt-dev
  libsqlite3-dev libcurl4-openssl-dev libre2-dev
  strace python3 file
)
# What the tests need. PROCTRACE_TEST_DEPS=0 (the GitHub Action building from
# source) skips them. zsh, fish and groff run the completions and man page;
# libcap2-bin checks the package's setcap switch.
if [ "${PROCTRACE_TEST_DEPS:-1}" = 1 ]; then
  packages+=(
    libgtest-dev libgmock-dev
    hyperfine xz-utils sqlite3 protobuf-compiler
    libclang-rt-14-dev
    clickhouse-server
    zsh fish groff-base libcap2-bin
  )
fi
# The machine may ship its own Node.js (with npm bundled); Debian's nodejs
# conflicts with that, so only ask for it where there is no node at all.
if [ "${PROCTRACE_BROWSER_DEPS:-1}" = 1 ] && [ "${PROCTRACE_TEST_DEPS:-1}" = 1 ]; then
  packages+=(chromium)
  command -v npm >/dev/null || packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# npm packages of the browser test (mermaid, playwright-core).
if [ "${PROCTRACE_BROWSER_DEPS:-1}" = 1 ] && [ "${PROCTRACE_TEST_DEPS:-1}" = 1 ]; then
  "$(dirname "$0")/install-node-deps.sh"
fi
