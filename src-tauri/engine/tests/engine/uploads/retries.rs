//! Retries, duplicates, deleted activities and MTPW failures, against the fakes with injected faults.

use crate::support::pipeline::{spec, Harness};
use mtp_engine::uploads::{
    PipelineConfig, Timings, UploadEvent, UploadRecord, UploadState, UploadStep,
};
use mtp_testkit::fake::{FaultKind, FaultRule, Stage, StravaConfig};

const UPLOADS: &str = "POST /api/v3/uploads";

async fn upload_one(h: &Harness, i: usize) -> UploadRecord {
    let (id, _) = h.add_sequence(spec(i)).await;
    let uploader = h.uploader();
    uploader.enqueue(&[id], false).unwrap();
    let mut summary = uploader.run(h.sink()).await.unwrap();
    assert_eq!(summary.records.len(), 1);
    summary.records.remove(0)
}

fn server_errors(count: u32) -> FaultRule {
    FaultRule::next(UPLOADS, FaultKind::Status { status: 503 }, count)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_and_three_server_errors_end_in_success() {
    for errors in [1, 3] {
        let h = Harness::start(StravaConfig::for_tests()).await;
        h.services.strava.add_fault(server_errors(errors));
        let record = upload_one(&h, 1).await;
        assert_eq!(
            record.state,
            UploadState::Done,
            "{errors} errors: {:?}",
            record.detail
        );
        assert_eq!(h.uploads_posted(), errors as usize + 1);
        assert_eq!(h.live_activities().len(), 1);
        let failed_tries = record
            .attempts
            .iter()
            .filter(|a| a.step == UploadStep::Upload && a.http_status == Some(503))
            .count();
        assert_eq!(failed_tries, errors as usize);
        let announced: Vec<(u32, u32)> = h
            .events
            .lock()
            .unwrap()
            .iter()
            .filter_map(|e| match e {
                UploadEvent::Attempt { attempt, of, .. } => Some((*attempt, *of)),
                _ => None,
            })
            .collect();
        let expected: Vec<(u32, u32)> = (2..=errors + 1).map(|n| (n, 4)).collect();
        assert_eq!(announced, expected);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retry_is_announced_as_soon_as_the_try_fails_not_when_the_next_one_starts() {
    let h = Harness::start(StravaConfig::for_tests()).await;
    h.services.strava.add_fault(server_errors(1));
    let (id, _) = h.add_sequence(spec(1)).await;
    let mut config = h.config.clone();
    config.timings = Timings {
        backoff_base: std::time::Duration::from_millis(1_000),
        backoff_max: std::time::Duration::from_millis(1_000),
        ..config.timings
    };
    let uploader = h.uploader_with(config);
    uploader.enqueue(&[id], false).unwrap();
    let announced = |h: &Harness| {
        h.events
            .lock()
            .unwrap()
            .iter()
            .any(|e| matches!(e, UploadEvent::Attempt { attempt: 2, .. }))
    };
    let watch = async {
        let started = std::time::Instant::now();
        let mut announced_at = None;
        while h.uploads_posted() < 2 && started.elapsed().as_secs() < 20 {
            if announced_at.is_none() && announced(&h) {
                announced_at = Some(std::time::Instant::now());
            }
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        announced_at.map(|at| at.elapsed())
    };
    let (summary, before_retry) = tokio::join!(uploader.run(h.sink()), watch);
    assert_eq!(summary.unwrap().records[0].state, UploadState::Done);
    let before_retry = before_retry.expect("attempt 2 was announced before it was sent");
    assert!(
        before_retry >= std::time::Duration::from_millis(800),
        "announced only {before_retry:?} before the retry: the row would not show it while waiting"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_server_errors_end_in_a_warning_after_exactly_four_posts() {
    let h = Harness::start(StravaConfig::for_tests()).await;
    h.services.strava.add_fault(server_errors(4));
    let record = upload_one(&h, 1).await;
    assert_eq!(record.state, UploadState::Failed);
    assert_eq!(h.uploads_posted(), 4);
    let warning = record.detail.unwrap();
    assert!(
        warning.contains("Uploading to Strava failed 4 times"),
        "{warning}"
    );
    assert!(warning.contains("503"), "{warning}");
    assert!(warning.contains("Retry"), "{warning}");
    assert!(h.live_activities().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_request_is_not_tried_again() {
    let h = Harness::start(StravaConfig::for_tests()).await;
    h.services.strava.add_fault(FaultRule::next(
        UPLOADS,
        FaultKind::Status { status: 400 },
        1,
    ));
    let record = upload_one(&h, 1).await;
    assert_eq!(record.state, UploadState::Failed);
    assert_eq!(h.uploads_posted(), 1);
    assert!(record.detail.unwrap().contains("HTTP 400"));
    assert_eq!(record.attempts.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_401_refreshes_the_token_once_and_tries_again() {
    let h = Harness::start(StravaConfig::for_tests()).await;
    h.services
        .strava
        .add_fault(FaultRule::next(UPLOADS, FaultKind::Unauthorized, 1));
    let record = upload_one(&h, 1).await;
    assert_eq!(record.state, UploadState::Done, "{:?}", record.detail);
    assert_eq!(
        h.tokens
            .refresh_calls
            .load(std::sync::atomic::Ordering::SeqCst),
        1
    );
    assert_eq!(h.uploads_posted(), 2);
    assert_eq!(h.strava_requests("POST", "/oauth/token").len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refresh_that_meets_a_server_error_is_tried_again_and_the_upload_goes_on() {
    let h = Harness::start(StravaConfig::for_tests()).await;
    // Strava revokes the access token in use; its token endpoint then fails once (503).
    h.services
        .strava
        .add_fault(FaultRule::next(UPLOADS, FaultKind::RevokeAccessToken, 1));
    h.services.strava.add_fault(FaultRule::next(
        "POST /oauth/token",
        FaultKind::Status { status: 503 },
        1,
    ));
    let record = upload_one(&h, 1).await;
    assert_eq!(record.state, UploadState::Done, "{:?}", record.detail);
    assert_eq!(
        h.tokens
            .refresh_calls
            .load(std::sync::atomic::Ordering::SeqCst),
        2
    );
    assert_eq!(h.strava_requests("POST", "/oauth/token").len(), 2);
    assert_eq!(
        h.uploads_posted(),
        3,
        "the revoked token twice, then the new one"
    );
    assert_eq!(h.live_activities().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_token_ends_in_not_signed_in_after_one_refresh() {
    let h = Harness::start(StravaConfig::for_tests()).await;
    h.services
        .strava
        .add_fault(FaultRule::next(UPLOADS, FaultKind::Unauthorized, 2));
    let record = upload_one(&h, 1).await;
    assert_eq!(record.state, UploadState::NotSignedIn);
    assert_eq!(
        h.tokens
            .refresh_calls
            .load(std::sync::atomic::Ordering::SeqCst),
        1
    );
    assert_eq!(h.uploads_posted(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropped_and_failing_polls_are_retried() {
    let h = Harness::start(StravaConfig::for_tests()).await;
    h.services
        .strava
        .add_fault(FaultRule::next("GET /api/v3/uploads/*", FaultKind::Drop, 1));
    h.services.strava.add_fault(FaultRule::next(
        "GET /api/v3/uploads/*",
        FaultKind::Status { status: 502 },
        1,
    ));
    let record = upload_one(&h, 1).await;
    assert_eq!(record.state, UploadState::Done, "{:?}", record.detail);
    assert_eq!(h.uploads_posted(), 1);
}

async fn duplicate_is_already_on_strava(stage: Stage) {
    let h = Harness::start(StravaConfig {
        duplicates_reported_at: stage,
        ..StravaConfig::for_tests()
    })
    .await;
    let first = upload_one(&h, 1).await;
    let first_activity = first.activity_id.unwrap();
    // The same track in another folder, with another MTPW sequence.
    let mut copy = spec(1);
    copy.dir_name = "same_track_again".into();
    copy.name = Some("Same track again".into());
    let (id, uuid) = h.add_sequence(copy).await;
    let uploader = h.uploader();
    uploader.enqueue(&[id], false).unwrap();
    let record = uploader.run(h.sink()).await.unwrap().records.remove(0);
    assert_eq!(record.state, UploadState::Done, "{:?}", record.detail);
    assert_eq!(record.activity_id, Some(first_activity));
    assert!(record.detail.unwrap().contains("Already on Strava"));
    assert_eq!(h.live_activities().len(), 1);
    let imports = h.mtpw_requests("PUT", &format!("/api/v1/sequence/import/{uuid}/"));
    assert_eq!(
        imports[0].json,
        Some(serde_json::json!({"strava": first_activity.to_string()}))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_duplicate_reported_at_post_counts_as_already_on_strava() {
    duplicate_is_already_on_strava(Stage::Post).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_duplicate_reported_at_poll_counts_as_already_on_strava() {
    duplicate_is_already_on_strava(Stage::Poll).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_processing_error_is_shown_with_stravas_words() {
    let h = Harness::start(StravaConfig::for_tests()).await;
    h.services.strava.add_fault(FaultRule::next(
        UPLOADS,
        FaultKind::ProcessingError {
            message: Some("Improperly formatted data.".into()),
        },
        1,
    ));
    let record = upload_one(&h, 1).await;
    assert_eq!(record.state, UploadState::Failed);
    assert!(record
        .detail
        .unwrap()
        .contains("Improperly formatted data."));
}

fn slow_poll_config(h: &Harness) -> PipelineConfig {
    PipelineConfig {
        timings: Timings {
            poll_first: std::time::Duration::from_millis(10),
            poll_max: std::time::Duration::from_millis(10),
            poll_give_up: std::time::Duration::from_millis(30),
            ..h.config.timings
        },
        ..h.config.clone()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn still_processing_after_the_limit_is_resumed_by_the_next_run_without_a_new_upload() {
    let h = Harness::start(StravaConfig {
        processing: mtp_testkit::fake::ProcessingDelay::Fixed(std::time::Duration::from_millis(
            400,
        )),
        ..StravaConfig::for_tests()
    })
    .await;
    let (id, _) = h.add_sequence(spec(1)).await;
    let impatient = h.uploader_with(slow_poll_config(&h));
    impatient.enqueue(&[id], false).unwrap();
    let first = impatient.run(h.sink()).await.unwrap().records.remove(0);
    assert_eq!(first.state, UploadState::StillProcessing);
    assert!(first.detail.unwrap().contains("still processing"));

    tokio::time::sleep(std::time::Duration::from_millis(450)).await;
    let second = h.uploader().run(h.sink()).await.unwrap().records.remove(0);
    assert_eq!(second.state, UploadState::Done, "{:?}", second.detail);
    assert_eq!(h.uploads_posted(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deleted_activity_is_shown_as_such() {
    let h = Harness::start(StravaConfig {
        processing: mtp_testkit::fake::ProcessingDelay::Fixed(std::time::Duration::from_millis(
            200,
        )),
        ..StravaConfig::for_tests()
    })
    .await;
    let (id, _) = h.add_sequence(spec(1)).await;
    let impatient = h.uploader_with(slow_poll_config(&h));
    impatient.enqueue(&[id], false).unwrap();
    let first = impatient.run(h.sink()).await.unwrap().records.remove(0);
    assert_eq!(first.state, UploadState::StillProcessing);
    tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    let activity = h.live_activities()[0]["id"].as_u64().unwrap();
    assert!(h.services.strava.delete_activity(activity));

    let second = h.uploader().run(h.sink()).await.unwrap().records.remove(0);
    assert_eq!(second.state, UploadState::ActivityDeleted);
    assert!(second.detail.unwrap().contains("deleted on Strava"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mtpw_failing_after_strava_is_retried_without_a_second_upload() {
    let h = Harness::start(StravaConfig::for_tests()).await;
    h.services.mtpw.add_fault(FaultRule::next(
        "PUT /api/v1/sequence/import/**",
        FaultKind::Status { status: 502 },
        4,
    ));
    let (id, uuid) = h.add_sequence(spec(1)).await;
    let uploader = h.uploader();
    uploader.enqueue(std::slice::from_ref(&id), false).unwrap();
    let first = uploader.run(h.sink()).await.unwrap().records.remove(0);
    assert_eq!(first.state, UploadState::OnStravaMtpwNotUpdated);
    let activity = first.activity_id.expect("the activity is known");
    let warning = first.detail.unwrap();
    assert!(
        warning.contains("Updating Map the Paths failed 4 times"),
        "{warning}"
    );
    assert_eq!(h.mtpw_requests("PUT", "/api/v1/sequence/import/").len(), 4);

    // Retry: MTPW only.
    let retried = uploader.retry(first.id).unwrap().unwrap();
    assert_eq!(retried.state, UploadState::SyncingMtpw);
    let second = uploader.run(h.sink()).await.unwrap().records.remove(0);
    assert_eq!(second.state, UploadState::Done);
    assert_eq!(h.uploads_posted(), 1, "no second POST");
    let last = h
        .mtpw_requests("PUT", "/api/v1/sequence/import/")
        .pop()
        .unwrap();
    assert_eq!(last.path, format!("/api/v1/sequence/import/{uuid}/"));
    assert_eq!(
        last.json,
        Some(serde_json::json!({"strava": activity.to_string()}))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mtpw_refusing_in_the_body_of_an_http_200_is_not_success() {
    let h = Harness::start(StravaConfig::for_tests()).await;
    // MTPW does not know this transport method: HTTP 200 with status false.
    let mut odd = spec(1);
    odd.transport_method = Some("Penny-farthing".into());
    let dir = mtp_testkit::fixtures::write_sequence(&h.root(), &odd).unwrap();
    let id = mtp_engine::files::sequence_id(&dir);
    let err = h
        .uploader()
        .create_on_mtpw(&id)
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("Transport type is invalid"), "{err}");
    let creates = h.mtpw_requests("POST", "/api/v1/sequence/create/");
    assert_eq!(creates.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_mtpw_token_leaves_the_activity_on_strava_and_says_to_sign_in() {
    let h = Harness::start(StravaConfig::for_tests()).await;
    let (id, _) = h.add_sequence(spec(1)).await;
    let token = h.tokens.mtpw.lock().unwrap().clone().unwrap();
    h.services.mtpw.revoke_token(&token);
    let uploader = h.uploader();
    uploader.enqueue(&[id], false).unwrap();
    let record = uploader.run(h.sink()).await.unwrap().records.remove(0);
    assert_eq!(record.state, UploadState::OnStravaMtpwNotUpdated);
    assert!(record.activity_id.is_some());
    let detail = record.detail.unwrap();
    assert!(
        detail.contains("403") && detail.contains("sign in"),
        "{detail}"
    );
    assert_eq!(
        h.mtpw_requests("PUT", "/api/v1/sequence/import/").len(),
        1,
        "not retried"
    );
}
