//! The headless `sign_in(provider, mode)` the CLI `login` reuses: the browser is the command in
//! `$BROWSER` (here a script that follows the redirect the way a browser would).
//! Its own test binary: it sets `BROWSER` for the process.

use std::os::unix::fs::PermissionsExt;

use crate::support::sign_in::World;
use mtp_engine::secrets::SecretKey;
use mtp_engine::settings::{Provider, RedirectMode};

/// A "browser" that opens the authorize URL, takes the redirect and opens that (no fragment:
/// MTPW's page posts it back, which this script does by hand), logging each URL it was given.
fn browser_script(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("fake browser.sh");
    let log = dir.join("opened.log");
    let script = format!(
        r#"#!/bin/sh
echo "$@" >> '{log}'
location=$(curl -s -o /dev/null -w '%{{redirect_url}}' "$1")
base=${{location%%#*}}
case "$location" in
  *'#'*) curl -s -o /dev/null -H "Origin: ${{base%/mtpw/callback}}" --data-binary "${{location#*#}}" "$base" ;;
  *) curl -s -o /dev/null "$location" ;;
esac
"#,
        log = log.display()
    );
    std::fs::write(&path, script).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

#[tokio::test]
async fn headless_loopback_sign_in_to_both_services_through_browser() {
    let dir = tempfile::tempdir().unwrap();
    let script = browser_script(dir.path());
    // Quoted, as a path with a space must be; the URL is appended as the last argument.
    std::env::set_var("BROWSER", format!("sh '{}'", script.display()));
    let world = World::start().await;

    let status = world
        .accounts
        .sign_in(Provider::Strava, RedirectMode::Loopback)
        .await
        .unwrap();
    assert!(status.strava.connected);
    assert!(world.has(SecretKey::StravaRefreshToken));

    let status = world
        .accounts
        .sign_in(Provider::Mtpw, RedirectMode::Loopback)
        .await
        .unwrap();
    assert!(status.mtpw.connected && status.strava.connected);

    let opened = std::fs::read_to_string(dir.path().join("opened.log")).unwrap();
    let lines: Vec<&str> = opened.lines().collect();
    assert_eq!(lines.len(), 2, "{opened}");
    assert!(lines[0].contains("/oauth/authorize?client_id="), "{opened}");
    assert!(
        lines[1].contains("/accounts/authorize?client_id="),
        "{opened}"
    );
}

#[tokio::test]
async fn a_browser_that_cannot_start_is_reported() {
    std::env::set_var("BROWSER", "/nonexistent/browser --flag");
    let world = World::start().await;
    let err = world
        .accounts
        .sign_in(Provider::Strava, RedirectMode::Loopback)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "browser_failed");
    assert!(err.to_string().contains("/nonexistent/browser"), "{err}");
    assert!(!err.to_string().contains("state="), "{err}");
    assert!(!world.accounts.status().await.strava.waiting);
}
