//! A POST whose answer never came (dropped, a killed run, an upload id never written down) is
//! looked up on Strava before it is sent again: found by its external_id (or start time and
//! name), no second POST; not found, one POST; the lookup failing, the POST as before.

use std::sync::Arc;

use crate::support::pipeline::{spec, Harness};
use mtp_engine::uploads::{
    record_past_upload, PastUpload, UploadRecord, UploadState, UploadStep, Uploads,
};
use mtp_services::strava::api::StravaClient;
use mtp_services::strava::limits::{Budget, SystemClock};
use mtp_services::strava::uploads::{gzip, NewUpload};
use mtp_testkit::fake::{FaultKind, FaultRule, StravaConfig};
use serde_json::Value;

const UPLOADS: &str = "POST /api/v3/uploads";
const LIST: &str = "GET /api/v3/athlete/activities";

/// The fake's request log, as `GET /__fake/requests` reports it.
async fn fake_requests(h: &Harness) -> Vec<Value> {
    reqwest::get(format!("{}/__fake/requests", h.services.strava.base_url()))
        .await
        .expect("GET /__fake/requests")
        .json()
        .await
        .expect("JSON")
}

async fn count(h: &Harness, method: &str, path: &str) -> usize {
    fake_requests(h)
        .await
        .iter()
        .filter(|r| r["method"] == method && r["path"] == path)
        .count()
}

fn steps(record: &UploadRecord) -> Vec<(UploadStep, Option<u16>)> {
    record
        .attempts
        .iter()
        .map(|a| (a.step, a.http_status))
        .collect()
}

fn lookups(record: &UploadRecord) -> Vec<&mtp_engine::uploads::UploadAttempt> {
    record
        .attempts
        .iter()
        .filter(|a| a.step == UploadStep::Lookup)
        .collect()
}

