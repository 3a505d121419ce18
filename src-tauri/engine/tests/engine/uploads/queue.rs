//! The upload queue the app runs (`mtp_engine::upload_queue`) against the in-process fakes:
//! a batch in the background with throttled progress, pause and resume, cancel of one upload,
//! Retry after signing in, and resuming at start what a previous run left.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::support::pipeline::{spec, Harness};
use mtp_engine::uploads::{QueueNotice, QueueSnapshot, Uploads};
use mtp_engine::uploads::{UploadEvent, UploadState};
use mtp_testkit::fake::StravaConfig;
use tokio::sync::mpsc;

/// A started queue, the progress events it forwarded, and its idle notices.
struct Running {
    queue: Arc<Uploads>,
    progress: Arc<Mutex<Vec<UploadEvent>>>,
    idle: mpsc::UnboundedReceiver<QueueSnapshot>,
}

fn start(h: &Harness) -> Running {
    let progress = Arc::new(Mutex::new(Vec::new()));
    let (tx, idle) = mpsc::unbounded_channel();
    let seen = progress.clone();
    let listener = Arc::new(move |notice: QueueNotice| match notice {
        QueueNotice::Progress(event) => seen.lock().unwrap().push(event),
        QueueNotice::Idle(snapshot) => {
            let _ = tx.send(snapshot);
        }
    });
    let queue =
        Uploads::start(h.uploader(), tokio::runtime::Handle::current(), listener).expect("queue");
    Running {
        queue,
        progress,
        idle,
    }
}

impl Running {
    async fn until_idle(&mut self) -> QueueSnapshot {
        tokio::time::timeout(Duration::from_secs(30), self.idle.recv())
            .await
            .expect("the batch ends within 30 s")
            .expect("idle notice")
    }
}

fn states(snapshot: &QueueSnapshot) -> Vec<UploadState> {
    snapshot.rows.iter().map(|r| r.record.state).collect()
}

