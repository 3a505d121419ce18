//! Strava refusing the API application during uploads (inactive; the athlete cap): the queue
//! holds at once, saying what to do, without burning retries or failing the uploads; resumed,
//! it goes on where each one stopped.

use crate::support::pipeline::{spec, Harness};
use mtp_engine::uploads::{UploadState, UploadStep};
use mtp_engine::ErrorCode;
use mtp_testkit::fake::{FaultKind, FaultRule, StravaConfig};

async fn three(h: &Harness) -> Vec<String> {
    let mut ids = Vec::new();
    for i in 0..3 {
        ids.push(h.add_sequence(spec(20 + i)).await.0);
    }
    ids
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_inactive_application_holds_the_queue_without_retries_and_resuming_finishes_it() {
    let h = Harness::start(StravaConfig::for_tests()).await;
    h.services.strava.add_fault(FaultRule::sometimes(
        "POST /api/v3/uploads",
        FaultKind::InactiveApplication,
        1.0,
    ));
    let ids = three(&h).await;
    let uploader = h.uploader();
    uploader.enqueue(&ids, false).unwrap();
    let summary = uploader.run(h.sink()).await.unwrap();

    let held = summary.held.clone().expect("the queue holds");
    assert_eq!(held.code, ErrorCode::StravaAppInactive);
    assert!(held.message.contains("subscri"), "{}", held.message);
    assert!(held.message.contains("queue is paused"), "{}", held.message);
    assert_eq!(uploader.snapshot().unwrap().held, Some(held.clone()));
    // No upload failed, none is looked up as lost, and no retry was spent: at most one POST
    // per job that was running (two at a time), one attempt each.
    let posts = h.strava_requests("POST", "/api/v3/uploads").len();
    assert!((1..=2).contains(&posts), "{posts} POSTs");
    for record in &summary.records {
        assert_eq!(record.state, UploadState::Queued, "{record:?}");
        let tries = record
            .attempts
            .iter()
            .filter(|a| a.step == UploadStep::Upload)
            .count();
        assert!(tries <= 1, "{record:?}");
    }
    assert!(summary
        .records
        .iter()
        .any(|r| r.detail.as_deref().is_some_and(|d| d.contains("inactive"))));

    // Strava takes uploads again (the owner subscribed): the next run does them all, once.
    h.services.strava.reset_faults();
    uploader.resume(None);
    let again = uploader.run(h.sink()).await.unwrap();
    assert!(again.all_done, "{:?}", again.records);
    assert_eq!(again.held, None);
    assert_eq!(uploader.snapshot().unwrap().held, None);
    assert_eq!(
        h.uploads_posted(),
        posts + 3,
        "each sent once more, no retries"
    );
    assert_eq!(h.live_activities().len(), 3);
    assert_eq!(
        h.strava_requests("GET", "/api/v3/athlete/activities").len(),
        0,
        "a refused POST is not looked up as a lost one"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_athlete_cap_while_polling_holds_the_queue_and_the_uploads_are_polled_again() {
    let h = Harness::start(StravaConfig::for_tests()).await;
    h.services.strava.add_fault(FaultRule::sometimes(
        "GET /api/v3/uploads/*",
        FaultKind::AthleteLimit,
        1.0,
    ));
    let ids = three(&h).await;
    let uploader = h.uploader();
    uploader.enqueue(&ids, false).unwrap();
    let summary = uploader.run(h.sink()).await.unwrap();
    let held = summary.held.clone().expect("the queue holds");
    assert_eq!(held.code, ErrorCode::StravaAthleteLimit);
    assert!(held.message.contains("review"), "{}", held.message);
    assert!(
        held.message.contains("your own API application"),
        "{}",
        held.message
    );
    let polls = h.strava_requests("GET", "/api/v3/uploads/").len();
    assert!((1..=2).contains(&polls), "{polls} polls, no retries");
    assert!(summary
        .records
        .iter()
        .all(|r| !matches!(r.state, UploadState::Failed | UploadState::NotSignedIn)));

    h.services.strava.reset_faults();
    let again = uploader.run(h.sink()).await.unwrap();
    assert!(again.all_done, "{:?}", again.records);
    assert_eq!(h.uploads_posted(), 3, "the polled ones are not sent again");
    assert_eq!(h.live_activities().len(), 3);
}
