//! The two-phase scan: the listing comes at once (`Checking`), the track checks follow one by one and are cached.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;

use crate::support::library::{by_dir, Setup};
use mtp_engine::{Engine, SequenceStatus, SequenceSummary};
use mtp_testkit::fixtures::{self, Broken};

/// Runs `check_tracks` and returns what its callback received, by folder name.
fn check(engine: &Engine) -> (u32, HashMap<String, Vec<SequenceSummary>>) {
    let seen: Mutex<HashMap<String, Vec<SequenceSummary>>> = Mutex::new(HashMap::new());
    let checked = engine
        .check_tracks(|s| {
            seen.lock()
                .unwrap()
                .entry(s.dir_name.clone())
                .or_default()
                .push(s)
        })
        .unwrap();
    (checked, seen.into_inner().unwrap())
}

fn statuses(sequences: &[SequenceSummary], status: SequenceStatus) -> Vec<&str> {
    let mut names: Vec<&str> = sequences
        .iter()
        .filter(|s| s.status == status)
        .map(|s| s.dir_name.as_str())
        .collect();
    names.sort();
    names
}

fn touch_gpx(dir: &Path) {
    let name = dir.file_name().unwrap().to_str().unwrap();
    let gpx = dir.join(format!("{name}.gpx"));
    let text = std::fs::read_to_string(&gpx).unwrap();
    std::fs::write(&gpx, text.replace("</gpx>", "</gpx>\n")).unwrap();
}

#[test]
fn a_fresh_library_lists_as_checking_and_each_final_status_arrives_once() {
    let setup = Setup::new();
    let dirs = fixtures::write_library(&setup.default_root(), 6, 20, 1).unwrap();
    let engine = setup.engine();

    let scan = engine.scan().unwrap();
    assert_eq!((scan.read_count, scan.pending_tracks), (6, 6));
    for s in &scan.sequences {
        assert_eq!(s.status, SequenceStatus::Checking, "{}", s.dir_name);
        assert!(s.track.is_none() && s.problems.is_empty(), "{}", s.dir_name);
        assert!(s.duration_sec.is_some(), "duration comes from the JSON");
    }

    let (checked, seen) = check(&engine);
    assert_eq!(checked, 6);
    assert_eq!(seen.len(), 6);
    for dir in &dirs {
        let name = dir.file_name().unwrap().to_str().unwrap();
        let reports = &seen[name];
        assert_eq!(reports.len(), 1, "{name} reported once");
        assert_ne!(reports[0].status, SequenceStatus::Checking, "{name}");
        assert_ne!(reports[0].status, SequenceStatus::Invalid, "{name}");
        assert!(reports[0].track.is_some(), "{name}");
        let listed = by_dir(&scan.sequences, name);
        assert_eq!(reports[0].id, listed.id);
    }

    assert_eq!(check(&engine).0, 0, "nothing is pending any more");
}

#[test]
fn a_gpx_without_times_is_checking_then_invalid() {
    let setup = Setup::new();
    fixtures::write_broken(&setup.default_root(), Broken::GpxWithoutTimes).unwrap();
    let engine = setup.engine();

    let scan = engine.scan().unwrap();
    let listed = by_dir(&scan.sequences, "broken_gpx_without_times");
    assert_eq!(listed.status, SequenceStatus::Checking);

    let (checked, seen) = check(&engine);
    assert_eq!(checked, 1);
    let done = &seen["broken_gpx_without_times"][0];
    assert_eq!(done.status, SequenceStatus::Invalid);
    assert!(
        done.problems[0]
            .message
            .contains("has no times: Strava needs a time on every track point"),
        "{:?}",
        done.problems
    );
    let rescan = engine.scan().unwrap();
    assert_eq!(by_dir(&rescan.sequences, "broken_gpx_without_times"), done);
}

#[test]
fn after_the_check_a_rescan_reads_nothing_and_nothing_is_checking() {
    let setup = Setup::new();
    fixtures::write_library(&setup.default_root(), 4, 20, 2).unwrap();
    let engine = setup.engine();
    let checked = engine.scan_and_check().unwrap();
    assert_eq!(checked.pending_tracks, 0);

    let rescan = engine.scan().unwrap();
    assert_eq!((rescan.read_count, rescan.pending_tracks), (0, 0));
    assert!(statuses(&rescan.sequences, SequenceStatus::Checking).is_empty());
    assert_eq!(rescan.sequences, checked.sequences);
    assert_eq!(check(&engine).0, 0);
}

