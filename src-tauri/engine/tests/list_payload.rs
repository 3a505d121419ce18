//! The library list's payload (the scan result the UI receives) stays compact: no track
//! preview, and a size per sequence that does not grow with the track or the photos.

mod common;

use common::Setup;
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
    let text = serde_json::to_string(&scan).unwrap();
    let detail = engine.sequence_detail(&scan.sequences[0].id).unwrap();
    let detail = serde_json::to_string(&detail).unwrap();
    (serde_json::from_str(&text).unwrap(), text.len(), detail)
}

#[test]
fn the_list_payload_never_carries_a_track_preview() {
    let (payload, _, detail) = scan_payload_and_detail(4, 400);
    for sequence in payload["sequences"].as_array().unwrap() {
        let fields = sequence.as_object().unwrap();
        assert!(!fields.contains_key("preview"), "{sequence}");
        // the track's facts (times, bounds) are the detail's too
        assert!(!fields.contains_key("track"), "{sequence}");
        // the detail's field (SequenceDetail.preview): only `sequence_detail` sends it
        let text = sequence.to_string();
        assert!(!text.contains("\"preview\""), "{text}");
        assert!(text.len() < 2_000, "{} bytes: {text}", text.len());
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
