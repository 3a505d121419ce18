//! What MTP Desktop Uploader recorded about its own Strava upload (`upload_strava.json`, `destination.strava`).

use std::path::Path;

use serde::Deserialize;

use super::sequence_json::{Flexible, SequenceObject};
use crate::files::{read_regular, ReadRefusal, STATUS_FILE, STATUS_FILE_LIMIT};
use crate::model::DesktopUploaderStatus;

#[derive(Deserialize)]
struct StatusFile {
    status: Option<String>,
    data: Option<Flexible>,
}

/// Why `upload_strava.json` could not be used.
#[derive(Debug, thiserror::Error)]
pub enum StatusFileError {
    #[error(transparent)]
    File(ReadRefusal),
    #[error("{STATUS_FILE} is not valid: {0}")]
    Invalid(String),
}

/// The status from `upload_strava.json` if present, else from `destination.strava`.
pub fn desktop_status(
    dir: &Path,
    record: Option<&SequenceObject>,
) -> Result<Option<DesktopUploaderStatus>, StatusFileError> {
    match read_regular(&dir.join(STATUS_FILE), STATUS_FILE, STATUS_FILE_LIMIT) {
        Ok(bytes) => from_status_file(&bytes).map(Some),
        Err(ReadRefusal::Missing { .. }) => Ok(record.and_then(from_destination)),
        Err(refusal) => Err(StatusFileError::File(refusal)),
    }
}

impl StatusFileError {
    /// True when the file could not be read at all (worth trying again on the next scan).
    pub fn is_io(&self) -> bool {
        matches!(self, StatusFileError::File(refusal) if refusal.is_io())
    }
}

fn from_status_file(bytes: &[u8]) -> Result<DesktopUploaderStatus, StatusFileError> {
    let file: StatusFile =
        serde_json::from_slice(bytes).map_err(|e| StatusFileError::Invalid(e.to_string()))?;
    Ok(DesktopUploaderStatus {
        status: file.status.unwrap_or_else(|| "PENDING".into()),
        upload_id: file.data.as_ref().and_then(upload_id),
    })
}

/// `destination.strava`: an upload id while pending, `true` once done.
fn from_destination(record: &SequenceObject) -> Option<DesktopUploaderStatus> {
    let strava = record.destination.as_ref()?.strava.as_ref()?;
    match strava {
        Flexible::Flag(true) => Some(done()),
        Flexible::Text(text) if text.trim().eq_ignore_ascii_case("true") => Some(done()),
        other => upload_id(other).map(|id| DesktopUploaderStatus {
            status: "PENDING".into(),
            upload_id: Some(id),
        }),
    }
}

fn done() -> DesktopUploaderStatus {
    DesktopUploaderStatus {
        status: "done".into(),
        upload_id: None,
    }
}

fn upload_id(value: &Flexible) -> Option<u64> {
    match value {
        Flexible::Id(id) => Some(*id),
        Flexible::Text(text) => text.trim().parse().ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::sequence_json::read_from;

    fn status_of(json: &str) -> Option<DesktopUploaderStatus> {
        let dir = tempfile::tempdir().unwrap();
        let record = read_from(json.as_bytes(), "x.json").unwrap();
        desktop_status(dir.path(), Some(&record)).unwrap()
    }

    #[test]
    fn destination_strava_number_is_pending_and_true_is_done() {
        let pending = status_of(r#"{"sequence": {"destination": {"strava": 98765}}}"#).unwrap();
        assert_eq!(
            (pending.status.as_str(), pending.upload_id),
            ("PENDING", Some(98765))
        );
        let done = status_of(r#"{"sequence": {"destination": {"strava": true}}}"#).unwrap();
        assert_eq!((done.status.as_str(), done.upload_id), ("done", None));
        assert_eq!(
            status_of(r#"{"sequence": {"destination": {"mtp": true}}}"#),
            None
        );
        assert_eq!(status_of(r#"{"sequence": {}}"#), None);
    }

    #[test]
    fn the_status_file_wins_and_a_broken_one_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(STATUS_FILE),
            r#"{"sequence":"x","status":"TRUE","data":4242}"#,
        )
        .unwrap();
        let status = desktop_status(dir.path(), None).unwrap().unwrap();
        assert_eq!(
            (status.status.as_str(), status.upload_id),
            ("TRUE", Some(4242))
        );
        std::fs::write(dir.path().join(STATUS_FILE), "{oops").unwrap();
        let err = desktop_status(dir.path(), None).unwrap_err().to_string();
        assert!(err.starts_with("upload_strava.json is not valid"), "{err}");
    }
}
