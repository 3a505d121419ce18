//! The GPX path of a library scan (`mtp_engine::gpx`): parse arbitrary bytes into track
//! points, validate them, and summarise a track that passed.
//!
//! Properties: nothing panics and every failure is a `TrackError`; a point number in a
//! refusal names a point that exists; a track that passed `validate` always has a summary,
//! whose figures are finite and whose bounds and preview lie inside the track.
//!
//! `parse_track` catches the panics of the gpx crate (a time past the year 9999 in UTC panics
//! in it) and refuses the file. libFuzzer's panic hook would abort on those caught panics too,
//! so while `parse_track` runs a panic raised inside the gpx, time or xml-rs crates is let
//! through to that `catch_unwind`, and must come back as a refusal; any other panic aborts.
#![no_main]

use std::cell::Cell;
use std::panic;

use libfuzzer_sys::fuzz_target;
use mtp_engine::gpx::{parse_track, summarise, validate, TrackError, PREVIEW_POINTS};

const FILE: &str = "ride.gpx";

thread_local! {
    /// True while `parse_track` runs; counts the third-party panics it had to catch.
    static PARSING: Cell<bool> = const { Cell::new(false) };
    static CAUGHT: Cell<usize> = const { Cell::new(0) };
}

/// Crates whose panics `parse_track` turns into refusals.
const PARSER_CRATES: [&str; 3] = ["/gpx-0.", "/time-0.", "/xml-rs-0."];

fn let_parser_panics_through() {
    let abort = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        let in_parser = info
            .location()
            .is_some_and(|at| PARSER_CRATES.iter().any(|c| at.file().contains(c)));
        if PARSING.get() && in_parser {
            CAUGHT.set(CAUGHT.get() + 1);
            return;
        }
        abort(info);
    }));
}

fuzz_target!(init: let_parser_panics_through(), |data: &[u8]| {
    CAUGHT.set(0);
    PARSING.set(true);
    let parsed = parse_track(data, FILE);
    PARSING.set(false);
    let points = match parsed {
        Ok(points) => {
            assert_eq!(CAUGHT.get(), 0, "a panic in the parser gave points");
            points
        }
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
