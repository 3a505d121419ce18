//! `make bench`: 1,000 generated sequences of 500 photos; listing, track check, rescan and a naive parse.
//!
//! Each phase runs in its own child process (this binary, re-run with `--phase`), so every
//! cold listing starts from a fresh process and each phase reports its own peak RSS (VmHWM).
//! The disk cache is warm: the library is written once, then read by every phase.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use mtp_engine::{Engine, EngineConfig, LibraryScan, SequenceStatus};
use rayon::prelude::*;

const SEQUENCES: usize = 1000;
const PHOTOS: usize = 500;
const REPETITIONS: usize = 5;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--phase") {
        let phase = args.get(at + 1).cloned().unwrap_or_default();
        let library = PathBuf::from(args.get(at + 2).cloned().unwrap_or_default());
        let data = PathBuf::from(args.get(at + 3).cloned().unwrap_or_default());
        run_phase(&phase, &library, &data);
        return;
    }
    if args.iter().any(|a| a == "--bench") || args.len() == 1 {
        coordinate();
    }
}

/// Writes the library once, then runs each phase as a child process and prints the table.
fn coordinate() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let library = tmp.path().join("sequences");
    let started = Instant::now();
    mtp_testkit::fixtures::write_library(&library, SEQUENCES, PHOTOS, 42).expect("write library");
    let (files, bytes) = json_files(&library).iter().fold((0, 0), |(n, b), f| {
        (n + 1, b + f.metadata().map_or(0, |m| m.len()))
    });
    println!(
        "library: {SEQUENCES} sequences x {PHOTOS} photos ({files} JSON files, {} MB of JSON), written in {:.1} s",
        bytes / 1_000_000,
        started.elapsed().as_secs_f64()
    );
    println!("each phase: {REPETITIONS} repetitions in a fresh child process, median reported\n");

    let cold = child("cold", &library, &tmp.path().join("cold-data"));
    let check = child("check", &library, &tmp.path().join("check-data"));
    let rescan = child("rescan", &library, &tmp.path().join("rescan-data"));
    let naive = child("naive", &library, &tmp.path().join("unused"));

    println!("{:<46} {:>10} {:>10}", "phase", "median", "peak RSS");
    for (name, result) in [
        ("cold listing scan (empty store, no GPX parse)", &cold),
        ("first-time track check (all 1,000 GPX)", &check),
        ("rescan (unchanged, fully checked library)", &rescan),
        ("naive serde_json::Value parse of the JSON", &naive),
    ] {
        println!(
            "{name:<46} {:>7.0} ms {:>7} MB",
            result.0 * 1000.0,
            result.1 / 1024
        );
    }
    println!(
        "\nnaive parse / cold listing = {:.1}x   (targets: listing < 1500 ms, ratio >= 3x, rescan < 200 ms)",
        naive.0 / cold.0
    );
    println!(
        "library shown after {:.0} ms; every track checked after {:.1} s (listing + check), once per new or changed sequence",
        cold.0 * 1000.0,
        cold.0 + check.0
    );
}

/// Runs one phase in a child process; returns (median seconds, peak RSS in kB).
fn child(phase: &str, library: &Path, data: &Path) -> (f64, u64) {
    let exe = std::env::current_exe().expect("own path");
    let output = Command::new(exe)
        .args(["--phase", phase])
        .arg(library)
        .arg(data)
        .output()
        .expect("run phase");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "phase {phase} failed: {text}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let field = |key: &str| -> f64 {
        text.split_whitespace()
            .find_map(|w| w.strip_prefix(key))
            .and_then(|v| v.parse().ok())
            .unwrap_or(f64::NAN)
    };
    (field("median_s="), field("rss_kb=") as u64)
}

fn run_phase(phase: &str, library: &Path, data: &Path) {
    let times: Vec<Duration> = match phase {
        "cold" => (0..REPETITIONS)
            .map(|rep| cold_listing(&open(library, &data.join(format!("rep{rep}")))))
            .collect(),
        "check" => (0..REPETITIONS)
            .map(|rep| first_check(&open(library, &data.join(format!("rep{rep}")))))
            .collect(),
        "rescan" => {
            let engine = open(library, data);
            engine.scan_and_check().expect("scan and check");
            (0..REPETITIONS).map(|_| rescan(&engine)).collect()
        }
        "naive" => {
            let files = json_files(library);
            (0..REPETITIONS).map(|_| naive_parse(&files)).collect()
        }
        other => panic!("unknown phase {other}"),
    };
    println!(
        "median_s={} rss_kb={}",
        median(times).as_secs_f64(),
        peak_rss_kb()
    );
}

fn open(library: &Path, data: &Path) -> Engine {
    let config = EngineConfig {
        data_dir: data.to_path_buf(),
        default_root: library.to_path_buf(),
    };
    Engine::open(config).expect("open engine")
}

/// `scan()` on an empty store: every sequence listed from its JSON, every track pending.
fn cold_listing(engine: &Engine) -> Duration {
    let (took, scan) = timed_scan(engine);
    assert_eq!(
        scan.read_count, SEQUENCES as u32,
        "a cold scan reads every JSON"
    );
    assert_eq!(scan.pending_tracks, SEQUENCES as u32, "every track waits");
    took
}

/// `check_tracks()` after a cold listing (the listing itself is not timed).
fn first_check(engine: &Engine) -> Duration {
    engine.scan().expect("scan");
    let started = Instant::now();
    let checked = engine
        .check_tracks(|summary| {
            let status = summary.status;
            assert!(!matches!(
                status,
                SequenceStatus::Checking | SequenceStatus::Invalid
            ));
        })
        .expect("check tracks");
    let took = started.elapsed();
    assert_eq!(checked, SEQUENCES as u32);
    took
}

/// `scan()` of the unchanged, fully checked library.
fn rescan(engine: &Engine) -> Duration {
    let (took, scan) = timed_scan(engine);
    assert_eq!(
        scan.read_count, 0,
        "a rescan of an unchanged library reads nothing"
    );
    assert_eq!(scan.pending_tracks, 0, "nothing left to check");
    took
}

fn timed_scan(engine: &Engine) -> (Duration, LibraryScan) {
    let started = Instant::now();
    let scan = engine.scan().expect("scan");
    let took = started.elapsed();
    assert_eq!(scan.sequences.len(), SEQUENCES);
    (took, scan)
}

/// What a library would cost without the `sequence`-only reader: parse every JSON fully, in parallel too.
fn naive_parse(files: &[PathBuf]) -> Duration {
    let started = Instant::now();
    let names: usize = files
        .par_iter()
        .map(|file| {
            let bytes = std::fs::read(file).expect("read json");
            let value: serde_json::Value = serde_json::from_slice(&bytes).expect("parse json");
            usize::from(value["sequence"]["uploader_sequence_name"].is_string())
        })
        .sum();
    assert_eq!(names, files.len());
    started.elapsed()
}

fn json_files(library: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(library)
        .expect("list library")
        .flatten()
        .map(|entry| {
            let name = entry.file_name();
            entry
                .path()
                .join(format!("{}.json", name.to_string_lossy()))
        })
        .collect();
    files.sort();
    files
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// Peak resident set size of this process, from /proc/self/status (0 where unavailable).
fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}
