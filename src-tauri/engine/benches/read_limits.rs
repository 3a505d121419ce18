//! Strava's read ("non-upload") limit against the in-process fakes (`cargo bench --bench
//! read_limits`): 300 uploads, each sent with hide_from_home, under small limits of both kinds
//! (overall and read, per 15 minutes) on a clock 300 times faster. Status polls and the
//! activity PUTs count against the read limit, the POSTs only against the overall one; the
//! figures: 429s (must be 0), windows used against the fewest the tighter limit allows, time.

#[path = "../tests/engine/support/pipeline.rs"]
mod pipeline_support;

use std::time::{Duration, Instant};

use mtp_engine::uploads::{EnqueueOptions, PipelineConfig, Timings, UploadState};
use mtp_testkit::fake::{ProcessingDelay, RateLimits, StravaConfig};
use pipeline_support::{spec, Harness};

/// A 15-minute window lasts three real seconds.
const TIME_SCALE: f64 = 300.0;
const SEQUENCES: usize = 300;

struct Figures {
    done: usize,
    posts: usize,
    reads: usize,
    puts: usize,
    refused_by_fake: u64,
    refused_attempts: usize,
    windows_used: usize,
    real: Duration,
}

async fn run(limits: RateLimits) -> Figures {
    let strava = StravaConfig {
        limits,
        time_scale: TIME_SCALE,
        // 2026-01-01T00:00Z: the run starts on a window boundary, far from midnight.
        start_epoch_secs: Some(1_767_225_600.0),
        // Processing as Strava's mean (2 s), on the same scaled clock as the poll waits.
        processing: ProcessingDelay::Random {
            mean: Duration::from_secs(2).div_f64(10.0),
        },
        ..StravaConfig::for_tests()
    };
    let h = Harness::start(strava).await;
    let mut ids = Vec::new();
    for i in 0..SEQUENCES {
        ids.push(h.add_sequence(spec(i)).await.0);
    }
    let config = PipelineConfig {
        concurrency: 8,
        timings: Timings {
            boundary_margin_secs: 1.0,
            ..Timings::default().sped_up(10.0)
        },
        ..h.config.clone()
    };
    let uploader = h.uploader_with(config);
    let options = EnqueueOptions {
        insist: false,
        hide_from_home: true,
    };
    uploader.enqueue_with(&ids, &options).expect("enqueue");
    let clock = h.services.strava.clock();
    let (started, real) = (clock.now_secs_f64(), Instant::now());
    let summary = uploader.run(h.sink()).await.expect("run");
    let (ended, real) = (clock.now_secs_f64(), real.elapsed());
    let api: Vec<_> = h
        .services
        .strava
        .requests()
        .into_iter()
        .filter(|r| r.path.starts_with("/api/v3") && !r.path.ends_with("/oauth/token"))
        .collect();
    let posts = api
        .iter()
        .filter(|r| r.method == "POST" && r.path == "/api/v3/uploads")
        .count();
    let puts = api.iter().filter(|r| r.method == "PUT").count();
    let state = h.services.strava.state_json();
    let refused_by_fake = state["budgets"].as_object().map_or(0, |b| {
        b.values().map(|v| v["refused"].as_u64().unwrap_or(0)).sum()
    });
    Figures {
        done: summary
            .records
            .iter()
            .filter(|r| r.state == UploadState::Done && r.hidden_from_home)
            .count(),
        posts,
        reads: api.len() - posts,
        puts,
        refused_by_fake,
        refused_attempts: summary
            .records
            .iter()
            .flat_map(|r| &r.attempts)
            .filter(|a| a.http_status == Some(429))
            .count(),
        windows_used: ((ended / 900.0).floor() - (started / 900.0).floor()) as usize + 1,
        real,
    }
}

fn report(title: &str, limits: RateLimits, f: &Figures) {
    let overall = f.posts + f.reads;
    let by_overall = overall.div_ceil(limits.overall_15min as usize);
    let by_reads = f.reads.div_ceil(limits.read_15min as usize);
    let tighter = if by_reads >= by_overall {
        "read"
    } else {
        "overall"
    };
    let minimum = by_overall.max(by_reads);
    // The least any client could send: one POST, one poll and one PUT per upload.
    let floor = (3 * SEQUENCES)
        .div_ceil(limits.overall_15min as usize)
        .max((2 * SEQUENCES).div_ceil(limits.read_15min as usize));
    println!(
        "  {title}: overall {}/15 min, read {}/15 min; {}/{SEQUENCES} done and kept off the feed",
        limits.overall_15min, limits.read_15min, f.done
    );
    println!(
        "    requests: {overall} ({} POSTs, {} reads of which {} PUTs carrying sport type + hide_from_home)",
        f.posts, f.reads, f.puts
    );
    println!(
        "    429s: {} answered by the fake, {} in the attempts",
        f.refused_by_fake, f.refused_attempts
    );
    println!(
        "    windows used {}; minimum for these requests {minimum} (the {tighter} limit; efficiency {:.2}); floor at 3 requests per upload {floor}",
        f.windows_used,
        minimum as f64 / f.windows_used as f64
    );
    println!(
        "    duration {:.1} s real ({:.0} min on Strava's clock)",
        f.real.as_secs_f64(),
        f.real.as_secs_f64() * TIME_SCALE / 60.0
    );
    assert_eq!(f.refused_by_fake, 0, "{title}: a request earned a 429");
    assert_eq!(f.refused_attempts, 0, "{title}: a request earned a 429");
    assert_eq!(f.done, SEQUENCES, "{title}: not every upload is done");
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    if !std::env::args().any(|a| a == "--bench") && std::env::args().len() > 1 {
        return; // `cargo test --benches` passes other flags: nothing to check here.
    }
    println!(
        "{SEQUENCES} uploads under small rate limits (clock {TIME_SCALE}x: a 15-minute window is {:.0} s)",
        900.0 / TIME_SCALE
    );
    let cases = [
        (
            "read limit tighter",
            RateLimits {
                overall_15min: 100,
                overall_daily: 1_000_000,
                read_15min: 50,
                read_daily: 1_000_000,
            },
        ),
        (
            "overall limit tighter",
            RateLimits {
                overall_15min: 60,
                overall_daily: 1_000_000,
                read_15min: 100,
                read_daily: 1_000_000,
            },
        ),
    ];
    for (title, limits) in cases {
        let figures = run(limits).await;
        report(title, limits, &figures);
    }
}
