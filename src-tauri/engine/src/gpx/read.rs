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
    let document = ::gpx::read(bytes).map_err(|err| TrackError::Invalid {
        file: file.into(),
        detail: describe(&err),
    })?;
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
