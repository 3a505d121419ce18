//! The photographer's journey, all by clicking, against the fake services: connect both
//! accounts, add a folder of generated sequences by typing its path, select all ready,
//! upload, watch the queue, review History; and the same with Strava failing on the way
//! (5xx bursts and a 429 window).

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use mtp_testkit::fixtures::{dir_name_for, gpx_document, photo_points, SequenceSpec};
use mtp_testkit::webdriver::{Client, Locator};
use serde_json::{json, Value};
use time::macros::datetime;

use super::fakes::{
    clear_strava_faults, fake_json, fake_request, mtpw_root, seed_mtpw_sequences, strava_root,
};
use super::support::{
    add_folder_by_typing, app_with_env, assert_no_debug_text, click, connect_by_clicking,
    ctrl_click_row, disconnect_both, home, leave_as_found, row_for, screenshot, session_binary,
    text_of, use_redirect_mode, wait_for_js, wait_for_selection, wait_until, with_app_binary,
    TestResult, IN_FLIGHT, UI_TIMEOUT,
};

const BATCH_TIMEOUT: Duration = Duration::from_secs(150);

/// The app's rate-limit windows pass this many times faster in the faults test (a quarter
/// hour lasts 15 s), through the documented `MTP_RATE_LIMIT_TIME_SCALE` setting.
const FAULTS_TIME_SCALE: u32 = 60;

// ---------------------------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------------------------

#[test]
#[ignore = "needs Xvfb + tauri-driver + fake services: run via tests/e2e/run-gui.sh"]
fn journey_connect_add_a_folder_upload_all_ready_and_review_history() -> TestResult {
    let binary = session_binary()?;
    with_app_binary("journey", &binary, |app| async move {
        let folder = home()?.join("Journey sequences");
        let library = JourneyLibrary::write(&folder, "Journey", 9, true, 2019)?;
        library.seed_on_mtpw().await?;
        let outcome = journey(&app, &library).await;
        // Leave the library as the other tests expect it, then judge.
        let removed = leave_as_found(&app, &folder).await;
        outcome?;
        removed?;
        Ok(app)
    })
}

#[test]
#[ignore = "needs Xvfb + tauri-driver + fake services: run via tests/e2e/run-gui.sh"]
fn journey_with_faults_shows_retrying_and_the_rate_limit_pause_then_completes() -> TestResult {
    let binary = fast_limits_app()?;
    with_app_binary("journey-faults", &binary, |app| async move {
        let folder = home()?.join("Journey faults");
        let library = JourneyLibrary::write(&folder, "Faults", 4, false, 2018)?;
        library.seed_on_mtpw().await?;
        let outcome = journey_with_faults(&app, &library).await;
        let cleared = clear_strava_faults().await;
        let removed = leave_as_found(&app, &folder).await;
        outcome?;
        cleared?;
        removed?;
        Ok(app)
    })
}

// ---------------------------------------------------------------------------------------------
// The full journey
// ---------------------------------------------------------------------------------------------

