#!/usr/bin/env bash
# Regenerates the app icon set from icons/source.svg: SVG -> 1024 px PNG (rsvg-convert),
# then every size and format Tauri bundles need (the Tauri CLI from ui/node_modules).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
command -v rsvg-convert >/dev/null || { echo "icons: rsvg-convert missing (apt-get install librsvg2-bin)" >&2; exit 1; }
rsvg-convert -w 1024 -h 1024 "$here/source.svg" -o "$here/source.png"
(cd "$here/../ui" && npx --yes @tauri-apps/cli@2.12.5 icon "$here/source.png" -o "$here")
# Desktop only: the mobile launcher sets are not used by this app.
rm -rf "$here/android" "$here/ios"