#[test]
fn touching_one_gpx_makes_exactly_that_sequence_checking_again() {
    let setup = Setup::new();
    let dirs = fixtures::write_library(&setup.default_root(), 5, 20, 3).unwrap();
    let engine = setup.engine();
    engine.scan_and_check().unwrap();

    touch_gpx(&dirs[3]);
    let scan = engine.scan().unwrap();
    let touched = dirs[3].file_name().unwrap().to_str().unwrap();
    assert_eq!((scan.read_count, scan.pending_tracks), (1, 1));
    assert_eq!(
        statuses(&scan.sequences, SequenceStatus::Checking),
        [touched]
    );

    let (checked, seen) = check(&engine);
    assert_eq!((checked, seen.len()), (1, 1));
    assert_eq!(seen[touched][0].status, SequenceStatus::Ready);
}

#[test]
fn a_missing_gpx_or_a_broken_json_is_invalid_right_away() {
    let setup = Setup::new();
    let root = setup.default_root();
    for kind in [
        Broken::MissingGpx,
        Broken::InvalidJson,
        Broken::JsonWithoutSequence,
    ] {
        fixtures::write_broken(&root, kind).unwrap();
    }
    let engine = setup.engine();
    let scan = engine.scan().unwrap();
    let invalid = |dir: &str, expected: &str| {
        let s = by_dir(&scan.sequences, dir);
        assert_eq!(s.status, SequenceStatus::Invalid, "{dir}");
        assert!(
            s.problems.iter().any(|p| p.message.contains(expected)),
            "{dir}: {:?}",
            s.problems
        );
    };
    invalid("broken_missing_gpx", "broken_missing_gpx.gpx is missing");
    invalid("broken_invalid_json", "is not valid JSON");
    invalid("broken_json_without_sequence", "has no `sequence` object");

    // Their GPX (when there is one) is still checked, so the detail has its track; the status stays Invalid.
    assert_eq!(scan.pending_tracks, 2);
    let (_, seen) = check(&engine);
    assert!(!seen.contains_key("broken_missing_gpx"));
    for dir in ["broken_invalid_json", "broken_json_without_sequence"] {
        let done = &seen[dir][0];
        assert_eq!(done.status, SequenceStatus::Invalid, "{dir}");
        assert!(done.track.is_some(), "{dir}");
    }
}

#[test]
fn the_detail_of_a_pending_sequence_reads_it_in_full() {
    let setup = Setup::new();
    fixtures::write_library(&setup.default_root(), 3, 40, 4).unwrap();
    fixtures::write_broken(&setup.default_root(), Broken::DecreasingTimes).unwrap();
    let engine = setup.engine();
    let scan = engine.scan().unwrap();

    let broken = by_dir(&scan.sequences, "broken_decreasing_times");
    let detail = engine.sequence_detail(&broken.id).unwrap();
    assert_eq!(detail.summary.status, SequenceStatus::Invalid);
    assert!(detail.summary.problems[0]
        .message
        .contains("track point 4 is earlier than track point 3"));

    let good = scan
        .sequences
        .iter()
        .find(|s| s.dir_name != "broken_decreasing_times")
        .unwrap();
    let detail = engine.sequence_detail(&good.id).unwrap();
    assert_eq!(detail.summary.status, SequenceStatus::Ready);
    assert_eq!(detail.preview.len(), 40);

    // The check still reports every pending sequence, with the same answer the detail gave.
    let (checked, seen) = check(&engine);
    assert_eq!(checked, 4);
    assert_eq!(seen[&good.dir_name][0], detail.summary);
}

#[test]
fn details_can_be_asked_for_while_the_tracks_are_checked() {
    let setup = Setup::new();
    fixtures::write_library(&setup.default_root(), 12, 200, 5).unwrap();
    let engine = setup.engine();
    let scan = engine.scan().unwrap();
    std::thread::scope(|threads| {
        threads.spawn(|| check(&engine));
        for s in &scan.sequences {
            let detail = engine.sequence_detail(&s.id).unwrap();
            assert_ne!(detail.summary.status, SequenceStatus::Checking);
            assert_eq!(detail.preview.len(), 200);
        }
    });
    let rescan = engine.scan().unwrap();
    assert_eq!((rescan.read_count, rescan.pending_tracks), (0, 0));
}
