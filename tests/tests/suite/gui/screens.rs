//! GUI: every screen, in light and then in dark mode, as a photographer meets them: the
//! first-run guide, Accounts (disconnected, connected), the library (with rows, with a
//! selection), the upload confirmation, the queue (running, finished), History and a row's
//! detail, and a sequence's detail (valid and broken). Screenshots are
//! `target/screenshots/gui-screen-<theme>-<nn>-<screen>.png`.
//!
//! Each theme runs on its own data folder, connects both accounts against the fakes, links its
//! sequences through "Create on Map the Paths" and uploads them, so every upload ends done. On
//! the way it checks what the screens promise: chips that follow the upload ("On Strava"),
//! and a keyboard path (Escape closes the confirmation, Enter confirms).

use std::time::{Duration, Instant};

use mtp_testkit::fixtures::KnownSequence;
use mtp_testkit::webdriver::{Client, Locator, KEY_ENTER, KEY_ESCAPE, KEY_SPACE, KEY_TAB};
use serde_json::{json, Value};
use time::macros::datetime;
use time::OffsetDateTime;

use super::first_run::skip_guide;
use super::support::{
    add_root, app_on_data_dir, click, ctrl_click_row, home, invoke, library_dir, open_sequence,
    reload, remove_root, screenshot, sequence_folder_count, sequence_id_of, session_binary,
    sign_out_everywhere, text_of, wait_for_card, wait_for_count, wait_for_js, wait_until,
    with_app_binary, write_known, TestResult, SIGN_IN_TIMEOUT, UI_TIMEOUT,
};

const UPLOAD_TIMEOUT: Duration = Duration::from_secs(90);

/// Five sequences per theme (different days, so Strava sees no duplicate across themes).
const LIGHT: [KnownSequence; 5] = [
    walk_seq(
        "Sunrise Ride Sintra",
        ("Earth", "Bicycle"),
        datetime!(2025-10-05 07:10:00 UTC),
        (38.7978, -9.3906),
    ),
    walk_seq(
        "Harbour Walk Porto",
        ("Earth", "Walk"),
        datetime!(2025-10-04 17:30:00 UTC),
        (41.1406, -8.6110),
    ),
    walk_seq(
        "River Paddle Coimbra",
        ("Water", "Paddleboard"),
        datetime!(2025-10-03 10:00:00 UTC),
        (40.2033, -8.4103),
    ),
    walk_seq(
        "Ridge Ride Geres",
        ("Earth", "Bicycle"),
        datetime!(2025-10-02 08:45:00 UTC),
        (41.7270, -8.1590),
    ),
    walk_seq(
        "Evening Ride Evora",
        ("Earth", "Bicycle"),
        datetime!(2025-10-01 18:20:00 UTC),
        (38.5714, -7.9135),
    ),
];
/// The same five a month earlier, for the dark theme.
fn a_month_earlier(sequences: [KnownSequence; 5]) -> [KnownSequence; 5] {
    sequences.map(|sequence| KnownSequence {
        start: sequence.start - time::Duration::days(30),
        ..sequence
    })
}

const fn walk_seq(
    name: &'static str,
    transport: (&'static str, &'static str),
    start: OffsetDateTime,
    place: (f64, f64),
) -> KnownSequence {
    KnownSequence {
        name,
        transport,
        start,
        place,
        photos: 120,
        drop_a_time: false,
    }
}

#[test]
#[ignore = "needs Xvfb + tauri-driver + fake services: run via tests/e2e/run-gui.sh"]
fn every_screen_in_light_and_dark() -> TestResult {
    walk("light", session_binary()?, LIGHT)?;
    let dark = std::env::var_os("MTP_GUI_APP_DARK").ok_or("MTP_GUI_APP_DARK is not set")?;
    walk("dark", dark.into(), a_month_earlier(LIGHT))
}

