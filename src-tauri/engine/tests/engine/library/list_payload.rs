//! The library list's payload (the `LibraryList` the UI receives) stays compact: no track
//! preview, a size per sequence that does not grow with the track or the photos, and well
//! smaller than the same scan as objects.

use crate::support::library::Setup;
use mtp_engine::ipc::compact_list::LibraryList;
use mtp_engine::SequenceStatus;
use mtp_testkit::fixtures;

/// The JSON the app sends for a scan of `count` sequences of `photos` photos each, fully checked.
fn scan_payload(count: usize, photos: usize) -> (serde_json::Value, usize) {
    let (payload, bytes, _) = scan_payload_and_detail(count, photos);
    (payload, bytes)
}

/// The scan's JSON, its size, and the JSON of the first sequence's detail.
fn scan_payload_and_detail(count: usize, photos: usize) -> (serde_json::Value, usize, String) {
    let setup = Setup::new();
    fixtures::write_library(&setup.default_root(), count, photos, 3).unwrap();
    let engine = setup.engine();
    let scan = engine.scan_and_check().unwrap();
    assert_eq!(scan.sequences.len(), count);
    assert!(scan
        .sequences
        .iter()
        .all(|s| s.status != SequenceStatus::Checking));
    let detail = engine.sequence_detail(&scan.sequences[0].id).unwrap();
    let text = serde_json::to_string(&LibraryList::from(scan)).unwrap();
    let detail = serde_json::to_string(&detail).unwrap();
    (serde_json::from_str(&text).unwrap(), text.len(), detail)
}

#[test]
fn the_list_payload_never_carries_a_track_preview() {
    let (payload, _, detail) = scan_payload_and_detail(4, 400);
    for row in payload["rows"].as_array().unwrap() {
        // the row's fields are the summary's: no preview, and the track's facts (times,
        // bounds, points) are the detail's
        let fields = row.as_array().unwrap();
        assert_eq!(fields.len(), 16, "{row}");
        let text = row.to_string();
        assert!(
            !text.contains("pointCount") && !text.contains("startTime"),
            "{text}"
        );
        assert!(text.len() < 1_000, "{} bytes: {text}", text.len());
    }
    // the detail is where they live
    let detail: serde_json::Value = serde_json::from_str(&detail).unwrap();
    assert!(
        detail["preview"].as_array().map_or(0, Vec::len) > 10,
        "{detail}"
    );
    assert_eq!(detail["track"]["pointCount"], 400, "{detail}");
}

#[test]
fn the_compact_list_is_well_under_the_summaries_as_objects() {
    let setup = Setup::new();
    fixtures::write_library(&setup.default_root(), 40, 10, 5).unwrap();
    let scan = setup.engine().scan_and_check().unwrap();
    let objects = serde_json::to_string(&scan).unwrap().len();
    let compact = serde_json::to_string(&LibraryList::from(scan))
        .unwrap()
        .len();
    assert!(
        (compact as f64) < objects as f64 * 0.7,
        "compact {compact} bytes, as objects {objects}"
    );
}

#[test]
fn the_list_payload_does_not_grow_with_tracks_or_photos() {
    let (_, short) = scan_payload(12, 10);
    let (_, long) = scan_payload(12, 600);
    let per_sequence = |bytes: usize| bytes as f64 / 12.0;
    // the same sequences with 60 times the points and photos: a few digits more at most
    assert!(
        per_sequence(long) < per_sequence(short) * 1.1,
        "{:.0} bytes per sequence with 10 photos, {:.0} with 600",
        per_sequence(short),
        per_sequence(long)
    );
}
