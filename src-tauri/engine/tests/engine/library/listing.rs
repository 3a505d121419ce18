//! Scanning and checking a library of generated sequence folders: fields, statuses, and every bad case with its reason.

use crate::support::library::{by_dir, Setup};
use mtp_engine::{SequenceStatus, SequenceSummary};
use mtp_testkit::fixtures::{self, Broken, SequenceSpec};

fn problems(s: &SequenceSummary) -> String {
    s.problems
        .iter()
        .map(|p| format!("[{}] {}", p.file, p.message))
        .collect::<Vec<_>>()
        .join("; ")
}

#[test]
fn every_bad_case_has_its_own_reason_and_the_good_sequences_still_list() {
    let setup = Setup::new();
    let root = setup.default_root();
    let good = fixtures::write_library(&root, 3, 20, 7).unwrap();
    for kind in Broken::ALL {
        fixtures::write_broken(&root, *kind).unwrap();
    }
    let scan = setup.engine().scan_and_check().unwrap();

    for dir in &good {
        let name = dir.file_name().unwrap().to_str().unwrap();
        assert_ne!(
            by_dir(&scan.sequences, name).status,
            SequenceStatus::Invalid,
            "{name}"
        );
    }
    let invalid = |dir: &str, expected: &str| {
        let s = by_dir(&scan.sequences, dir);
        assert_eq!(s.status, SequenceStatus::Invalid, "{dir}");
        assert!(
            problems(s).contains(expected),
            "{dir}: expected ‘{expected}’ in {}",
            problems(s)
        );
    };
    invalid(
        "broken_invalid_json",
        "broken_invalid_json.json is not valid JSON: ",
    );
    invalid("broken_json_without_sequence", "has no `sequence` object");
    invalid(
        "broken_json_is_a_folder",
        "broken_json_is_a_folder.json is a folder, not a regular file",
    );
    invalid(
        "broken_missing_gpx",
        "[broken_missing_gpx.gpx] broken_missing_gpx.gpx is missing",
    );
    invalid(
        "broken_invalid_gpx",
        "broken_invalid_gpx.gpx is not a valid GPX file: ",
    );
    invalid(
        "broken_gpx_without_times",
        "has no times: Strava needs a time on every track point",
    );
    invalid(
        "broken_empty_track",
        "broken_empty_track.gpx has no track points",
    );
    invalid(
        "broken_decreasing_times",
        "track point 4 is earlier than track point 3",
    );
    invalid("broken_out_of_range", "latitude");

    if fixtures::permissions_enforced(setup.tmp.path()) {
        invalid("broken_unreadable_json", "Permission denied");
    } else {
        // Running as root: mode 000 does not stop reads, so the folder honestly lists as valid.
        eprintln!("note: permissions are not enforced here (root); the mode-000 case reads fine");
        assert_ne!(
            by_dir(&scan.sequences, "broken_unreadable_json").status,
            SequenceStatus::Invalid
        );
    }

    let photo_map = by_dir(&scan.sequences, "odd_broken_photo_map");
    assert_eq!(
        photo_map.status,
        SequenceStatus::Ready,
        "{}",
        problems(photo_map)
    );
    assert_eq!(photo_map.name, "odd broken photo map");

    let non_utf8 = by_dir(&scan.sequences, "caf\u{fffd}_non_utf8");
    assert_eq!(
        non_utf8.status,
        SequenceStatus::Ready,
        "{}",
        problems(non_utf8)
    );
    assert_eq!(non_utf8.track.as_ref().map(|t| t.point_count), Some(12));

    assert_eq!(scan.roots.len(), 1);
    let under_root = &scan.roots[0].skipped;
    let skipped = |name: &str, expected: &str| {
        let item = under_root.iter().find(|s| s.path.ends_with(name));
        let item = item.unwrap_or_else(|| panic!("‘{name}’ not skipped: {under_root:?}"));
        assert!(item.reason.contains(expected), "{name}: {}", item.reason);
    };
    skipped(
        "broken_symlink_loop",
        "‘broken_symlink_loop’ is a symlink loop",
    );
    skipped("broken_symlink_loop_other", "is a symlink loop");
    skipped("broken_dangling_symlink", "is a broken symlink: ");
    skipped(
        "stray_notes.txt",
        "‘stray_notes.txt’ is a file, not a sequence folder",
    );
    // A folder without its JSON is not a sequence: skipped with the reason, not listed.
    skipped(
        "broken_missing_json",
        "‘broken_missing_json’ has no broken_missing_json.json, so it is not a sequence",
    );
    assert_eq!(under_root.len(), 5, "{under_root:?}");
    // The loop, the dangling link, the stray file and the folder without a JSON are skipped;
    // every other case is a listed sequence.
    assert_eq!(scan.sequences.len(), 3 + Broken::ALL.len() - 4);
}

