//! The upload POST's timeouts against the fake: the body may take as long as its pace allows
//! (longer than the request timeout), a stalled body and a late answer are timeouts, and the
//! wait for the answer starts once the body is sent. A POST that timed out waiting for its
//! answer is looked up before it is sent again.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::support::pipeline::{spec, Harness};
use mtp_services::strava::api::{http_client, HttpTimeouts, StravaClient, StravaError};
use mtp_services::strava::limits::{Budget, SystemClock};
use mtp_services::strava::uploads::{ByteProgress, NewUpload};
use mtp_testkit::fake::{FaultKind, FaultRule, StravaConfig};

const UPLOADS: &str = "POST /api/v3/uploads";
/// The size of the chunks the client streams the file in (one progress call each).
const CHUNK: usize = 16 * 1024;

fn client(h: &Harness, timeouts: HttpTimeouts) -> StravaClient {
    let budget = Arc::new(Budget::new(Arc::new(SystemClock), 1.0));
    let http = http_client(timeouts).expect("HTTP client");
    StravaClient::new(http, &h.services.strava.api_base(), budget).with_timeouts(timeouts)
}

/// `chunks` chunks of bytes (not a GPX: the fake answers 201 and reports the file later).
fn upload(chunks: usize) -> NewUpload {
    NewUpload {
        name: "Slow uplink".into(),
        description: None,
        external_id: "slow-1".into(),
        file_name: "slow.gpx.gz".into(),
        gpx_gz: (0..chunks * CHUNK).map(|i| (i * 7 % 251) as u8).collect(),
    }
}

/// A slow uplink: the connection takes each chunk only `per_chunk` after the one before
/// (the progress call runs as the body stream hands a chunk over, so sleeping there holds
/// the stream back exactly as a full socket would).
fn uplink(per_chunk: Duration) -> ByteProgress {
    Arc::new(move |_, _| std::thread::sleep(per_chunk))
}

async fn post(
    h: &Harness,
    timeouts: HttpTimeouts,
    new: &NewUpload,
    progress: ByteProgress,
) -> (Result<u64, StravaError>, Duration) {
    let token = h.tokens.strava_access.lock().unwrap().clone().unwrap();
    let started = Instant::now();
    let result = client(h, timeouts)
        .create_upload(&token, new, progress)
        .await
        .map(|(id, _)| id);
    (result, started.elapsed())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_uplink_takes_longer_than_the_request_timeout_and_still_succeeds() {
    let h = Harness::start(StravaConfig::for_tests()).await;
    let timeouts = HttpTimeouts {
        connect: Duration::from_secs(5),
        request: Duration::from_millis(400),
        upload_min_bytes_per_sec: 64 * 1024,
        upload_grace: Duration::from_millis(300),
    };
    // 24 chunks at 40 ms: about 1 s, at 400 KiB/s (the pace asks for 64 KiB/s).
    let (result, took) = post(&h, timeouts, &upload(24), uplink(Duration::from_millis(40))).await;
    assert!(result.is_ok(), "{result:?}");
    assert!(took > timeouts.request * 2, "took {took:?}");
    assert_eq!(h.uploads_posted(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_uplink_below_the_minimum_pace_is_given_up_and_its_body_broken_off() {
    let h = Harness::start(StravaConfig::for_tests()).await;
    let timeouts = HttpTimeouts {
        connect: Duration::from_secs(5),
        request: Duration::from_secs(30),
        upload_min_bytes_per_sec: 256 * 1024,
        upload_grace: Duration::from_millis(200),
    };
    // 16 KiB every 250 ms is 64 KiB/s, a quarter of the pace asked for; the whole body
    // would take 2 s.
    let per_chunk = Duration::from_millis(250);
    let (result, took) = post(&h, timeouts, &upload(8), uplink(per_chunk)).await;
    let err = result.expect_err("too slow");
    assert!(
        matches!(&err, StravaError::Network { detail } if detail.contains("slower than 256 KiB/s")),
        "{err}"
    );
    assert!(
        took < per_chunk * 6,
        "given up after {took:?}, not at the end"
    );
    // The connection does not go on sending it: Strava never gets the whole upload (which
    // the app, having given up, would send again).
    tokio::time::sleep((per_chunk * 10).saturating_sub(took)).await;
    let state = h.services.strava.state_json();
    assert_eq!(
        state["uploads"].as_array().map(Vec::len),
        Some(0),
        "{state}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_answer_has_the_request_timeout_counted_from_the_last_byte() {
    let h = Harness::start(StravaConfig::for_tests()).await;
    let timeouts = |request| HttpTimeouts {
        connect: Duration::from_secs(5),
        request,
        upload_min_bytes_per_sec: 8 * 1024,
        upload_grace: Duration::from_secs(5),
    };
    // Strava takes 700 ms to answer once it has the whole body.
    h.services.strava.add_fault(FaultRule::next(
        UPLOADS,
        FaultKind::Slow { delay_ms: 700 },
        2,
    ));
    let quick = Arc::new(|_, _| {}) as ByteProgress;
    let (result, took) = post(&h, timeouts(Duration::from_millis(300)), &upload(2), quick).await;
    let err = result.expect_err("no answer in time");
    assert!(
        err.to_string()
            .contains("no answer 0.3 s after the upload was sent"),
        "{err}"
    );
    assert!(
        took >= Duration::from_millis(300) && took < Duration::from_millis(700),
        "{took:?}"
    );

    // The same wait, a slow uplink before it: the answer's time starts after the body.
    let (result, took) = post(
        &h,
        timeouts(Duration::from_millis(1_500)),
        &upload(8),
        uplink(Duration::from_millis(150)),
    )
    .await;
    assert!(result.is_ok(), "{result:?}");
    assert!(
        took > Duration::from_millis(1_500),
        "body and answer took {took:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_post_that_timed_out_waiting_for_its_answer_is_looked_up_not_sent_twice() {
    let h = Harness::start(StravaConfig::for_tests()).await;
    // Strava takes the whole upload at once but answers too late for the app.
    h.services.strava.add_fault(FaultRule::next(
        UPLOADS,
        FaultKind::Late { delay_ms: 600 },
        1,
    ));
    let (id, uuid) = h.add_sequence(spec(1)).await;
    let mut config = h.config.clone();
    config.timings.http.request = Duration::from_millis(300);
    config.timings.lookup_settle = Duration::from_millis(400);
    let uploader = h.uploader_with(config);
    uploader.enqueue(&[id], false).unwrap();
    let record = uploader.run(h.sink()).await.unwrap().records.remove(0);
    let record = uploader.record(record.id).unwrap().unwrap();
    assert_eq!(
        record.state,
        mtp_engine::uploads::UploadState::Done,
        "{:?}",
        record.detail
    );
    let first = &record.attempts[0];
    assert!(
        first.error.as_deref().unwrap().contains("timed out"),
        "{first:?}"
    );
    assert_eq!(h.uploads_posted(), 1, "found, not sent again");
    let live = h.live_activities();
    assert_eq!(live.len(), 1);
    assert_eq!(live[0]["external_id"], uuid.as_str());
    assert_eq!(live[0]["id"].as_u64(), record.activity_id);
}
