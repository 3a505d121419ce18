//! A scan started ahead (the app's launch) answers the first scan once; a change of the library
//! folders meanwhile makes it out of date, and every later scan reads the disk again.

use std::sync::Arc;

use crate::support::library::Setup;
use mtp_testkit::fixtures;

fn names(scan: &mtp_engine::LibraryScan) -> Vec<String> {
    let mut names: Vec<String> = scan.sequences.iter().map(|s| s.dir_name.clone()).collect();
    names.sort();
    names
}

#[test]
fn the_first_scan_takes_the_answer_of_the_scan_started_ahead() {
    let setup = Setup::new();
    fixtures::write_library(&setup.default_root(), 6, 5, 11).unwrap();
    let engine = Arc::new(setup.engine());
    let fresh = engine.scan_and_check().unwrap();

    engine.scan_ahead();
    let ahead = engine.scan().unwrap();
    assert_eq!(ahead.sequences, fresh.sequences);
    assert_eq!(ahead.read_count, 0, "the scan ahead used the cache");
}

#[test]
fn the_answer_ahead_is_taken_once_and_later_scans_see_changes() {
    let setup = Setup::new();
    let root = setup.default_root();
    fixtures::write_library(&root, 3, 5, 12).unwrap();
    let engine = Arc::new(setup.engine());
    engine.scan_and_check().unwrap();

    engine.scan_ahead();
    assert_eq!(engine.scan().unwrap().sequences.len(), 3);
    fixtures::write_sequence(&root, &fixtures::SequenceSpec::sample(40, 5)).unwrap();
    let later = engine.scan().unwrap();
    assert_eq!(later.sequences.len(), 4, "a second scan reads the disk");
    assert_eq!(later.read_count, 1);
}

#[test]
fn adding_or_removing_a_folder_makes_the_scan_ahead_out_of_date() {
    let setup = Setup::new();
    fixtures::write_library(&setup.default_root(), 2, 5, 13).unwrap();
    let extra = setup.folder("extra");
    fixtures::write_library(&extra, 3, 5, 14).unwrap();
    let engine = Arc::new(setup.engine());

    engine.scan_ahead();
    let outcome = engine.add_paths(std::slice::from_ref(&extra)).unwrap();
    assert_eq!(outcome.added.len(), 1);
    let scan = engine.scan().unwrap();
    assert_eq!(scan.sequences.len(), 5, "{:?}", names(&scan));

    engine.scan_ahead();
    engine
        .remove_root(&extra.to_string_lossy())
        .expect("remove the added folder");
    assert_eq!(engine.scan().unwrap().sequences.len(), 2);
}

#[test]
fn the_scan_ahead_leaves_its_new_tracks_to_check() {
    let setup = Setup::new();
    fixtures::write_library(&setup.default_root(), 4, 5, 15).unwrap();
    let engine = Arc::new(setup.engine());

    engine.scan_ahead();
    let scan = engine.scan().unwrap();
    assert_eq!(scan.pending_tracks, 4);
    assert_eq!(engine.check_tracks(|_| {}).unwrap(), 4);
    assert_eq!(engine.scan().unwrap().pending_tracks, 0);
}
