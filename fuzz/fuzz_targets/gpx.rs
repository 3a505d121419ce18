//! The GPX path of a library scan (`mtp_engine::gpx`): parse arbitrary bytes into track
//! points, validate them, and summarise a track that passed.
//!
//! Properties: nothing panics and every failure is a `TrackError`; a point number in a
//! refusal names a point that exists; a track that passed `validate` always has a summary,
//! whose figures are finite and whose bounds and preview lie inside the track.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mtp_engine::gpx::{parse_track, summarise, validate, TrackError, PREVIEW_POINTS};

const FILE: &str = "ride.gpx";

fuzz_target!(|data: &[u8]| {
    let points = match parse_track(data, FILE) {
        Ok(points) => points,
        Err(err) => {
            assert!(
                matches!(err, TrackError::Invalid { .. }),
                "parsing bytes can only fail as invalid GPX: {err:?}"
            );
            assert!(err.to_string().contains(FILE));
            return;
        }
    };
    match validate(&points, FILE) {
        Err(err) => {
            let _ = err.to_string();
            let index = match err {
                TrackError::PointWithoutTime { index }
                | TrackError::LatitudeOutOfRange { index, .. }
                | TrackError::LongitudeOutOfRange { index, .. } => index,
                TrackError::TimeGoesBack { index, previous } => {
                    assert_eq!(previous + 1, index);
                    assert!(points[index - 1].time < points[previous - 1].time);
                    index
                }
                TrackError::Empty { .. } => {
                    assert!(points.is_empty());
                    return;
                }
                TrackError::SinglePoint { .. } => {
                    assert_eq!(points.len(), 1);
                    return;
                }
                TrackError::NoTimes { .. } => {
                    assert!(points.iter().all(|p| p.time.is_none()));
                    return;
                }
                other => panic!("validate gave {other:?}"),
            };
            assert!((1..=points.len()).contains(&index), "point {index}");
        }
        Ok(()) => {
            let (stats, preview) =
                summarise(&points).expect("a validated track always has a summary");
            let n = points.len();
            assert_eq!(stats.point_count as usize, n.min(u32::MAX as usize));
            assert!(stats.duration_sec.is_finite() && stats.duration_sec >= 0.0);
            assert!(
                stats.distance_m.is_finite() && stats.distance_m >= 0.0,
                "distance {}",
                stats.distance_m
            );
            let b = &stats.bounds;
            assert!(-90.0 <= b.min_lat && b.min_lat <= b.max_lat && b.max_lat <= 90.0);
            assert!(-180.0 <= b.min_lon && b.min_lon <= b.max_lon && b.max_lon <= 180.0);
            // Collinear points may leave fewer than the cap; the ends are always kept.
            assert!((2..=n.min(PREVIEW_POINTS)).contains(&preview.len()));
            let (first, last) = (&points[0], &points[n - 1]);
            assert_eq!(preview.first(), Some(&[first.lat, first.lon]));
            assert_eq!(preview.last(), Some(&[last.lat, last.lon]));
            for [lat, lon] in &preview {
                assert!((b.min_lat..=b.max_lat).contains(lat));
                assert!((b.min_lon..=b.max_lon).contains(lon));
            }
        }
    }
});
