#!/usr/bin/env bash
# make demo: fake Strava + fake MTPW on loopback, sample sequences in a demo
# HOME, and the app pointed at both through environment variables only.
set -euo pipefail
cd "$(dirname "$0")/.."

demo=$(realpath -m "${MTP_DEMO_DIR:-target/demo}")
bin=$(realpath -m "${CARGO_TARGET_DIR:-target}/debug")
rm -rf "$demo"
mkdir -p "$demo/home/MTP/sequences" "$demo/data"
"$bin"/gen-fixtures --out "$demo/home/MTP/sequences" --demo

fake_out="$demo/fake-services.json"
"$bin"/fake-services --strava-port 0 --mtpw-port 0 --processing-delay-ms 1500 >"$fake_out" &
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

echo "demo: fake Strava at $MTP_STRAVA_API_BASE, fake MTPW at $MTPW_BASE"
echo "demo: sample sequences in $demo/home/MTP/sequences"
HOME="$demo/home" "$bin"/mtp-strava-uploader
