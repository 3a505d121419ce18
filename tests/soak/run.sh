#!/usr/bin/env bash
# The soak (`make soak`, issue 18): the `soak` binary of the test kit (tests/src/bin/soak/)
# inside what it needs, as the GUI suite has it (tests/e2e/run-gui.sh): a temporary HOME, a
# D-Bus session with an unlocked gnome-keyring (the CLI signs in for real, so a revoked access
# token can be refreshed) and Xvfb (the app works the same data folder for part of the soak).
#
#   tests/soak/run.sh [--seed N] [--sequences N] [--no-app]     (other flags: soak --help)
#
# Build first with `make build`: it uses the soak, the CLI and the app of
# $CARGO_TARGET_DIR/debug (default target/debug). The soak's folder (sequences, data, one log
# per CLI run, the app's log, history.json) is removed when it passes, kept when it fails
# (or with MTP_SOAK_KEEP=1).
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
target_dir="$(realpath -m "${CARGO_TARGET_DIR:-$root/target}")"
bin="$target_dir/debug"

fail() { echo "soak: $*" >&2; exit 1; }

# --- inside the D-Bus session: the keyring, Xvfb, then the soak ---------------------------------
if [ "${MTP_SOAK_INSIDE_DBUS:-}" = 1 ]; then
  pids=()
  cleanup() {
    local status=$?
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    exit "$status"
  }
  trap cleanup EXIT INT TERM

  # The keyring the sign-ins go to: started and unlocked with a throwaway password.
  eval "$(echo -n soak | gnome-keyring-daemon --unlock --components=secrets)"
  export GNOME_KEYRING_CONTROL SSH_AUTH_SOCK 2>/dev/null || true

  # A free X display for the app.
  display=99
  while [ -e "/tmp/.X${display}-lock" ] || [ -e "/tmp/.X11-unix/X${display}" ]; do display=$((display + 1)); done
  Xvfb ":$display" -screen 0 1280x800x24 -nolisten tcp >"$MTP_SOAK_DIR/logs/xvfb.log" 2>&1 &
  pids+=($!)
  export DISPLAY=":$display"
  for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X${display}" ] && break; sleep 0.1; done
  [ -e "/tmp/.X11-unix/X${display}" ] || fail "Xvfb did not start (see $MTP_SOAK_DIR/logs/xvfb.log)"

  "$bin/soak" --work "$MTP_SOAK_DIR" --cli "$bin/mtp-strava-uploader-cli" \
    --app "$bin/mtp-strava-uploader" --browser "$root/tests/e2e/browser.sh" "$@"
  exit $?
fi

# --- outside: checks, the temporary HOME, then again inside dbus-run-session --------------------
for program in soak mtp-strava-uploader-cli mtp-strava-uploader; do
  [ -x "$bin/$program" ] || fail "no $program in $bin (build it: make build)"
done
for tool in Xvfb dbus-run-session gnome-keyring-daemon curl; do
  command -v "$tool" >/dev/null || fail "$tool is missing (run .ci/install-deps)"
done

tmp="$(mktemp -d -t mtp-soak.XXXXXX)"
mkdir -p "$tmp/logs" "$tmp/home/.local/share" "$tmp/home/.config" "$tmp/home/.cache"
export HOME="$tmp/home" XDG_DATA_HOME="$tmp/home/.local/share" XDG_CONFIG_HOME="$tmp/home/.config"
export XDG_CACHE_HOME="$tmp/home/.cache" MTP_SOAK_DIR="$tmp" MTP_SOAK_INSIDE_DBUS=1
# WebKit in a container: no GPU, no sandbox helper processes that need namespaces.
export WEBKIT_DISABLE_DMABUF_RENDERER=1 WEBKIT_DISABLE_COMPOSITING_MODE=1 LIBGL_ALWAYS_SOFTWARE=1

status=0
dbus-run-session -- "$0" "$@" || status=$?
if [ "$status" -ne 0 ] || [ -n "${MTP_SOAK_KEEP:-}" ]; then
  echo "soak: kept $tmp (logs in $tmp/logs)" >&2
else
  rm -rf "$tmp"
fi
exit "$status"
