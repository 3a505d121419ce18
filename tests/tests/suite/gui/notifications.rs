//! GUI: when an upload batch ends, the app tells the desktop with a notification that carries
//! the counts. A fake notification server on the run's session bus records what the app sends
//! over D-Bus (`org.freedesktop.Notifications.Notify`).

use std::time::{Duration, Instant};

use mtp_testkit::fake::notifications::FakeNotificationServer;
use mtp_testkit::webdriver::Locator;
use serde_json::json;

use super::uploads::click;
use super::{
    home, invoke, library_dir, screenshot, sequence_folder_count, sequence_id_of, session_binary,
    set_mtpw_id, wait_for_count, wait_for_js, with_app_binary, write_sequence, KnownSequence,
    TestResult, UI_TIMEOUT,
};

const WAITING_RIDE: KnownSequence = KnownSequence {
    name: "Notified Ride Faro",
    transport: ("Earth", "Bicycle"),
    created: "2021-07-07T09:00:00",
    centre: (37.0194, -7.9304),
    points: 75,
    drop_a_time: false,
};

#[test]
#[ignore = "needs Xvfb + tauri-driver + a D-Bus session: run via tests/e2e/run-gui.sh"]
fn a_finished_batch_sends_a_desktop_notification_with_its_counts() -> TestResult {
    let server = std::sync::Arc::new(FakeNotificationServer::start()?);
    let seen = std::sync::Arc::clone(&server);
    with_app_binary(
        "notification-batch-end",
        &session_binary()?,
        |app| async move {
            let total = sequence_folder_count(&library_dir()?)?;
            wait_for_count(&app, total).await?;
            // Not connected: the upload stops before any request, needing attention.
            for provider in ["strava", "mtpw"] {
                invoke(
                    &app,
                    "disconnect",
                    json!({ "args": { "provider": provider } }),
                )
                .await?;
            }
            let elsewhere = home()?.join("NotificationTest");
            let folder = write_sequence(&elsewhere, &WAITING_RIDE)?;
            set_mtpw_id(&folder, "0b7e2c4d-1a3f-4b5c-8d9e-6f7a8b9c0d1e")?;
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
            let before = seen.received().len();
            invoke(
                &app,
                "upload_sequences",
                json!({ "args": { "sequenceIds": [sequence_id_of(&folder)], "insist": false } }),
            )
            .await?;
            click(&app, "nav-queue").await?;
            app.wait_for(Locator::Css("[data-testid=queue-row]"), UI_TIMEOUT)
                .await?;
            wait_for_js(
                &app,
                "the upload to stop for want of a connection",
                "const r = document.querySelector('[data-testid=queue-row]'); return !!r && r.dataset.state === 'notSignedIn';",
            )
            .await?;
            let deadline = Instant::now() + Duration::from_secs(10);
            while seen.received().len() == before && Instant::now() < deadline {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            // The window keeps its own notice too.
            let in_window = wait_for_js(
                &app,
                "the in-window notice",
                "return [...document.querySelectorAll('[data-testid=notice]')].some((n) => n.textContent.includes('need'));",
            )
            .await;
            screenshot("notification-batch-end")?;
            invoke(&app, "remove_root", json!({ "args": { "path": root } })).await?;

            let received = seen.received();
            let notice = received
                .get(before..)
                .and_then(|new| new.last())
                .ok_or("the app sent no desktop notification when the batch ended")?;
            assert_eq!(
                received.len(),
                before + 1,
                "one batch, one notification: {received:?}"
            );
            assert_eq!(
                notice.summary,
                "Uploads finished: 0 done, 1 needs attention"
            );
            assert!(
                notice.body.contains("Uploads") && notice.body.contains("attention"),
                "body: {}",
                notice.body
            );
            in_window?;
            Ok(app)
        },
    )?;
    drop(server);
    Ok(())
}
