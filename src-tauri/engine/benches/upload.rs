//! Upload pipeline figures against the in-process fakes (`cargo bench --bench upload`):
//! Strava requests per successful upload and bytes sent as a share of the raw GPX (rate-limit
//! window efficiency: `read_limits.rs`).

#[path = "../tests/engine/support/pipeline.rs"]
mod pipeline_support;

use std::time::Duration;

use mtp_engine::uploads::{PipelineConfig, UploadState};
use mtp_testkit::fake::{ProcessingDelay, RateLimits, StravaConfig};
use pipeline_support::{spec, Harness};

/// Real waits are scaled down by this much; the processing delay and the poll timings
/// together, so the ratio the figure depends on is the real one.
const SPEEDUP: f64 = 10.0;

struct Outcome {
    done: usize,
    strava_requests: usize,
    raw_bytes: u64,
    sent_bytes: u64,
}

async fn run(
    count: usize,
    strava: StravaConfig,
    set_sport_type: bool,
    concurrency: usize,
) -> Outcome {
    let h = Harness::start(strava).await;
    let mut ids = Vec::new();
    let mut raw_bytes = 0;
    for i in 0..count {
        let sequence = spec(i);
        let (id, _) = h.add_sequence(sequence.clone()).await;
        let gpx = h
            .root()
            .join(&sequence.dir_name)
            .join(format!("{}.gpx", sequence.dir_name));
        raw_bytes += std::fs::metadata(gpx).map_or(0, |m| m.len());
        ids.push(id);
    }
    let mut config = PipelineConfig {
        set_sport_type,
        concurrency,
        ..h.config.clone()
    };
    config.timings = mtp_engine::uploads::Timings {
        boundary_margin_secs: 1.0,
        ..mtp_engine::uploads::Timings::default().sped_up(SPEEDUP)
    };
    let uploader = h.uploader_with(config);
    uploader.enqueue(&ids, false).expect("enqueue");
    let summary = uploader.run(h.sink()).await.expect("run");
    let api: Vec<_> = h
        .services
        .strava
        .requests()
        .into_iter()
        .filter(|r| r.path.starts_with("/api/v3") && !r.path.ends_with("/oauth/token"))
        .collect();
    let state = h.services.strava.state_json();
    let sent_bytes = state["uploads"].as_array().map_or(0, |u| {
        u.iter().map(|u| u["file_size"].as_u64().unwrap_or(0)).sum()
    });
    let too_many = summary
        .records
        .iter()
        .flat_map(|r| &r.attempts)
        .filter(|a| a.http_status == Some(429))
        .count();
    assert_eq!(too_many, 0, "a request earned a 429");
    Outcome {
        done: summary
            .records
            .iter()
            .filter(|r| r.state == UploadState::Done)
            .count(),
        strava_requests: api.len(),
        raw_bytes,
        sent_bytes,
    }
}

/// Processing uniform over 0..4 s (mean 2 s), scaled; limits out of the way.
fn processing_2s_scaled() -> StravaConfig {
    StravaConfig {
        processing: ProcessingDelay::Random {
            mean: Duration::from_secs(2).div_f64(SPEEDUP),
        },
        limits: RateLimits {
            overall_15min: 1_000_000,
            overall_daily: 1_000_000,
            read_15min: 1_000_000,
            read_daily: 1_000_000,
        },
        ..StravaConfig::for_tests()
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    if !std::env::args().any(|a| a == "--bench") && std::env::args().len() > 1 {
        return; // `cargo test --benches` passes other flags: nothing to check here.
    }
    let count = 100;
    println!("Upload pipeline against the fakes (waits scaled down {SPEEDUP}x)");
    for set_sport_type in [true, false] {
        let o = run(count, processing_2s_scaled(), set_sport_type, 4).await;
        let per_upload = o.strava_requests as f64 / o.done.max(1) as f64;
        println!(
            "  requests per upload, mean processing 2 s, sport type {}: {per_upload:.2} ({} requests, {}/{count} done; target {})",
            if set_sport_type { "on " } else { "off" },
            o.strava_requests,
            o.done,
            if set_sport_type { "<= 3.3" } else { "<= 2.3" },
        );
        if set_sport_type {
            println!(
                "  bytes sent / raw GPX: {:.1}% ({} of {} bytes)",
                100.0 * o.sent_bytes as f64 / o.raw_bytes.max(1) as f64,
                o.sent_bytes,
                o.raw_bytes
            );
        }
    }
    // The 300 uploads under small rate limits are `benches/read_limits.rs`.
}