#[test]
fn fields_come_from_the_sequence_object_and_secrets_never_leave() {
    let setup = Setup::new();
    let root = setup.default_root();
    let mut spec = SequenceSpec::sample(3, 30);
    spec.destination_mtp = Some("6A6A0C88-B114-44A3-845E-816D64093CA2".into());
    spec.destination_strava = Some(12_345_678_901_u64.into());
    spec.destination_secrets = true;
    fixtures::write_sequence(&root, &spec).unwrap();

    let scan = setup.engine().scan_and_check().unwrap();
    let s = by_dir(&scan.sequences, &spec.dir_name);
    assert_eq!(s.name, "Chamonix Ski 0003 Part 2");
    assert!(spec.dir_name.ends_with("_part_2"));
    assert_eq!(
        s.description.as_deref(),
        Some("Ski around Chamonix, sequence 3")
    );
    assert_eq!(s.transport_type.as_deref(), Some("Snow"));
    assert_eq!(s.transport_method.as_deref(), Some("Ski"));
    assert_eq!(s.tags, ["chamonix", "ski"]);
    assert_eq!(s.capture_date.as_deref(), Some("2020-04-13"));
    assert_eq!(s.duration_sec, Some(29.0));
    let track = s.track.as_ref().unwrap();
    assert_eq!(track.point_count, 30);
    assert!((s.distance_km.unwrap() * 1000.0 - track.distance_m).abs() < 0.5);
    assert_eq!(
        s.mtpw_uuid.as_deref(),
        Some("6a6a0c88-b114-44a3-845e-816d64093ca2")
    );
    let desktop = s.desktop_uploader.as_ref().unwrap();
    assert_eq!(
        (desktop.status.as_str(), desktop.upload_id),
        ("PENDING", Some(12_345_678_901))
    );
    assert_eq!(s.status, SequenceStatus::UploadedByDesktop);
    assert_eq!(s.strava.activity_type.as_deref(), Some("NordicSki"));
    assert!(!serde_json::to_string(&scan).unwrap().contains("SECRET"));
}

#[test]
fn statuses_follow_eligibility_and_the_desktop_uploader() {
    let setup = Setup::new();
    let root = setup.default_root();
    let ride = SequenceSpec::sample(0, 10);
    let car = SequenceSpec::sample(4, 10);
    let mut uploaded = SequenceSpec::sample(2, 10);
    uploaded.upload_strava = Some(("TRUE".into(), 777));
    let mut true_mtp = SequenceSpec::sample(5, 10);
    true_mtp.destination_mtp = Some(true.into());
    let mut no_method = SequenceSpec::sample(8, 10);
    no_method.transport_method = None;
    for spec in [&ride, &car, &uploaded, &true_mtp, &no_method] {
        fixtures::write_sequence(&root, spec).unwrap();
    }
    let scan = setup.engine().scan_and_check().unwrap();

    let s = by_dir(&scan.sequences, &ride.dir_name);
    assert_eq!(
        (s.status, s.strava.activity_type.as_deref()),
        (SequenceStatus::Ready, Some("Ride"))
    );
    let s = by_dir(&scan.sequences, &car.dir_name);
    assert_eq!(s.status, SequenceStatus::NotEligible);
    assert_eq!(
        s.strava.reason.as_deref(),
        Some("MTP does not send ‘Car’ sequences to Strava")
    );
    let s = by_dir(&scan.sequences, &uploaded.dir_name);
    assert_eq!(s.status, SequenceStatus::UploadedByDesktop);
    assert_eq!(s.desktop_uploader.as_ref().unwrap().upload_id, Some(777));
    let s = by_dir(&scan.sequences, &true_mtp.dir_name);
    assert_eq!(
        (s.mtpw_uuid.as_deref(), s.status),
        (None, SequenceStatus::Ready)
    );
    let s = by_dir(&scan.sequences, &no_method.dir_name);
    assert_eq!(s.status, SequenceStatus::NotEligible);
    assert!(s
        .strava
        .reason
        .as_deref()
        .unwrap()
        .contains("no transport method"));
}

#[test]
fn names_fall_back_to_the_folder_and_sorting_is_newest_first() {
    let setup = Setup::new();
    let root = setup.default_root();
    let mut unnamed = SequenceSpec::sample(0, 5);
    unnamed.name = None;
    unnamed.dir_name = "river_walk_part_3".into();
    let mut last = SequenceSpec::sample(1, 5);
    last.sequence_last = true;
    let newer = SequenceSpec::sample(9, 5);
    for spec in [&unnamed, &last, &newer] {
        fixtures::write_sequence(&root, spec).unwrap();
    }
    let scan = setup.engine().scan_and_check().unwrap();
    let names: Vec<&str> = scan.sequences.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Chamonix Walk 0009",
            "Lake Bled Walk 0001",
            "river_walk Part 3"
        ]
    );
    assert_eq!(scan.read_count, 3);
}

#[test]
fn duration_and_distance_come_from_the_track_when_the_json_has_none() {
    let setup = Setup::new();
    let root = setup.default_root();
    let spec = SequenceSpec::sample(0, 21);
    let dir = fixtures::write_sequence(&root, &spec).unwrap();
    std::fs::write(
        dir.join(format!("{}.json", spec.dir_name)),
        r#"{"sequence": {"uploader_transport_method": "Walk"}}"#,
    )
    .unwrap();
    let scan = setup.engine().scan_and_check().unwrap();
    let s = by_dir(&scan.sequences, &spec.dir_name);
    assert_eq!(s.duration_sec, Some(20.0));
    let track = s.track.as_ref().unwrap();
    assert_eq!(s.distance_km, Some(track.distance_m / 1000.0));
    assert!(
        track.distance_m > 20.0 && track.distance_m < 50.0,
        "{}",
        track.distance_m
    );
    assert_eq!(track.start_time, "2020-04-13T07:00:00Z");
    assert_eq!(s.capture_date, None);
}

#[test]
fn a_root_that_is_itself_a_sequence_folder_lists_that_sequence() {
    let setup = Setup::new();
    let spec = SequenceSpec::sample(2, 8);
    let dir = fixtures::write_sequence(&setup.folder("elsewhere"), &spec).unwrap();
    let engine = setup.engine();
    engine.add_paths(&[dir]).unwrap();
    let scan = engine.scan_and_check().unwrap();
    assert_eq!(scan.sequences.len(), 1);
    assert_eq!(scan.sequences[0].dir_name, spec.dir_name);
}
