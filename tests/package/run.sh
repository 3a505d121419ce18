#!/usr/bin/env bash
# `make package-test`: installs the .deb of `make bundle` on this machine (Debian 12, as root) and
# checks the package as a photographer gets it:
#   - the .deb is under 12 MB (the .rpm's size is printed too);
#   - its desktop entry (and the .rpm's) passes desktop-file-validate, passes the URL (%u) and
#     claims x-scheme-handler/mtp-strava-uploader, and xdg-mime names it as that scheme's handler, in a
#     fresh HOME, before and after the app ran (the installed app registers no copy of its own);
#   - /usr/bin/mtp-strava-uploader starts under Xvfb and shows the library (generated
#     sequences in ~/MTP/sequences), and a Strava sign-in against fake-services comes back through
#     `xdg-open mtp-strava-uploader://…` into the running instance: one process and one window
#     afterwards, the account connected (tests/src/bin/package-check.rs; the screen at the end
#     in target/screenshots/package-installed-app.png);
#   - `dpkg --purge` leaves no file of the package behind, and nothing under /usr, /etc or /opt
#     carries our name.
# The package is removed again on any exit. Build first: make bundle build.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
target_dir="$(realpath -m "${CARGO_TARGET_DIR:-$root/target}")"
scheme=mtp-strava-uploader
max_deb_bytes=$((12 * 1000 * 1000))

fail() { echo "package-test: $*" >&2; exit 1; }
say() { echo "package-test: $*"; }

# --- inside the D-Bus session: keyring, Xvfb, the fakes, tauri-driver, the installed app --------
if [ "${MTP_PKG_INSIDE_DBUS:-}" = 1 ]; then
  pids=()
  cleanup() {
    local status=$?
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    exit "$status"
  }
  trap cleanup EXIT INT TERM

  eval "$(echo -n package-test | gnome-keyring-daemon --unlock --components=secrets)"
  display=99
  while [ -e "/tmp/.X${display}-lock" ] || [ -e "/tmp/.X11-unix/X${display}" ]; do display=$((display + 1)); done
  Xvfb ":$display" -screen 0 1280x800x24 -nolisten tcp >"$MTP_PKG_LOGS/xvfb.log" 2>&1 &
  pids+=($!)
  export DISPLAY=":$display"
  for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X${display}" ] && break; sleep 0.1; done
  [ -e "/tmp/.X11-unix/X${display}" ] || fail "Xvfb did not start (see $MTP_PKG_LOGS/xvfb.log)"

  "$MTP_PKG_TOOLS/fake-services" --strava-port 0 --mtpw-port 0 --auto-approve \
    >"$MTP_PKG_LOGS/fake-services.json" 2>"$MTP_PKG_LOGS/fake-services.log" &
  pids+=($!)
  for _ in $(seq 100); do [ -s "$MTP_PKG_LOGS/fake-services.json" ] && break; sleep 0.1; done
  [ -s "$MTP_PKG_LOGS/fake-services.json" ] || fail "fake-services did not start (see $MTP_PKG_LOGS/fake-services.log)"
  field() { sed -n "s/.*\"$1\": *\"\([^\"]*\)\".*/\1/p" "$MTP_PKG_LOGS/fake-services.json" | head -n 1; }
  export MTP_STRAVA_API_BASE="$(field strava_api_base)" MTP_STRAVA_OAUTH_BASE="$(field strava_oauth_base)"
  export MTP_STRAVA_CLIENT_ID="$(field strava_client_id)" MTP_STRAVA_CLIENT_SECRET="$(field strava_client_secret)"
  export MTPW_BASE="$(field mtpw_base)" MTPW_CLIENT_ID="$(field mtpw_client_id)"
  # The photographer's browser approves at the fake; the desktop (xdg-open) delivers the link.
  export BROWSER="$root/tests/e2e/browser.sh" MTP_BROWSER_HANDOFF=xdg-open MTP_GUI_LOGS="$MTP_PKG_LOGS"

  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  native_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  "$TAURI_DRIVER" --port "$port" --native-port "$native_port" --native-driver "$(command -v WebKitWebDriver)" \
    >"$MTP_PKG_LOGS/tauri-driver.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || fail "tauri-driver did not listen (see $MTP_PKG_LOGS/tauri-driver.log)"

  "$MTP_PKG_TOOLS/package-check" --app "$MTP_PKG_APP" --webdriver "http://127.0.0.1:$port" \
    --sequences "$MTP_PKG_SEQUENCES" --logs "$MTP_PKG_LOGS" --screenshot "$MTP_PKG_SCREENSHOT"
  exit $?
fi

