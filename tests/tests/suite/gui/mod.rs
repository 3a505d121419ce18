//! GUI end-to-end suite: the real app binary, driven through tauri-driver and WebKitWebDriver.
//!
//! Run it with `tests/e2e/run-gui.sh`, which provides Xvfb, a D-Bus session with an unlocked
//! keyring, a temporary HOME and tauri-driver. Each test starts the app (a new WebDriver
//! session), checks what a user would see, and saves a screenshot of the display under
//! target/screenshots/.
//!
//! Environment (set by the runner; defaults suit a manual run from the workspace):
//! - `MTP_GUI_APP`: the app binary (default `target/debug/mtp-strava-uploader`); the browser
//!   script and the forged-link test launch it a second time.
//! - `MTP_GUI_SESSION_APP`, `MTP_GUI_APP_DARK`: wrappers of it that sessions start (output kept
//!   in `$MTP_GUI_LOGS/app.log`; the second in dark mode).
//! - `MTP_GUI_LOGS`: the logs (the app's, the browser script's, tauri-driver's).
//! - `MTP_STRAVA_*`, `MTPW_*`, `BROWSER`: the fakes and the browser script (see accounts.rs).
//! - `MTP_GUI_WEBDRIVER`: tauri-driver's URL (default `http://127.0.0.1:4444`).
//! - `MTP_GUI_SCREENSHOTS`: where screenshots go (default `target/screenshots`).
//! - `HOME`: the temporary home; sequences live under `$HOME/MTP/sequences`.

use std::error::Error;
use std::fs;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use mtp_testkit::webdriver::{
    Client, Element, Locator, KEY_ARROW_DOWN, KEY_END, KEY_ENTER, KEY_ESCAPE, KEY_PAGE_UP,
};
use serde_json::{json, Value};

mod accounts;
mod busy_queue;
mod first_run;
mod history;
mod journey;
mod mtpw_link;
mod notifications;
mod restart;
mod screens;
mod uploads;

type TestResult<T = ()> = Result<T, Box<dyn Error + Send + Sync>>;

const STARTUP_TIMEOUT: Duration = Duration::from_secs(60);
const UI_TIMEOUT: Duration = Duration::from_secs(20);

/// The app is single-instance: tests take turns, one app (one session) at a time.
static ONE_APP_AT_A_TIME: Mutex<()> = Mutex::new(());

// ---------------------------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------------------------

#[test]
#[ignore = "needs Xvfb + tauri-driver: run via tests/e2e/run-gui.sh"]
fn the_library_lists_every_sequence_with_its_count() -> TestResult {
    with_app("library", |app| async move {
        let expected = sequence_folder_count(&library_dir()?)?;
        let count = wait_for_count(&app, expected).await?;
        assert_eq!(count, format!("{expected} sequences"));
        let names = visible_names(&app).await?;
        assert_eq!(names.len(), expected, "rows shown: {names:?}");
        for known in KNOWN_SEQUENCES {
            assert!(
                names.iter().any(|n| n == known.name),
                "{} missing from {names:?}",
                known.name
            );
        }
        // newest first: the 2024 ride comes before the 2023 walk
        let position = |name: &str| names.iter().position(|n| n == name);
        assert!(position("Morning Ride Lisbon") < position("Ridge Walk Snowdon"));
        // every rendered row has its chip and its Strava mark
        let rows = app
            .find_all(Locator::Css("[data-testid=sequence-row]"))
            .await?;
        let chips = app
            .find_all(Locator::Css(
                "[data-testid=sequence-row] [data-testid=status-chip]",
            ))
            .await?;
        let marks = app
            .find_all(Locator::Css(
                "[data-testid=sequence-row] [data-testid=eligibility-mark]",
            ))
            .await?;
        assert!(!rows.is_empty());
        assert_eq!(chips.len(), rows.len());
        assert_eq!(marks.len(), rows.len());
        // Not listed as a sequence needing attention, but as skipped under its folder.
        assert!(!names.iter().any(|n| n.contains("holiday")), "{names:?}");
        let reasons = text_of(&app, "[data-testid=skipped]").await?;
        assert!(
            reasons.contains("has no holiday_photos.json, so it is not a sequence"),
            "skipped: {reasons}"
        );
        Ok(app)
    })
}