async fn run_one(uploader: &Uploads, h: &Harness) -> UploadRecord {
    let mut summary = uploader.run(h.sink()).await.expect("run");
    assert_eq!(summary.records.len(), 1);
    let id = summary.records.remove(0).id;
    uploader.record(id).expect("record").expect("stored")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_post_whose_answer_was_dropped_is_found_by_its_external_id_and_not_sent_again() {
    let h = Harness::start(StravaConfig::for_tests()).await;
    // Strava takes the upload and makes the activity; the answer breaks off on the way back.
    h.services
        .strava
        .add_fault(FaultRule::next(UPLOADS, FaultKind::Drop, 1));
    let (id, uuid) = h.add_sequence(spec(1)).await;
    let uploader = h.uploader();
    uploader.enqueue(&[id], false).unwrap();
    let record = run_one(&uploader, &h).await;

    assert_eq!(record.state, UploadState::Done, "{:?}", record.detail);
    assert_eq!(
        count(&h, "POST", "/api/v3/uploads").await,
        1,
        "no second POST"
    );
    assert_eq!(count(&h, "GET", "/api/v3/athlete/activities").await, 1);
    let live = h.live_activities();
    assert_eq!(live.len(), 1, "exactly one activity");
    assert_eq!(live[0]["id"].as_u64(), record.activity_id);
    assert_eq!(live[0]["external_id"], uuid.as_str());
    assert_eq!(
        record.strava_upload_id, None,
        "its upload id was never read"
    );
    assert!(record
        .detail
        .as_deref()
        .unwrap_or("")
        .contains("found after an upload"));
    // The dropped POST, the lookup that found the activity, then sport type and MTPW.
    let found = lookups(&record);
    assert_eq!(found.len(), 1);
    let note = found[0].note.as_deref().unwrap_or("");
    assert!(
        note.contains("external id") && note.contains("not sent again"),
        "{note}"
    );
    assert_eq!(found[0].error, None);
    assert_eq!(
        steps(&record)[..2],
        [(UploadStep::Upload, None), (UploadStep::Lookup, Some(200))]
    );
    assert!(steps(&record).contains(&(UploadStep::SportType, Some(200))));
    let imports = h.mtpw_requests("PUT", &format!("/api/v1/sequence/import/{uuid}/"));
    assert_eq!(
        imports[0].json,
        Some(serde_json::json!({"strava": record.activity_id.unwrap().to_string()}))
    );
    // The window brackets the track's start, and the list counts in the read budget.
    let list = h
        .strava_requests("GET", "/api/v3/athlete/activities")
        .remove(0);
    let start = time::OffsetDateTime::parse(
        live[0]["start_date"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap()
    .unix_timestamp();
    let bound = |name: &str| list.query[name].parse::<i64>().unwrap();
    assert!(
        bound("after") < start && start < bound("before"),
        "{:?}",
        list.query
    );
    let state = h.services.strava.state_json();
    let budget = &state["budgets"][h.services.strava.client().id.to_string()];
    let reads = h
        .services
        .strava
        .requests()
        .iter()
        .filter(|r| r.path.starts_with("/api/v3/") && r.method != "POST")
        .count() as u64;
    assert_eq!(budget["read_15min"].as_u64(), Some(reads));
}

/// What a run killed during its POST leaves: the POST reached Strava (sent here as the app
/// sends it), the record stays `Uploading` without an upload id.
async fn killed_during_the_post(h: &Harness, external_id: Option<&str>) -> (i64, String) {
    let (id, uuid) = h.add_sequence(spec(2)).await;
    let summary = h.engine.sequence_detail(&id).expect("detail").summary;
    let folder = mtp_engine::files::folder_of_id(&id).expect("folder");
    let name = folder.file_name().unwrap().to_string_lossy().into_owned();
    let gpx = std::fs::read(folder.join(format!("{name}.gpx"))).expect("GPX");
    let sha256 = {
        use sha2::Digest;
        sha2::Sha256::digest(&gpx)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };
    if let Some(external_id) = external_id {
        let external_id = external_id.replace("<uuid>", &uuid);
        let budget = Arc::new(Budget::new(Arc::new(SystemClock), 1.0));
        let strava = StravaClient::new(
            reqwest::Client::new(),
            &h.services.strava.api_base(),
            budget,
        );
        let token = h.tokens.strava_access.lock().unwrap().clone().unwrap();
        strava
            .create_upload(
                &token,
                &NewUpload {
                    name: summary.name.clone(),
                    description: None,
                    external_id,
                    file_name: format!("{name}.gpx.gz"),
                    gpx_gz: gzip(&gpx),
                },
                Arc::new(|_, _| {}),
            )
            .await
            .expect("the POST of the killed run");
    }
    let upload = record_past_upload(
        &h.engine,
        &PastUpload {
            sequence_id: id,
            sequence_name: summary.name.clone(),
            folder: summary.path.clone(),
            mtpw_uuid: Some(uuid.clone()),
            gpx_sha256: sha256,
            sport_type: summary.strava.activity_type.clone(),
            state: UploadState::Uploading,
            detail: None,
            strava_upload_id: None,
            activity_id: None,
            attempts: Vec::new(),
        },
    )
    .expect("the record the killed run left");
    (upload, uuid)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_record_left_uploading_by_a_killed_run_is_found_and_not_posted_again() {
    let h = Harness::start(StravaConfig::for_tests()).await;
    let (upload, uuid) = killed_during_the_post(&h, Some("<uuid>")).await;
    assert_eq!(count(&h, "POST", "/api/v3/uploads").await, 1);

    let uploader = h.uploader();
    let record = run_one(&uploader, &h).await;
    assert_eq!(record.id, upload);
    assert_eq!(record.state, UploadState::Done, "{:?}", record.detail);
    assert_eq!(
        count(&h, "POST", "/api/v3/uploads").await,
        1,
        "no second POST"
    );
    let live = h.live_activities();
    assert_eq!(live.len(), 1);
    assert_eq!(live[0]["id"].as_u64(), record.activity_id);
    assert_eq!(live[0]["external_id"], uuid.as_str());
    // The history says the app stopped during the upload, then what the lookup found.
    let unknown = &record.attempts[0];
    assert_eq!(
        (unknown.step, unknown.http_status),
        (UploadStep::Upload, None)
    );
    assert!(unknown.error.as_deref().unwrap().contains("unknown"));
    let found = lookups(&record);
    assert_eq!(found.len(), 1);
    assert!(found[0].note.as_deref().unwrap().contains("external id"));
    assert!(!steps(&record).contains(&(UploadStep::Upload, Some(201))));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_the_external_id_the_activity_is_found_by_its_start_time_and_name() {
    let h = Harness::start(StravaConfig::for_tests()).await;
    // A Strava that kept no external_id: the activity's is the file name.
    killed_during_the_post(&h, Some("")).await;
    let record = run_one(&h.uploader(), &h).await;
    assert_eq!(record.state, UploadState::Done, "{:?}", record.detail);
    assert_eq!(
        count(&h, "POST", "/api/v3/uploads").await,
        1,
        "no second POST"
    );
    assert_eq!(h.live_activities().len(), 1);
    let found = lookups(&record);
    assert!(
        found[0]
            .note
            .as_deref()
            .unwrap()
            .contains("name and start time"),
        "{:?}",
        found[0]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_record_left_uploading_that_never_reached_strava_is_posted_once() {
    let h = Harness::start(StravaConfig::for_tests()).await;
    // Killed after `Uploading` was written, before the POST left.
    killed_during_the_post(&h, None).await;
    let record = run_one(&h.uploader(), &h).await;
    assert_eq!(record.state, UploadState::Done, "{:?}", record.detail);
    assert_eq!(count(&h, "GET", "/api/v3/athlete/activities").await, 1);
    assert_eq!(count(&h, "POST", "/api/v3/uploads").await, 1, "one POST");
    assert_eq!(h.live_activities().len(), 1);
    let found = lookups(&record);
    assert_eq!(found.len(), 1);
    assert!(found[0].note.as_deref().unwrap().contains("No activity"));
    assert!(record.strava_upload_id.is_some());
    let upload_steps = steps(&record);
    let lookup_at = upload_steps
        .iter()
        .position(|s| *s == (UploadStep::Lookup, Some(200)));
    let posted_at = upload_steps
        .iter()
        .position(|s| *s == (UploadStep::Upload, Some(201)));
    assert!(
        lookup_at < posted_at,
        "looked up before the POST: {upload_steps:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_lookup_falls_back_to_the_post_and_strava_reports_the_duplicate() {
    let h = Harness::start(StravaConfig::for_tests()).await;
    h.services
        .strava
        .add_fault(FaultRule::next(UPLOADS, FaultKind::Drop, 1));
    h.services
        .strava
        .add_fault(FaultRule::next(LIST, FaultKind::Status { status: 503 }, 1));
    let (id, _) = h.add_sequence(spec(1)).await;
    let uploader = h.uploader();
    uploader.enqueue(&[id], false).unwrap();
    let record = run_one(&uploader, &h).await;

    assert_eq!(record.state, UploadState::Done, "{:?}", record.detail);
    assert_eq!(count(&h, "POST", "/api/v3/uploads").await, 2, "sent again");
    let live = h.live_activities();
    assert_eq!(live.len(), 1, "the resent upload is Strava's duplicate");
    assert_eq!(live[0]["id"].as_u64(), record.activity_id);
    let failed = lookups(&record);
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].http_status, Some(503));
    let error = failed[0].error.as_deref().unwrap();
    assert!(
        error.contains("503") && error.contains("sent again"),
        "{error}"
    );
    assert!(record.detail.unwrap().contains("duplicate"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lookup_without_the_read_scope_falls_back_to_the_post() {
    let h = Harness::start(StravaConfig::for_tests()).await;
    // Signed in with activity:write only: Strava refuses the list (401, missing scope).
    let client = h.services.strava.client();
    let write_only = h.services.strava.issue_tokens(
        client.id,
        h.services.strava.athlete().id,
        &["activity:write"],
    );
    *h.tokens.strava_access.lock().unwrap() = Some(write_only.access_token);
    killed_during_the_post(&h, None).await;
    let record = run_one(&h.uploader(), &h).await;
    assert_eq!(record.state, UploadState::Done, "{:?}", record.detail);
    assert_eq!(count(&h, "POST", "/api/v3/uploads").await, 1);
    let failed = lookups(&record);
    assert_eq!(failed[0].http_status, Some(401));
    assert_eq!(
        h.tokens
            .refresh_calls
            .load(std::sync::atomic::Ordering::SeqCst),
        0,
        "a refused lookup is no reason to refresh the token"
    );
}
