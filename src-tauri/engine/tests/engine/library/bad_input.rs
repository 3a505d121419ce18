//! Hostile or broken sequence files: a JSON nested 100,000 deep, a JSON of 50 MB, a GPX of 50 MB
//! and a GPX of a million points. Each gets an answer in seconds, a refusal names its file,
//! and the other sequences of the library are listed as before.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::support::library::{by_dir, Setup};
use mtp_engine::{LibraryScan, SequenceStatus, SequenceSummary};
use mtp_testkit::fixtures;

/// Runs `job` on its own thread and fails the test (instead of hanging it) after `seconds`.
fn within<T: Send + 'static>(seconds: u64, job: impl FnOnce() -> T + Send + 'static) -> T {
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = send.send(job());
    });
    receive
        .recv_timeout(Duration::from_secs(seconds))
        .unwrap_or_else(|_| panic!("still waiting after {seconds} s"))
}

fn own_file(dir: &Path, suffix: &str) -> PathBuf {
    let name = dir.file_name().unwrap().to_str().unwrap();
    dir.join(format!("{name}{suffix}"))
}

fn problems(summary: &SequenceSummary) -> String {
    summary
        .problems
        .iter()
        .map(|p| p.message.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}

/// Writes four sequences, lets `damage` change the first, scans and checks within `seconds`;
/// answers the first's summary and asserts the other three are listed with their tracks.
fn scan_with_first(damage: impl FnOnce(&Path), seconds: u64) -> (SequenceSummary, String) {
    let setup = Setup::new();
    let dirs = fixtures::write_library(&setup.default_root(), 4, 20, 31).unwrap();
    damage(&dirs[0]);
    let engine = setup.engine();
    let started = Instant::now();
    let scan: LibraryScan = within(seconds, move || engine.scan_and_check().unwrap());
    eprintln!("scanned in {:?}", started.elapsed());
    let name = |i: usize| dirs[i].file_name().unwrap().to_str().unwrap().to_owned();
    for i in 1..4 {
        let good = by_dir(&scan.sequences, &name(i));
        assert!(good.track.is_some(), "{} lost its track", name(i));
        assert_ne!(good.status, SequenceStatus::Invalid, "{}", name(i));
    }
    (by_dir(&scan.sequences, &name(0)).clone(), name(0))
}

#[test]
fn a_json_nested_100000_deep_is_refused_naming_the_file() {
    let (summary, name) = scan_with_first(
        |dir| {
            let depth = 100_000;
            let json = format!(
                "{{\"sequence\": {}{}}}",
                "[".repeat(depth),
                "]".repeat(depth)
            );
            std::fs::write(own_file(dir, ".json"), json).unwrap();
        },
        30,
    );
    assert_eq!(summary.status, SequenceStatus::Invalid);
    let text = problems(&summary);
    assert!(text.contains(&format!("{name}.json")), "{text}");
}

#[test]
fn a_json_of_50_mb_is_read_in_seconds() {
    let (summary, name) = scan_with_first(
        |dir| {
            // 50 MB of photo entries before the sequence object (MTP Desktop Uploader writes
            // the photos after it; a file in this order is read all the same).
            let path = own_file(dir, ".json");
            let original = std::fs::read_to_string(&path).unwrap();
            let rest = original.trim_start().strip_prefix('{').unwrap();
            let mut padded = String::with_capacity(52_000_000);
            padded.push_str("{\"padding\": [");
            let entry = format!("\"{}\"", "x".repeat(990));
            for i in 0..51_000 {
                if i > 0 {
                    padded.push(',');
                }
                padded.push_str(&entry);
            }
            padded.push_str("],");
            padded.push_str(rest);
            assert!(padded.len() > 50_000_000);
            std::fs::write(&path, padded).unwrap();
        },
        60,
    );
    assert!(
        summary.status != SequenceStatus::Invalid || problems(&summary).contains(&name),
        "{}",
        problems(&summary)
    );
    assert!(summary.track.is_some(), "{}", problems(&summary));
}

#[test]
fn a_gpx_of_50_mb_is_checked_in_seconds() {
    let (summary, name) = scan_with_first(
        |dir| {
            // The track as written, then 50 MB of comment before the end: a valid GPX.
            let path = own_file(dir, ".gpx");
            let original = std::fs::read_to_string(&path).unwrap();
            let end = original.rfind("</gpx>").unwrap();
            let mut file = std::fs::File::create(&path).unwrap();
            file.write_all(&original.as_bytes()[..end]).unwrap();
            let chunk = format!("<!-- {} -->\n", "y".repeat(1_000));
            for _ in 0..50_000 {
                file.write_all(chunk.as_bytes()).unwrap();
            }
            file.write_all(b"</gpx>\n").unwrap();
        },
        60,
    );
    assert!(
        summary.track.is_some() || problems(&summary).contains(&format!("{name}.gpx")),
        "{}",
        problems(&summary)
    );
}

#[test]
fn a_gpx_of_a_million_points_gets_an_answer_naming_the_file() {
    let (summary, name) = scan_with_first(
        |dir| {
            let mut gpx = String::with_capacity(40_000_000);
            gpx.push_str("<?xml version=\"1.0\"?><gpx version=\"1.1\" creator=\"t\"><trk><trkseg>");
            for i in 0..1_000_000u64 {
                let _ = write!(
                    gpx,
                    "<trkpt lat=\"{:.5}\" lon=\"14.1\"><time>2020-01-01T{:02}:{:02}:{:02}Z</time></trkpt>",
                    46.0 + i as f64 * 1e-7,
                    (i / 3600) % 24,
                    (i / 60) % 60,
                    i % 60
                );
            }
            gpx.push_str("</trkseg></trk></gpx>");
            std::fs::write(own_file(dir, ".gpx"), gpx).unwrap();
        },
        90,
    );
    // Either checked (a track of a million points) or refused with a reason naming the GPX (a
    // million points with times are more than the 64 MB a GPX may have: refused by its size).
    assert!(
        summary.track.is_some() || problems(&summary).contains(&format!("{name}.gpx")),
        "{:?}: {}",
        summary.status,
        problems(&summary)
    );
}