async fn library(h: &Harness, count: usize) -> Vec<String> {
    let mut ids = Vec::new();
    for i in 0..count {
        ids.push(h.add_sequence(spec(i)).await.0);
    }
    h.engine.scan_and_check().expect("scan");
    ids
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_runs_in_the_background_in_the_order_queued_and_ends_with_a_snapshot() {
    let h = Harness::start(StravaConfig::for_tests()).await;
    let ids = library(&h, 3).await;
    let mut running = start(&h);
    let outcomes = running.queue.enqueue(&ids, false).expect("enqueue");
    assert!(outcomes.iter().all(|o| o.skipped.is_none()), "{outcomes:?}");

    let snapshot = running.until_idle().await;
    assert_eq!(states(&snapshot), vec![UploadState::Done; 3]);
    assert!(!snapshot.running);
    let names: Vec<&str> = snapshot
        .rows
        .iter()
        .map(|r| r.record.sequence_id.as_str())
        .collect();
    assert_eq!(names, ids.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(snapshot
        .rows
        .iter()
        .all(|r| r.bytes.is_none() && r.attempt.is_none()));
    assert!(snapshot.rows.iter().all(|r| r.record.attempts.is_empty()));
    assert_eq!(h.uploads_posted(), 3);

    // Every row's steps reached the listener, ending in done, with its bytes up to the last.
    let progress = running.progress.lock().unwrap().clone();
    for row in &snapshot.rows {
        let bytes: Vec<(u64, u64)> = progress
            .iter()
            .filter_map(|e| match e {
                UploadEvent::Bytes {
                    upload,
                    sent,
                    total,
                } if *upload == row.record.id => Some((*sent, *total)),
                _ => None,
            })
            .collect();
        let last = bytes
            .last()
            .copied()
            .expect("bytes events for every upload");
        assert!(last.1 > 0 && last.0 == last.1, "last bytes event {last:?}");
        let last_state = progress.iter().rev().find_map(|e| match e {
            UploadEvent::State { upload, state, .. } if *upload == row.record.id => Some(*state),
            _ => None,
        });
        assert_eq!(last_state, Some(UploadState::Done));
    }
    // The same sequences again: already done, nothing queued, nothing posted.
    let again = running.queue.enqueue(&ids, false).expect("enqueue");
    assert!(again.iter().all(|o| o.skipped.is_some()), "{again:?}");
    assert_eq!(h.uploads_posted(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_paused_queue_sends_nothing_until_resumed() {
    let h = Harness::start(StravaConfig::for_tests()).await;
    let ids = library(&h, 2).await;
    let mut running = start(&h);
    running.queue.pause(None);
    running.queue.enqueue(&ids, false).expect("enqueue");
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(h.uploads_posted(), 0);
    let snapshot = running.queue.snapshot().expect("snapshot");
    assert!(snapshot.paused && snapshot.running);
    assert_eq!(states(&snapshot), vec![UploadState::Queued; 2]);

    running.queue.resume(None);
    let snapshot = running.until_idle().await;
    assert_eq!(states(&snapshot), vec![UploadState::Done; 2]);
    assert!(!snapshot.paused);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_upload_ends_cancelled_and_the_others_go_on() {
    let h = Harness::start(StravaConfig::for_tests()).await;
    let ids = library(&h, 2).await;
    let mut running = start(&h);
    running.queue.pause(None);
    let outcomes = running.queue.enqueue(&ids, false).expect("enqueue");
    let first = outcomes[0].upload.expect("queued");
    running.queue.cancel(Some(first)).expect("cancel");
    running.queue.resume(None);
    let snapshot = running.until_idle().await;
    assert_eq!(
        states(&snapshot),
        vec![UploadState::Cancelled, UploadState::Done]
    );
    assert_eq!(h.uploads_posted(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_all_stops_what_strava_does_not_have_and_finishes_what_it_has() {
    let mut strava = StravaConfig::for_tests();
    // Slow enough processing that the cancel comes while the first upload is on Strava.
    strava.processing = mtp_testkit::fake::ProcessingDelay::Fixed(Duration::from_millis(600));
    let h = Harness::start(strava).await;
    let ids = library(&h, 6).await;
    let mut running = start(&h);
    let outcomes = running.queue.enqueue(&ids, false).expect("enqueue");
    let first = outcomes[0].upload.expect("queued");
    let on_strava = tokio::time::timeout(Duration::from_secs(20), async {
        loop {
            let processing = running.progress.lock().unwrap().iter().any(|event| {
                matches!(event, UploadEvent::State { upload, state: UploadState::Processing, .. } if *upload == first)
            });
            if processing {
                break;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    });
    on_strava.await.expect("the first upload reaches Strava");
    running.queue.cancel(None).expect("cancel all");
    let snapshot = running.until_idle().await;

    let states = states(&snapshot);
    assert_eq!(
        states[0],
        UploadState::Done,
        "on Strava before the cancel: finished, {states:?}"
    );
    assert!(
        states
            .iter()
            .all(|s| matches!(s, UploadState::Done | UploadState::Cancelled)),
        "nothing is left in flight or half done: {states:?}"
    );
    let cancelled = states
        .iter()
        .filter(|s| **s == UploadState::Cancelled)
        .count();
    assert!(
        cancelled >= 3,
        "the ones Strava did not have are cancelled: {states:?}"
    );
    let done = states.len() - cancelled;
    assert_eq!(h.uploads_posted(), done, "no cancelled one was sent");
    assert_eq!(h.live_activities().len(), done);
    let marked = h.mtpw_requests("PUT", "/api/v1/sequence/import/").len();
    assert_eq!(
        marked, done,
        "each one on Strava is marked on Map the Paths"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retry_after_signing_in_uploads_once() {
    let h = Harness::start(StravaConfig::for_tests()).await;
    let ids = library(&h, 1).await;
    let signed_in = h.tokens.strava_access.lock().unwrap().take();
    let mut running = start(&h);
    let upload = running.queue.enqueue(&ids, false).expect("enqueue")[0]
        .upload
        .expect("queued");
    let snapshot = running.until_idle().await;
    assert_eq!(states(&snapshot), vec![UploadState::NotSignedIn]);
    assert!(snapshot.rows[0].record.detail.is_some());
    assert_eq!(h.uploads_posted(), 0);

    *h.tokens.strava_access.lock().unwrap() = signed_in;
    let record = running.queue.retry(upload).expect("retry").expect("record");
    assert_eq!(record.id, upload);
    let snapshot = running.until_idle().await;
    assert_eq!(states(&snapshot), vec![UploadState::Done]);
    assert_eq!(h.uploads_posted(), 1);
    let stored = h.uploader().record(upload).unwrap().unwrap();
    assert!(!stored.attempts.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn work_left_by_a_previous_run_resumes_when_the_queue_starts() {
    let h = Harness::start(StravaConfig::for_tests()).await;
    let ids = library(&h, 2).await;
    // Queued by a process that stopped before running them.
    h.uploader().enqueue(&ids, false).expect("enqueue");
    let mut running = start(&h);
    let snapshot = running.until_idle().await;
    assert_eq!(states(&snapshot), vec![UploadState::Done; 2]);
    assert_eq!(h.uploads_posted(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn work_left_by_a_previous_run_resumes_in_the_order_it_was_queued() {
    let h = Harness::start(StravaConfig::for_tests()).await;
    let ids = library(&h, 3).await;
    let uploader = h.uploader();
    let outcomes = uploader.enqueue(&ids, false).expect("enqueue");
    let queued: Vec<i64> = outcomes.iter().filter_map(|o| o.upload).collect();
    // The first one moved on later (here: cancelled and queued again), as a killed run
    // leaves the rows it was working on newer than those still waiting.
    tokio::time::sleep(Duration::from_millis(20)).await;
    uploader.cancel(Some(queued[0])).expect("cancel");
    tokio::time::sleep(Duration::from_millis(20)).await;
    uploader.retry(queued[0]).expect("retry");
    let mut running = start(&h);
    let resumed: Vec<i64> = running
        .queue
        .snapshot()
        .expect("snapshot")
        .rows
        .iter()
        .map(|r| r.record.id)
        .collect();
    assert_eq!(resumed, queued, "the resumed batch keeps the queue's order");
    let snapshot = running.until_idle().await;
    assert_eq!(states(&snapshot), vec![UploadState::Done; 3]);
}