# --- outside: the bundle, install, the desktop entry, then the app in a D-Bus session, removal ----
[ "$(id -u)" -eq 0 ] || fail "run as root: the test installs and removes the .deb with dpkg"
for tool in dpkg dpkg-deb dpkg-query desktop-file-validate bsdtar xdg-mime xdg-open Xvfb \
  WebKitWebDriver dbus-run-session gnome-keyring-daemon xwininfo import python3 curl; do
  command -v "$tool" >/dev/null || fail "$tool is missing (run .ci/install-deps)"
done
TAURI_DRIVER="$(command -v tauri-driver || echo "$HOME/.cargo/bin/tauri-driver")"
[ -x "$TAURI_DRIVER" ] || fail "tauri-driver is missing (cargo install tauri-driver --version 2.1.0 --locked)"
for tool in fake-services gen-fixtures package-check; do
  [ -x "$target_dir/debug/$tool" ] || fail "no $tool in $target_dir/debug (build it: make build)"
done

shopt -s nullglob
debs=("$target_dir"/release/bundle/deb/*.deb)
rpms=("$target_dir"/release/bundle/rpm/*.rpm)
shopt -u nullglob
[ ${#debs[@]} -eq 1 ] || fail "expected one .deb in $target_dir/release/bundle/deb (make bundle), found ${#debs[@]}"
[ ${#rpms[@]} -eq 1 ] || fail "expected one .rpm in $target_dir/release/bundle/rpm (make bundle), found ${#rpms[@]}"
deb="${debs[0]}" rpm="${rpms[0]}"
size() { stat -c %s "$1"; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1000000 }'; }
say ".deb $(basename "$deb"): $(size "$deb") bytes ($(mb "$(size "$deb")"))"
say ".rpm $(basename "$rpm"): $(size "$rpm") bytes ($(mb "$(size "$rpm")"))"
[ "$(size "$deb")" -lt "$max_deb_bytes" ] || fail "the .deb is $(mb "$(size "$deb")"), not under $(mb "$max_deb_bytes")"

# A desktop entry that desktop-file-validate accepts, passes the URL and claims our scheme.
check_entry() {
  local file="$1" label="$2"
  [ -f "$file" ] || fail "$label: no $file"
  desktop-file-validate "$file" || fail "$label: desktop-file-validate refuses $file"
  grep -Eq '^Exec=.*mtp-strava-uploader %u$' "$file" || fail "$label: Exec does not pass the URL: $(grep ^Exec= "$file")"
  grep -Eq "^MimeType=(.*;)?x-scheme-handler/$scheme;" "$file" || fail "$label does not claim x-scheme-handler/$scheme"
  say "$label is valid: $(grep ^Exec= "$file"), $(grep ^MimeType= "$file")"
}

package="$(dpkg-deb -f "$deb" Package)"
tmp="$(mktemp -d -t mtp-package.XXXXXX)"
logs="$tmp/logs"
mkdir -p "$logs"
keep_tmp=""
finish() {
  local status=$?
  if dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q installed; then
    dpkg --purge "$package" >"$logs/dpkg-purge-on-exit.log" 2>&1 || true
  fi
  if [ "$status" -ne 0 ]; then
    echo "package-test: FAILED (exit $status). Logs:" >&2
    for log in "$logs"/*.log; do echo "--- $log" >&2; tail -n 30 "$log" >&2; done
    keep_tmp=1
    echo "package-test: kept $tmp for inspection" >&2
  fi
  [ -n "$keep_tmp" ] || rm -rf "$tmp"
  exit "$status"
}
trap finish EXIT

# A clean start: a package left by an earlier run goes first.
if dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q installed; then
  dpkg --purge "$package" >"$logs/dpkg-purge-before.log" 2>&1
fi
say "dpkg -i $(basename "$deb")"
if ! dpkg -i "$deb" >"$logs/dpkg-install.log" 2>&1; then
  say "dependencies missing: apt-get install -f"
  DEBIAN_FRONTEND=noninteractive apt-get install -f -y -qq >"$logs/apt-get-install-f.log" 2>&1 \
    || fail "the package's dependencies could not be installed (see $logs/apt-get-install-f.log)"
fi
dpkg-query -W -f='${Status}' "$package" | grep -q 'install ok installed' || fail "$package is not installed"
dpkg-query -L "$package" >"$tmp/files"

app=/usr/bin/mtp-strava-uploader
grep -qx "$app" "$tmp/files" || fail "the package does not install $app"
# The release app is built without the test-overrides feature: the variables the tests speed it
# up with are not even in the binary.
for override in MTP_PIPELINE_SPEEDUP MTP_RATE_LIMIT_TIME_SCALE MTP_KEYRING_SERVICE; do
  if grep -qa "$override" "$app"; then fail "the installed app reads the test override $override"; fi
done
say "the installed app carries none of the test overrides"
grep -q '^/usr/share/icons/hicolor/.*/apps/mtp-strava-uploader\.png$' "$tmp/files" || fail "the package installs no icons"
entry="$(grep '^/usr/share/applications/.*\.desktop$' "$tmp/files" || true)"
[ -n "$entry" ] && [ "$(wc -l <<<"$entry")" -eq 1 ] || fail "expected one desktop entry in the package, found: ${entry:-none}"
say "installed $package: $(grep -c . "$tmp/files") paths, desktop entry $entry"
check_entry "$entry" "the installed entry"

# The .rpm is not installed here: its desktop entry gets the same checks, read out of it.
mkdir -p "$tmp/rpm"
bsdtar -xf "$rpm" -C "$tmp/rpm" || fail "bsdtar cannot read $rpm"
[ -x "$tmp/rpm$app" ] || fail "the .rpm does not hold $app"
check_entry "$tmp/rpm$entry" "the .rpm's entry"

# A fresh HOME and XDG dirs: nothing of the developer's desktop setup takes part, and xdg-open
# takes its generic path (no desktop environment to ask).
home="$tmp/home"
mkdir -p "$home/MTP/sequences" "$home/.local/share" "$home/.config" "$home/.cache"
export CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}" RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}"
export HOME="$home" XDG_DATA_HOME="$home/.local/share" XDG_CONFIG_HOME="$home/.config"
export XDG_CACHE_HOME="$home/.cache" XDG_DATA_DIRS=/usr/local/share:/usr/share XDG_CONFIG_DIRS=/etc/xdg
unset XDG_CURRENT_DESKTOP XDG_SESSION_DESKTOP DESKTOP_SESSION GNOME_DESKTOP_SESSION_ID KDE_FULL_SESSION \
  MTP_DATA_DIR MTP_KEYRING_SERVICE WAYLAND_DISPLAY DISPLAY BROWSER

