//! The cache: a rescan of an unchanged library reads nothing, details are cheap, user folders never change.

use crate::support::library::{fingerprint, Setup};
use mtp_engine::EngineError;
use mtp_testkit::fixtures::{self, Broken, SequenceSpec};

#[test]
fn a_rescan_reads_nothing_and_a_touched_sequence_is_read_again() {
    let setup = Setup::new();
    let root = setup.default_root();
    let dirs = fixtures::write_library(&root, 5, 20, 3).unwrap();
    let engine = setup.engine();
    let first = engine.scan_and_check().unwrap();
    assert_eq!(first.read_count, 5);

    let second = engine.scan_and_check().unwrap();
    assert_eq!(second.read_count, 0);
    assert_eq!(second.sequences, first.sequences);

    // A new Engine over the same store still has the cache.
    drop(engine);
    let engine = setup.engine();
    assert_eq!(engine.scan_and_check().unwrap().read_count, 0);

    let gpx = dirs[2].join(format!(
        "{}.gpx",
        dirs[2].file_name().unwrap().to_str().unwrap()
    ));
    let text = std::fs::read_to_string(&gpx).unwrap();
    std::fs::write(&gpx, text.replace("</gpx>", "</gpx>\n")).unwrap();
    assert_eq!(engine.scan_and_check().unwrap().read_count, 1);
    assert_eq!(engine.scan_and_check().unwrap().read_count, 0);

    std::fs::write(
        dirs[4].join("upload_strava.json"),
        r#"{"sequence":"x","status":"PENDING","data":5}"#,
    )
    .unwrap();
    let scan = engine.scan_and_check().unwrap();
    assert_eq!(scan.read_count, 1);
    let changed = scan
        .sequences
        .iter()
        .find(|s| s.path == dirs[4].to_string_lossy())
        .unwrap();
    assert_eq!(changed.desktop_uploader.as_ref().unwrap().status, "PENDING");
}

#[test]
fn details_come_with_a_capped_preview_and_unknown_ids_are_refused() {
    let setup = Setup::new();
    let root = setup.default_root();
    fixtures::write_sequence(&root, &SequenceSpec::sample(0, 900)).unwrap();
    fixtures::write_sequence(&setup.folder("outside"), &SequenceSpec::sample(1, 5)).unwrap();
    let engine = setup.engine();
    let scan = engine.scan_and_check().unwrap();
    let summary = &scan.sequences[0];
    let detail = engine.sequence_detail(&summary.id).unwrap();
    assert_eq!(&detail.summary, summary);
    assert_eq!(detail.preview.len(), 500);
    assert_eq!(summary.track.as_ref().unwrap().point_count, 900);

    let outside = setup
        .tmp
        .path()
        .join("outside")
        .join(SequenceSpec::sample(1, 5).dir_name);
    let outside_id: String = outside
        .to_str()
        .unwrap()
        .bytes()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert!(matches!(
        engine.sequence_detail(&outside_id),
        Err(EngineError::UnknownSequence { .. })
    ));
    let err = engine.sequence_detail("not-an-id").unwrap_err();
    assert_eq!(
        err.to_string(),
        "no sequence with id ‘not-an-id’ in your library folders"
    );
}

#[test]
fn scanning_never_changes_the_users_folders() {
    let setup = Setup::new();
    let root = setup.default_root();
    fixtures::write_library(&root, 4, 30, 9).unwrap();
    for kind in Broken::ALL {
        fixtures::write_broken(&root, *kind).unwrap();
    }
    let other = setup.folder("dropped");
    fixtures::write_library(&other, 2, 10, 2).unwrap();
    let before = (fingerprint(&root), fingerprint(&other));

    let engine = setup.engine();
    engine.add_paths(std::slice::from_ref(&other)).unwrap();
    let scan = engine.scan_and_check().unwrap();
    for s in &scan.sequences {
        engine.sequence_detail(&s.id).unwrap();
    }
    engine.scan_and_check().unwrap();

    assert_eq!((fingerprint(&root), fingerprint(&other)), before);
}
