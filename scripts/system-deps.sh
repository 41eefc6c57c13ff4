#!/usr/bin/env sh
# The system packages eage needs on a bare Debian/Ubuntu machine: WeasyPrint's libraries
# (Pango, HarfBuzz with its subsetter), fonts, poppler (pdftoppm/pdfinfo) and Chromium for
# the browser journeys. Installs only what is missing; `make run` and `make test` call it.
# The Typst documents (the default PDF engine, a Python wheel) need no library, only the
# DejaVu fonts of fonts-dejavu-core, read from /usr/share/fonts/truetype/dejavu
# (EAGE_FONT_PATHS adds folders).
set -eu
PKGS="chromium poppler-utils libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libfontconfig1 fonts-dejavu-core"
command -v dpkg >/dev/null 2>&1 || { echo "system-deps: not a Debian system, install: $PKGS" >&2; exit 0; }
missing=""
# "installed" only: a removed package keeps a "deinstall ok config-files" status that dpkg -s
# still answers with success.
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "== apt-get install$missing"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
