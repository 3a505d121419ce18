//! Many sequences under small rate limits with a scaled clock: every one completes, the
//! queue waits for the window boundaries, and Strava never answers 429.

use std::time::Duration;

use crate::support::pipeline::{spec, Harness};
use mtp_engine::uploads::{PipelineConfig, UploadEvent, UploadState};
use mtp_testkit::fake::{ProcessingDelay, RateLimits, StravaConfig};

/// 2026-01-01T00:00:00Z: a UTC midnight, so the first window is a whole one.
const MIDNIGHT: f64 = 1_767_225_600.0;

/// Uploads `count` sequences; returns the harness and the fake time the run started and ended.
async fn upload_many(
    limits: RateLimits,
    time_scale: f64,
    count: usize,
    concurrency: usize,
) -> (Harness, f64, f64) {
    let h = Harness::start(StravaConfig {
        limits,
        time_scale,
        start_epoch_secs: Some(MIDNIGHT),
        processing: ProcessingDelay::Fixed(Duration::from_millis(40)),
        // Tokens outlive the compressed days: at 43 200x a 6-hour token lasts half a real
        // second, less than a run takes on a loaded machine, and expiry is not under test here.
        access_token_ttl_secs: 30 * 86_400,
        ..StravaConfig::for_tests()
    })
    .await;
    let mut ids = Vec::new();
    for i in 0..count {
        ids.push(h.add_sequence(spec(i)).await.0);
    }
    let mut config = h.config.clone();
    config.concurrency = concurrency;
    config.timings.poll_first = Duration::from_millis(60);
    let uploader = h.uploader_with(PipelineConfig { ..config });
    uploader.enqueue(&ids, false).unwrap();
    let started = h.services.strava.clock().now_secs_f64();
    let summary = uploader.run(h.sink()).await.unwrap();
    let ended = h.services.strava.clock().now_secs_f64();
    assert_eq!(summary.records.len(), count);
    let not_done: Vec<_> = summary
        .records
        .iter()
        .filter(|r| r.state != UploadState::Done)
        .map(|r| (r.state, r.detail.clone()))
        .collect();
    assert!(not_done.is_empty(), "{not_done:?}");
    let too_many: usize = summary
        .records
        .iter()
        .flat_map(|r| &r.attempts)
        .filter(|a| a.http_status == Some(429))
        .count();
    assert_eq!(too_many, 0, "no request may earn a 429");
    assert_eq!(h.live_activities().len(), count);
    (h, started, ended)
}

fn paused_until(h: &Harness) -> Vec<String> {
    let mut times: Vec<String> = h
        .events
        .lock()
        .unwrap()
        .iter()
        .filter_map(|e| match e {
            UploadEvent::PausedUntil { until } => Some(until.clone()),
            _ => None,
        })
        .collect();
    times.dedup();
    times
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixty_sequences_complete_under_small_limits_waiting_for_quarter_hours() {
    let limits = RateLimits {
        overall_15min: 30,
        overall_daily: 100_000,
        read_15min: 20,
        read_daily: 100_000,
    };
    // 15 fake minutes last one real second.
    let (h, started, ended) = upload_many(limits, 900.0, 60, 4).await;
    let pauses = paused_until(&h);
    assert!(
        pauses.len() >= 4,
        "the queue waited for several windows: {pauses:?}"
    );
    for until in &pauses {
        let minute = &until[14..16];
        assert!(
            ["00", "15", "30", "45"].contains(&minute) && until.ends_with(":00Z"),
            "pauses end at a quarter hour: {until}"
        );
    }
    let requests = h
        .services
        .strava
        .requests()
        .iter()
        .filter(|r| r.path.starts_with("/api/v3"))
        .count();
    let windows_used = ((ended / 900.0).floor() - (started / 900.0).floor()) as usize + 1;
    let minimum = requests.div_ceil(30);
    eprintln!("{requests} requests in {windows_used} windows (minimum {minimum})");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_used_up_day_waits_for_utc_midnight() {
    let limits = RateLimits {
        overall_15min: 1_000,
        overall_daily: 9,
        read_15min: 1_000,
        read_daily: 6,
    };
    // A fake day lasts two real seconds.
    let (h, _, _) = upload_many(limits, 43_200.0, 5, 2).await;
    let pauses = paused_until(&h);
    assert!(!pauses.is_empty());
    assert!(
        pauses.iter().all(|p| p.ends_with("T00:00:00Z")),
        "{pauses:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_waits_for_the_next_window_of_the_clock_mtp_rate_limit_time_scale_speeds_up() {
    use mtp_testkit::fake::{FaultKind, FaultRule};
    let h = Harness::start(StravaConfig::for_tests()).await;
    h.services.strava.add_fault(FaultRule::next(
        "POST /api/v3/uploads",
        FaultKind::RateLimited,
        1,
    ));
    let (id, _) = h.add_sequence(spec(3)).await;
    // The app's settings from its environment: 15 minutes of rate-limit windows per real second.
    let from_env = PipelineConfig::from_vars(|name| {
        (name == "MTP_RATE_LIMIT_TIME_SCALE").then(|| "900".to_string())
    })
    .unwrap();
    let config = PipelineConfig {
        clock: from_env.clock,
        ..h.config.clone()
    };
    let uploader = h.uploader_with(config);
    uploader.enqueue(&[id], false).unwrap();
    let started = std::time::Instant::now();
    let summary = uploader.run(h.sink()).await.unwrap();
    let took = started.elapsed();
    let record = &summary.records[0];
    assert_eq!(record.state, UploadState::Done, "{:?}", record.detail);
    assert_eq!(h.uploads_posted(), 2);
    assert!(record.attempts.iter().any(|a| a.http_status == Some(429)));
    let pauses = paused_until(&h);
    assert!(!pauses.is_empty(), "the queue said until when it waits");
    for until in &pauses {
        assert!(
            ["00", "15", "30", "45"].contains(&&until[14..16]) && until.ends_with(":00Z"),
            "{until}"
        );
    }
    assert!(
        took < Duration::from_secs(5),
        "a window of the scaled clock lasts a second, yet the upload took {took:?}"
    );
}
