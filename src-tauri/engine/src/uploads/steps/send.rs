//! The send step: the validated GPX, gzipped, as a multipart upload with byte progress.

use std::sync::Arc;

use mtp_services::strava::uploads::{gzip, ByteProgress, NewUpload};

use crate::error::EngineError;
use crate::uploads::job::{Flow, Job};
use crate::uploads::model::{UploadEvent, UploadState, UploadStep};
use crate::uploads::retry::CallError;
use crate::uploads::retry::Service;

impl Job<'_> {
    pub(in crate::uploads) async fn send(&mut self) -> Result<Flow, EngineError> {
        if self.record.strava_upload_id.is_some() {
            self.set(UploadState::Processing)?;
            return Ok(Flow::Continue);
        }
        let Some(prepared) = self.prepared.take() else {
            // Resumed after a restart: check the folder again, then send (again if the
            // first POST's outcome is unknown: Strava reports the duplicate).
            self.set(UploadState::Queued)?;
            return Ok(Flow::Continue);
        };
        let new = NewUpload {
            name: self.record.sequence_name.clone(),
            description: prepared.description.clone(),
            external_id: self.record.mtpw_uuid.clone().unwrap_or_default(),
            file_name: format!("{}.gz", prepared.gpx.file_name),
            gpx_gz: gzip(&prepared.gpx.bytes),
        };
        let events = self.events.clone();
        let id = self.record.id;
        let progress: ByteProgress = Arc::new(move |sent, total| {
            events(UploadEvent::Bytes {
                upload: id,
                sent,
                total,
            })
        });
        let strava = &self.clients.strava;
        let result = self
            .tries()
            .call(UploadStep::Upload, Service::Strava, 201, |token| {
                let (new, progress) = (&new, progress.clone());
                async move {
                    strava
                        .create_upload(token.expose(), new, progress)
                        .await
                        .map_err(CallError::from)
                }
            })
            .await;
        match result {
            Ok((upload_id, status)) => {
                self.record.strava_upload_id = Some(upload_id);
                self.apply_status(status)
            }
            Err(failure) => self.fail(failure, "Uploading to Strava", UploadState::Failed),
        }
    }
}
