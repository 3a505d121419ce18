#!/usr/bin/env bash
# Fails when dev-dependencies would build a crate of the plain workspace build with other
# features. Then `make run` (cargo build --workspace) after `make test` (cargo nextest run
# --workspace) would recompile that crate and everything above it, Tauri included. Fix: make
# the test-only crate a normal dependency of the test kit (tests/), or enable the same
# features in the workspace's normal dependencies. Crates only tests use are fine.
set -euo pipefail
cd "$(dirname "$0")/../.."

features() {
  cargo tree --workspace --locked -e "$1" -f '{p} [{f}]' --prefix none | sed 's/ (\*)$//' | sort -u
}
# Lines of the plain build whose crate the test build has with other features.
changed=$(awk 'NR == FNR { tests[$0] = 1; next } !($0 in tests)' \
  <(features normal,build,dev) <(features normal,build))
if [ -n "$changed" ]; then
  echo "check-one-build: dev-dependencies change the features of these crates (plain build shown):" >&2
  echo "$changed" >&2
  exit 1
fi
echo "check-one-build: tests, the GUI suite and make run share one build of every dependency"
