//! Reads a GPX file into track points with the `gpx` crate.

use std::error::Error as _;
use std::path::Path;

use time::OffsetDateTime;

use super::track::{TrackError, TrackPoint};
use crate::files::{read_regular, GPX_LIMIT};

/// Reads every track point (of a regular file up to [`GPX_LIMIT`]) of every track and segment; `file` names the file in messages.
pub fn read_track(path: &Path, file: &str) -> Result<Vec<TrackPoint>, TrackError> {
    let bytes = read_regular(path, file, GPX_LIMIT).map_err(TrackError::File)?;
    parse_track(&bytes, file)
}

/// Every track point of the GPX document in `bytes`, in file order (what [`read_track`] does
/// after reading the file; the fuzz target feeds it arbitrary bytes).
pub fn parse_track(bytes: &[u8], file: &str) -> Result<Vec<TrackPoint>, TrackError> {
    let invalid = |detail| TrackError::Invalid {
        file: file.into(),
        detail,
    };
    // The gpx crate panics on some input instead of refusing it: a <time> that is outside the
    // years -9999..=9999 once in UTC (9999-12-31T23:30-01:00) panics in time's `to_offset`.
    // That must refuse this one file, not take down the scan or the upload with it.
    let document = std::panic::catch_unwind(|| ::gpx::read(bytes))
        .map_err(|panic| invalid(panic_text(panic.as_ref())))?
        .map_err(|err| invalid(describe(&err)))?;
    Ok(document
        .tracks
        .iter()
        .flat_map(|track| &track.segments)
        .flat_map(|segment| &segment.points)
        .map(|waypoint| {
            let point = waypoint.point();
            TrackPoint {
                lat: point.y(),
                lon: point.x(),
                time: waypoint.time.map(OffsetDateTime::from),
            }
        })
        .collect())
}

/// What the gpx crate said when it panicked, as a refusal's detail.
fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    let said = panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("no reason given");
    if said.contains("datetime out of valid range") {
        "a time is outside the years -9999 to 9999".into()
    } else {
        format!("the GPX reader failed ({said})")
    }
}

/// The error and its causes, e.g. "error while parsing XML: 1:1 Unexpected characters".
fn describe(err: &::gpx::errors::GpxError) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by the `gpx` fuzz target: 23:30 on 31 December 9999 at -01:00 is in the year
    /// 10000 in UTC, and the gpx crate panicked converting it.
    #[test]
    fn a_time_past_the_year_9999_in_utc_is_refused_not_a_panic() {
        let gpx = br#"<gpx version="1.1"><trk><trkseg><trkpt lat="1" lon="1"><time>9999-12-31T23:30-01:00</time></trkpt></trkseg></trk></gpx>"#;
        let err = parse_track(gpx, "ride.gpx").unwrap_err();
        assert_eq!(
            err.to_string(),
            "ride.gpx is not a valid GPX file: a time is outside the years -9999 to 9999"
        );
        // The far side of the range too: refused or read, never a panic.
        let early = br#"<gpx version="1.1"><trk><trkseg><trkpt lat="1" lon="1"><time>-9999-01-01T00:30+01:00</time></trkpt></trkseg></trk></gpx>"#;
        assert!(matches!(
            parse_track(early, "ride.gpx"),
            Err(TrackError::Invalid { .. }) | Ok(_)
        ));
        let fine = br#"<gpx version="1.1"><trk><trkseg><trkpt lat="1" lon="1"><time>9999-12-31T23:30+01:00</time></trkpt></trkseg></trk></gpx>"#;
        assert_eq!(parse_track(fine, "ride.gpx").unwrap().len(), 1);
    }
}
