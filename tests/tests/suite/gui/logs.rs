//! GUI: the app's log file and "Copy diagnostics". A full journey against the fakes (sign in to
//! both services, upload with one refused access token so the token is refreshed, copy the
//! diagnostics, sign out) is in the log, and none of the journey's secrets (client secret,
//! codes, states, access and refresh tokens, the MTPW token) is in any file the app can write:
//! the log files, the data and config folders, the SQLite store, the WebView's storage, all
//! under the run's HOME, nor on the clipboard.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use mtp_testkit::fixtures::KnownSequence;
use mtp_testkit::webdriver::Client;
use serde_json::{json, Value};
use time::macros::datetime;

use super::accounts::assert_nowhere_on_disk;
use super::fakes::{
    clear_strava_faults, fake_json, fake_request, mtpw_root, seed_mtpw_sequences, strava_root,
};
use super::support::{
    add_root, click_testid, connect_by_clicking, disconnect_both, home, invoke, remove_root,
    screenshot, sequence_id_of, session_binary, sign_out_everywhere, text_of, wait_for_js,
    with_app_binary, write_known, TestResult,
};

const LOGGED_WALK: KnownSequence = KnownSequence {
    name: "Logged Walk Ohrid",
    transport: ("Earth", "Walk"),
    start: datetime!(2022-05-14 08:30:00 UTC),
    place: (41.1172, 20.8016),
    photos: 40,
    drop_a_time: false,
};
const LOGGED_WALK_MTPW: &str = "5c1d9e2a-7b3f-4c6d-9e8a-1f2b3c4d5e6f";

#[test]
#[ignore = "needs Xvfb + tauri-driver + fake services: run via tests/e2e/run-gui.sh"]
fn a_full_journey_is_logged_without_a_secret_and_diagnostics_copy_it() -> TestResult {
    with_app_binary("logs-journey", &session_binary()?, |app| async move {
        let folder = home()?.join("LogsJourney");
        let sequence = write_known(&folder, &LOGGED_WALK, Some(LOGGED_WALK_MTPW))?;
        let root = add_root(&app, &folder).await?;
        let outcome = journey(&app, &sequence).await;
        let cleared = clear_strava_faults().await;
        let removed = remove_root(&app, &root).await;
        disconnect_both(&app).await?;
        outcome?;
        cleared?;
        removed?;
        Ok(app)
    })
}

async fn journey(app: &Client, sequence: &std::path::Path) -> TestResult {
    sign_out_everywhere(app, "deepLink").await?;
    connect_by_clicking(app, "strava").await?;
    connect_by_clicking(app, "mtpw").await?;
    seed_mtpw_sequences(&[(LOGGED_WALK_MTPW, LOGGED_WALK.name, "Walk")]).await?;
    // Strava refuses the first upload's token: the app refreshes it once and goes on.
    let faults = json!({ "clear": true, "faults": [
        { "route": "POST /api/v3/uploads", "kind": "unauthorized", "count": 1 },
    ]});
    fake_request("POST", &strava_root()?, "/__fake/faults", Some(faults)).await?;
    invoke(
        app,
        "upload_sequences",
        json!({ "args": { "sequenceIds": [sequence_id_of(sequence)], "insist": true } }),
    )
    .await?;
    wait_until_done(app, LOGGED_WALK.name).await?;

    let clipboard = copy_diagnostics(app).await?;
    let secrets = journey_secrets().await?;
    disconnect_both(app).await?;

    let log = read_log()?;
    for expected in [
        "sign-in started provider=Strava",
        "signed in provider=Strava",
        "signed in provider=\"Map the Paths\"",
        "call failed",
        "refreshing the Strava access token",
        "Strava token refreshed",
        "diagnostics report made",
        "signing out provider=Strava",
    ] {
        assert!(log.contains(expected), "the log lacks {expected:?}:\n{log}");
    }
    assert!(
        log.lines().any(|line| line.contains("upload state upload=")
            && line.contains(&format!("sequence=\"{}\"", LOGGED_WALK.name))
            && line.contains("state=done")),
        "no 'done' line naming the sequence:\n{log}"
    );
    assert!(
        clipboard.contains("Upload queue and history, by state:")
            && clipboard.contains("done: 1")
            && clipboard.contains("debugLog: false")
            && clipboard.contains("Last 200 log lines:")
            && clipboard.contains("Strava token refreshed"),
        "the clipboard holds no report:\n{clipboard}"
    );
    for secret in &secrets {
        assert!(
            !clipboard.contains(secret.as_str()),
            "a secret is in the diagnostics"
        );
    }
    assert_nowhere_on_disk(&secrets)
}