/// Walks every screen in one theme and saves a screenshot of each.
fn walk(
    theme: &'static str,
    binary: std::path::PathBuf,
    sequences: [KnownSequence; 5],
) -> TestResult {
    let data = home()?.join(format!("screens-{theme}-data"));
    let binary = app_on_data_dir(&binary, &data, &format!("screens-{theme}"))?;
    with_app_binary(
        &format!("screen-{theme}-end"),
        &binary,
        move |app| async move {
            let shot = |n: &str| screenshot(&format!("screen-{theme}-{n}"));
            let mut unlabelled: Vec<String> = Vec::new();
            let total = sequence_folder_count(&library_dir()?)?;
            wait_for_count(&app, total).await?;

            // First run: no account; the guide (reopened from the sidebar), then Accounts.
            sign_out_everywhere(&app, "deepLink").await?;
            reload(&app).await?;
            skip_guide(&app).await?;
            click(&app, "[data-testid=nav-guide]").await?;
            wait_for_js(&app, "the guide", "return document.querySelector('[data-testid=app-root]').dataset.firstRun === 'open'").await?;
            shot("01-first-run")?;
            app.active_element().await?.send_keys(KEY_ESCAPE).await?;
            wait_for_js(&app, "the guide to close", "return document.querySelector('[data-testid=app-root]').dataset.firstRun === 'closed'").await?;
            click(&app, "[data-testid=nav-accounts]").await?;
            wait_for_card(&app, "strava", "disconnected", UI_TIMEOUT).await?;
            unlabelled.extend(unlabelled_controls(&app, "02-accounts-disconnected").await?);
            shot("02-accounts-disconnected")?;
            click(&app, "[data-testid=strava-connect]").await?;
            wait_for_card(&app, "strava", "connected", SIGN_IN_TIMEOUT).await?;
            click(&app, "[data-testid=mtpw-connect]").await?;
            wait_for_card(&app, "mtpw", "connected", SIGN_IN_TIMEOUT).await?;
            unlabelled.extend(unlabelled_controls(&app, "03-accounts-connected").await?);
            shot("03-accounts-connected")?;

            // The library with five new sequences, linked on Map the Paths from the app.
            let folder = home()?.join(format!("Screens {theme}"));
            let mut ids = Vec::new();
            for sequence in &sequences {
                ids.push(sequence_id_of(&write_known(&folder, sequence, None)?));
            }
            let root = add_root(&app, &folder).await?;
            click(&app, "[data-testid=nav-library]").await?;
            click(&app, "[data-testid=refresh]").await?;
            wait_for_count(&app, total + sequences.len()).await?;
            for id in &ids {
                wait_for_chip(&app, id, &["needsMtpwId"]).await?;
                invoke(&app, "create_on_mtpw", json!({ "args": { "id": id } })).await?;
            }
            click(&app, "[data-testid=refresh]").await?;
            for id in &ids {
                wait_for_chip(&app, id, &["ready"]).await?;
            }
            scroll_library_to_top(&app).await?;
            unlabelled.extend(unlabelled_controls(&app, "04-library").await?);
            shot("04-library")?;

            for sequence in &sequences {
                ctrl_click_row(&app, sequence.name).await?;
            }
            ctrl_click_row(&app, "Broken Times Trail").await?;
            ctrl_click_row(&app, "Ridge Walk Snowdon").await?;
            scroll_library_to_top(&app).await?;
            let selected = text_of(&app, "[data-testid=selection-count]").await?;
            shot("05-library-selection")?;

            // The confirmation: Escape closes it; opened again, Enter on its focused button confirms.
            click(&app, "[data-testid=upload-selected]").await?;
            app.wait_for(Locator::Css("[data-testid=upload-confirm]"), UI_TIMEOUT)
                .await?;
            app.active_element().await?.send_keys(KEY_ESCAPE).await?;
            wait_for_js(
                &app,
                "the confirmation to close",
                "return !document.querySelector('[data-testid=upload-confirm]')",
            )
            .await?;
            click(&app, "[data-testid=upload-selected]").await?;
            app.wait_for(Locator::Css("[data-testid=upload-confirm]"), UI_TIMEOUT)
                .await?;
            let title = text_of(&app, "#confirm-title").await?;
            let focused = focused_testid(&app).await?;
            unlabelled.extend(unlabelled_controls(&app, "06-upload-confirm").await?);
            shot("06-upload-confirm")?;
            app.active_element().await?.send_keys(KEY_ENTER).await?;

            // The queue while it works, then finished.
            app.wait_for(Locator::Css("[data-testid=queue-row]"), UI_TIMEOUT)
                .await?;
            tokio::time::sleep(Duration::from_millis(400)).await;
            let mut heights = queue_row_heights(&app).await?;
            shot("07-queue-running")?;
            let finished =
                "const rows = [...document.querySelectorAll('[data-testid=queue-row]')]; \
                        return rows.length === 5 && rows.every((r) => r.dataset.state === 'done');";
            wait_until(&app, "every upload to be done", finished, UPLOAD_TIMEOUT).await?;
            tokio::time::sleep(Duration::from_millis(300)).await;
            let summary = text_of(&app, "[data-testid=batch-summary]").await?;
            heights.extend(queue_row_heights(&app).await?);
            clear_notices(&app).await?;
            unlabelled.extend(unlabelled_controls(&app, "08-queue-finished").await?);
            shot("08-queue-finished")?;

            // The library's chips follow the uploads.
            click(&app, "[data-testid=nav-library]").await?;
            for id in &ids {
                wait_for_chip(&app, id, &["uploaded"]).await?;
            }

            // Keyboard: Tab from the search box shows a focus ring; Space presses a button.
            app.find(Locator::Css("[data-testid=library-search]"))
                .await?
                .send_keys(KEY_TAB)
                .await?;
            let ring = focus_ring(&app).await?;
            app.execute(
                "document.querySelector('[data-testid=nav-history]').focus(); return null;",
                vec![],
            )
            .await?;
            app.active_element().await?.send_keys(KEY_SPACE).await?;
            // History and a row's detail.
            app.wait_for(Locator::Css("[data-testid=history-row]"), UI_TIMEOUT)
                .await?;
            clear_notices(&app).await?;
            shot("09-history")?;
            click(&app, "[data-testid=history-row]").await?;
            app.wait_for(Locator::Css("[data-testid=activity-link]"), UI_TIMEOUT)
                .await?;
            unlabelled.extend(unlabelled_controls(&app, "10-history-detail").await?);
            shot("10-history-detail")?;
            app.active_element().await?.send_keys(KEY_ESCAPE).await?;

            // A sequence's detail: a valid one with its track, a broken one with its reason.
            click(&app, "[data-testid=nav-library]").await?;
            open_sequence(&app, sequences[0].name).await?;
            app.wait_for(Locator::Css("[data-testid=track-line]"), UI_TIMEOUT)
                .await?;
            clear_notices(&app).await?;
            unlabelled.extend(unlabelled_controls(&app, "11-detail").await?);
            shot("11-detail")?;
            app.active_element().await?.send_keys(KEY_ESCAPE).await?;
            wait_for_js(
                &app,
                "the list",
                "return !document.querySelector('[data-testid=detail-view]')",
            )
            .await?;
            open_sequence(&app, "Broken Times Trail").await?;
            app.wait_for(Locator::Css("[data-testid=problem-item]"), UI_TIMEOUT)
                .await?;
            unlabelled.extend(unlabelled_controls(&app, "12-detail-broken").await?);
            shot("12-detail-broken")?;
            app.active_element().await?.send_keys(KEY_ESCAPE).await?;

            // Leave the library and the keyring as the other tests expect them.
            remove_root(&app, &root).await?;
            sign_out_everywhere(&app, "deepLink").await?;
            click(&app, "[data-testid=refresh]").await?;
            wait_for_count(&app, total).await?;
            assert_eq!(selected, "7 selected");
            assert!(
                unlabelled.is_empty(),
                "controls without a name: {unlabelled:#?}"
            );
            assert!(
                ring.0 != "none" && ring.1 > 0.0,
                "no focus ring on {ring:?}"
            );
            assert_eq!(title, "Upload 5 sequences to Strava?");
            assert_eq!(focused, "upload-confirm-button");
            assert!(summary.starts_with("5 done"), "{summary}");
            // Progress changes words and bars, never a row's height (no layout shift).
            assert!(
                heights.iter().all(|h| *h == heights[0]),
                "row heights {heights:?}"
            );
            Ok(app)
        },
    )
}

