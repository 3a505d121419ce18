//! Automatic upload: only sequences that appeared after it was switched on are queued, once,
//! and only while it is on; they then go through the same queue as any other upload.

use std::sync::Arc;
use std::time::Duration;

use super::with_accounts::{add_sequence, signed_in};
use mtp_engine::files::folder_of_id;
use mtp_engine::settings::SettingsUpdate;
use mtp_engine::uploads::{UploadState, Uploads};

async fn switch(engine: &mtp_engine::Engine, on: bool) {
    let update = SettingsUpdate {
        auto_upload: Some(on),
        ..SettingsUpdate::default()
    };
    let settings = engine.accounts().save_settings(update).await.unwrap();
    assert_eq!(settings.auto_upload_since.is_some(), on);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_sequences_that_appear_after_it_is_switched_on_are_queued_and_only_once() {
    let (services, engine, tmp) = signed_in().await;
    let root = tmp.path().join("home/MTP/sequences");
    let uploader = Uploads::open(engine.clone()).await.unwrap();
    let before = add_sequence(&services, &root, 0).await;
    // creation times are compared in whole seconds
    tokio::time::sleep(Duration::from_millis(1100)).await;

    let folders = |ids: &[&String]| {
        ids.iter()
            .map(|id| folder_of_id(id).unwrap())
            .collect::<Vec<_>>()
    };
    assert!(
        uploader
            .enqueue_appeared(&folders(&[&before]))
            .await
            .unwrap()
            .is_empty(),
        "off: nothing"
    );
    switch(&engine, true).await;
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let after = add_sequence(&services, &root, 1).await;

    let queued = uploader
        .enqueue_appeared(&folders(&[&before, &after]))
        .await
        .unwrap();
    let queued: Vec<&str> = queued
        .iter()
        .filter(|o| o.upload.is_some())
        .map(|o| o.sequence_id.as_str())
        .collect();
    assert_eq!(
        queued,
        vec![after.as_str()],
        "the sequence that was already there stays one click away"
    );
    let summary = uploader.run(Arc::new(|_| {})).await.unwrap();
    assert_eq!(summary.records.len(), 1);
    assert_eq!(
        summary.records[0].state,
        UploadState::Done,
        "{:?}",
        summary.records[0].detail
    );

    // seen again (a later change, the next launch): never queued a second time
    assert!(uploader
        .enqueue_appeared(&folders(&[&after]))
        .await
        .unwrap()
        .is_empty());
    assert!(uploader
        .enqueue_appeared_in_library()
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        services
            .strava
            .requests()
            .iter()
            .filter(|r| r.method == "POST" && r.path.ends_with("/uploads"))
            .count(),
        1
    );

    switch(&engine, false).await;
    let later = add_sequence(&services, &root, 2).await;
    assert!(
        uploader
            .enqueue_appeared(&folders(&[&later]))
            .await
            .unwrap()
            .is_empty(),
        "off again"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_launch_what_appeared_while_the_app_was_closed_is_queued() {
    let (services, engine, tmp) = signed_in().await;
    let root = tmp.path().join("home/MTP/sequences");
    let before = add_sequence(&services, &root, 0).await;
    tokio::time::sleep(Duration::from_millis(1100)).await;
    switch(&engine, true).await;
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let while_closed = add_sequence(&services, &root, 1).await;
    let uploader = Uploads::open(engine.clone()).await.unwrap();
    let queued = uploader.enqueue_appeared_in_library().await.unwrap();
    let queued: Vec<&str> = queued
        .iter()
        .filter(|o| o.upload.is_some())
        .map(|o| o.sequence_id.as_str())
        .collect();
    assert_eq!(queued, vec![while_closed.as_str()]);
    assert_ne!(before, while_closed);
}
