//! The prepare step: the folder read again and checked (eligible, valid GPX, MTPW id, signed
//! in), and the exact bytes that will be sent, read once and hashed.

use crate::error::EngineError;
use crate::files::folder_of_id;
use crate::library::{read_sequence, summary_of};
use crate::tokens::TokenError;
use crate::uploads::gpx_bytes::{read_gpx, validate_bytes};
use crate::uploads::job::{Flow, Job, Prepared};
use crate::uploads::model::upload_key;
use crate::uploads::model::UploadState;

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
        let start = match validate_bytes(&gpx) {
            Ok(start) => start,
            Err(err) => return self.stop(UploadState::InvalidGpx, err),
        };
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
        let tokens = &self.up.tokens;
        for (service, token) in [
            (
                "Strava",
                tokens.strava_access_token(self.clients.strava.base()).await,
            ),
            (
                "Map the Paths",
                tokens.mtpw_token(self.clients.mtpw.base()).await,
            ),
        ] {
            if let Err(err) = token {
                if let TokenError::AppRefused(refusal) = err {
                    return self.hold(refusal, "Uploading to Strava");
                }
                let text = format!("{err}. Sign in to {service}, then Retry.");
                return self.stop(UploadState::NotSignedIn, text);
            }
        }
        self.prepared = Some(Prepared {
            gpx,
            start,
            description: summary.description,
        });
        self.set(UploadState::Uploading)?;
        Ok(Flow::Continue)
    }
}
