#!/usr/bin/env bash
# Runs the GUI end-to-end suite (the `gui::` tests of tests/tests/suite/, module gui/) against the real app binary:
# a temporary HOME with generated sequences, Xvfb, a D-Bus session with an unlocked
# gnome-keyring, tauri-driver + WebKitWebDriver, and the fake Strava and MTPW (fake-services
# --auto-approve) that the app reaches through its environment variables. $BROWSER is
# tests/e2e/browser.sh, which approves a sign-in and hands the callback back to the app.
# Screenshots go to target/screenshots/.
#
#   tests/e2e/run-gui.sh [path/to/mtp-strava-uploader]     (default $CARGO_TARGET_DIR/debug/…)
#
# MTP_GUI_TESTS=<nextest filterset> runs only some tests, e.g. 'binary(suite) & test(/^gui::accounts::/)'.
#
# Build first with `make build` (cargo build --workspace --bins): the suite and the tools it
# uses come from the same workspace-wide build as every other test, so nothing recompiles.
#
# Fails loudly on any error and stops everything it started on exit.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
target_dir="$(realpath -m "${CARGO_TARGET_DIR:-$root/target}")"
app="$(realpath -m "${1:-${MTP_GUI_APP:-$target_dir/debug/mtp-strava-uploader}}")"
shots="$root/target/screenshots"

fail() { echo "run-gui: $*" >&2; exit 1; }

# --- inside the D-Bus session: keyring, Xvfb, tauri-driver, the tests ---------------------------
if [ "${MTP_GUI_INSIDE_DBUS:-}" = 1 ]; then
  pids=()
  cleanup() {
    local status=$?
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    exit "$status"
  }
  trap cleanup EXIT INT TERM

  # The keyring the app will use for tokens: started and unlocked with a throwaway password.
  eval "$(echo -n gui-test | gnome-keyring-daemon --unlock --components=secrets)"
  export GNOME_KEYRING_CONTROL SSH_AUTH_SOCK 2>/dev/null || true

  # A free X display.
  display=99
  while [ -e "/tmp/.X${display}-lock" ] || [ -e "/tmp/.X11-unix/X${display}" ]; do display=$((display + 1)); done
  Xvfb ":$display" -screen 0 1280x800x24 -nolisten tcp >"$MTP_GUI_LOGS/xvfb.log" 2>&1 &
  pids+=($!)
  export DISPLAY=":$display"
  for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && break; [ -e "/tmp/.X11-unix/X${display}" ] && break; sleep 0.1; done
  [ -e "/tmp/.X11-unix/X${display}" ] || fail "Xvfb did not start (see $MTP_GUI_LOGS/xvfb.log)"

  # A second session bus with no Secret Service and no activation, for the no-keyring test.
  dbus-daemon --config-file="$MTP_GUI_NO_KEYRING_BUS_CONF" --nofork \
    >"$MTP_GUI_LOGS/no-keyring-bus.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 50); do [ -S "${MTP_GUI_NO_KEYRING_BUS#unix:path=}" ] && break; sleep 0.1; done
  [ -S "${MTP_GUI_NO_KEYRING_BUS#unix:path=}" ] || fail "the keyring-less bus did not start (see $MTP_GUI_LOGS/no-keyring-bus.log)"

  # Fake Strava and fake MTPW, approving every sign-in at once, with this app's Map the Paths
  # redirect URIs registered as an MTPW operator would (deep link, and loopback on any port).
  "$MTP_GUI_FAKE_SERVICES" --strava-port 0 --mtpw-port 0 --auto-approve --processing-delay-ms 500 \
    --mtpw-redirect-uri mtp-strava-uploader://localhost/mtpw/callback \
    --mtpw-allow-scheme mtp-strava-uploader \
    --mtpw-redirect-uri http://127.0.0.1/mtpw/callback --mtpw-allow-scheme http \
    >"$MTP_GUI_LOGS/fake-services.json" 2>"$MTP_GUI_LOGS/fake-services.log" &
  pids+=($!)
  for _ in $(seq 100); do [ -s "$MTP_GUI_LOGS/fake-services.json" ] && break; sleep 0.1; done
  [ -s "$MTP_GUI_LOGS/fake-services.json" ] || fail "fake-services did not start (see $MTP_GUI_LOGS/fake-services.log)"
  # The app reads these (settings from the environment, for this run only).
  field() { sed -n "s/.*\"$1\": *\"\([^\"]*\)\".*/\1/p" "$MTP_GUI_LOGS/fake-services.json" | head -n 1; }
  export MTP_STRAVA_API_BASE="$(field strava_api_base)" MTP_STRAVA_OAUTH_BASE="$(field strava_oauth_base)"
  export MTP_STRAVA_CLIENT_ID="$(field strava_client_id)" MTP_STRAVA_CLIENT_SECRET="$(field strava_client_secret)"
  export MTPW_BASE="$(field mtpw_base)" MTPW_CLIENT_ID="$(field mtpw_client_id)"
  # The photographer's browser: approves at once and hands the callback to the app, as a desktop
  # would (a second launch of the same binary with the deep link, or the loopback request).
  export BROWSER="$root/tests/e2e/browser.sh"

  # Free ports for tauri-driver and the native driver behind it.
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  native_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  "$TAURI_DRIVER" --port "$port" --native-port "$native_port" --native-driver "$(command -v WebKitWebDriver)" \
    >"$MTP_GUI_LOGS/tauri-driver.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.1
  done
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || fail "tauri-driver did not listen on $port (see $MTP_GUI_LOGS/tauri-driver.log)"
  export MTP_GUI_WEBDRIVER="http://127.0.0.1:$port"

  status=0
  (cd "$root" && cargo nextest run --workspace --run-ignored only -E "${MTP_GUI_TESTS:-binary(suite) & test(/^gui::/)}" \
    --test-threads 1 --no-fail-fast) || status=$?
  import -display "$DISPLAY" -window root "$shots/gui-xvfb-screen.png" 2>/dev/null \
    || echo "run-gui: could not take the full-screen screenshot" >&2
  exit "$status"
fi

# --- outside: checks, the temporary HOME, fixtures, then re-run inside dbus-run-session ---------
[ -x "$app" ] || fail "no app binary at $app (build it: make build)"
for tool in Xvfb WebKitWebDriver dbus-run-session gnome-keyring-daemon import python3 curl secret-tool; do
  command -v "$tool" >/dev/null || fail "$tool is missing (run .ci/install-deps)"
done
TAURI_DRIVER="$(command -v tauri-driver || echo "$HOME/.cargo/bin/tauri-driver")"
[ -x "$TAURI_DRIVER" ] || fail "tauri-driver is missing (cargo install tauri-driver --version 2.1.0 --locked)"

# Build the suite first, with the real HOME (cargo's caches live there): the same
# workspace-wide test build as `make rust-test`, so after it this compiles nothing.
(cd "$root" && cargo nextest run --workspace --no-run) || fail "the GUI suite does not build"
gen_fixtures=""
[ -x "$target_dir/debug/gen-fixtures" ] && gen_fixtures="$target_dir/debug/gen-fixtures"

tmp="$(mktemp -d -t mtp-gui.XXXXXX)"
keep_tmp="${MTP_GUI_KEEP_HOME:-}"
trap '[ -n "$keep_tmp" ] || rm -rf "$tmp"' EXIT
mkdir -p "$tmp/home/MTP/sequences" "$tmp/home/.local/share" "$tmp/home/.config" "$tmp/data" "$tmp/logs" "$shots"
rm -f "$shots"/gui-*.png
# A copy, so a build in another checkout cannot swap it mid-run.
cp "$target_dir/debug/fake-services" "$tmp/fake-services" 2>/dev/null \
  || fail "no fake-services in $target_dir/debug (build it: make build)"

# The demo set from the fixture generator, when it can make one; the suite adds its own known
# sequences either way.
if [ -n "$gen_fixtures" ] && "$gen_fixtures" --out "$tmp/home/MTP/sequences" --demo >"$tmp/logs/gen-fixtures.log" 2>&1; then
  echo "run-gui: generated $(ls "$tmp/home/MTP/sequences" | wc -l) demo sequence folders"
else
  echo "run-gui: gen-fixtures not available; the suite writes its own sequences" >&2
fi

export CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}" RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}"
export HOME="$tmp/home" XDG_DATA_HOME="$tmp/home/.local/share" XDG_CONFIG_HOME="$tmp/home/.config"
export XDG_CACHE_HOME="$tmp/home/.cache" MTP_DATA_DIR="$tmp/data"
export MTP_GUI_FAKE_SERVICES="$tmp/fake-services"
# What WebDriver sessions start: the same binary with its stdout and stderr kept in app.log
# (the suite checks that no secret reaches them), and the same in dark mode (WebKitGTK's
# prefers-color-scheme follows GTK_THEME's ":dark").
printf '#!/bin/sh\nexec "%s" "$@" >>"%s/app.log" 2>&1\n' "$app" "$tmp/logs" >"$tmp/app-session"
printf '#!/bin/sh\nGTK_THEME=Adwaita:dark exec "%s" "$@" >>"%s/app.log" 2>&1\n' "$app" "$tmp/logs" >"$tmp/app-dark"
# And on a session bus without any Secret Service: the app must say there is no keyring.
cat >"$tmp/no-keyring-bus.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=$tmp/no-keyring-bus</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
CONF
printf '#!/bin/sh\nDBUS_SESSION_BUS_ADDRESS="%s" exec "%s" "$@" >>"%s/app.log" 2>&1\n' \
  "unix:path=$tmp/no-keyring-bus" "$app" "$tmp/logs" >"$tmp/app-no-keyring"
