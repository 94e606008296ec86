#!/usr/bin/env bash
# Installs the npm packages of the browser test (tests/browser: mermaid and
# playwright-core, pinned by package-lock.json). Idempotent: does nothing when
# node_modules already matches the lock file. Chromium itself is Debian's.
set -euo pipefail
cd "$(dirname "$0")/../tests/browser"
command -v npm >/dev/null || { echo "install-node-deps: npm not found, browser tests will be skipped" >&2; exit 0; }
stamp=node_modules/.package-lock.json
if [ -f "$stamp" ] && [ "$stamp" -nt package-lock.json ] && [ -d node_modules/mermaid ] && [ -d node_modules/playwright-core ]; then
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