#[test]
#[ignore = "needs Xvfb + tauri-driver: run via tests/e2e/run-gui.sh"]
fn a_library_of_thousands_renders_only_what_is_in_view_and_keeps_the_keyboard_focus() -> TestResult
{
    with_app("library-thousands", |app| async move {
        let before = sequence_folder_count(&library_dir()?)?;
        wait_for_count(&app, before).await?;
        let big = home()?.join("Big library");
        mtp_testkit::fixtures::write_library(&big, 1500, 3, 10)?;
        let path = big.display().to_string();
        invoke(&app, "add_paths", json!({ "args": { "paths": [path] } })).await?;
        click(&app, "[data-testid=refresh]").await?;
        let total = before + 1500;
        wait_for_count(&app, total).await?;

        // only the rows in view (and a few more) are in the page; each knows its place
        let rendered = app.find_all(Locator::Css("[role=option]")).await?;
        assert!(
            (5..60).contains(&rendered.len()),
            "{} rows rendered for {total}",
            rendered.len()
        );
        let list = app.find(Locator::Css("[role=listbox]")).await?;
        assert_eq!(list.attr("aria-label").await?.as_deref(), Some("Sequences"));
        assert_eq!(
            rendered[0].attr("aria-setsize").await?,
            Some(total.to_string())
        );

        // keyboard: from the search box into the list, to the end, a page up
        let search = app
            .find(Locator::Css("[data-testid=library-search]"))
            .await?;
        search.send_keys(KEY_ARROW_DOWN).await?;
        assert_eq!(focused_position(&app).await?, Some(1));
        app.active_element().await?.send_keys(KEY_END).await?;
        assert_eq!(focused_position(&app).await?, Some(total));
        app.active_element().await?.send_keys(KEY_PAGE_UP).await?;
        let paged = focused_position(&app).await?.unwrap_or_default();
        assert!(
            paged < total && paged > total - 30,
            "Page Up went to {paged}"
        );
        screenshot("library-thousands-keyboard")?;

        // scrolled far away, the focused row stays in the page and keeps the focus
        app.execute(
            "document.querySelector('[data-testid=sequence-list]').scrollTop = 0;",
            vec![],
        )
        .await?;
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(focused_position(&app).await?, Some(paged));
        let first_rendered = app.find_all(Locator::Css("[role=option]")).await?;
        assert_eq!(
            first_rendered[0].attr("aria-posinset").await?.as_deref(),
            Some("1")
        );

        // Enter opens it; Escape comes back to the same row, focused
        app.active_element().await?.send_keys(KEY_ENTER).await?;
        app.wait_for(Locator::Css("[data-testid=detail-view]"), UI_TIMEOUT)
            .await?;
        app.active_element().await?.send_keys(KEY_ESCAPE).await?;
        wait_for_js(
            &app,
            "the list after Escape",
            "return !document.querySelector('[data-testid=detail-view]')",
        )
        .await?;
        assert_eq!(focused_position(&app).await?, Some(paged));

        invoke(&app, "remove_root", json!({ "args": { "path": path } })).await?;
        click(&app, "[data-testid=refresh]").await?;
        wait_for_count(&app, before).await?;
        Ok(app)
    })
}

#[test]
#[ignore = "needs Xvfb + tauri-driver: run via tests/e2e/run-gui.sh"]
fn searching_filters_the_list() -> TestResult {
    with_app("search", |app| async move {
        let total = sequence_folder_count(&library_dir()?)?;
        wait_for_count(&app, total).await?;
        let search = app
            .find(Locator::Css("[data-testid=library-search]"))
            .await?;
        search.send_keys("annecy").await?;
        wait_for_js(
            &app,
            "rows shown for 'annecy'",
            "return document.querySelectorAll('[data-testid=sequence-row]').length === 1",
        )
        .await?;
        assert_eq!(
            visible_names(&app).await?,
            vec!["Lake Paddle Annecy".to_string()]
        );
        let count = text_of(&app, "[data-testid=library-count]").await?;
        assert_eq!(count, format!("1 of {total} sequences"));
        search.clear().await?;
        search.send_keys("no such sequence").await?;
        app.wait_for(Locator::Css("[data-testid=no-match]"), UI_TIMEOUT)
            .await?;
        Ok(app)
    })
}

#[test]
#[ignore = "needs Xvfb + tauri-driver: run via tests/e2e/run-gui.sh"]
fn opening_a_sequence_shows_its_track_and_facts() -> TestResult {
    with_app("detail", |app| async move {
        open_sequence(&app, "Morning Ride Lisbon").await?;
        let line = app
            .wait_for(Locator::Css("[data-testid=track-line]"), UI_TIMEOUT)
            .await?;
        let path = line.attr("d").await?.unwrap_or_default();
        let segments = path.matches('L').count();
        assert!(
            segments >= 50,
            "the track has only {segments} segments: {path}"
        );
        assert_eq!(
            text_of(&app, "[data-testid=detail-name]").await?,
            "Morning Ride Lisbon"
        );
        assert!(text_of(&app, "[data-testid=stat-strava]")
            .await?
            .contains("Ride"));
        assert!(app
            .find(Locator::Css("[data-testid=validation-ok]"))
            .await
            .is_ok());
        let duration = text_of(&app, "[data-testid=stat-duration]").await?;
        assert!(duration.contains("min"), "duration shown as {duration:?}");
        // Counted from the JSON's `photo` map when the detail is read: one photo per point.
        assert_eq!(text_of(&app, "[data-testid=stat-photos]").await?, "240");
        // The track's facts come with the detail, not with the list.
        wait_for_js(
            &app,
            "the track point count",
            "return !!document.querySelector('[data-testid=stat-track-points]')",
        )
        .await?;
        assert_eq!(
            text_of(&app, "[data-testid=stat-track-points]").await?,
            "240"
        );
        screenshot("detail-track")?;
        // Escape returns to the list
        app.active_element().await?.send_keys(KEY_ESCAPE).await?;
        app.wait_for(Locator::Css("[data-testid=sequence-list]"), UI_TIMEOUT)
            .await?;
        wait_for_js(
            &app,
            "the list after Escape",
            "return !document.querySelector('[data-testid=detail-view]')",
        )
        .await?;
        Ok(app)
    })
}

