#!/usr/bin/env sh
# axe-core, the accessibility engine the browser tests inject into the pages
# (tests/browser/test_a11y.py), from the npm registry at a pinned version, into .tools/axe/
# (not committed: .gitignore). Installs npm from the system packages if it is missing;
# does nothing when the pinned version is already there. `make test-browser` and .ci/run
# call it.
set -eu
AXE_VERSION=4.10.3
DIR="$(cd "$(dirname "$0")/.." && pwd)/.tools/axe"
PKG="$DIR/node_modules/axe-core/package.json"
if [ -f "$DIR/node_modules/axe-core/axe.min.js" ] && grep -q "\"version\": \"$AXE_VERSION\"" "$PKG"; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "== apt-get install npm"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends npm >/dev/null
fi
echo "== npm install axe-core@$AXE_VERSION into .tools/axe"
mkdir -p "$DIR"
npm install --prefix "$DIR" --no-save --no-package-lock --no-audit --no-fund --ignore-scripts \
  "axe-core@$AXE_VERSION" >/dev/null
test -f "$DIR/node_modules/axe-core/axe.min.js"
