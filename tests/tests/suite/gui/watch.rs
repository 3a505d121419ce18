//! GUI: the library watch and automatic upload. A sequence written into a watched library
//! folder while the app runs is listed within 2 s of being complete (never as broken while it
//! is half written); with "Upload new sequences automatically" on, it is then uploaded by
//! itself, kept off the followers' home feeds as the automatic uploads' own setting says (in
//! the same PUT as the sport type), and shown in History, while the sequence that was already
//! there is not.

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use mtp_testkit::fixtures::KnownSequence;
use mtp_testkit::webdriver::{Client, Locator};
use serde_json::json;
use time::macros::datetime;

use super::fakes::{fake_json, seed_mtpw_sequences, strava_root};
use super::support::{
    add_root, click_testid, connect_by_clicking, home, invoke, leave_as_found, library_dir,
    screenshot, sequence_folder_count, session_binary, text_of, use_redirect_mode, wait_for_count,
    wait_for_js, wait_until, with_app_binary, write_known, TestResult, UI_TIMEOUT,
};

const OLD: KnownSequence = KnownSequence {
    name: "Watched Walk Porto",
    transport: ("Earth", "Walk"),
    start: datetime!(2026-10-01 08:00:00 UTC),
    place: (41.1496, -8.6109),
    photos: 40,
    drop_a_time: false,
};

const NEW: KnownSequence = KnownSequence {
    name: "Watched Ride Gaia",
    transport: ("Earth", "Bicycle"),
    start: datetime!(2026-12-01 09:00:00 UTC),
    place: (41.1239, -8.6118),
    photos: 60,
    drop_a_time: false,
};

const OLD_UUID: &str = "5b0c7f3e-1a2d-4c5e-8f90-112233445566";
const NEW_UUID: &str = "6c1d8a4f-2b3e-4d6f-9a01-223344556677";

#[test]
#[ignore = "needs Xvfb + tauri-driver + fake services: run via tests/e2e/run-gui.sh"]
fn a_sequence_written_while_the_app_runs_is_listed_at_once_and_uploaded_by_itself() -> TestResult {
    let binary = session_binary()?;
    with_app_binary("library-watch", &binary, |app| async move {
        let total = sequence_folder_count(&library_dir()?)?;
        wait_for_count(&app, total).await?;
        use_redirect_mode(&app, "deepLink").await?;
        connect_by_clicking(&app, "strava").await?;
        connect_by_clicking(&app, "mtpw").await?;
        seed_mtpw_sequences(&[
            (OLD_UUID, OLD.name, "Walk"),
            (NEW_UUID, NEW.name, "Bicycle"),
        ])
        .await?;

        let watched = home()?.join("Watched");
        write_known(&watched, &OLD, Some(OLD_UUID))?;
        add_root(&app, &watched).await?;
        let outcome = steps(&app, &watched, total).await;
        let left = switch_automatic(&app, false).await;
        invoke(
            &app,
            "save_upload_preferences",
            json!({ "args": { "autoHideFromHome": false } }),
        )
        .await?;
        leave_as_found(&app, &watched).await?;
        outcome?;
        left?;
        Ok(app)
    })
}