/// Waits for the sequence's latest history record to be done.
async fn wait_until_done(app: &Client, name: &str) -> TestResult {
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let page = invoke(
            app,
            "upload_history",
            json!({ "args": { "text": name, "states": [], "offset": 0, "limit": 5 } }),
        )
        .await?;
        let state = page["records"][0]["state"].clone();
        if state == json!("done") {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(format!("{name} did not reach done: {page}").into());
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// Clicks "Copy diagnostics" in Accounts; answers what the X clipboard then holds.
async fn copy_diagnostics(app: &Client) -> TestResult<String> {
    click_testid(app, "nav-accounts").await?;
    click_testid(app, "copy-diagnostics").await?;
    wait_for_js(
        app,
        "the diagnostics copied",
        "return (document.querySelector('[data-testid=diagnostics-status]')?.textContent ?? '').includes('Copied');",
    )
    .await?;
    let status = text_of(app, "[data-testid=diagnostics-status]").await?;
    click_testid(app, "diagnostics-show").await?;
    screenshot("accounts-diagnostics-copied")?;
    let output = Command::new("xclip")
        .args(["-o", "-selection", "clipboard"])
        .output()?;
    let clipboard = String::from_utf8_lossy(&output.stdout).to_string();
    assert!(
        output.status.success(),
        "xclip: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let lines = clipboard.lines().count();
    assert!(
        status.contains(&format!("Copied {lines} lines"))
            || status.contains(&format!("Copied {} lines", lines + 1)),
        "status {status:?} for {lines} lines on the clipboard"
    );
    let shown = text_of(app, "[data-testid=diagnostics-text]").await?;
    assert!(shown.contains("Settings:"), "shown: {shown}");
    Ok(clipboard)
}

/// Every secret of the journey, as the fakes issued or received them: the client secret, every
/// code, every state, every Strava access and refresh token, every MTPW token.
async fn journey_secrets() -> TestResult<Vec<String>> {
    let strava = fake_json(&strava_root()?, "/__fake/state").await?;
    let mtpw = fake_json(&mtpw_root()?, "/__fake/state").await?;
    let mut secrets = vec![std::env::var("MTP_STRAVA_CLIENT_SECRET")?];
    let strings = |list: &Value, keys: &[&str]| -> Vec<String> {
        list.as_array()
            .into_iter()
            .flatten()
            .flat_map(|item| {
                keys.iter()
                    .filter_map(|k| item[*k].as_str().map(str::to_string))
            })
            .collect()
    };
    let codes = strings(&strava["codes"], &["code"]);
    let tokens = strings(&strava["tokens"], &["access_token", "refresh_token"]);
    let mtpw_tokens = strings(&mtpw["tokens"], &["access_token"]);
    let mut states = Vec::new();
    for root in [strava_root()?, mtpw_root()?] {
        let requests = fake_json(&root, "/__fake/requests").await?;
        states.extend(
            requests
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|r| r["query"]["state"].as_str().map(str::to_string)),
        );
    }
    assert!(!codes.is_empty(), "no Strava code issued: {strava}");
    assert!(tokens.len() >= 2, "no Strava tokens issued: {strava}");
    assert!(!mtpw_tokens.is_empty(), "no MTPW token issued: {mtpw}");
    assert!(states.len() >= 2, "no sign-in state seen by the fakes");
    secrets.extend(codes);
    secrets.extend(tokens);
    secrets.extend(mtpw_tokens);
    secrets.extend(states);
    secrets.retain(|s| s.len() >= 8);
    Ok(secrets)
}

/// Every log file of the app (current and rotated), in the platform's log dir under HOME.
fn read_log() -> TestResult<String> {
    let dir: PathBuf = home()?.join(".local/share/mtp-strava-uploader/logs");
    let mut text = String::new();
    for entry in std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let path = entry?.path();
        if path.extension().is_some_and(|ext| ext == "log") {
            text.push_str(&std::fs::read_to_string(&path)?);
        }
    }
    assert!(!text.is_empty(), "no log in {}", dir.display());
    Ok(text)
}
