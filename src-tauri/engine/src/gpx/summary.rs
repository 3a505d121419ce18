//! Summarises a validated track: start, end, duration, distance, bounds and preview.

use time::format_description::well_known::Rfc3339;

use super::simplify::simplify;
use super::track::{TrackPoint, PREVIEW_POINTS};
use crate::model::{BoundingBox, TrackStats};

const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// Stats and the simplified `[lat, lon]` preview of a track that passed `validate`.
pub fn summarise(points: &[TrackPoint]) -> Option<(TrackStats, Vec<[f64; 2]>)> {
    let first = points.first()?;
    let last = points.last()?;
    let (start, end) = (first.time?, last.time?);
    let distance_m = points
        .windows(2)
        .map(|pair| haversine_m(&pair[0], &pair[1]))
        .sum();
    let stats = TrackStats {
        start_time: start.format(&Rfc3339).ok()?,
        end_time: end.format(&Rfc3339).ok()?,
        duration_sec: (end - start).as_seconds_f64(),
        point_count: u32::try_from(points.len()).unwrap_or(u32::MAX),
        distance_m,
        bounds: bounds(points),
    };
    let line: Vec<[f64; 2]> = points.iter().map(|p| [p.lat, p.lon]).collect();
    Some((stats, simplify(&line, PREVIEW_POINTS)))
}

/// Great-circle distance between two points, in metres.
pub fn haversine_m(a: &TrackPoint, b: &TrackPoint) -> f64 {
    let (lat1, lat2) = (a.lat.to_radians(), b.lat.to_radians());
    let d_lat = lat2 - lat1;
    let d_lon = (b.lon - a.lon).to_radians();
    let h = (d_lat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (d_lon / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * h.sqrt().min(1.0).asin()
}

fn bounds(points: &[TrackPoint]) -> BoundingBox {
    points.iter().fold(
        BoundingBox {
            min_lat: f64::INFINITY,
            min_lon: f64::INFINITY,
            max_lat: f64::NEG_INFINITY,
            max_lon: f64::NEG_INFINITY,
        },
        |b, p| BoundingBox {
            min_lat: b.min_lat.min(p.lat),
            min_lon: b.min_lon.min(p.lon),
            max_lat: b.max_lat.max(p.lat),
            max_lon: b.max_lon.max(p.lon),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn at(lat: f64, lon: f64, second: i64) -> TrackPoint {
        TrackPoint {
            lat,
            lon,
            time: Some(datetime!(2020-04-13 15:37:22 UTC) + time::Duration::seconds(second)),
        }
    }

    #[test]
    fn one_degree_of_latitude_is_about_111_km() {
        let d = haversine_m(&at(0.0, 0.0, 0), &at(1.0, 0.0, 1));
        assert!((d - 111_195.0).abs() < 10.0, "{d}");
    }

    #[test]
    fn summary_has_times_bounds_and_distance() {
        let points = [
            at(51.0, -1.0, 0),
            at(51.001, -1.0, 10),
            at(51.001, -0.999, 25),
        ];
        let (stats, preview) = summarise(&points).unwrap();
        assert_eq!(stats.start_time, "2020-04-13T15:37:22Z");
        assert_eq!(stats.end_time, "2020-04-13T15:37:47Z");
        assert_eq!(stats.duration_sec, 25.0);
        assert_eq!(stats.point_count, 3);
        assert!(
            stats.distance_m > 180.0 && stats.distance_m < 190.0,
            "{}",
            stats.distance_m
        );
        assert_eq!(stats.bounds.min_lat, 51.0);
        assert_eq!(stats.bounds.max_lon, -0.999);
        assert_eq!(preview.len(), 3);
    }
}
