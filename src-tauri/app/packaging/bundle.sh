#!/usr/bin/env bash
# `make bundle`: the release app as a .deb and an .rpm, built by the Tauri CLI (the npm package
# @tauri-apps/cli in ui/, pinned to the tauri crate's version). Both bundlers are part of the CLI;
# nothing is downloaded. AppImage is left out: its tools are downloaded at build time.
#
# The CLI wants tauri.conf.json beside the app crate (src-tauri/app/tauri.conf.json is a link to
# the one at the root) and reads the config's relative paths from there, while the app's own
# build reads them from the root. So the paths in the config (all relative to the root) are
# handed to the CLI absolute, through --config; its build sees the same values.
#
# No cargo features are passed: the bundle is the plain release app, without any test feature.
# Needs ui/dist (make ui). Output: $CARGO_TARGET_DIR/release/bundle/{deb,rpm}/.
#
#   src-tauri/app/packaging/bundle.sh [BUNDLES]   (default deb,rpm; on macOS app,dmg, on
#                                                  Windows msi,nsis: not built in our CI)
set -euo pipefail

bundles="${1:-deb,rpm}"

root="$(cd "$(dirname "$0")/../../.." && pwd)"
target_dir="$(realpath -m "${CARGO_TARGET_DIR:-$root/target}")"
fail() { echo "bundle: $*" >&2; exit 1; }

[ -f "$root/ui/dist/index.html" ] || fail "no ui/dist (build the UI first: make ui)"
[ -x "$root/ui/node_modules/.bin/tauri" ] || fail "no Tauri CLI in ui/node_modules (run: make deps)"

overrides="$(node -e '
  const root = process.argv[1];
  const config = require(root + "/tauri.conf.json");
  const at = (path) => require("path").resolve(root, path);
  const linux = config.bundle.linux ?? {};
  const out = { build: { frontendDist: at(config.build.frontendDist) }, bundle: { icon: config.bundle.icon.map(at), linux: {} } };
  for (const kind of ["deb", "rpm"]) {
    const template = linux[kind]?.desktopTemplate;
    if (template) out.bundle.linux[kind] = { desktopTemplate: at(template) };
  }
  console.log(JSON.stringify(out));
' "$root")"

# One .deb and one .rpm afterwards: the bundles of an earlier version do not linger.
rm -rf "$target_dir/release/bundle/deb" "$target_dir/release/bundle/rpm"
cd "$root/ui"
TAURI_APP_PATH="$root/src-tauri/app" CARGO_TARGET_DIR="$target_dir" \
  npx --no-install tauri build --ci --bundles "$bundles" --config "$overrides"
