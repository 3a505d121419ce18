#!/usr/bin/env bash
# make demo: fake Strava + fake MTPW on loopback, sample sequences in a demo
# HOME, and the app pointed at both through environment variables only.
#
# Connect works out of the box: the fakes approve every sign-in at once and $BROWSER is
# tests/e2e/browser.sh, which hands the callback back to the app (a second launch with the deep
# link, or the loopback request), as the GUI suite does. MTP_DEMO_REAL_BROWSER=1 opens your own
# browser on the fakes' Authorize/Cancel page instead (choose the loopback redirect mode in
# Accounts > Advanced: the deep-link handler is registered only inside the demo HOME).
# Tokens go to your session's keyring, under the app's own service name.
set -euo pipefail
cd "$(dirname "$0")/.."

demo=$(realpath -m "${MTP_DEMO_DIR:-target/demo}")
bin=$(realpath -m "${CARGO_TARGET_DIR:-target}/debug")
rm -rf "$demo"
mkdir -p "$demo/home/MTP/sequences" "$demo/data"
"$bin"/gen-fixtures --out "$demo/home/MTP/sequences" --demo

fake_out="$demo/fake-services.json"
approve=(--auto-approve)
[ -z "${MTP_DEMO_REAL_BROWSER:-}" ] || approve=()
# This app's Map the Paths redirect URIs, registered as an MTPW operator would.
"$bin"/fake-services --strava-port 0 --mtpw-port 0 --processing-delay-ms 1500 "${approve[@]}" \
  --mtpw-redirect-uri mtp-strava-uploader://localhost/mtpw/callback \
  --mtpw-allow-scheme mtp-strava-uploader \
  --mtpw-redirect-uri http://127.0.0.1/mtpw/callback --mtpw-allow-scheme http \
  >"$fake_out" &
fake_pid=$!
trap 'kill "$fake_pid" 2>/dev/null || true' EXIT

for _ in $(seq 1 100); do
  [ -s "$fake_out" ] && break
  sleep 0.1
done
[ -s "$fake_out" ] || { echo "demo: fake-services did not start" >&2; exit 1; }

# One JSON line of flat string fields: pull each out by name.
field() { sed -n "s/.*\"$1\": *\"\\([^\"]*\\)\".*/\\1/p" "$fake_out" | head -n 1; }
export MTP_STRAVA_API_BASE="$(field strava_api_base)"
export MTP_STRAVA_OAUTH_BASE="$(field strava_oauth_base)"
export MTP_STRAVA_CLIENT_ID="$(field strava_client_id)"
export MTP_STRAVA_CLIENT_SECRET="$(field strava_client_secret)"
export MTPW_BASE="$(field mtpw_base)"
export MTPW_CLIENT_ID="$(field mtpw_client_id)"
export MTP_DATA_DIR="$demo/data"
if [ -z "${MTP_DEMO_REAL_BROWSER:-}" ]; then
  mkdir -p "$demo/logs"
  export BROWSER="$PWD/tests/e2e/browser.sh" MTP_GUI_APP="$bin/mtp-strava-uploader" MTP_GUI_LOGS="$demo/logs"
fi

echo "demo: fake Strava at $MTP_STRAVA_API_BASE, fake MTPW at $MTPW_BASE"
echo "demo: sample sequences in $demo/home/MTP/sequences"
HOME="$demo/home" "$bin"/mtp-strava-uploader
