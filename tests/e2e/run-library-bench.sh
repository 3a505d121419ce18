#!/usr/bin/env bash
# `make bench` (GUI part): runs tests/src/bin/library-bench.rs against the real app binary under
# Xvfb, in a D-Bus session with an unlocked gnome-keyring, each library in its own temporary HOME.
#
#   tests/e2e/run-library-bench.sh [path/to/mtp-strava-uploader] [library-bench options…]
#   (options: --sequences N, --runs R, --rest-runs R, --photos M, --screenshots DIR; see
#   library-bench.rs). Besides the empty against the big library, the big one is started at
#   rest with the library watch on and with MTP_LIBRARY_WATCH=off, alternately (issue 19).
#
# Build first (`make build`). The generated 10,000-sequence library is kept in
# $MTP_BENCH_WORK (default target/library-bench) so later runs skip writing it.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
target_dir="$(realpath -m "${CARGO_TARGET_DIR:-$root/target}")"
fail() { echo "run-library-bench: $*" >&2; exit 1; }

if [ "${MTP_BENCH_INSIDE_DBUS:-}" = 1 ]; then
  pids=()
  cleanup() {
    local status=$?
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    exit "$status"
  }
  trap cleanup EXIT INT TERM
  eval "$(echo -n bench | gnome-keyring-daemon --unlock --components=secrets)"
  display=99
  while [ -e "/tmp/.X${display}-lock" ] || [ -e "/tmp/.X11-unix/X${display}" ]; do display=$((display + 1)); done
  Xvfb ":$display" -screen 0 1280x800x24 -nolisten tcp >"$MTP_BENCH_WORK/xvfb.log" 2>&1 &
  pids+=($!)
  export DISPLAY=":$display"
  for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X${display}" ] && break; sleep 0.1; done
  [ -e "/tmp/.X11-unix/X${display}" ] || fail "Xvfb did not start"
  "$MTP_BENCH_TOOL" --app "$MTP_BENCH_APP" --work "$MTP_BENCH_WORK" "$@"
  exit $?
fi

app="$(realpath -m "${1:-$target_dir/debug/mtp-strava-uploader}")"
[ $# -gt 0 ] && shift
[ -x "$app" ] || fail "no app binary at $app (build it: make build)"
# the bench tool built with the app (same profile), else the everyday debug build's
bench_tool="$(dirname "$app")/library-bench"
[ -x "$bench_tool" ] || bench_tool="$target_dir/debug/library-bench"
[ -x "$bench_tool" ] || fail "no library-bench binary (build it: make build)"
for tool in Xvfb WebKitWebDriver dbus-run-session gnome-keyring-daemon; do
  command -v "$tool" >/dev/null || fail "$tool is missing (run .ci/install-deps)"
done
TAURI_DRIVER="$(command -v tauri-driver || echo "$HOME/.cargo/bin/tauri-driver")"
[ -x "$TAURI_DRIVER" ] || fail "tauri-driver is missing (cargo install tauri-driver --version 2.1.0 --locked)"
work="$(realpath -m "${MTP_BENCH_WORK:-$root/target/library-bench}")"
mkdir -p "$work"
# every run starts from fresh stores; the generated library is kept
rm -rf "$work/empty" "$work/big/data" "$work/big/.local" "$work/big/.config" "$work/big/.cache"

export MTP_BENCH_APP="$app" MTP_BENCH_WORK="$work" MTP_BENCH_TOOL="$bench_tool" TAURI_DRIVER MTP_BENCH_INSIDE_DBUS=1
export WEBKIT_DISABLE_DMABUF_RENDERER=1 WEBKIT_DISABLE_COMPOSITING_MODE=1 LIBGL_ALWAYS_SOFTWARE=1
dbus-run-session -- "$0" "$@"
