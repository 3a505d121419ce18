//! Reads one sequence folder into a [`SequenceRecord`]: a quick listing from its JSON and status
//! file, or in full with its GPX track. Never fails: anything wrong becomes a [`Problem`].

use std::path::Path;

use super::desktop_uploader::desktop_status;
use super::record::{FolderRead, SequenceRecord};
use super::sequence_json::{read_sequence_object, Flexible, SequenceObject};
use crate::files::{display_name, own_file, FolderStamp, ReadRefusal, STATUS_FILE};
use crate::gpx::{self, TrackError};
use crate::model::{Problem, TrackStats};

/// A sequence listed without parsing its GPX.
#[derive(Debug, Clone)]
pub enum Listing {
    /// Nothing is left to read (no GPX): exactly what [`read_sequence`] would give.
    Final(FolderRead),
    /// The GPX exists and still has to be checked (`track_checked` is false).
    Pending(SequenceRecord),
}

/// Lists the folder from its JSON and status file; `stamp` says whether the GPX exists.
pub fn list_sequence(dir: &Path, stamp: &FolderStamp) -> Listing {
    let mut reading = Reading::of_json(dir);
    if stamp.gpx.is_missing() {
        let gpx_file = reading.gpx_file.clone();
        let missing = TrackError::File(ReadRefusal::Missing {
            file: gpx_file.clone(),
        });
        reading.note(&gpx_file, missing.to_string(), false);
        return Listing::Final(reading.finish(dir, None, Vec::new(), true));
    }
    Listing::Pending(reading.finish(dir, None, Vec::new(), false).record)
}

/// Reads the folder in full, GPX parsed and validated.
pub fn read_sequence(dir: &Path) -> FolderRead {
    let mut reading = Reading::of_json(dir);
    let gpx_file = reading.gpx_file.clone();
    let (track, preview) = match own_file(dir, ".gpx").map(|p| read_track(&p, &gpx_file)) {
        Some(Ok(found)) => found,
        Some(Err(err)) => {
            reading.note(&gpx_file, err.to_string(), err.is_io());
            (None, Vec::new())
        }
        None => (None, Vec::new()),
    };
    reading.finish(dir, track, preview, true)
}

/// What a folder's JSON said, and the problems found so far.
struct Reading {
    dir_name: String,
    gpx_file: String,
    object: Option<SequenceObject>,
    problems: Vec<Problem>,
    cacheable: bool,
}

impl Reading {
    /// Reads the `sequence` object of `<dir>.json`.
    fn of_json(dir: &Path) -> Self {
        let dir_name = display_name(dir);
        let json_file = format!("{dir_name}.json");
        let mut reading = Reading {
            gpx_file: format!("{dir_name}.gpx"),
            dir_name,
            object: None,
            problems: Vec::new(),
            cacheable: true,
        };
        match own_file(dir, ".json").map(|p| read_sequence_object(&p, &json_file)) {
            Some(Ok(object)) => reading.object = Some(object),
            Some(Err(err)) => reading.note(&json_file, err.to_string(), err.is_io()),
            None => {}
        }
        reading
    }

    /// Records a problem with `file`; an I/O failure makes the result worth reading again next scan.
    fn note(&mut self, file: &str, message: String, is_io: bool) {
        self.cacheable &= !is_io;
        self.problems.push(Problem {
            file: file.into(),
            message,
        });
    }

    /// Adds the uploader status and builds the record.
    fn finish(
        mut self,
        dir: &Path,
        track: Option<TrackStats>,
        preview: Vec<[f64; 2]>,
        track_checked: bool,
    ) -> FolderRead {
        let desktop_uploader = match desktop_status(dir, self.object.as_ref()) {
            Ok(status) => status,
            Err(err) => {
                self.note(STATUS_FILE, err.to_string(), err.is_io());
                None
            }
        };
        let object = self.object.unwrap_or_default();
        let number = |n: &Option<super::sequence_json::Number>| n.as_ref().and_then(|n| n.value());
        let record = SequenceRecord {
            dir_name: self.dir_name,
            name: object.uploader_sequence_name.clone(),
            description: object.uploader_sequence_description.clone(),
            transport_type: object.uploader_transport_type.clone(),
            transport_method: object.uploader_transport_method.clone(),
            tags: object
                .uploader_tags
                .clone()
                .map(|t| t.into_vec())
                .unwrap_or_default(),
            capture_date: object.created.clone().or(object.earliest_time.clone()),
            json_duration_sec: number(&object.durationsec),
            json_distance_km: number(&object.distance_km),
            mtpw_uuid: mtpw_uuid(&object),
            desktop_uploader,
            problems: self.problems,
            track,
            track_checked,
        };
        FolderRead {
            record,
            preview,
            cacheable: self.cacheable,
        }
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

/// `destination.mtp` when it is a UUID string (it becomes `true` once synced: then there is no id).
fn mtpw_uuid(object: &SequenceObject) -> Option<String> {
    match object.destination.as_ref()?.mtp.as_ref()? {
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
            (listed.record, listed.cacheable),
            (full.record, full.cacheable)
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
        let mut full = read_sequence(&dir).record;
        assert!(full.track.is_some() && full.track_checked);
        full.track = None;
        full.track_checked = false;
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