async fn steps(app: &Client, watched: &Path, total: usize) -> TestResult {
    click_testid(app, "nav-library").await?;
    wait_for_count(app, total + 1).await?;
    switch_automatic(app, true).await?;
    let hide = "return document.querySelector('[data-testid=auto-hide-toggle]').checked;";
    if app.execute(hide, vec![]).await? != json!(true) {
        click_testid(app, "auto-hide-toggle").await?;
    }
    wait_for_js(app, "automatic uploads kept off the feeds", hide).await?;
    let preferences = invoke(app, "upload_preferences", json!({})).await?;
    assert_eq!(
        preferences["autoHideFromHome"],
        json!(true),
        "{preferences}"
    );
    screenshot("watch-automatic-on")?;
    // the switch-on time is kept in whole seconds: what appears from the next one on is new
    tokio::time::sleep(Duration::from_millis(1100)).await;
    click_testid(app, "nav-library").await?;

    // MTP Desktop writes the new sequence: first a JSON cut short and no GPX...
    let scratch = home()?.join("WatchedScratch");
    let written = write_known(&scratch, &NEW, Some(NEW_UUID))?;
    let name = written.file_name().ok_or("no folder name")?.to_owned();
    let folder = watched.join(&name);
    fs::create_dir_all(&folder)?;
    let json_name = format!("{}.json", name.to_string_lossy());
    let gpx_name = format!("{}.gpx", name.to_string_lossy());
    let json = fs::read(written.join(&json_name))?;
    fs::write(folder.join(&json_name), &json[..json.len() / 2])?;
    let half_written = format!(
        "return [...document.querySelectorAll('[data-testid=sequence-row]')].some((r) => r.textContent.includes('{}'));",
        NEW.name
    );
    for _ in 0..6 {
        tokio::time::sleep(Duration::from_millis(150)).await;
        let listed = app.execute(&half_written, vec![]).await?;
        assert_eq!(
            listed,
            json!(false),
            "a half-written sequence is not listed (as broken or at all)"
        );
    }
    // ...then the whole JSON and the GPX.
    fs::write(folder.join(&json_name), &json)?;
    fs::copy(written.join(&gpx_name), folder.join(&gpx_name))?;
    let complete = Instant::now();
    wait_for_count(app, total + 2).await?;
    let listed_after = complete.elapsed();
    screenshot("watch-new-sequence-listed")?;
    assert!(
        listed_after < Duration::from_secs(2),
        "listed {listed_after:?} after it was complete"
    );
    eprintln!(
        "watch: the new sequence was listed {} ms after it was complete",
        listed_after.as_millis()
    );

    // uploaded by itself
    click_testid(app, "nav-queue").await?;
    let done = format!(
        "const rows = [...document.querySelectorAll('[data-testid=queue-row]')]; \
         return rows.some((r) => r.textContent.includes('{}') && r.dataset.state === 'done');",
        NEW.name
    );
    wait_until(
        app,
        "the automatic upload to finish",
        &done,
        Duration::from_secs(60),
    )
    .await?;
    let queued_old = app
        .execute(
            &format!(
                "return [...document.querySelectorAll('[data-testid=queue-row]')].some((r) => r.textContent.includes('{}'));",
                OLD.name
            ),
            vec![],
        )
        .await?;
    assert_eq!(
        queued_old,
        json!(false),
        "the sequence already there stays one click away"
    );
    screenshot("watch-automatic-uploaded")?;

    click_testid(app, "nav-history").await?;
    let in_history = format!(
        "return [...document.querySelectorAll('[data-testid=history-row]')].some((r) => r.textContent.includes('{}') && r.dataset.state === 'done' && r.dataset.activity && r.dataset.hiddenFromHome === 'true');",
        NEW.name
    );
    wait_for_js(
        app,
        "the automatic upload in History, kept off the feed",
        &in_history,
    )
    .await?;
    screenshot("watch-history")?;

    // one PUT per activity carried hide_from_home (with the sport type)
    let requests = fake_json(&strava_root()?, "/__fake/requests").await?;
    let puts: Vec<&serde_json::Value> = requests
        .as_array()
        .ok_or("no request list")?
        .iter()
        .filter(|r| {
            r["method"] == "PUT"
                && r["path"]
                    .as_str()
                    .is_some_and(|p| p.contains("/activities/"))
        })
        .collect();
    let hiding = puts
        .iter()
        .filter(|r| r.to_string().contains("hide_from_home"))
        .count();
    assert!(hiding >= 1, "a PUT carries hide_from_home: {puts:?}");
    Ok(())
}

/// Clicks the Uploads screen's switch until it shows `on`.
async fn switch_automatic(app: &Client, on: bool) -> TestResult {
    click_testid(app, "nav-queue").await?;
    app.wait_for(Locator::Css("[data-testid=auto-upload-toggle]"), UI_TIMEOUT)
        .await?;
    let state = "return document.querySelector('[data-testid=auto-upload]').dataset.on;";
    if app.execute(state, vec![]).await? != json!(on.to_string()) {
        click_testid(app, "auto-upload-toggle").await?;
    }
    let check = format!(
        "return document.querySelector('[data-testid=auto-upload]').dataset.on === '{on}';"
    );
    wait_for_js(app, "the automatic upload switch", &check).await?;
    if on {
        let said = text_of(app, "[data-testid=auto-upload-status]").await?;
        assert!(said.contains("Automatic upload is on"), "{said}");
    }
    let settings = invoke(app, "accounts_settings", json!({})).await?;
    assert_eq!(settings["autoUploadSince"].is_number(), on, "{settings}");
    Ok(())
}
