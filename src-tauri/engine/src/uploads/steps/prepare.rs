//! The prepare step: the folder read again and checked (eligible, valid GPX, MTPW id, signed
//! in), and the exact bytes that will be sent, read once and hashed.

use std::path::Path;

use sha2::{Digest, Sha256};

use crate::files::{display_name, folder_of_id, own_file, read_regular, GPX_LIMIT};
use crate::gpx::{validate, TrackPoint};
use crate::library::{read_sequence, summary_of};
use crate::uploads::enqueue::upload_key;
use crate::uploads::job::{Flow, Job, Prepared};
use crate::uploads::model::UploadState;
use crate::EngineError;

impl Job<'_> {
    pub(in crate::uploads) async fn prepare(&mut self) -> Result<Flow, EngineError> {
        self.record.detail = None;
        self.set(UploadState::Validating)?;
        let Some(folder) = folder_of_id(&self.record.sequence_id) else {
            return self.stop(
                UploadState::Failed,
                "The sequence folder is unknown.".into(),
            );
        };
        if !folder.is_dir() {
            let text = format!(
                "The sequence folder {} is no longer there.",
                folder.display()
            );
            return self.stop(UploadState::Failed, text);
        }
        let summary = summary_of(&folder, &read_sequence(&folder).record);
        self.record.sequence_name = summary.name.clone();
        self.record.folder = summary.path.clone();
        if !summary.strava.eligible {
            let reason = summary.strava.reason.unwrap_or_default();
            return self.stop(UploadState::NotEligible, reason);
        }
        if !summary.problems.is_empty() {
            let problems: Vec<String> = summary
                .problems
                .iter()
                .map(|p| format!("{}: {}", p.file, p.message))
                .collect();
            return self.stop(UploadState::InvalidGpx, problems.join("; "));
        }
        let Some(uuid) = self.up.engine.mtpw_uuid_of(&summary)? else {
            let text = "No Map the Paths sequence id is known for this sequence (destination.mtp is not a UUID): paste its Map the Paths link, or create it on Map the Paths.";
            return self.stop(UploadState::NoMtpwId, text.into());
        };
        let gpx = match read_gpx(&folder) {
            Ok(gpx) => gpx,
            Err(err) => return self.stop(UploadState::InvalidGpx, err),
        };
        if let Err(err) = validate_bytes(&gpx) {
            return self.stop(UploadState::InvalidGpx, err);
        }
        if gpx.sha256 != self.record.gpx_sha256 || self.record.mtpw_uuid.as_deref() != Some(&uuid) {
            // The GPX changed since it was queued (the upload is of the new content), or the
            // MTPW id became known: the record's key follows.
            let key = upload_key(Some(&uuid), &self.record.sequence_id, &gpx.sha256);
            if !self
                .up
                .engine
                .store
                .rekey_upload(self.record.id, &key, &gpx.sha256)?
            {
                let text = "This GPX is already in the upload history as another upload.";
                return self.stop(UploadState::Failed, text.into());
            }
            self.record.gpx_sha256 = gpx.sha256.clone();
        }
        self.record.mtpw_uuid = Some(uuid);
        self.record.sport_type = summary.strava.activity_type.clone();
        for (service, token) in [
            ("Strava", self.up.tokens.strava_access_token().await),
            ("Map the Paths", self.up.tokens.mtpw_token().await),
        ] {
            if let Err(err) = token {
                let text = format!("{err}. Sign in to {service}, then Retry.");
                return self.stop(UploadState::NotSignedIn, text);
            }
        }
        self.prepared = Some(Prepared {
            gpx,
            description: summary.description,
        });
        self.set(UploadState::Uploading)?;
        Ok(Flow::Continue)
    }
}

/// A GPX read from a sequence folder, with its content hash.
#[derive(Debug, Clone)]
pub struct GpxBytes {
    pub file_name: String,
    pub bytes: Vec<u8>,
    pub sha256: String,
}

/// Reads `<dir>/<dir>.gpx`; the error names the file.
pub fn read_gpx(folder: &Path) -> Result<GpxBytes, String> {
    let path = own_file(folder, ".gpx").ok_or_else(|| "the folder has no name".to_string())?;
    let file_name = display_name(&path);
    // Regular files only, up to the stated size: a FIFO or /dev/zero never blocks an upload.
    let bytes = read_regular(&path, &file_name, GPX_LIMIT).map_err(|e| e.to_string())?;
    let sha256 = sha256_hex(&bytes);
    Ok(GpxBytes {
        file_name,
        bytes,
        sha256,
    })
}

/// Lower-case hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Parses and validates exactly these bytes (the ones that will be sent).
pub fn validate_bytes(gpx: &GpxBytes) -> Result<(), String> {
    let document = ::gpx::read(gpx.bytes.as_slice())
        .map_err(|e| format!("{} is not a valid GPX file: {e}", gpx.file_name))?;
    let points: Vec<TrackPoint> = document
        .tracks
        .iter()
        .flat_map(|track| &track.segments)
        .flat_map(|segment| &segment.points)
        .map(|waypoint| TrackPoint {
            lat: waypoint.point().y(),
            lon: waypoint.point().x(),
            time: waypoint.time.map(time::OffsetDateTime::from),
        })
        .collect();
    validate(&points, &gpx.file_name).map_err(|e| {
        let text = e.to_string();
        if text.contains(&gpx.file_name) {
            text
        } else {
            format!("{}: {text}", gpx.file_name)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_hex_sha256() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn bytes_without_times_are_refused() {
        let gpx = GpxBytes {
            file_name: "x.gpx".into(),
            bytes: br#"<?xml version="1.0"?><gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg><trkpt lat="1" lon="1"></trkpt><trkpt lat="1.1" lon="1"></trkpt></trkseg></trk></gpx>"#.to_vec(),
            sha256: String::new(),
        };
        let err = validate_bytes(&gpx).unwrap_err();
        assert!(err.starts_with("x.gpx"), "{err}");
    }
}
