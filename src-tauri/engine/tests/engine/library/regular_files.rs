//! Only regular files are read: a FIFO, a device or an oversized file gets a reason at once and
//! never holds back the other sequences.

#![cfg(unix)]

use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use crate::support::library::{by_dir, Setup};
use mtp_engine::{LibraryScan, SequenceStatus, SequenceSummary};
use mtp_testkit::fixtures::{self, SequenceSpec};

/// Runs `job` on its own thread and fails the test (instead of hanging it) after `seconds`.
fn within<T: Send + 'static>(seconds: u64, job: impl FnOnce() -> T + Send + 'static) -> T {
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = send.send(job());
    });
    receive
        .recv_timeout(Duration::from_secs(seconds))
        .unwrap_or_else(|_| panic!("still waiting after {seconds} s: a read blocked"))
}

fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success(), "mkfifo {path:?}");
}

/// Replaces `<dir>/<dir><suffix>` with what `make` puts there.
fn replace_own_file(dir: &Path, suffix: &str, make: impl FnOnce(&Path)) {
    let name = dir.file_name().unwrap().to_str().unwrap();
    let file = dir.join(format!("{name}{suffix}"));
    std::fs::remove_file(&file).unwrap();
    make(&file);
}

fn problem_text(s: &SequenceSummary) -> String {
    s.problems
        .iter()
        .map(|p| p.message.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}

#[test]
fn a_fifo_or_a_link_to_a_device_gets_a_reason_and_the_others_finish() {
    let setup = Setup::new();
    let root = setup.default_root();
    let dirs = fixtures::write_library(&root, 5, 20, 11).unwrap();
    replace_own_file(&dirs[0], ".gpx", mkfifo);
    replace_own_file(&dirs[1], ".gpx", |gpx| {
        std::os::unix::fs::symlink("/dev/zero", gpx).unwrap()
    });
    replace_own_file(&dirs[2], ".json", mkfifo);
    let engine = setup.engine();

    let scan: LibraryScan = within(30, move || engine.scan_and_check().unwrap());

    let name = |i: usize| dirs[i].file_name().unwrap().to_str().unwrap().to_owned();
    let fifo_gpx = by_dir(&scan.sequences, &name(0));
    assert_eq!(fifo_gpx.status, SequenceStatus::Invalid);
    assert_eq!(
        problem_text(fifo_gpx),
        format!("{}.gpx is a named pipe (FIFO), not a regular file", name(0))
    );
    let zero = by_dir(&scan.sequences, &name(1));
    assert_eq!(
        problem_text(zero),
        format!("{}.gpx is a device, not a regular file", name(1))
    );
    let fifo_json = by_dir(&scan.sequences, &name(2));
    assert!(
        problem_text(fifo_json).contains(&format!(
            "{}.json is a named pipe (FIFO), not a regular file",
            name(2)
        )),
        "{}",
        problem_text(fifo_json)
    );
    for i in 3..5 {
        let good = by_dir(&scan.sequences, &name(i));
        assert!(good.track.is_some(), "{}", name(i));
        assert_ne!(good.status, SequenceStatus::Invalid, "{}", name(i));
    }
}

#[test]
fn the_listing_of_a_fifo_json_is_invalid_at_once() {
    let setup = Setup::new();
    let dirs = fixtures::write_library(&setup.default_root(), 2, 10, 12).unwrap();
    replace_own_file(&dirs[0], ".json", mkfifo);
    let engine = setup.engine();
    let scan = within(30, move || engine.scan().unwrap());
    let name = dirs[0].file_name().unwrap().to_str().unwrap();
    assert_eq!(
        by_dir(&scan.sequences, name).status,
        SequenceStatus::Invalid
    );
}

#[test]
fn a_gpx_over_the_limit_is_refused_with_its_size() {
    let setup = Setup::new();
    let dirs = fixtures::write_library(&setup.default_root(), 1, 10, 13).unwrap();
    replace_own_file(&dirs[0], ".gpx", |gpx| {
        // Sparse: no disk space is used, but the size is what the app sees.
        std::fs::File::create(gpx)
            .unwrap()
            .set_len(80_000_000)
            .unwrap()
    });
    let scan = within(60, {
        let engine = setup.engine();
        move || engine.scan_and_check().unwrap()
    });
    let name = dirs[0].file_name().unwrap().to_str().unwrap();
    let s = by_dir(&scan.sequences, name);
    assert_eq!(s.status, SequenceStatus::Invalid);
    assert_eq!(
        problem_text(s),
        format!("{name}.gpx is too large to read (80.0 MB; the limit is 64.0 MB)")
    );
}

#[test]
fn the_detail_counts_the_photos_and_shows_the_same_figures_as_the_list() {
    let setup = Setup::new();
    let spec = SequenceSpec::sample(0, 37);
    let dir = fixtures::write_sequence(&setup.default_root(), &spec).unwrap();
    // The JSON disagrees with the GPX: the GPX's figures win once it is checked.
    let json = dir.join(format!("{}.json", spec.dir_name));
    let text = std::fs::read_to_string(&json).unwrap();
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut value = value;
    value["sequence"]["distance_km"] = 99.0.into();
    value["sequence"]["durationsec"] = 9999.into();
    std::fs::write(&json, serde_json::to_string(&value).unwrap()).unwrap();

    let engine = setup.engine();
    let listed = engine.scan().unwrap();
    assert_eq!(
        listed.sequences[0].distance_km,
        Some(99.0),
        "the JSON's until checked"
    );
    let scan = engine.scan_and_check().unwrap();
    let summary = &scan.sequences[0];
    let track = summary.track.as_ref().unwrap();
    assert_eq!(summary.distance_km, Some(track.distance_m / 1000.0));
    assert_eq!(summary.duration_sec, Some(36.0));

    let detail = engine.sequence_detail(&summary.id).unwrap();
    assert_eq!(&detail.summary, summary);
    assert_eq!(detail.photo_count, Some(37));
}
