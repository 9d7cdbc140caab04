#!/usr/bin/env bash
# Browser test of `driftlint serve`. Installs what is missing (Debian's
# chromium when /usr/bin/chromium is absent, the npm packages pinned in
# e2e/package-lock.json), builds the debug binary, and runs serve.spec.mjs.
# Its last line is "e2e: N passed, M failed"; it exits non-zero on failure.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"

if [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
    echo "e2e: installing chromium (Debian packages)" >&2
    sudo_cmd=""
    if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium chromium-driver >/dev/null
fi

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "e2e: node and npm are needed (apt-get install nodejs npm)" >&2
    exit 2
fi

if [ ! -d "$here/node_modules/playwright-core" ] || [ ! -d "$here/node_modules/axe-core" ] \
    || [ "$here/package-lock.json" -nt "$here/node_modules/.package-lock.json" ]; then
    (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi

if [ -z "${DRIFTLINT_BIN:-}" ]; then
    (cd "$root" && cargo build --quiet)
    export DRIFTLINT_BIN="$root/target/debug/driftlint"
fi

cd "$here"
exec node serve.spec.mjs