#[test]
#[ignore = "needs Xvfb + tauri-driver: run via tests/e2e/run-gui.sh"]
fn a_broken_sequence_shows_its_reason() -> TestResult {
    with_app("broken", |app| async move {
        let row = row_for(&app, "Broken Times Trail").await?;
        let chip = row.find(Locator::Css("[data-testid=status-chip]")).await?;
        assert_eq!(chip.attr("data-status").await?.as_deref(), Some("invalid"));
        row.click().await?;
        let problem = app
            .wait_for(Locator::Css("[data-testid=problem-item]"), UI_TIMEOUT)
            .await?;
        let text = problem.text().await?;
        assert!(
            text.contains("broken_times_trail.gpx"),
            "the problem does not name the GPX file: {text}"
        );
        assert!(
            text.to_lowercase().contains("time"),
            "the problem does not say what is wrong: {text}"
        );
        assert_no_debug_text(&app).await?;
        Ok(app)
    })
}

#[test]
#[ignore = "needs Xvfb + tauri-driver: run via tests/e2e/run-gui.sh"]
fn adding_folders_reports_each_one_and_lists_the_new_sequence() -> TestResult {
    with_app("add-folder", |app| async move {
        let total = sequence_folder_count(&library_dir()?)?;
        wait_for_count(&app, total).await?;
        let elsewhere = home()?.join("Elsewhere");
        let ride = write_sequence(&elsewhere, &EXTRA_SEQUENCE)?;
        let not_a_sequence = elsewhere.join("holiday_photos");
        fs::create_dir_all(&not_a_sequence)?;
        let file = elsewhere.join("notes.txt");
        fs::write(&file, "not a sequence")?;

        // The same command the window's drop handler uses.
        let paths = [&ride, &not_a_sequence, &file].map(|p| p.display().to_string());
        let outcome = invoke(&app, "add_paths", json!({ "args": { "paths": paths } })).await?;
        let added = outcome["added"].as_array().cloned().unwrap_or_default();
        assert_eq!(added.len(), 1, "outcome: {outcome}");
        assert_eq!(added[0]["sequenceCount"], 1, "outcome: {outcome}");
        let rejected = outcome["rejected"].to_string();
        assert!(
            rejected.contains("holiday_photos"),
            "the refusal does not name the folder: {outcome}"
        );
        assert!(
            rejected.contains("notes.txt"),
            "the refusal does not name the file: {outcome}"
        );

        app.find(Locator::Css("[data-testid=refresh]"))
            .await?
            .click()
            .await?;
        let listed = wait_for_count(&app, total + 1).await;
        let names = visible_names(&app).await?;
        let folders = text_of(&app, "[data-testid=library-folders]").await?;
        screenshot("add-folder-listed")?;

        // Leave the library as the other tests expect it, then judge.
        let root = added[0]["path"].as_str().unwrap_or_default().to_string();
        invoke(&app, "remove_root", json!({ "args": { "path": root } })).await?;
        app.find(Locator::Css("[data-testid=refresh]"))
            .await?
            .click()
            .await?;
        assert_eq!(listed?, format!("{} sequences", total + 1));
        assert!(
            names.iter().any(|n| n == EXTRA_SEQUENCE.name),
            "names: {names:?}"
        );
        assert!(
            folders.contains(&EXTRA_SEQUENCE.dir()),
            "library folders: {folders}"
        );
        wait_for_count(&app, total).await?;
        Ok(app)
    })
}

// ---------------------------------------------------------------------------------------------
// Uploads (groundwork): select, confirm, the queue and the history, without fake services.
// With no account connected every upload stops before any request, so these tests need nothing
// from the runner beyond what the library tests need.
// ---------------------------------------------------------------------------------------------

