//! GUI: when an upload batch ends, the app tells the desktop with a notification that carries
//! the counts. A fake notification server on the run's session bus records what the app sends
//! over D-Bus (`org.freedesktop.Notifications.Notify`).

use mtp_testkit::fake::notifications::FakeNotificationServer;
use mtp_testkit::fixtures::KnownSequence;
use serde_json::json;
use time::macros::datetime;

use super::fakes::wait_for_notification;
use super::support::{
    add_root, click_testid, disconnect_both, home, invoke, library_dir, remove_root, screenshot,
    sequence_folder_count, sequence_id_of, session_binary, wait_for_count, wait_for_js,
    wait_for_queue_to_ask_for_a_connection, with_app_binary, write_known, TestResult,
};

const WAITING_RIDE: KnownSequence = KnownSequence {
    name: "Notified Ride Faro",
    transport: ("Earth", "Bicycle"),
    start: datetime!(2021-07-07 09:00:00 UTC),
    place: (37.0194, -7.9304),
    photos: 75,
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
            disconnect_both(&app).await?;
            let elsewhere = home()?.join("NotificationTest");
            let folder = write_known(
                &elsewhere,
                &WAITING_RIDE,
                Some("0b7e2c4d-1a3f-4b5c-8d9e-6f7a8b9c0d1e"),
            )?;
            let root = add_root(&app, &elsewhere).await?;
            let before = seen.received().len();
            invoke(
                &app,
                "upload_sequences",
                json!({ "args": { "sequenceIds": [sequence_id_of(&folder)], "insist": false } }),
            )
            .await?;
            click_testid(&app, "nav-queue").await?;
            wait_for_queue_to_ask_for_a_connection(&app).await?;
            wait_for_notification(&seen, before).await;
            // The window keeps its own notice too.
            let in_window = wait_for_js(
                &app,
                "the in-window notice",
                "return [...document.querySelectorAll('[data-testid=notice]')].some((n) => n.textContent.includes('need'));",
            )
            .await;
            screenshot("notification-batch-end")?;
            remove_root(&app, &root).await?;

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