handler_is_installed_entry() {
  local handler
  handler="$(xdg-mime query default "x-scheme-handler/$scheme")"
  [ "$handler" = "$(basename "$entry")" ] \
    || fail "$1: xdg-mime names ‘${handler:-nothing}’ as the $scheme:// handler, not $(basename "$entry")"
  say "$1: xdg-mime names $handler as the $scheme:// handler"
}
handler_is_installed_entry "after install"

sequences=3
"$target_dir/debug/gen-fixtures" --out "$home/MTP/sequences" --count "$sequences" --photos 5 >"$logs/gen-fixtures.log"
# Copies, so a build in another checkout cannot swap them mid-run.
mkdir -p "$tmp/tools"
cp "$target_dir/debug/fake-services" "$target_dir/debug/package-check" "$tmp/tools/"

mkdir -p "$root/target/screenshots"
export MTP_PKG_SCREENSHOT="$root/target/screenshots/package-installed-app.png"
export MTP_PKG_APP="$app" MTP_PKG_LOGS="$logs" MTP_PKG_TOOLS="$tmp/tools" MTP_PKG_SEQUENCES="$sequences"
export TAURI_DRIVER MTP_PKG_INSIDE_DBUS=1
# WebKit in a container: no GPU, no sandbox helper processes that need namespaces.
export WEBKIT_DISABLE_DMABUF_RENDERER=1 WEBKIT_DISABLE_COMPOSITING_MODE=1 LIBGL_ALWAYS_SOFTWARE=1
dbus-run-session -- "$0"
unset MTP_PKG_INSIDE_DBUS

handler_is_installed_entry "after the app ran"
shopt -s nullglob
registered=("$XDG_DATA_HOME"/applications/*.desktop)
shopt -u nullglob
[ ${#registered[@]} -eq 0 ] || fail "the installed app registered a desktop entry of its own: ${registered[*]}"

# --- removal: nothing of ours stays behind ------------------------------------------------------
say "dpkg --purge $package"
dpkg --purge "$package" >"$logs/dpkg-purge.log" 2>&1 || fail "dpkg --purge failed (see $logs/dpkg-purge.log)"
left=()
while IFS= read -r path; do
  [ -e "$path" ] || [ -L "$path" ] || continue
  # A directory that stays is another package's (/usr/bin, the icon theme's folders…).
  if [ -d "$path" ] && [ ! -L "$path" ] && dpkg-query -S "$path" >/dev/null 2>&1; then
    continue
  fi
  left+=("$path")
done <"$tmp/files"
[ ${#left[@]} -eq 0 ] || fail "left behind after the purge: ${left[*]}"
named="$(find /usr /etc /opt \( -iname '*mtp-strava-uploader*' -o -iname '*mtp strava uploader*' \) 2>/dev/null || true)"
[ -z "$named" ] || fail "files with our name are left under /usr, /etc or /opt: $named"
cached="$(grep -rl "x-scheme-handler/$scheme" /usr/share/applications /usr/local/share/applications /etc/xdg 2>/dev/null || true)"
[ -z "$cached" ] || fail "the scheme is still claimed after the purge, in: $cached"
say "purged: none of the $(grep -c . "$tmp/files") paths is left, nothing under /usr /etc /opt has our name"
say "passed"
