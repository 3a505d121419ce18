//! Derives what the library shows from a [`SequenceRecord`], each time it is read: display name,
//! Strava eligibility, status, and the one distance and duration of a sequence.

use std::cmp::Ordering;
use std::path::Path;

use super::naming::display_sequence_name;
use super::record::SequenceRecord;
use super::transport::eligibility;
use crate::files::sequence_id;
use crate::model::{SequenceStatus, SequenceSummary, StravaEligibility};

/// The summary of the sequence in `dir` as the current rules see its record.
pub fn summary_of(dir: &Path, record: &SequenceRecord) -> SequenceSummary {
    let strava = eligibility(
        record.transport_type.as_deref(),
        record.transport_method.as_deref(),
    );
    let status = status_of(record, &strava);
    let shown_name = record
        .name
        .as_deref()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or(&record.dir_name);
    // One distance and duration per sequence: the GPX's once checked, the JSON's until then.
    let (duration_sec, distance_km) = match &record.track {
        Some(track) => (Some(track.duration_sec), Some(track.distance_m / 1000.0)),
        None => (record.json_duration_sec, record.json_distance_km),
    };
    SequenceSummary {
        id: sequence_id(dir),
        path: dir.to_string_lossy().into_owned(),
        dir_name: record.dir_name.clone(),
        name: display_sequence_name(shown_name),
        description: record.description.clone(),
        transport_type: record.transport_type.clone(),
        transport_method: record.transport_method.clone(),
        tags: record.tags.clone(),
        capture_date: record.capture_date.clone(),
        duration_sec,
        distance_km,
        mtpw_uuid: record.mtpw_uuid.clone(),
        strava,
        desktop_uploader: record.desktop_uploader.clone(),
        status,
        problems: record.problems.clone(),
        track: record.track.clone(),
    }
}

/// Invalid if any problem, else checking while the track waits, else uploaded by MTP Desktop
/// Uploads, else not eligible, else ready.
fn status_of(record: &SequenceRecord, strava: &StravaEligibility) -> SequenceStatus {
    if !record.problems.is_empty() {
        SequenceStatus::Invalid
    } else if !record.track_checked {
        SequenceStatus::Checking
    } else if record.desktop_uploader.is_some() {
        SequenceStatus::UploadedByDesktop
    } else if !strava.eligible {
        SequenceStatus::NotEligible
    } else {
        SequenceStatus::Ready
    }
}

/// Newest capture date first (undated last), then by name, then by path.
pub fn sort_newest_first(sequences: &mut [SequenceSummary]) {
    sequences.sort_by(|a, b| {
        let by_date = match (&a.capture_date, &b.capture_date) {
            (Some(x), Some(y)) => y.cmp(x),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        };
        by_date
            .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
            .then_with(|| a.path.cmp(&b.path))
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{BoundingBox, TrackStats};

    fn record() -> SequenceRecord {
        SequenceRecord {
            dir_name: "coast_ride_part_2".into(),
            name: None,
            description: None,
            transport_type: Some("Earth".into()),
            transport_method: Some("Bicycle".into()),
            tags: Vec::new(),
            capture_date: None,
            json_duration_sec: Some(600.0),
            json_distance_km: Some(3.2),
            mtpw_uuid: None,
            desktop_uploader: None,
            problems: Vec::new(),
            track: None,
            track_checked: false,
        }
    }

    fn track() -> TrackStats {
        TrackStats {
            start_time: "2024-01-01T00:00:00Z".into(),
            end_time: "2024-01-01T00:12:00Z".into(),
            duration_sec: 720.0,
            point_count: 2,
            distance_m: 4100.0,
            bounds: BoundingBox {
                min_lat: 0.0,
                min_lon: 0.0,
                max_lat: 1.0,
                max_lon: 1.0,
            },
        }
    }

    #[test]
    fn the_json_figures_stand_until_the_track_is_checked_then_the_gpx_figures() {
        let listed = summary_of(Path::new("/l/coast_ride_part_2"), &record());
        assert_eq!(listed.status, SequenceStatus::Checking);
        assert_eq!(
            (listed.duration_sec, listed.distance_km),
            (Some(600.0), Some(3.2))
        );
        assert_eq!(listed.name, "coast_ride Part 2");

        let mut checked = record();
        checked.track = Some(track());
        checked.track_checked = true;
        let summary = summary_of(Path::new("/l/coast_ride_part_2"), &checked);
        assert_eq!(summary.status, SequenceStatus::Ready);
        assert_eq!(
            (summary.duration_sec, summary.distance_km),
            (Some(720.0), Some(4.1))
        );
    }

    #[test]
    fn status_and_eligibility_follow_the_current_rules_not_the_stored_record() {
        let mut car = record();
        car.transport_method = Some("Car".into());
        car.track_checked = true;
        let summary = summary_of(Path::new("/l/x"), &car);
        assert_eq!(summary.status, SequenceStatus::NotEligible);
        assert!(!summary.strava.eligible);

        car.problems.push(crate::Problem {
            file: "x.gpx".into(),
            message: "x.gpx is missing".into(),
        });
        assert_eq!(
            summary_of(Path::new("/l/x"), &car).status,
            SequenceStatus::Invalid
        );
    }
}
