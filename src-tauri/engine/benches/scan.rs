//! `make bench`: scans 1,000 generated sequences of 500 photos; cold scan, rescan and a naive parse, side by side.
//!
//! Each phase runs in its own child process (this binary, re-run with `--phase`), so every
//! cold scan starts from a fresh process and each phase reports its own peak RSS (VmHWM).
//! The disk cache is warm: the library is written once, then read by every phase.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use mtp_engine::library::sequence_json::read_sequence_record;
use mtp_engine::{gpx, Engine, EngineConfig};
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
    let rescan = child("rescan", &library, &tmp.path().join("rescan-data"));
    let naive = child("naive", &library, &tmp.path().join("unused"));
    let json_only = child("sequence-json", &library, &tmp.path().join("unused"));
    let gpx_only = child("gpx", &library, &tmp.path().join("unused"));

    println!("{:<34} {:>10} {:>14}", "phase", "median", "peak RSS");
    for (name, result) in [
        ("cold scan (empty store)", &cold),
        ("rescan (unchanged library)", &rescan),
        ("naive serde_json::Value parse", &naive),
        ("  part: `sequence`-only JSON read", &json_only),
        ("  part: GPX read+validate (gpx)", &gpx_only),
    ] {
        println!(
            "{name:<34} {:>8.0} ms {:>11} MB",
            result.0 * 1000.0,
            result.1 / 1024
        );
    }
    println!(
        "\nnaive parse / cold scan = {:.1}x   (target: cold < 1500 ms, ratio >= 3x, rescan < 200 ms)",
        naive.0 / cold.0
    );
    println!(
        "naive parse / `sequence`-only JSON read = {:.1}x   (the JSON half of the scan)",
        naive.0 / json_only.0
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
            .map(|rep| {
                let engine = open(library, &data.join(format!("rep{rep}")));
                let (took, read) = timed_scan(&engine);
                assert_eq!(read, SEQUENCES as u32, "a cold scan reads every sequence");
                took
            })
            .collect(),
        "rescan" => {
            let engine = open(library, data);
            timed_scan(&engine);
            (0..REPETITIONS)
                .map(|_| {
                    let (took, read) = timed_scan(&engine);
                    assert_eq!(read, 0, "a rescan of an unchanged library reads nothing");
                    took
                })
                .collect()
        }
        "naive" => {
            let files = json_files(library);
            (0..REPETITIONS).map(|_| naive_parse(&files)).collect()
        }
        "sequence-json" => {
            let files = json_files(library);
            (0..REPETITIONS).map(|_| sequence_only(&files)).collect()
        }
        "gpx" => {
            let files: Vec<PathBuf> = json_files(library)
                .iter()
                .map(|f| f.with_extension("gpx"))
                .collect();
            (0..REPETITIONS).map(|_| gpx_only(&files)).collect()
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

fn timed_scan(engine: &Engine) -> (Duration, u32) {
    let started = Instant::now();
    let scan = engine.scan().expect("scan");
    let took = started.elapsed();
    assert_eq!(scan.sequences.len(), SEQUENCES);
    (took, scan.read_count)
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

/// The scan's own JSON reader alone: `sequence` only, stopping before `photo`.
fn sequence_only(files: &[PathBuf]) -> Duration {
    let started = Instant::now();
    let names: usize = files
        .par_iter()
        .map(|file| {
            let record = read_sequence_record(file, "bench.json").expect("read sequence");
            usize::from(record.uploader_sequence_name.is_some())
        })
        .sum();
    assert_eq!(names, files.len());
    started.elapsed()
}

/// The scan's GPX half alone: read with the gpx crate and validate.
fn gpx_only(files: &[PathBuf]) -> Duration {
    let started = Instant::now();
    let points: usize = files
        .par_iter()
        .map(|file| {
            let points = gpx::read_track(file, "bench.gpx").expect("read gpx");
            gpx::validate(&points, "bench.gpx").expect("valid gpx");
            points.len()
        })
        .sum();
    assert_eq!(points, files.len() * PHOTOS);
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
