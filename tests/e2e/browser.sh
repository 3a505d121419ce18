#!/usr/bin/env bash
# The "browser" of the GUI suite and `make demo` (set as $BROWSER): the app runs it with the
# authorize URL as its last argument. It plays the part of the photographer's browser against
# the fake services started with --auto-approve:
#
#   1. fetch the authorize URL and take the Location header of the redirect (the consent page
#      approved at once);
#   2. deep link (mtp-strava-uploader://…): launch the app binary a second time with that URL as
#      its only argument, as a desktop does for a registered scheme handler;
#      loopback (http://127.0.0.1:<port>/…): fetch it, as a browser follows the redirect; for a
#      token in the fragment (Map the Paths), do what the listener's page does: post the
#      fragment back to the same listener.
#
# Environment: MTP_GUI_APP (the app binary to launch: the same copy the suite runs),
# MTP_GUI_LOGS (where browser.log and second-launch.log go; default $TMPDIR or /tmp),
# MTP_BROWSER_HANDOFF=xdg-open (hand the deep link to the desktop instead: `xdg-open` finds the
# scheme's registered handler and launches it; `make package-test` checks the installed one).
# Never prints the query or fragment of a callback: they carry a code or a token.
set -euo pipefail

url="${!#}"
handoff="${MTP_BROWSER_HANDOFF:-app}"
[ "$handoff" = xdg-open ] || app="${MTP_GUI_APP:?MTP_GUI_APP must name the app binary}"
logs="${MTP_GUI_LOGS:-${TMPDIR:-/tmp}}"
log="$logs/browser.log"

say() { echo "browser: $*" >>"$log"; }
shown() { printf '%s' "${1%%[?#]*}"; }

say "authorize $(shown "$url")"
location="$(curl --silent --show-error --max-time 20 --output /dev/null \
  --write-out '%{redirect_url}' "$url")" || { say "the authorize URL did not answer"; exit 1; }
[ -n "$location" ] || { say "the authorize URL did not redirect"; exit 1; }
say "redirected to $(shown "$location")"

case "$location" in
  http://127.0.0.1:*)
    base="${location%%#*}"
    if [ "$base" = "$location" ]; then
      # Strava: the code is in the query; the listener answers the callback itself.
      curl --silent --show-error --max-time 20 --fail --output /dev/null "$location" \
        || { say "the loopback callback was refused"; exit 1; }
    else
      # Map the Paths: the token is in the fragment, which a browser never sends. Load the page,
      # then post the fragment to the same listener, as the page's script does.
      curl --silent --show-error --max-time 20 --fail --output /dev/null "$base" \
        || { say "the loopback page did not load"; exit 1; }
      curl --silent --show-error --max-time 20 --fail --output /dev/null \
        -H 'Content-Type: text/plain' --data-binary "${location#*#}" "$base" \
        || { say "the loopback listener refused the fragment"; exit 1; }
    fi
    say "loopback callback delivered"
    ;;
  *://*)
    # A desktop hands a registered scheme's URL to its handler: our app, launched again.
    status=0
    if [ "$handoff" = xdg-open ]; then
      timeout 60 xdg-open "$location" >>"$logs/second-launch.log" 2>&1 || status=$?
      say "xdg-open ended with status $status"
    else
      timeout 60 "$app" "$location" >>"$logs/second-launch.log" 2>&1 || status=$?
      say "second launch ended with status $status"
    fi
    exit "$status"
    ;;
  *)
    say "unexpected redirect"
    exit 1
    ;;
esac