async fn journey(app: &Client, library: &JourneyLibrary) -> TestResult {
    start_disconnected(app).await?;
    connect_by_clicking(app, "strava").await?;
    connect_by_clicking(app, "mtpw").await?;
    screenshot("journey-accounts-connected")?;

    add_folder_by_typing(app, &library.folder).await?;
    show_only(app, &library.prefix, library.sequences.len()).await?;
    let statuses = chips(app).await?;
    for sequence in &library.sequences {
        assert_eq!(
            statuses[&sequence.name],
            json!(sequence.kind.library_status()),
            "{}: {statuses}",
            sequence.name
        );
    }

    // Select all ready, then add the three that are not ready, as a photographer might.
    click(app, "[data-testid=select-all-ready]").await?;
    wait_for_selection(app, library.good().count()).await?;
    for sequence in library.broken() {
        ctrl_click_row(app, &sequence.name).await?;
    }
    wait_for_selection(app, library.sequences.len()).await?;
    screenshot("journey-library-selection")?;

    click(app, "[data-testid=upload-selected]").await?;
    app.wait_for(Locator::Css("[data-testid=upload-confirm]"), UI_TIMEOUT)
        .await?;
    let title = text_of(app, "#confirm-title").await?;
    let skipped = skipped_in_confirmation(app).await?;
    screenshot("journey-confirm")?;
    assert_eq!(title, "Upload 9 sequences to Strava?");
    library.assert_skipped(&skipped);

    install_queue_recorder(app).await?;
    click(app, "[data-testid=upload-confirm-button]").await?;
    app.wait_for(Locator::Css("[data-testid=queue-row]"), UI_TIMEOUT)
        .await?;
    wait_until(app, "an upload on its way", "return [...document.querySelectorAll('[data-testid=queue-row]')].some((r) => ['uploading', 'processing'].includes(r.dataset.state));", UI_TIMEOUT).await?;
    screenshot("journey-queue-running")?;
    let rows = wait_for_batch(app, &library.prefix).await?;
    screenshot("journey-queue-done")?;
    let summary = text_of(app, "[data-testid=batch-summary]").await?;

    let names: Vec<&str> = library.good().map(|s| s.name.as_str()).collect();
    assert_eq!(
        sorted(rows.keys().cloned()),
        sorted(names.iter().map(|n| n.to_string())),
        "the queue lists exactly the good sequences"
    );
    for (name, state) in &rows {
        assert_eq!(state, "done", "{name} did not reach done");
    }
    assert!(summary.contains("9 done"), "summary: {summary}");
    assert_progress_was_shown(&recorded(app).await?, &names);

    let activities = library.assert_fakes_received_the_right_fields().await?;
    assert_history(app, library, &activities).await?;
    assert_broken_reasons_in_the_library(app, library).await?;
    assert_no_debug_text(app).await?;
    Ok(())
}

/// Disconnects both accounts (as a first run would find them) and checks the Accounts view says so.
async fn start_disconnected(app: &Client) -> TestResult {
    disconnect_both(app).await?;
    use_redirect_mode(app, "deepLink").await?;
    click(app, "[data-testid=nav-accounts]").await?;
    for provider in ["strava", "mtpw"] {
        let check = format!(
            "const c = document.querySelector('[data-testid={provider}-card]'); return !!c && c.dataset.state === 'disconnected';"
        );
        wait_for_js(app, &format!("{provider} shown as not connected"), &check).await?;
    }
    let strava = text_of(app, "[data-testid=strava-state]").await?;
    assert_eq!(strava, "Not connected");
    Ok(())
}

/// Searches the library for `text` and waits until `count` rows show, each with its track checked.
async fn show_only(app: &Client, text: &str, count: usize) -> TestResult {
    let search = app
        .find(Locator::Css("[data-testid=library-search]"))
        .await?;
    search.clear().await?;
    search.send_keys(text).await?;
    let check = format!(
        "const rows = [...document.querySelectorAll('[data-testid=sequence-row]')]; \
         return rows.length === {count} && rows.every((r) => r.querySelector('[data-testid=status-chip]').dataset.status !== 'checking');"
    );
    wait_for_js(app, &format!("{count} checked rows for {text:?}"), &check).await
}

/// Each shown row's status chip, by sequence name.
async fn chips(app: &Client) -> TestResult<Value> {
    Ok(app
        .execute(
            "return Object.fromEntries([...document.querySelectorAll('[data-testid=sequence-row]')].map((r) => \
               [r.querySelector('[data-testid=sequence-name]').textContent.trim(), \
                r.querySelector('[data-testid=status-chip]').dataset.status]));",
            vec![],
        )
        .await?)
}

/// (name, reason, text) of each sequence the confirmation says it skips.
async fn skipped_in_confirmation(app: &Client) -> TestResult<Vec<(String, String, String)>> {
    let script = "return [...document.querySelectorAll('[data-testid=skipped-sequence]')].map((e) => \
                    [e.querySelector('strong').textContent.trim(), e.dataset.reason, e.textContent.replace(/\\s+/g, ' ').trim()]);";
    Ok(serde_json::from_value(app.execute(script, vec![]).await?)?)
}

