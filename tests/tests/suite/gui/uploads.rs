//! GUI: an upload through the fake services, after connecting both accounts in the Accounts
//! view. The sequence's MTPW id is not known to the fake MTPW, so Strava gets the activity and
//! Map the Paths answers with an error: the queue and History must say "on Strava, Map the
//! Paths not updated", link to the activity, and offer Retry.

use std::time::{Duration, Instant};

use mtp_testkit::webdriver::{Client, Locator};
use serde_json::json;

use super::{
    home, invoke, library_dir, screenshot, sequence_folder_count, session_binary, set_mtpw_id,
    text_of, wait_for_count, wait_for_js, with_app_binary, write_sequence, KnownSequence,
    TestResult, UI_TIMEOUT,
};

const SIGN_IN_TIMEOUT: Duration = Duration::from_secs(45);
const UPLOAD_TIMEOUT: Duration = Duration::from_secs(60);

const RIDE: KnownSequence = KnownSequence {
    name: "Upload Ride Braga",
    transport: ("Earth", "Bicycle"),
    created: "2021-06-06T09:00:00",
    centre: (41.5454, -8.4265),
    points: 90,
    drop_a_time: false,
};

#[test]
#[ignore = "needs Xvfb + tauri-driver + fake services: run via tests/e2e/run-gui.sh"]
fn an_upload_reaches_strava_and_history_links_the_activity() -> TestResult {
    let binary = session_binary()?;
    with_app_binary("upload-fake-services", &binary, |app| async move {
        let total = sequence_folder_count(&library_dir()?)?;
        wait_for_count(&app, total).await?;
        for provider in ["strava", "mtpw"] {
            invoke(
                &app,
                "disconnect",
                json!({ "args": { "provider": provider } }),
            )
            .await?;
        }
        invoke(
            &app,
            "save_accounts_settings",
            json!({ "args": { "redirect_mode": "deep-link" } }),
        )
        .await?;
        click(&app, "nav-accounts").await?;
        click(&app, "strava-connect").await?;
        wait_for_card(&app, "strava").await?;
        click(&app, "mtpw-connect").await?;
        wait_for_card(&app, "mtpw").await?;

        let elsewhere = home()?.join("UploadFakes");
        let folder = write_sequence(&elsewhere, &RIDE)?;
        set_mtpw_id(&folder, "7c1e4a2b-9d3f-4e6a-8b5c-0a1f2e3d4c5b")?;
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
        let id = super::sequence_id_of(&folder);
        let queued = invoke(
            &app,
            "upload_sequences",
            json!({ "args": { "sequenceIds": [id], "insist": false } }),
        )
        .await?;
        click(&app, "nav-queue").await?;
        app.wait_for(Locator::Css("[data-testid=queue-row]"), UI_TIMEOUT)
            .await?;
        screenshot("upload-queue-running")?;
        let stopped = "const rows = [...document.querySelectorAll('[data-testid=queue-row]')]; \
                       return rows.length > 0 && rows.every((r) => ['done', 'onStravaMtpwNotUpdated', 'failed'].includes(r.dataset.state));";
        let deadline = Instant::now() + UPLOAD_TIMEOUT;
        while wait_for_js(&app, "the upload to stop", stopped)
            .await
            .is_err()
        {
            if Instant::now() > deadline {
                break;
            }
        }
        let state = app
            .execute(
                "return document.querySelector('[data-testid=queue-row]').dataset.state;",
                vec![],
            )
            .await?;
        let step = text_of(&app, "[data-testid=queue-step]").await?;
        screenshot("upload-queue-stopped")?;

        click(&app, "nav-history").await?;
        app.wait_for(Locator::Css("[data-testid=history-row]"), UI_TIMEOUT)
            .await?;
        let row = app
            .find(Locator::Css(
                "[data-testid=history-row][data-activity]:not([data-activity=''])",
            ))
            .await?;
        let activity = row.attr("data-activity").await?.unwrap_or_default();
        row.click().await?;
        let link = app
            .wait_for(Locator::Css("[data-testid=activity-link]"), UI_TIMEOUT)
            .await?;
        let href = link.attr("href").await?.unwrap_or_default();
        screenshot("upload-history-activity")?;

        invoke(&app, "remove_root", json!({ "args": { "path": root } })).await?;
        assert!(queued[0]["skipped"].is_null(), "{queued}");
        assert_eq!(state, json!("onStravaMtpwNotUpdated"), "step shown: {step}");
        assert!(
            !activity.is_empty() && activity.bytes().all(|b| b.is_ascii_digit()),
            "{activity}"
        );
        assert_eq!(
            href,
            format!("https://www.strava.com/activities/{activity}")
        );
        Ok(app)
    })
}

pub(super) async fn click(app: &Client, testid: &str) -> TestResult {
    let css = format!("[data-testid={testid}]");
    app.wait_for(Locator::Css(&css), UI_TIMEOUT)
        .await?
        .click()
        .await?;
    Ok(())
}

pub(super) async fn wait_for_card(app: &Client, provider: &str) -> TestResult {
    let check = format!(
        "const c = document.querySelector('[data-testid={provider}-card]'); return !!c && c.dataset.state === 'connected';"
    );
    let deadline = Instant::now() + SIGN_IN_TIMEOUT;
    loop {
        if wait_for_js(app, &format!("{provider} connected"), &check)
            .await
            .is_ok()
        {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(format!("{provider} did not connect").into());
        }
    }
}