#[test]
#[ignore = "needs Xvfb + tauri-driver: run via tests/e2e/run-gui.sh"]
fn upload_selected_lists_what_is_skipped_then_asks_to_connect() -> TestResult {
    with_app("upload-not-connected", |app| async move {
        let total = sequence_folder_count(&library_dir()?)?;
        wait_for_count(&app, total).await?;
        let elsewhere = home()?.join("UploadTest");
        let folder = write_sequence(&elsewhere, &UPLOAD_SEQUENCE)?;
        set_mtpw_id(&folder, "3b2d6f0e-5a41-4c8e-9d7a-1f0e2c3b4a59")?;
        let outcome = invoke(
            &app,
            "add_paths",
            json!({ "args": { "paths": [elsewhere.display().to_string()] } }),
        )
        .await?;
        let root = outcome["added"][0]["path"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        click(&app, "[data-testid=refresh]").await?;
        wait_for_count(&app, total + 1).await?;
        let ready = format!(
            "return [...document.querySelectorAll('[data-testid=sequence-row]')].some((r) => \
               r.querySelector('[data-testid=sequence-name]').textContent.trim() === '{}' && \
               r.querySelector('[data-testid=status-chip]').dataset.status === 'ready');",
            UPLOAD_SEQUENCE.name
        );
        wait_for_js(&app, "the new sequence's track to be checked", &ready).await?;

        // "Select all ready" selects something; then pick three by ctrl-click.
        click(&app, "[data-testid=select-all-ready]").await?;
        wait_for_js(
            &app,
            "a selection",
            "return !!document.querySelector('[data-testid=selection-count]')",
        )
        .await?;
        let all_ready = text_of(&app, "[data-testid=selection-count]").await?;
        app.execute(
            "document.querySelector('[data-testid=selection-bar] button').click()",
            vec![],
        )
        .await?;
        for name in [
            UPLOAD_SEQUENCE.name,
            "Broken Times Trail",
            "Ridge Walk Snowdon",
        ] {
            ctrl_click_row(&app, name).await?;
        }
        assert_eq!(
            text_of(&app, "[data-testid=selection-count]").await?,
            "3 selected"
        );
        screenshot("upload-selection")?;

        click(&app, "[data-testid=upload-selected]").await?;
        app.wait_for(Locator::Css("[data-testid=upload-confirm]"), UI_TIMEOUT)
            .await?;
        let title = text_of(&app, "#confirm-title").await?;
        let skipped: Vec<(String, String)> = serde_json::from_value(
            app.execute(
                "return [...document.querySelectorAll('[data-testid=skipped-sequence]')].map((e) => [e.textContent.trim(), e.dataset.reason]);",
                vec![],
            )
            .await?,
        )?;
        screenshot("upload-confirm")?;
        click(&app, "[data-testid=upload-confirm-button]").await?;

        // The queue: the one sequence stops before any request, asking to connect.
        app.wait_for(Locator::Css("[data-testid=queue-row]"), UI_TIMEOUT)
            .await?;
        wait_for_js(
            &app,
            "the upload to stop for want of a connection",
            "const r = document.querySelector('[data-testid=queue-row]'); return !!r && r.dataset.state === 'notSignedIn';",
        )
        .await?;
        app.wait_for(Locator::Css("[data-testid=connect-banner]"), UI_TIMEOUT)
            .await?;
        let banner = text_of(&app, "[data-testid=connect-banner]").await?;
        let summary = text_of(&app, "[data-testid=batch-summary]").await?;
        screenshot("queue-not-connected")?;
        assert_no_debug_text(&app).await?;

        // History lists it; its detail has the message and a Retry.
        click(&app, "[data-testid=nav-history]").await?;
        app.wait_for(Locator::Css("[data-testid=history-row]"), UI_TIMEOUT)
            .await?;
        let row_name = text_of(&app, "[data-testid=history-row] .name").await?;
        click(&app, "[data-testid=history-row]").await?;
        app.wait_for(Locator::Css("[data-testid=history-detail]"), UI_TIMEOUT)
            .await?;
        let message = text_of(&app, "[data-testid=history-message]").await?;
        let retry = app
            .find_all(Locator::Css("[data-testid=history-retry]"))
            .await?
            .len();
        screenshot("history-detail")?;

        // Leave the library as the other tests expect it, then judge.
        invoke(&app, "remove_root", json!({ "args": { "path": root } })).await?;
        assert!(
            all_ready.ends_with("selected") && all_ready != "0 selected",
            "{all_ready}"
        );
        assert_eq!(title, "Upload 1 sequence to Strava?");
        let mut reasons: Vec<&str> = skipped.iter().map(|(_, reason)| reason.as_str()).collect();
        reasons.sort();
        assert_eq!(reasons, ["invalidGpx", "noMtpwId"], "{skipped:?}");
        assert!(
            skipped
                .iter()
                .any(|(text, reason)| reason == "invalidGpx"
                    && text.starts_with("Broken Times Trail")),
            "{skipped:?}"
        );
        assert!(banner.contains("wait for a connection"), "banner: {banner}");
        assert!(banner.contains("Connect"), "banner: {banner}");
        assert!(summary.contains("1 need attention"), "summary: {summary}");
        assert_eq!(row_name, UPLOAD_SEQUENCE.name);
        assert!(message.contains("Sign in to"), "message: {message}");
        assert_eq!(retry, 1);
        Ok(app)
    })
}

#[test]
#[ignore = "needs Xvfb + tauri-driver: run via tests/e2e/run-gui.sh"]
fn the_upload_screens_say_what_to_do_when_empty() -> TestResult {
    with_app("uploads-empty", |app| async move {
        click(&app, "[data-testid=nav-queue]").await?;
        let queue = app
            .wait_for(
                Locator::Css("[data-testid=queue-empty], [data-testid=queue-list]"),
                UI_TIMEOUT,
            )
            .await?;
        let shown = queue.attr("data-testid").await?;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let queue_alerts = app.find_all(Locator::Css("[role=alert]")).await?.len();
        screenshot("queue")?;
        click(&app, "[data-testid=nav-history]").await?;
        app.wait_for(Locator::Css("[data-testid=history-count]"), UI_TIMEOUT)
            .await?;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let history_alerts = app.find_all(Locator::Css("[role=alert]")).await?.len();
        screenshot("history")?;
        click(&app, "[data-testid=nav-library]").await?;
        app.wait_for(Locator::Css("[data-testid=library-count]"), UI_TIMEOUT)
            .await?;
        assert!(shown.is_some());
        assert_eq!(queue_alerts, 0, "the Uploads screen shows an error");
        assert_eq!(history_alerts, 0, "the History screen shows an error");
        assert_no_debug_text(&app).await?;
        Ok(app)
    })
}

const UPLOAD_SEQUENCE: KnownSequence = KnownSequence {
    name: "Upload Ride Porto",
    transport: ("Earth", "Bicycle"),
    created: "2021-05-05T09:00:00",
    centre: (41.1496, -8.6109),
    points: 70,
    drop_a_time: false,
};

/// The library id of a sequence folder (its path bytes in hex), as the engine gives it.
fn sequence_id_of(folder: &Path) -> String {
    use std::os::unix::ffi::OsStrExt;
    folder
        .as_os_str()
        .as_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Gives a written sequence an MTPW id (`destination.mtp`), as MTP Desktop Uploader does after syncing.
fn set_mtpw_id(folder: &Path, uuid: &str) -> TestResult {
    let name = folder
        .file_name()
        .ok_or("no folder name")?
        .to_string_lossy()
        .into_owned();
    let file = folder.join(format!("{name}.json"));
    let mut record: Value = serde_json::from_slice(&fs::read(&file)?)?;
    record["sequence"]["destination"] = json!({ "mtp": uuid });
    fs::write(&file, serde_json::to_vec_pretty(&record)?)?;
    Ok(())
}

async fn click(app: &Client, css: &str) -> TestResult {
    app.wait_for(Locator::Css(css), UI_TIMEOUT)
        .await?
        .click()
        .await?;
    Ok(())
}

/// A ctrl-click on a library row (WebDriver has no modifier clicks here: the same DOM event).
async fn ctrl_click_row(app: &Client, name: &str) -> TestResult {
    row_for(app, name).await?;
    let script = "const row = [...document.querySelectorAll('[data-testid=sequence-row]')] \
                    .find((r) => r.querySelector('[data-testid=sequence-name]').textContent.trim() === arguments[0]); \
                  row.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, ctrlKey: true }));";
    app.execute(script, vec![json!(name)]).await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Running the app
// ---------------------------------------------------------------------------------------------

/// Writes the known sequences, starts the app, runs `steps`, saves a screenshot named `name`
/// (also when a step fails) and always ends the session, which closes the app.
fn with_app<F, Fut>(name: &str, steps: F) -> TestResult
where
    F: FnOnce(Client) -> Fut,
    Fut: Future<Output = TestResult<Client>> + Send + 'static,
{
    with_app_binary(name, &session_binary()?, steps)
}

/// [`with_app`] with another binary (the dark-mode wrapper of the same app).
fn with_app_binary<F, Fut>(name: &str, binary: &Path, steps: F) -> TestResult
where
    F: FnOnce(Client) -> Fut,
    Fut: Future<Output = TestResult<Client>> + Send + 'static,
{
    with_app_launched(name, binary, &[], steps)
}

/// [`with_app_binary`], the app started with `args` (a deep link at cold start).
fn with_app_launched<F, Fut>(name: &str, binary: &Path, args: &[&str], steps: F) -> TestResult
where
    F: FnOnce(Client) -> Fut,
    Fut: Future<Output = TestResult<Client>> + Send + 'static,
{
    let _turn = ONE_APP_AT_A_TIME
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    write_known_library(&library_dir()?)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let app = start_app(binary, args).await?;
        let probe = app.clone();
        // On its own task, so a failed assertion still ends the session (and the app).
        let outcome = tokio::spawn(steps(app)).await;
        let shot = screenshot(name);
        let closed = probe.close().await;
        match outcome {
            Ok(result) => drop(result?),
            Err(failed) if failed.is_panic() => std::panic::resume_unwind(failed.into_panic()),
            Err(failed) => return Err(failed.into()),
        }
        closed?;
        shot
    })
}

/// A WebDriver session on the app binary, with the library on screen.
async fn start_app(application: &Path, args: &[&str]) -> TestResult<Client> {
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "tauri:options".into(),
        json!({ "application": application, "args": args }),
    );
    let webdriver = webdriver_url();
    let app = tokio::time::timeout(STARTUP_TIMEOUT, Client::connect(&webdriver, capabilities))
        .await
        .map_err(|_| {
            format!(
                "the app did not start within {STARTUP_TIMEOUT:?} (tauri-driver at {webdriver})"
            )
        })??;
    let ready = async {
        app.set_timeouts(Duration::ZERO, STARTUP_TIMEOUT, UI_TIMEOUT)
            .await?;
        app.wait_for(Locator::Css("[data-testid=app-root]"), STARTUP_TIMEOUT)
            .await
    };
    if let Err(not_ready) = ready.await {
        // End the session, or tauri-driver refuses the next test's ("Maximum number of active
        // sessions") and one failure becomes five.
        let _ = app.close().await;
        return Err(not_ready.into());
    }
    if let Err(guide_stuck) = first_run::skip_guide(&app).await {
        let _ = app.close().await;
        return Err(guide_stuck);
    }
    Ok(app)
}