/// History: one done row per good sequence, none for the skipped ones, each with a link to its
/// activity on Strava.
async fn assert_history(
    app: &Client,
    library: &JourneyLibrary,
    activities: &[(String, String)],
) -> TestResult {
    click(app, "[data-testid=nav-history]").await?;
    let search = app
        .wait_for(Locator::Css("[data-testid=history-search]"), UI_TIMEOUT)
        .await?;
    search.send_keys(&library.prefix).await?;
    let good = library.good().count();
    let check = format!(
        "const rows = [...document.querySelectorAll('[data-testid=history-row]')]; \
         return rows.length === {good} && rows.every((r) => r.querySelector('.name').textContent.startsWith(arguments[0]));"
    );
    let deadline = Instant::now() + UI_TIMEOUT;
    while app.execute(&check, vec![json!(library.prefix)]).await? != Value::Bool(true) {
        if Instant::now() > deadline {
            let rows = history_rows(app).await?;
            return Err(
                format!("History does not list {good} uploads of the batch: {rows:?}").into(),
            );
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
    let rows = history_rows(app).await?;
    screenshot("journey-history")?;
    for sequence in library.broken() {
        assert!(
            !rows.iter().any(|row| row.name == sequence.name),
            "History lists {} although it was skipped: skipped sequences are not queued",
            sequence.name
        );
    }
    for (name, activity) in activities {
        let listed: Vec<&HistoryRow> = rows.iter().filter(|r| &r.name == name).collect();
        assert_eq!(listed.len(), 1, "{name}: {rows:?}");
        assert_eq!(listed[0].state, "done", "{name}");
        assert_eq!(&listed[0].activity, activity, "{name}");
        let href = activity_link_of(app, listed[0].upload.as_str()).await?;
        assert_eq!(
            href,
            format!("https://www.strava.com/activities/{activity}")
        );
    }
    screenshot("journey-history-detail")?;
    Ok(())
}

#[derive(Debug, serde::Deserialize)]
struct HistoryRow {
    upload: String,
    name: String,
    state: String,
    activity: String,
}

async fn history_rows(app: &Client) -> TestResult<Vec<HistoryRow>> {
    let script =
        "return [...document.querySelectorAll('[data-testid=history-row]')].map((r) => ({ \
                    upload: r.dataset.upload, name: r.querySelector('.name').textContent.trim(), \
                    state: r.dataset.state, activity: r.dataset.activity }));";
    Ok(serde_json::from_value(app.execute(script, vec![]).await?)?)
}

/// Opens a History row and reads its "View on Strava" link.
async fn activity_link_of(app: &Client, upload: &str) -> TestResult<String> {
    click(
        app,
        &format!("[data-testid=history-row][data-upload='{upload}']"),
    )
    .await?;
    let check = format!(
        "const d = document.querySelector('[data-testid=history-detail]'); return !!d && d.dataset.upload === '{upload}' && !!d.querySelector('[data-testid=activity-link]');"
    );
    wait_for_js(app, &format!("the detail of upload {upload}"), &check).await?;
    let href = app
        .find(Locator::Css("[data-testid=activity-link]"))
        .await?
        .attr("href")
        .await?;
    Ok(href.unwrap_or_default())
}

/// The three broken sequences keep their reasons in the library: the chip, the row, the detail.
async fn assert_broken_reasons_in_the_library(
    app: &Client,
    library: &JourneyLibrary,
) -> TestResult {
    click(app, "[data-testid=nav-library]").await?;
    for sequence in library.broken() {
        let row = row_for(app, &sequence.name).await?;
        let chip = row
            .find(Locator::Css("[data-testid=status-chip]"))
            .await?
            .attr("data-status")
            .await?;
        assert_eq!(
            chip.as_deref(),
            Some(sequence.kind.library_status()),
            "{}",
            sequence.name
        );
        row.click().await?;
        app.wait_for(Locator::Css("[data-testid=detail-view]"), UI_TIMEOUT)
            .await?;
        let (css, expected) = match sequence.kind {
            Kind::InvalidGpx => ("[data-testid=problem-item]", "time"),
            Kind::NoMtpwId => ("[data-testid=mtpw-link-card]", "Map the Paths"),
            Kind::AlreadyOnStrava => ("[data-testid=stat-desktop]", "4815162342"),
            Kind::Good(_) => unreachable!("only broken sequences"),
        };
        let text = wait_for_text(app, css).await?;
        assert!(
            text.contains(expected),
            "{}: {css} says {text:?}",
            sequence.name
        );
        if sequence.kind == Kind::NoMtpwId {
            screenshot("journey-detail-no-mtpw-id")?;
        }
        click(app, "[data-testid=back-button]").await?;
        app.wait_for(Locator::Css("[data-testid=sequence-list]"), UI_TIMEOUT)
            .await?;
    }
    Ok(())
}

async fn wait_for_text(app: &Client, css: &str) -> TestResult<String> {
    let deadline = Instant::now() + UI_TIMEOUT;
    loop {
        match text_of(app, css).await {
            Ok(text) => return Ok(text),
            Err(missing) if Instant::now() > deadline => return Err(missing),
            Err(_) => tokio::time::sleep(Duration::from_millis(150)).await,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Faults during the journey
// ---------------------------------------------------------------------------------------------

async fn journey_with_faults(app: &Client, library: &JourneyLibrary) -> TestResult {
    connect_by_clicking(app, "strava").await?;
    connect_by_clicking(app, "mtpw").await?;
    add_folder_by_typing(app, &library.folder).await?;
    show_only(app, &library.prefix, library.sequences.len()).await?;
    click(app, "[data-testid=select-all-ready]").await?;
    wait_for_selection(app, library.sequences.len()).await?;

    // Two 503s on the upload POST, then two 429s when the queue asks how the uploads went.
    let faults = json!({ "clear": true, "faults": [
        { "route": "POST /api/v3/uploads", "kind": "status", "status": 503, "count": 2 },
        { "route": "GET /api/v3/uploads/*", "kind": "rate_limited", "count": 2 },
    ]});
    fake_request("POST", &strava_root()?, "/__fake/faults", Some(faults)).await?;

    click(app, "[data-testid=upload-selected]").await?;
    app.wait_for(Locator::Css("[data-testid=upload-confirm]"), UI_TIMEOUT)
        .await?;
    install_queue_recorder(app).await?;
    click(app, "[data-testid=upload-confirm-button]").await?;
    app.wait_for(Locator::Css("[data-testid=queue-row]"), UI_TIMEOUT)
        .await?;
    let shots = watch_faults(app, &library.prefix).await?;
    screenshot("journey-faults-done")?;
    let rows = queue_rows(app, &library.prefix).await?;
    let seen = recorded(app).await?;

    let steps: Vec<String> = seen["rows"]
        .as_object()
        .into_iter()
        .flat_map(|rows| rows.values())
        .flat_map(|row| row.as_array().cloned().unwrap_or_default())
        .filter_map(|snap| snap["step"].as_str().map(str::to_string))
        .collect();
    let retrying: Vec<&String> = steps
        .iter()
        .filter(|s| s.contains("Retrying") && s.contains(" of 4"))
        .collect();
    assert!(
        retrying
            .iter()
            .any(|s| s.contains("Retrying uploading: attempt 2 of 4")),
        "no row said it was retrying the upload: {steps:?}"
    );
    assert!(
        retrying
            .iter()
            .any(|s| s.contains("Retrying checking on Strava")),
        "no row said it was retrying after the 429: {steps:?}"
    );
    let banners: Vec<String> = serde_json::from_value(seen["banners"].clone())?;
    eprintln!("retrying: {retrying:?}\nbanners: {banners:?}");
    assert!(!banners.is_empty(), "the rate-limit banner never showed");
    for banner in &banners {
        assert!(banner.contains("continue by themselves at"), "{banner}");
        assert!(
            at_a_quarter_hour(banner),
            "the pause ends at a quarter hour: {banner}"
        );
    }
    assert!(
        shots.retrying && shots.paused,
        "screenshots showing both: {shots:?}"
    );
    assert_eq!(rows.len(), library.sequences.len(), "{rows:?}");
    for (name, state) in &rows {
        assert_eq!(state, "done", "{name} did not complete after the faults");
    }
    library.assert_fakes_received_the_right_fields().await?;
    let posts = upload_posts(&library.prefix).await?;
    assert_eq!(
        posts.len(),
        library.sequences.len() + 2,
        "the two 503s were tried again, once each"
    );
    Ok(())
}

#[derive(Debug, Default)]
struct FaultShots {
    retrying: bool,
    paused: bool,
}

/// Polls the queue until the batch stops, taking a screenshot the first time a row says it is
/// retrying and the first time the rate-limit banner shows.
async fn watch_faults(app: &Client, prefix: &str) -> TestResult<FaultShots> {
    let mut shots = FaultShots::default();
    let deadline = Instant::now() + BATCH_TIMEOUT;
    // A shot counts once what it shows was still there after it was taken (a pause may end
    // while the display is read); until then the next sighting takes it again.
    loop {
        let [retrying, paused] = fault_signs(app).await?;
        if (retrying && !shots.retrying) || (paused && !shots.paused) {
            // The display is painted a moment after the page changes.
            tokio::time::sleep(Duration::from_millis(400)).await;
        }
        if retrying && !shots.retrying {
            screenshot("journey-faults-retrying")?;
            shots.retrying = fault_signs(app).await?[0];
        }
        if paused && !shots.paused {
            screenshot("journey-faults-paused")?;
            shots.paused = fault_signs(app).await?[1];
        }
        let rows = queue_rows(app, prefix).await?;
        if !rows.is_empty()
            && rows
                .values()
                .all(|state| !IN_FLIGHT.contains(&state.as_str()))
        {
            return Ok(shots);
        }
        if Instant::now() > deadline {
            return Err(
                format!("the batch did not stop within {BATCH_TIMEOUT:?}: {rows:?}").into(),
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Whether a row says it is retrying, and whether the rate-limit banner shows.
async fn fault_signs(app: &Client) -> TestResult<[bool; 2]> {
    let look = "return [[...document.querySelectorAll('[data-testid=queue-step]')].some((s) => s.textContent.includes('attempt')), \
                !!document.querySelector('[data-testid=rate-limit-banner]')];";
    Ok(serde_json::from_value(app.execute(look, vec![]).await?)?)
}

/// "… continue by themselves at 20:15" (or "08:15 PM"): the minutes are a quarter hour.
fn at_a_quarter_hour(banner: &str) -> bool {
    let Some(at) = banner.rfind(':') else {
        return false;
    };
    let minutes = banner.get(at + 1..at + 3).unwrap_or("");
    ["00", "15", "30", "45"].contains(&minutes)
}

/// A wrapper of the session app that sets `MTP_RATE_LIMIT_TIME_SCALE` (a documented setting).
fn fast_limits_app() -> TestResult<PathBuf> {
    app_with_env(
        &session_binary()?,
        "journey-fast-limits",
        "MTP_RATE_LIMIT_TIME_SCALE",
        &FAULTS_TIME_SCALE.to_string(),
    )
}

// ---------------------------------------------------------------------------------------------
// Watching the queue
// ---------------------------------------------------------------------------------------------

/// Records, from the moment it is installed, every distinct look of every queue row (state,
/// step text, progress kind and value) and every rate-limit banner text: what a photographer
/// saw, not only the end.
const QUEUE_RECORDER: &str = "window.__journey = { rows: {}, banners: [] }; \
    const text = (e) => e ? e.textContent.replace(/\\s+/g, ' ').trim() : null; \
    const record = () => { \
      const seen = window.__journey; \
      for (const row of document.querySelectorAll('[data-testid=queue-row]')) { \
        const bar = row.querySelector('[data-testid=progress]'); \
        const look = { name: text(row.querySelector('.name')), state: row.dataset.state, \
          step: text(row.querySelector('[data-testid=queue-step]')), \
          kind: bar ? bar.dataset.kind : null, value: bar ? bar.getAttribute('aria-valuenow') : null }; \
        const looks = (seen.rows[row.dataset.upload] ??= []); \
        const last = looks[looks.length - 1]; \
        if (!last || ['state', 'step', 'kind', 'value'].some((k) => last[k] !== look[k])) looks.push(look); \
      } \
      const banner = text(document.querySelector('[data-testid=rate-limit-banner]')); \
      if (banner && seen.banners[seen.banners.length - 1] !== banner) seen.banners.push(banner); \
    }; \
    new MutationObserver(record).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true }); \
    record(); return true;";

async fn install_queue_recorder(app: &Client) -> TestResult {
    app.execute(QUEUE_RECORDER, vec![]).await?;
    Ok(())
}

async fn recorded(app: &Client) -> TestResult<Value> {
    Ok(app.execute("return window.__journey;", vec![]).await?)
}

/// Each good sequence's row was seen uploading with its bytes counted, and processing with
/// the bar moving without an end, before it was done.
fn assert_progress_was_shown(seen: &Value, names: &[&str]) {
    let rows: Vec<&Value> = seen["rows"]
        .as_object()
        .map(|rows| rows.values().collect())
        .unwrap_or_default();
    for name in names {
        let looks: Vec<&Value> = rows
            .iter()
            .filter(|looks| looks[0]["name"] == json!(name))
            .flat_map(|looks| looks.as_array().into_iter().flatten())
            .collect();
        let states: Vec<&str> = looks.iter().filter_map(|l| l["state"].as_str()).collect();
        assert!(
            looks
                .iter()
                .any(|l| l["state"] == "processing" && l["kind"] == "indeterminate"),
            "{name} was never seen processing: {states:?}"
        );
        assert_eq!(states.last(), Some(&"done"), "{name}: {states:?}");
        assert!(
            looks.iter().any(|l| l["state"] == "uploading"
                && l["kind"] == "bytes"
                && l["step"].as_str().is_some_and(|s| s.contains(" KB of "))),
            "{name} was never seen uploading with its bytes counted: {states:?}"
        );
        assert!(
            looks
                .iter()
                .any(|l| l["kind"] == "full" && l["value"] == "100"),
            "{name}: the bar was never full"
        );
    }
    let uploading: Vec<&Value> = rows
        .iter()
        .flat_map(|looks| looks.as_array().into_iter().flatten())
        .filter(|l| l["state"] == "uploading")
        .collect();
    assert!(
        uploading
            .iter()
            .any(|l| l["kind"] == "bytes"
                && l["value"].as_str().is_some_and(|v| v != "0" && v != "100")),
        "no bar was seen part way through its bytes: {uploading:?}"
    );
    eprintln!(
        "queue looks recorded: {}",
        serde_json::to_string(seen).unwrap_or_default()
    );
}

/// Each queue row of the batch (names starting with `prefix`) and its state.
async fn queue_rows(
    app: &Client,
    prefix: &str,
) -> TestResult<std::collections::BTreeMap<String, String>> {
    let script = "return [...document.querySelectorAll('[data-testid=queue-row]')] \
                    .map((r) => [r.querySelector('.name').textContent.trim(), r.dataset.state]) \
                    .filter(([name]) => name.startsWith(arguments[0]));";
    let rows: Vec<(String, String)> =
        serde_json::from_value(app.execute(script, vec![json!(prefix)]).await?)?;
    Ok(rows.into_iter().collect())
}

/// Waits until no row of the batch is in flight; returns each row's state.
async fn wait_for_batch(
    app: &Client,
    prefix: &str,
) -> TestResult<std::collections::BTreeMap<String, String>> {
    let deadline = Instant::now() + BATCH_TIMEOUT;
    loop {
        let rows = queue_rows(app, prefix).await?;
        if !rows.is_empty()
            && rows
                .values()
                .all(|state| !IN_FLIGHT.contains(&state.as_str()))
        {
            return Ok(rows);
        }
        if Instant::now() > deadline {
            return Err(
                format!("the batch did not stop within {BATCH_TIMEOUT:?}: {rows:?}").into(),
            );
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

fn sorted(items: impl Iterator<Item = String>) -> Vec<String> {
    let mut items: Vec<String> = items.collect();
    items.sort();
    items
}

// ---------------------------------------------------------------------------------------------
// The generated library
// ---------------------------------------------------------------------------------------------

/// What a generated sequence is meant to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Valid, eligible, with its MTPW UUID on the fake MTPW; the Strava sport type expected.
    Good(&'static str),
    /// The GPX has no times.
    InvalidGpx,
    /// Valid and eligible, but MTP Desktop Uploader never synced it to Map the Paths.
    NoMtpwId,
    /// MTP Desktop Uploader already uploaded it (`upload_strava.json`).
    AlreadyOnStrava,
}

impl Kind {
    /// The library's status chip for it.
    fn library_status(self) -> &'static str {
        match self {
            Kind::Good(_) => "ready",
            Kind::NoMtpwId => "needsMtpwId",
            Kind::InvalidGpx => "invalid",
            Kind::AlreadyOnStrava => "uploadedByDesktop",
        }
    }

    /// The reason "Upload selected" gives for skipping it.
    fn skip_reason(self) -> Option<&'static str> {
        match self {
            Kind::Good(_) => None,
            Kind::InvalidGpx => Some("invalidGpx"),
            Kind::NoMtpwId => Some("noMtpwId"),
            Kind::AlreadyOnStrava => Some("alreadyOnStrava"),
        }
    }
}

struct JourneySequence {
    name: String,
    description: String,
    transport: &'static str,
    uuid: Option<String>,
    kind: Kind,
}

/// A folder of generated sequences whose names start with one word.
struct JourneyLibrary {
    folder: PathBuf,
    prefix: String,
    sequences: Vec<JourneySequence>,
}

/// (place, parent transport, method, Strava sport type).
const TRIPS: [(&str, &str, &str, &str); 9] = [
    ("Harbour Ride", "Earth", "Bicycle", "Ride"),
    ("Cliff Walk", "Earth", "Walk", "Walk"),
    ("Lake Paddle", "Water", "Paddleboard", "StandUpPaddling"),
    ("River Kayak", "Water", "Kayak", "Kayaking"),
    ("Forest E-Ride", "Earth", "Electric Bicycle", "EBikeRide"),
    ("Valley Walk", "Earth", "Walk", "Walk"),
    ("Snow Tour", "Snow", "Ski", "NordicSki"),
    ("Coast Ride", "Earth", "Bicycle", "Ride"),
    ("Dune Walk", "Earth", "Walk", "Walk"),
];

impl JourneyLibrary {
    /// `good` sequences (and, with `broken`, three more that cannot go), one a day from
    /// `year`-03-01 so no two tracks overlap in time (the fake reports overlaps as duplicates).
    fn write(
        folder: &Path,
        prefix: &str,
        good: usize,
        broken: bool,
        year: i32,
    ) -> TestResult<JourneyLibrary> {
        fs::create_dir_all(folder)?;
        let mut kinds: Vec<(String, &str, &str, Kind)> = TRIPS
            .iter()
            .take(good)
            .map(|(place, parent, method, sport)| {
                (place.to_string(), *parent, *method, Kind::Good(sport))
            })
            .collect();
        if broken {
            kinds.push(("Broken Track".into(), "Earth", "Walk", Kind::InvalidGpx));
            kinds.push(("Unlinked Walk".into(), "Earth", "Walk", Kind::NoMtpwId));
            kinds.push((
                "Desktop Ride".into(),
                "Earth",
                "Bicycle",
                Kind::AlreadyOnStrava,
            ));
        }
        let first = datetime!(2019-03-01 08:00 UTC)
            .replace_year(year)
            .map_err(|e| e.to_string())?;
        let mut sequences = Vec::new();
        for (i, (place, parent, method, kind)) in kinds.into_iter().enumerate() {
            let name = format!("{prefix} {:02} {place}", i + 1);
            let mut spec = SequenceSpec::sample(i, 1500);
            spec.dir_name = dir_name_for(&name);
            spec.name = Some(name.clone());
            spec.description = Some(format!(
                "{place}: a {} sequence (GUI test)",
                method.to_lowercase()
            ));
            spec.tags = vec![prefix.to_lowercase(), method.to_lowercase()];
            spec.transport_type = Some(parent.into());
            spec.transport_method = Some(method.into());
            spec.start = first + time::Duration::days(i as i64);
            let uuid = (kind != Kind::NoMtpwId).then(|| uuid::Uuid::new_v4().to_string());
            spec.destination_mtp = uuid.clone().map(Value::from);
            if kind == Kind::AlreadyOnStrava {
                spec.upload_strava = Some(("TRUE".into(), 4_815_162_342));
            }
            let dir = mtp_testkit::fixtures::write_sequence(folder, &spec)?;
            if kind == Kind::InvalidGpx {
                let gpx = gpx_document(&photo_points(&spec), false);
                fs::write(dir.join(format!("{}.gpx", spec.dir_name)), gpx)?;
            }
            sequences.push(JourneySequence {
                name,
                description: spec.description.unwrap_or_default(),
                transport: method,
                uuid,
                kind,
            });
        }
        Ok(JourneyLibrary {
            folder: folder.to_path_buf(),
            prefix: prefix.to_string(),
            sequences,
        })
    }

    fn good(&self) -> impl Iterator<Item = &JourneySequence> {
        self.sequences
            .iter()
            .filter(|s| matches!(s.kind, Kind::Good(_)))
    }

    fn broken(&self) -> impl Iterator<Item = &JourneySequence> {
        self.sequences
            .iter()
            .filter(|s| !matches!(s.kind, Kind::Good(_)))
    }

    /// The sequences MTP Desktop Uploader synced exist on Map the Paths, owned by the user who signs in.
    async fn seed_on_mtpw(&self) -> TestResult {
        let seeds: Vec<(&str, &str, &str)> = self
            .sequences
            .iter()
            .filter_map(|s| Some((s.uuid.as_deref()?, s.name.as_str(), s.transport)))
            .collect();
        seed_mtpw_sequences(&seeds).await
    }

    /// The confirmation lists each broken sequence once, with its own reason.
    fn assert_skipped(&self, skipped: &[(String, String, String)]) {
        assert_eq!(skipped.len(), self.broken().count(), "{skipped:?}");
        for sequence in self.broken() {
            let listed: Vec<_> = skipped
                .iter()
                .filter(|(name, _, _)| name == &sequence.name)
                .collect();
            assert_eq!(listed.len(), 1, "{}: {skipped:?}", sequence.name);
            assert_eq!(
                Some(listed[0].1.as_str()),
                sequence.kind.skip_reason(),
                "{listed:?}"
            );
            let text = &listed[0].2;
            let says = match sequence.kind {
                Kind::InvalidGpx => "GPX track is not valid",
                Kind::NoMtpwId => "no Map the Paths id",
                _ => "already uploaded it to Strava",
            };
            assert!(text.contains(says), "{text}");
        }
    }

    /// One upload POST per good sequence with its name, description, MTPW UUID as external_id
    /// and data type; one live activity each, with the sport type of its transport; one MTPW
    /// import each, with that activity's id. Returns (name, activity id) of each.
    async fn assert_fakes_received_the_right_fields(&self) -> TestResult<Vec<(String, String)>> {
        let posts = upload_posts(&self.prefix).await?;
        let strava_state = fake_json(&strava_root()?, "/__fake/state").await?;
        let mtpw_requests = fake_json(&mtpw_root()?, "/__fake/requests").await?;
        let mut activities = Vec::new();
        for sequence in self.good() {
            let uuid = sequence.uuid.clone().unwrap_or_default();
            let accepted: Vec<&Value> = posts
                .iter()
                .filter(|p| p["form"]["name"] == json!(sequence.name))
                .collect();
            assert!(!accepted.is_empty(), "no upload of {}", sequence.name);
            for post in &accepted {
                let form = &post["form"];
                assert_eq!(form["description"], json!(sequence.description), "{form}");
                assert_eq!(form["external_id"], json!(uuid), "{form}");
                assert_eq!(form["data_type"], json!("gpx.gz"), "{form}");
                assert!(post["file_sha256"].is_string(), "{post}");
            }
            let live: Vec<&Value> = strava_state["activities"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|a| a["external_id"] == json!(uuid) && a["deleted"] != json!(true))
                .collect();
            assert_eq!(live.len(), 1, "{}: exactly one activity", sequence.name);
            let activity = live[0]["id"].to_string();
            let Kind::Good(sport) = sequence.kind else {
                unreachable!()
            };
            assert_eq!(live[0]["sport_type"], json!(sport), "{}", sequence.name);
            assert_eq!(live[0]["name"], json!(sequence.name));
            let imports: Vec<&Value> = mtpw_requests
                .as_array()
                .into_iter()
                .flatten()
                .filter(|r| {
                    r["method"] == "PUT"
                        && r["path"] == json!(format!("/api/v1/sequence/import/{uuid}/"))
                })
                .collect();
            assert_eq!(imports.len(), 1, "{}: one MTPW import", sequence.name);
            assert_eq!(
                imports[0]["json"]["strava"],
                json!(activity),
                "{}",
                sequence.name
            );
            activities.push((sequence.name.clone(), activity));
        }
        for sequence in self.broken() {
            assert!(
                !posts
                    .iter()
                    .any(|p| p["form"]["name"] == json!(sequence.name)),
                "{} was uploaded although it was skipped",
                sequence.name
            );
        }
        let uploaded = self.good().count();
        let names: std::collections::BTreeSet<&str> = posts
            .iter()
            .filter_map(|p| p["form"]["name"].as_str())
            .collect();
        assert_eq!(names.len(), uploaded, "{names:?}");
        Ok(activities)
    }
}

/// Every upload POST the fake Strava received for sequences whose names start with `prefix`.
async fn upload_posts(prefix: &str) -> TestResult<Vec<Value>> {
    let requests = fake_json(&strava_root()?, "/__fake/requests").await?;
    Ok(requests
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| {
            r["method"] == "POST"
                && r["path"] == "/api/v3/uploads"
                && r["form"]["name"]
                    .as_str()
                    .is_some_and(|n| n.starts_with(prefix))
        })
        .cloned()
        .collect())
}
