//! A track as the engine sees it: its points in file order, and why a GPX file cannot be used.

use time::OffsetDateTime;

use crate::files::ReadRefusal;

/// The most points the preview polyline keeps.
pub const PREVIEW_POINTS: usize = 500;

/// One point of a track, in file order across all tracks and segments.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrackPoint {
    pub lat: f64,
    pub lon: f64,
    pub time: Option<OffsetDateTime>,
}

/// Why a GPX file cannot be used; track point numbers count from 1, in file order.
#[derive(Debug, thiserror::Error)]
pub enum TrackError {
    #[error(transparent)]
    File(ReadRefusal),
    #[error("{file} is not a valid GPX file: {detail}")]
    Invalid { file: String, detail: String },
    #[error("{file} has no track points")]
    Empty { file: String },
    #[error("{file} has only 1 track point; a track needs at least 2")]
    SinglePoint { file: String },
    #[error("{file} has no times: Strava needs a time on every track point")]
    NoTimes { file: String },
    #[error("track point {index} has no time")]
    PointWithoutTime { index: usize },
    #[error("track point {index} is earlier than track point {previous} (times must not go back)")]
    TimeGoesBack { index: usize, previous: usize },
    #[error("track point {index} has latitude {lat}, outside -90..90")]
    LatitudeOutOfRange { index: usize, lat: f64 },
    #[error("track point {index} has longitude {lon}, outside -180..180")]
    LongitudeOutOfRange { index: usize, lon: f64 },
}

impl TrackError {
    /// True when the file could not be read at all (worth trying again on the next scan).
    pub fn is_io(&self) -> bool {
        matches!(self, TrackError::File(refusal) if refusal.is_io())
    }
}
