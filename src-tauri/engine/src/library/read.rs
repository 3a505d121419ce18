//! Reads one sequence folder: a quick listing from its JSON and status file, or in full with its GPX track.

use std::path::Path;

use super::desktop_uploader::{desktop_status, StatusFileError, STATUS_FILE};
use super::sequence_json::{read_sequence_record, Flexible, SequenceRecord};
use super::transport::eligibility;
use super::{display_name, display_sequence_name, own_file, sequence_id, FolderStamp};
use crate::gpx::{self, TrackError};
use crate::{Problem, SequenceStatus, SequenceSummary, StravaEligibility, TrackStats};

/// A freshly read sequence; `cacheable` is false when a file could not be read (try again next scan).
#[derive(Debug, Clone)]
pub struct SequenceRead {
    pub summary: SequenceSummary,
    pub preview: Vec<[f64; 2]>,
    pub cacheable: bool,
}

/// A sequence listed without parsing its GPX.
#[derive(Debug, Clone)]
pub enum Listing {
    /// Nothing is left to read (no GPX): exactly what [`read_sequence`] would give.
    Final(SequenceRead),
    /// The GPX exists and still has to be checked; the summary has no track and is
    /// `Checking` (or already `Invalid` when the JSON or status file has a problem).
    Pending(SequenceSummary),
}

/// Lists the folder from its JSON and status file; `stamp` says whether the GPX exists.
pub fn list_sequence(dir: &Path, stamp: &FolderStamp) -> Listing {
    let mut facts = read_json(dir);
    if stamp.gpx.is_missing() {
        let gpx_file = facts.gpx_file.clone();
        let missing = TrackError::Missing {
            file: gpx_file.clone(),
        };
        facts.note(&gpx_file, missing.to_string(), false);
        return Listing::Final(finish(dir, facts, None, Vec::new(), false));
    }
    Listing::Pending(finish(dir, facts, None, Vec::new(), true).summary)
}

/// Reads the folder in full, GPX parsed and validated; never fails: anything wrong becomes a [`Problem`].
pub fn read_sequence(dir: &Path) -> SequenceRead {
    let mut facts = read_json(dir);
    let gpx_file = facts.gpx_file.clone();
    let (track, preview) = match own_file(dir, ".gpx").map(|p| read_track(&p, &gpx_file)) {
        Some(Ok(found)) => found,
        Some(Err(err)) => {
            facts.note(&gpx_file, err.to_string(), err.is_io());
            (None, Vec::new())
        }
        None => (None, Vec::new()),
    };
    finish(dir, facts, track, preview, false)
}

/// What a folder's JSON said, and the problems found so far.
struct Facts {
    dir_name: String,
    gpx_file: String,
    record: Option<SequenceRecord>,
    problems: Vec<Problem>,
    cacheable: bool,
}

impl Facts {
    /// Records a problem with `file`; an I/O failure makes the result worth reading again next scan.
    fn note(&mut self, file: &str, message: String, is_io: bool) {
        self.cacheable &= !is_io;
        self.problems.push(problem(file, message));
    }
}

/// Reads the `sequence` object of `<dir>.json`.
fn read_json(dir: &Path) -> Facts {
    let dir_name = display_name(dir);
    let json_file = format!("{dir_name}.json");
    let mut facts = Facts {
        gpx_file: format!("{dir_name}.gpx"),
        dir_name,
        record: None,
        problems: Vec::new(),
        cacheable: true,
    };
    match own_file(dir, ".json").map(|p| read_sequence_record(&p, &json_file)) {
        Some(Ok(record)) => facts.record = Some(record),
        Some(Err(err)) => facts.note(&json_file, err.to_string(), err.is_io()),
        None => {}
    }
    facts
}

/// Adds the uploader status and builds the summary; `checking` marks a track still to be checked.
fn finish(
    dir: &Path,
    mut facts: Facts,
    track: Option<TrackStats>,
    preview: Vec<[f64; 2]>,
    checking: bool,
) -> SequenceRead {
    let desktop_uploader = match desktop_status(dir, facts.record.as_ref()) {
        Ok(status) => status,
        Err(err) => {
            let is_io = matches!(err, StatusFileError::Unreadable(_));
            facts.note(STATUS_FILE, err.to_string(), is_io);
            None
        }
    };
    let Facts {
        dir_name,
        record,
        problems,
        cacheable,
        ..
    } = facts;
    let record = record.unwrap_or_default();
    let strava = eligibility(
        record.uploader_transport_type.as_deref(),
        record.uploader_transport_method.as_deref(),
    );
    let status = if checking && problems.is_empty() {
        SequenceStatus::Checking
    } else {
        status_of(&problems, desktop_uploader.is_some(), &strava)
    };
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
    use mtp_testkit::fixtures::{self, Broken};

    #[test]
    fn a_final_listing_is_exactly_what_the_full_read_gives() {
        let root = tempfile::tempdir().unwrap();
        let dir = fixtures::write_broken(root.path(), Broken::MissingGpx).unwrap();
        let Listing::Final(listed) = list_sequence(&dir, &FolderStamp::of(&dir)) else {
            panic!("a sequence without a GPX has nothing left to check");
        };
        let full = read_sequence(&dir);
        assert_eq!(
            (listed.summary, listed.cacheable),
            (full.summary, full.cacheable)
        );
    }

    #[test]
    fn a_pending_listing_is_the_full_read_without_its_track() {
        let root = tempfile::tempdir().unwrap();
        let spec = fixtures::SequenceSpec::sample(0, 15);
        let dir = fixtures::write_sequence(root.path(), &spec).unwrap();
        let Listing::Pending(listed) = list_sequence(&dir, &FolderStamp::of(&dir)) else {
            panic!("a sequence with a GPX waits for its check");
        };
        let mut full = read_sequence(&dir).summary;
        assert_eq!(full.status, SequenceStatus::Ready);
        full.status = SequenceStatus::Checking;
        full.track = None;
        assert_eq!(listed, full);
    }

    #[test]
    fn uuids_are_recognised_strictly() {
        assert!(is_uuid("6a6a0c88-b114-44a3-845e-816d64093ca2"));
        assert!(!is_uuid("6a6a0c88-b114-44a3-845e-816d64093ca"));
        assert!(!is_uuid("true"));
        assert!(!is_uuid("6a6a0c88b11444a3845e816d64093ca2"));
        assert!(!is_uuid("6a6a0c88-b114-44a3-845e-816d64093cg2"));
    }
}
