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
//!
//! What the tests share lives in `support` (running the app, the library on disk, clicking,
//! waiting, reading the UI, the accounts) and `fakes` (the fake services' test routes); the
//! sequences are written by `mtp_testkit::fixtures`.

use std::fs;
use std::time::Duration;

use mtp_testkit::fixtures::KnownSequence;
use mtp_testkit::webdriver::{
    Locator, KEY_ARROW_DOWN, KEY_END, KEY_ENTER, KEY_ESCAPE, KEY_PAGE_UP,
};
use serde_json::json;
use time::macros::datetime;

use support::{
    add_root, assert_no_debug_text, click, ctrl_click_row, focused_position, home, invoke,
    library_dir, open_sequence, remove_root, row_for, screenshot, sequence_folder_count, text_of,
    visible_names, wait_for_count, wait_for_js, wait_for_queue_to_ask_for_a_connection, with_app,
    write_known, TestResult, KNOWN_SEQUENCES, UI_TIMEOUT,
};

mod accounts;
mod busy_queue;
mod fakes;
mod first_run;
mod history;
mod journey;
mod logs;
mod mtpw_link;
mod notifications;
mod restart;
mod screens;
mod support;
mod uploads;
mod watch;

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
        add_root(&app, &big).await?;
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

        remove_root(&app, &path).await?;
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
        let ride = write_known(&elsewhere, &EXTRA_SEQUENCE, None)?;
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
        remove_root(&app, &root).await?;
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
            folders.contains(&EXTRA_SEQUENCE.dir_name()),
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
        write_known(
            &elsewhere,
            &UPLOAD_SEQUENCE,
            Some("3b2d6f0e-5a41-4c8e-9d7a-1f0e2c3b4a59"),
        )?;
        let root = add_root(&app, &elsewhere).await?;
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
        wait_for_queue_to_ask_for_a_connection(&app).await?;
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
        remove_root(&app, &root).await?;
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

/// A sequence the add-folder test writes outside the library.
const EXTRA_SEQUENCE: KnownSequence = KnownSequence {
    name: "Extra Ride Portugal",
    transport: ("Earth", "Bicycle"),
    start: datetime!(2021-03-03 11:00:00 UTC),
    place: (41.1579, -8.6291),
    photos: 80,
    drop_a_time: false,
};

/// The sequence the not-connected upload test writes outside the library, with its MTPW id.
const UPLOAD_SEQUENCE: KnownSequence = KnownSequence {
    name: "Upload Ride Porto",
    transport: ("Earth", "Bicycle"),
    start: datetime!(2021-05-05 09:00:00 UTC),
    place: (41.1496, -8.6109),
    photos: 70,
    drop_a_time: false,
};