fn app_binary() -> TestResult<PathBuf> {
    let path = std::env::var_os("MTP_GUI_APP")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_dir().join("target/debug/mtp-strava-uploader"));
    if !path.is_file() {
        return Err(format!(
            "the app binary {} does not exist: build it first",
            path.display()
        )
        .into());
    }
    Ok(path.canonicalize()?)
}

/// What a WebDriver session starts: `MTP_GUI_SESSION_APP` (the runner's wrapper that keeps the
/// app's output in the logs), else the app binary itself.
fn session_binary() -> TestResult<PathBuf> {
    match std::env::var_os("MTP_GUI_SESSION_APP") {
        Some(wrapper) => Ok(PathBuf::from(wrapper)),
        None => app_binary(),
    }
}

fn webdriver_url() -> String {
    std::env::var("MTP_GUI_WEBDRIVER").unwrap_or_else(|_| "http://127.0.0.1:4444".to_string())
}

fn workspace_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn home() -> TestResult<PathBuf> {
    let home = std::env::var_os("HOME").ok_or("HOME is not set")?;
    Ok(PathBuf::from(home))
}

fn library_dir() -> TestResult<PathBuf> {
    Ok(home()?.join("MTP").join("sequences"))
}

/// Saves what the X display shows as target/screenshots/gui-<name>.png.
///
/// WebKitWebDriver's own screenshot command hangs under Xvfb (WebKitGTK 2.50, no GPU), so the
/// picture comes from the display itself: exactly what a user would see, window frame included.
fn screenshot(name: &str) -> TestResult {
    let dir = std::env::var_os("MTP_GUI_SCREENSHOTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_dir().join("target/screenshots"));
    fs::create_dir_all(&dir)?;
    let display = std::env::var("DISPLAY").map_err(|_| "DISPLAY is not set")?;
    let file = dir.join(format!("gui-{name}.png"));
    let status = std::process::Command::new("import")
        .args(["-display", &display, "-window", "root"])
        .arg(&file)
        .status()?;
    if !status.success() {
        return Err(format!("import could not save {}", file.display()).into());
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Reading the UI
// ---------------------------------------------------------------------------------------------

/// The position in the whole list (aria-posinset) of the focused row, if a row has the focus.
async fn focused_position(app: &Client) -> TestResult<Option<usize>> {
    // the focus moves after the list re-renders: give it a moment
    tokio::time::sleep(Duration::from_millis(200)).await;
    let script = "const e = document.activeElement; \
                  return e && e.getAttribute('role') === 'option' ? e.getAttribute('aria-posinset') : null;";
    Ok(match app.execute(script, vec![]).await? {
        Value::String(position) => position.parse().ok(),
        _ => None,
    })
}

/// Waits until the library shows `expected` sequences, and returns the count text.
async fn wait_for_count(app: &Client, expected: usize) -> TestResult<String> {
    let check = format!(
        "const c = document.querySelector('[data-testid=library-count]'); \
         const l = document.querySelector('[data-testid=sequence-list]'); \
         return !!c && c.dataset.total === '{expected}' && !!l && l.dataset.count === '{expected}';"
    );
    wait_for_js(app, &format!("{expected} sequences in the library"), &check).await?;
    text_of(app, "[data-testid=library-count]").await
}

/// Polls a JavaScript predicate until it returns true, or fails after [`UI_TIMEOUT`].
async fn wait_for_js(app: &Client, what: &str, predicate: &str) -> TestResult {
    let deadline = Instant::now() + UI_TIMEOUT;
    loop {
        if app.execute(predicate, vec![]).await? == Value::Bool(true) {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(format!("timed out waiting for {what}").into());
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

/// The text of the first element matching `css` (from the DOM, see [`visible_names`]).
async fn text_of(app: &Client, css: &str) -> TestResult<String> {
    let script =
        "const e = document.querySelector(arguments[0]); return e ? e.textContent.trim() : null;";
    match app.execute(script, vec![json!(css)]).await? {
        Value::String(text) => Ok(text.split_whitespace().collect::<Vec<_>>().join(" ")),
        _ => Err(format!("nothing matches {css}").into()),
    }
}

/// Every name in the list, in order: the list is windowed (only the rows in view are in the
/// page), so this scrolls it from top to bottom and reads each row by its position.
async fn visible_names(app: &Client) -> TestResult<Vec<String>> {
    let names = app.execute_async(LISTED_NAMES_SCRIPT, vec![]).await?;
    Ok(serde_json::from_value(names)?)
}

const LISTED_NAMES_SCRIPT: &str = "const done = arguments[arguments.length - 1]; \
    const list = document.querySelector('[data-testid=sequence-list]'); \
    if (!list) { done([]); return; } \
    const names = []; \
    const read = () => list.querySelectorAll('[role=option]').forEach((o) => { \
      names[Number(o.getAttribute('aria-posinset')) - 1] = \
        o.querySelector('[data-testid=sequence-name]').textContent.trim(); }); \
    (async () => { \
      for (let top = 0; ; top += Math.max(1, list.clientHeight - 60)) { \
        list.scrollTop = top; \
        await new Promise((r) => setTimeout(r, 60)); \
        read(); \
        if (list.scrollTop + list.clientHeight >= list.scrollHeight - 1) break; \
      } \
      list.scrollTop = 0; \
      await new Promise((r) => setTimeout(r, 60)); \
      done(names); \
    })();";

/// The row of the sequence named `name`, scrolled into view (the windowed list renders only
/// the rows in view, so this scrolls it until the row appears).
async fn row_for(app: &Client, name: &str) -> TestResult<Element> {
    let script = "const [name, done] = arguments; \
                  const list = document.querySelector('[data-testid=sequence-list]'); \
                  const find = () => [...document.querySelectorAll('[data-testid=sequence-row]')] \
                    .find((r) => r.querySelector('[data-testid=sequence-name]').textContent.trim() === name); \
                  (async () => { \
                    for (let top = 0; list; top += Math.max(1, list.clientHeight - 60)) { \
                      if (find()) break; \
                      if (top > list.scrollHeight) break; \
                      list.scrollTop = top; \
                      await new Promise((r) => setTimeout(r, 60)); \
                    } \
                    const row = find(); \
                    if (!row) { done(null); return; } \
                    row.scrollIntoView({ block: 'center' }); \
                    await new Promise((r) => setTimeout(r, 60)); \
                    done(row.dataset.sequenceId); \
                  })();";
    let deadline = Instant::now() + UI_TIMEOUT;
    loop {
        if let Value::String(id) = app.execute_async(script, vec![json!(name)]).await? {
            let css = format!(
                "[data-sequence-id=\"{}\"]",
                id.replace('\\', "\\\\").replace('"', "\\\"")
            );
            return Ok(app.find(Locator::Css(&css)).await?);
        }
        if Instant::now() > deadline {
            return Err(format!("no row named {name:?}").into());
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

async fn open_sequence(app: &Client, name: &str) -> TestResult {
    row_for(app, name).await?.click().await?;
    app.wait_for(Locator::Css("[data-testid=detail-view]"), UI_TIMEOUT)
        .await?;
    Ok(())
}

/// Calls one of the app's commands the way the UI does, and returns its JSON result.
async fn invoke(app: &Client, command: &str, args: Value) -> TestResult<Value> {
    let script = "const [command, args, done] = arguments; \
                  window.__TAURI_INTERNALS__.invoke(command, args) \
                    .then((ok) => done({ ok: ok ?? null }), (err) => done({ err: JSON.stringify(err) }));";
    let answer = app
        .execute_async(script, vec![json!(command), args])
        .await?;
    if let Some(err) = answer.get("err") {
        return Err(format!("{command} failed: {err}").into());
    }
    Ok(answer.get("ok").cloned().unwrap_or(Value::Null))
}

/// Users never see raw JSON or Rust debug text.
async fn assert_no_debug_text(app: &Client) -> TestResult {
    let text = app.find(Locator::Css("body")).await?.text().await?;
    for marker in [
        "{\"",
        "Some(",
        "None",
        "Err(",
        "Ok(",
        "undefined",
        "NaN",
        "[object",
    ] {
        assert!(
            !text.contains(marker),
            "the window shows {marker:?}:\n{text}"
        );
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The library on disk
// ---------------------------------------------------------------------------------------------

/// A sequence the tests know by name.
struct KnownSequence {
    name: &'static str,
    transport: (&'static str, &'static str),
    created: &'static str,
    /// Where the track is, and how many points it has.
    centre: (f64, f64),
    points: usize,
    /// Leave out the time of one track point (the GPX is then invalid).
    drop_a_time: bool,
}

impl KnownSequence {
    /// MTP Desktop Uploader's folder name: lower case, spaces as underscores.
    fn dir(&self) -> String {
        self.name.to_lowercase().replace(' ', "_")
    }
}

const KNOWN_SEQUENCES: [KnownSequence; 5] = [
    KnownSequence {
        name: "Morning Ride Lisbon",
        transport: ("Earth", "Bicycle"),
        created: "2024-06-02T07:12:00",
        centre: (38.7223, -9.1393),
        points: 240,
        drop_a_time: false,
    },
    KnownSequence {
        name: "Lake Paddle Annecy",
        transport: ("Water", "Paddleboard"),
        created: "2024-05-18T10:03:00",
        centre: (45.8566, 6.1690),
        points: 160,
        drop_a_time: false,
    },
    KnownSequence {
        name: "Ridge Walk Snowdon",
        transport: ("Earth", "Walk"),
        created: "2023-09-09T09:30:00",
        centre: (53.0685, -4.0763),
        points: 120,
        drop_a_time: false,
    },
    KnownSequence {
        name: "Coast Road Drive",
        transport: ("Earth", "Car"),
        created: "2023-07-01T16:45:00",
        centre: (43.2965, 5.3698),
        points: 90,
        drop_a_time: false,
    },
    KnownSequence {
        name: "Broken Times Trail",
        transport: ("Earth", "Walk"),
        created: "2022-04-10T08:00:00",
        centre: (46.5197, 6.6323),
        points: 60,
        drop_a_time: true,
    },
];

/// A folder in the library with photos but no `<dir>.json`.
const NOT_A_SEQUENCE: &str = "holiday_photos";

const EXTRA_SEQUENCE: KnownSequence = KnownSequence {
    name: "Extra Ride Portugal",
    transport: ("Earth", "Bicycle"),
    created: "2021-03-03T11:00:00",
    centre: (41.1579, -8.6291),
    points: 80,
    drop_a_time: false,
};

/// Writes the known sequences that are not there yet (other sequences, e.g. from
/// `gen-fixtures --demo`, are left alone).
fn write_known_library(dir: &Path) -> TestResult {
    // A folder without its `<dir>.json` is not a sequence: listed as skipped, with the reason.
    fs::create_dir_all(dir.join(NOT_A_SEQUENCE).join("originals"))?;
    for sequence in &KNOWN_SEQUENCES {
        if !dir.join(sequence.dir()).exists() {
            write_sequence(dir, sequence)?;
        }
    }
    Ok(())
}

/// Writes `<dir>/<dir>.json` and `<dir>/<dir>.gpx` as MTP Desktop Uploader does; returns the folder.
fn write_sequence(parent: &Path, sequence: &KnownSequence) -> TestResult<PathBuf> {
    let dir_name = sequence.dir();
    let folder = parent.join(&dir_name);
    fs::create_dir_all(&folder)?;
    let duration = (sequence.points as u64 - 1) * 5;
    let photos: serde_json::Map<String, Value> = (0..sequence.points)
        .map(|i| (format!("photo-{i:04}"), json!({ "original": {} })))
        .collect();
    let record = json!({
        "sequence": {
            "id": format!("00000000-0000-4000-8000-{:012}", sequence.points),
            "uploader_sequence_name": sequence.name,
            "uploader_sequence_description": format!("{} (GUI test fixture)", sequence.name),
            "uploader_transport_type": sequence.transport.0,
            "uploader_transport_method": sequence.transport.1,
            "uploader_tags": ["gui-test"],
            "created": sequence.created,
            "earliest_time": sequence.created,
            "durationsec": duration,
            "distance_km": 3.2,
            "uploader_camera": "GoPro MAX"
        },
        "photo": photos,
    });
    fs::write(
        folder.join(format!("{dir_name}.json")),
        serde_json::to_vec_pretty(&record)?,
    )?;
    fs::write(folder.join(format!("{dir_name}.gpx")), gpx_track(sequence))?;
    Ok(folder)
}

/// A GPX 1.1 track: a wobbly loop around the centre, one point every five seconds.
fn gpx_track(sequence: &KnownSequence) -> String {
    let (lat0, lon0) = sequence.centre;
    let start = &sequence.created[..19];
    let mut points = String::new();
    for i in 0..sequence.points {
        let angle = i as f64 / sequence.points as f64 * std::f64::consts::TAU;
        let radius = 0.01 * (1.0 + 0.3 * (3.0 * angle).sin());
        let lat = lat0 + radius * angle.sin();
        let lon = lon0 + 1.6 * radius * angle.cos() + 0.004 * angle;
        let time = if sequence.drop_a_time && i == sequence.points / 2 {
            String::new()
        } else {
            format!("<time>{}Z</time>", add_seconds(start, i as u64 * 5))
        };
        points.push_str(&format!(
            "      <trkpt lat=\"{lat:.7}\" lon=\"{lon:.7}\"><ele>{:.1}</ele>{time}</trkpt>\n",
            100.0 + 20.0 * angle.sin()
        ));
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <gpx version=\"1.1\" creator=\"mtp-testkit gui suite\" xmlns=\"http://www.topografix.com/GPX/1/1\">\n\
         \x20 <trk>\n    <name>{}</name>\n    <trkseg>\n{points}    </trkseg>\n  </trk>\n</gpx>\n",
        sequence.name
    )
}

/// `YYYY-MM-DDTHH:MM:SS` plus some seconds (the fixtures stay within one day).
fn add_seconds(start: &str, seconds: u64) -> String {
    let field = |range: std::ops::Range<usize>| start[range].parse::<u64>().unwrap_or(0);
    let total = field(11..13) * 3600 + field(14..16) * 60 + field(17..19) + seconds;
    format!(
        "{}T{:02}:{:02}:{:02}",
        &start[..10],
        total / 3600 % 24,
        total / 60 % 60,
        total % 60
    )
}

/// How many sequences the library lists for a root: every visible sub-folder that holds its
/// `<dir>.json` (a folder without it is not a sequence: it is listed as skipped).
fn sequence_folder_count(dir: &Path) -> TestResult<usize> {
    let mut count = 0;
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        let visible = !name.to_string_lossy().starts_with('.');
        let mut json = name.clone();
        json.push(".json");
        if visible && entry.path().is_dir() && fs::symlink_metadata(entry.path().join(json)).is_ok()
        {
            count += 1;
        }
    }
    Ok(count)
}

#[test]
fn the_fixture_clock_adds_seconds() {
    assert_eq!(
        add_seconds("2024-06-02T07:12:00", 65),
        "2024-06-02T07:13:05"
    );
}