/// Waits until the row of sequence `id` is rendered with one of `states` on its chip (the
/// list is windowed: the row is scrolled into view first).
async fn wait_for_chip(app: &Client, id: &str, states: &[&str]) -> TestResult {
    let script = "const [id, states] = arguments; \
                  const list = document.querySelector('[data-testid=sequence-list]'); \
                  const find = () => document.querySelector(`[data-sequence-id=\"${id}\"] [data-testid=status-chip]`); \
                  for (let top = 0; list && !find() && top <= list.scrollHeight; top += 300) list.scrollTop = top; \
                  const chip = find(); \
                  return !!chip && states.includes(chip.dataset.status);";
    let deadline = Instant::now() + UI_TIMEOUT;
    loop {
        if app.execute(script, vec![json!(id), json!(states)]).await? == Value::Bool(true) {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(format!("the chip of {id} is not {states:?}").into());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// The height in pixels of every queue row in the page.
async fn queue_row_heights(app: &Client) -> TestResult<Vec<f64>> {
    let heights = app
        .execute(
            "return [...document.querySelectorAll('[data-testid=queue-row]')].map((r) => r.getBoundingClientRect().height);",
            vec![],
        )
        .await?;
    Ok(serde_json::from_value(heights)?)
}

/// Buttons, fields, links and list rows on screen with no accessible name (label, aria-label,
/// text or title), each as the start of its HTML.
async fn unlabelled_controls(app: &Client, screen: &str) -> TestResult<Vec<String>> {
    let script = "const name = (e) => (e.getAttribute('aria-label') \
          || (e.getAttribute('aria-labelledby') ? document.getElementById(e.getAttribute('aria-labelledby'))?.textContent : '') \
          || (e.labels ? [...e.labels].map((l) => l.textContent).join(' ') : '') \
          || e.textContent || e.getAttribute('title') || '').trim(); \
        return [...document.querySelectorAll('button, input, select, textarea, a[href], [role=option]')] \
          .filter((e) => e.getClientRects().length > 0 && e.type !== 'hidden' && !name(e)) \
          .map((e) => e.outerHTML.slice(0, 140));";
    let found: Vec<String> = serde_json::from_value(app.execute(script, vec![]).await?)?;
    Ok(found
        .into_iter()
        .map(|html| format!("{screen}: {html}"))
        .collect())
}

/// The outline style and width of the focused element.
async fn focus_ring(app: &Client) -> TestResult<(String, f64, String)> {
    let script = "const e = document.activeElement; const s = getComputedStyle(e); \
                  return [s.outlineStyle, parseFloat(s.outlineWidth) || 0, e.outerHTML.slice(0, 80)];";
    Ok(serde_json::from_value(app.execute(script, vec![]).await?)?)
}

/// Closes the notices at the bottom of the window (they fade by themselves after 8 s).
async fn clear_notices(app: &Client) -> TestResult {
    app.execute(
        "document.querySelectorAll('[data-testid=notice] button').forEach((b) => b.click()); return null;",
        vec![],
    )
    .await?;
    tokio::time::sleep(Duration::from_millis(200)).await;
    Ok(())
}

async fn scroll_library_to_top(app: &Client) -> TestResult {
    app.execute(
        "const l = document.querySelector('[data-testid=sequence-list]'); if (l) l.scrollTop = 0; return null;",
        vec![],
    )
    .await?;
    tokio::time::sleep(Duration::from_millis(200)).await;
    Ok(())
}

async fn focused_testid(app: &Client) -> TestResult<String> {
    let value = app
        .execute(
            "return document.activeElement?.dataset?.testid ?? '';",
            vec![],
        )
        .await?;
    Ok(value.as_str().unwrap_or_default().to_string())
}
