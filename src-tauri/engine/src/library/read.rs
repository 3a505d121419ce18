//! Reads one sequence folder (its JSON `sequence`, GPX and uploader status) into a summary and preview.

use std::path::Path;

use super::desktop_uploader::{desktop_status, StatusFileError, STATUS_FILE};
use super::sequence_json::{read_sequence_record, Flexible, SequenceRecord};
use super::transport::eligibility;
use super::{display_name, display_sequence_name, own_file, sequence_id};
use crate::gpx::{self, TrackError};
use crate::{Problem, SequenceStatus, SequenceSummary, StravaEligibility, TrackStats};

/// A freshly read sequence; `cacheable` is false when a file could not be read (try again next scan).
#[derive(Debug, Clone)]
pub struct SequenceRead {
    pub summary: SequenceSummary,
    pub preview: Vec<[f64; 2]>,
    pub cacheable: bool,
}

/// Reads the folder; never fails: anything wrong becomes a [`Problem`] on the summary.
pub fn read_sequence(dir: &Path) -> SequenceRead {
    let dir_name = display_name(dir);
    let json_file = format!("{dir_name}.json");
    let gpx_file = format!("{dir_name}.gpx");
    let mut problems = Vec::new();
    let mut cacheable = true;

    let record = match own_file(dir, ".json").map(|p| read_sequence_record(&p, &json_file)) {
        Some(Ok(record)) => Some(record),
        Some(Err(err)) => {
            cacheable &= !err.is_io();
            problems.push(problem(&json_file, err.to_string()));
            None
        }
        None => None,
    };

    let (track, preview) = match own_file(dir, ".gpx").map(|p| read_track(&p, &gpx_file)) {
        Some(Ok(found)) => found,
        Some(Err(err)) => {
            cacheable &= !err.is_io();
            problems.push(problem(&gpx_file, err.to_string()));
            (None, Vec::new())
        }
        None => (None, Vec::new()),
    };

    let desktop_uploader = match desktop_status(dir, record.as_ref()) {
        Ok(status) => status,
        Err(err) => {
            cacheable &= !matches!(err, StatusFileError::Unreadable(_));
            problems.push(problem(STATUS_FILE, err.to_string()));
            None
        }
    };

    let record = record.unwrap_or_default();
    let strava = eligibility(
        record.uploader_transport_type.as_deref(),
        record.uploader_transport_method.as_deref(),
    );
    let status = status_of(&problems, desktop_uploader.is_some(), &strava);
    let summary = SequenceSummary {
        id: sequence_id(dir),
        path: dir.to_string_lossy().into_owned(),
        name: display_sequence_name(
            record
                .uploader_sequence_name
                .as_deref()
                .filter(|n| !n.trim().is_empty())
                .unwrap_or(&dir_name),
        ),
        dir_name,
        description: record.uploader_sequence_description.clone(),
        transport_type: record.uploader_transport_type.clone(),
        transport_method: record.uploader_transport_method.clone(),
        tags: record
            .uploader_tags
            .clone()
            .map(|t| t.into_vec())
            .unwrap_or_default(),
        capture_date: record.created.clone().or(record.earliest_time.clone()),
        duration_sec: record
            .durationsec
            .as_ref()
            .and_then(|n| n.value())
            .or(track.as_ref().map(|t| t.duration_sec)),
        distance_km: record
            .distance_km
            .as_ref()
            .and_then(|n| n.value())
            .or(track.as_ref().map(|t| t.distance_m / 1000.0)),
        photo_count: None,
        mtpw_uuid: mtpw_uuid(&record),
        strava,
        desktop_uploader,
        status,
        problems,
        track,
    };
    SequenceRead {
        summary,
        preview,
        cacheable,
    }
}

type TrackFound = (Option<TrackStats>, Vec<[f64; 2]>);

fn read_track(path: &Path, file: &str) -> Result<TrackFound, TrackError> {
    let points = gpx::read_track(path, file)?;
    gpx::validate(&points, file)?;
    Ok(match gpx::summarise(&points) {
        Some((stats, preview)) => (Some(stats), preview),
        None => (None, Vec::new()),
    })
}

/// Invalid if any problem, else uploaded by MTP Desktop Uploader, else not eligible, else ready.
fn status_of(problems: &[Problem], uploaded: bool, strava: &StravaEligibility) -> SequenceStatus {
    if !problems.is_empty() {
        SequenceStatus::Invalid
    } else if uploaded {
        SequenceStatus::UploadedByDesktop
    } else if !strava.eligible {
        SequenceStatus::NotEligible
    } else {
        SequenceStatus::Ready
    }
}

/// `destination.mtp` when it is a UUID string (it becomes `true` once synced: then there is no id).
fn mtpw_uuid(record: &SequenceRecord) -> Option<String> {
    match record.destination.as_ref()?.mtp.as_ref()? {
        Flexible::Text(text) if is_uuid(text.trim()) => Some(text.trim().to_ascii_lowercase()),
        _ => None,
    }
}

/// 8-4-4-4-12 hexadecimal digits.
fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    let lengths = [8, 4, 4, 4, 12];
    groups.len() == lengths.len()
        && groups
            .iter()
            .zip(lengths)
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn problem(file: &str, message: String) -> Problem {
    Problem {
        file: file.into(),
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_recognised_strictly() {
        assert!(is_uuid("6a6a0c88-b114-44a3-845e-816d64093ca2"));
        assert!(!is_uuid("6a6a0c88-b114-44a3-845e-816d64093ca"));
        assert!(!is_uuid("true"));
        assert!(!is_uuid("6a6a0c88b11444a3845e816d64093ca2"));
        assert!(!is_uuid("6a6a0c88-b114-44a3-845e-816d64093cg2"));
    }
}
