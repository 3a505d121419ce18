//! GUI: an upload through the fake services, after connecting both accounts in the Accounts
//! view. The sequence's MTPW id is not known to the fake MTPW, so Strava gets the activity and
//! Map the Paths answers with an error: the queue and History must say "on Strava, Map the
//! Paths not updated", link to the activity, and offer Retry. The batch is kept off the
//! followers' home feeds: History says so, and the sequence's detail links its activity.

use std::time::{Duration, Instant};

use mtp_testkit::fixtures::KnownSequence;
use mtp_testkit::webdriver::Locator;
use serde_json::json;
use time::macros::datetime;

use super::support::{
    add_root, click_testid, connect_by_clicking, disconnect_both, home, invoke, library_dir,
    open_sequence, remove_root, screenshot, sequence_folder_count, sequence_id_of, session_binary,
    text_of, use_redirect_mode, wait_for_count, wait_for_js, with_app_binary, write_known,
    TestResult, UI_TIMEOUT,
};

const UPLOAD_TIMEOUT: Duration = Duration::from_secs(60);

const RIDE: KnownSequence = KnownSequence {
    name: "Upload Ride Braga",
    transport: ("Earth", "Bicycle"),
    start: datetime!(2021-06-06 09:00:00 UTC),
    place: (41.5454, -8.4265),
    photos: 90,
    drop_a_time: false,
};

#[test]
#[ignore = "needs Xvfb + tauri-driver + fake services: run via tests/e2e/run-gui.sh"]
fn an_upload_reaches_strava_and_history_links_the_activity() -> TestResult {
    let binary = session_binary()?;
    with_app_binary("upload-fake-services", &binary, |app| async move {
        let total = sequence_folder_count(&library_dir()?)?;
        wait_for_count(&app, total).await?;
        disconnect_both(&app).await?;
        use_redirect_mode(&app, "deepLink").await?;
        connect_by_clicking(&app, "strava").await?;
        connect_by_clicking(&app, "mtpw").await?;

        let elsewhere = home()?.join("UploadFakes");
        let folder = write_known(
            &elsewhere,
            &RIDE,
            Some("7c1e4a2b-9d3f-4e6a-8b5c-0a1f2e3d4c5b"),
        )?;
        let root = add_root(&app, &elsewhere).await?;
        let id = sequence_id_of(&folder);
        let queued = invoke(
            &app,
            "upload_sequences",
            json!({ "args": { "sequenceIds": [id], "insist": false, "hideFromHome": true } }),
        )
        .await?;
        click_testid(&app, "nav-queue").await?;
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

        click_testid(&app, "nav-history").await?;
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
        let feed = app
            .find(Locator::Css("[data-testid=history-feed]"))
            .await?
            .attr("data-hidden")
            .await?
            .unwrap_or_default();
        screenshot("upload-history-activity")?;

        // The sequence's detail links the same activity and its Map the Paths page.
        click_testid(&app, "nav-library").await?;
        open_sequence(&app, RIDE.name).await?;
        let detail_link = app
            .wait_for(
                Locator::Css("[data-testid=detail-activity-link]"),
                UI_TIMEOUT,
            )
            .await?;
        let detail_activity = detail_link.attr("data-activity").await?.unwrap_or_default();
        let mtpw_link = app
            .find(Locator::Css("[data-testid=detail-mtpw-link]"))
            .await
            .is_ok();
        screenshot("upload-detail-links")?;
        click_testid(&app, "back-button").await?;

        remove_root(&app, &root).await?;
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
        assert_eq!(feed, "true", "History says it was kept off the home feeds");
        assert_eq!(detail_activity, activity);
        assert!(mtpw_link, "the detail links the Map the Paths page");
        Ok(app)
    })
}
