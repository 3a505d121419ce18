//! Checks that a track can go to Strava: enough points, a time on each, times in order, sane coordinates.

use super::track::{TrackError, TrackPoint};

/// The first thing wrong with the track, if any. Point numbers in messages count from 1.
pub fn validate(points: &[TrackPoint], file: &str) -> Result<(), TrackError> {
    match points.len() {
        0 => return Err(TrackError::Empty { file: file.into() }),
        1 => return Err(TrackError::SinglePoint { file: file.into() }),
        _ => {}
    }
    if points.iter().all(|p| p.time.is_none()) {
        return Err(TrackError::NoTimes { file: file.into() });
    }
    for (i, point) in points.iter().enumerate() {
        let index = i + 1;
        if !(-90.0..=90.0).contains(&point.lat) {
            return Err(TrackError::LatitudeOutOfRange {
                index,
                lat: point.lat,
            });
        }
        if !(-180.0..=180.0).contains(&point.lon) {
            return Err(TrackError::LongitudeOutOfRange {
                index,
                lon: point.lon,
            });
        }
        if point.time.is_none() {
            return Err(TrackError::PointWithoutTime { index });
        }
    }
    for (i, pair) in points.windows(2).enumerate() {
        if pair[1].time < pair[0].time {
            return Err(TrackError::TimeGoesBack {
                index: i + 2,
                previous: i + 1,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn point(lat: f64, lon: f64, second: Option<i64>) -> TrackPoint {
        TrackPoint {
            lat,
            lon,
            time: second.map(|s| datetime!(2020-04-13 15:37:22 UTC) + time::Duration::seconds(s)),
        }
    }

    fn message(points: &[TrackPoint]) -> String {
        validate(points, "ride.gpx").unwrap_err().to_string()
    }

    #[test]
    fn a_good_track_passes_and_equal_times_are_allowed() {
        let points = [
            point(1.0, 1.0, Some(0)),
            point(1.0, 1.1, Some(0)),
            point(1.0, 1.2, Some(1)),
        ];
        assert!(validate(&points, "ride.gpx").is_ok());
    }

    #[test]
    fn each_fault_names_the_point() {
        assert_eq!(message(&[]), "ride.gpx has no track points");
        assert!(message(&[point(1.0, 1.0, Some(0))]).contains("only 1 track point"));
        assert!(message(&[point(1.0, 1.0, None), point(1.0, 1.0, None)]).contains("has no times"));
        let missing = [
            point(1.0, 1.0, Some(0)),
            point(1.0, 1.0, Some(1)),
            point(1.0, 1.0, None),
        ];
        assert_eq!(message(&missing), "track point 3 has no time");
        let back = [point(1.0, 1.0, Some(5)), point(1.0, 1.0, Some(4))];
        assert_eq!(
            message(&back),
            "track point 2 is earlier than track point 1 (times must not go back)"
        );
        let lat = [point(1.0, 1.0, Some(0)), point(91.0, 1.0, Some(1))];
        assert_eq!(
            message(&lat),
            "track point 2 has latitude 91, outside -90..90"
        );
        let lon = [point(1.0, -181.0, Some(0)), point(1.0, 1.0, Some(1))];
        assert_eq!(
            message(&lon),
            "track point 1 has longitude -181, outside -180..180"
        );
    }
}