chmod +x "$tmp/app-session" "$tmp/app-dark" "$tmp/app-no-keyring"
export MTP_GUI_SESSION_APP="$tmp/app-session" MTP_GUI_APP_DARK="$tmp/app-dark"
export MTP_GUI_APP_NO_KEYRING="$tmp/app-no-keyring" MTP_GUI_NO_KEYRING_BUS="unix:path=$tmp/no-keyring-bus"
export MTP_GUI_NO_KEYRING_BUS_CONF="$tmp/no-keyring-bus.conf"
export MTP_GUI_APP="$app" MTP_GUI_SCREENSHOTS="$shots" MTP_GUI_LOGS="$tmp/logs" TAURI_DRIVER
export MTP_GUI_INSIDE_DBUS=1
# WebKit in a container: no GPU, no sandbox helper processes that need namespaces.
export WEBKIT_DISABLE_DMABUF_RENDERER=1 WEBKIT_DISABLE_COMPOSITING_MODE=1 LIBGL_ALWAYS_SOFTWARE=1

status=0
dbus-run-session -- "$0" "$app" || status=$?
if [ "$status" -ne 0 ]; then
  echo "run-gui: FAILED (exit $status). Logs:" >&2
  for log in "$tmp/logs"/*.log; do echo "--- $log" >&2; tail -n 40 "$log" >&2; done
  keep_tmp=1
  echo "run-gui: kept $tmp for inspection" >&2
  exit "$status"
fi
echo "run-gui: passed; screenshots in $shots"
