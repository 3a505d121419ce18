//! The poll step: ask Strava about the upload, backing off, until it is an activity (or not).

use std::time::Instant;

use mtp_services::strava::uploads::UploadStatus;

use crate::error::EngineError;
use crate::uploads::job::{Flow, Job};
use crate::uploads::messages::minutes;
use crate::uploads::model::{UploadState, UploadStep};
use crate::uploads::retry::CallError;
use crate::uploads::retry::{Service, StepFailure};

impl Job<'_> {
    pub(in crate::uploads) async fn poll(&mut self) -> Result<Flow, EngineError> {
        let Some(upload_id) = self.record.strava_upload_id else {
            self.set(UploadState::Uploading)?;
            return Ok(Flow::Continue);
        };
        if self.record.state != UploadState::Processing {
            self.set(UploadState::Processing)?;
        }
        let timings = self.up.config.timings;
        let started = Instant::now();
        let mut wait = self.up.pace.first_wait();
        let mut polls = 0u32;
        let strava = &self.clients.strava;
        loop {
            tokio::time::sleep(wait).await;
            // On Strava already: a pause holds the poll here, a cancel lets it finish.
            self.gate().await;
            let result = self
                .tries()
                .call(UploadStep::Poll, Service::Strava, 200, |token| async move {
                    strava
                        .upload_status(token.expose(), upload_id)
                        .await
                        .map_err(CallError::from)
                })
                .await;
            polls += 1;
            if let Ok(status) = &result {
                if polls == 1 {
                    self.up.pace.learn(*status != UploadStatus::Processing);
                }
            }
            match result {
                Ok(UploadStatus::Processing) => {
                    if started.elapsed() >= timings.poll_give_up {
                        let text = format!(
                            "Strava was still processing upload {upload_id} after {}; the next run checks it again.",
                            minutes(timings.poll_give_up)
                        );
                        return self.stop(UploadState::StillProcessing, text);
                    }
                    wait = (wait * 2).min(timings.poll_max);
                }
                Ok(status) => return self.apply_status(status),
                Err(StepFailure::Permanent(err)) if err.http_status == Some(404) => {
                    self.record.strava_upload_id = None;
                    let text = format!(
                        "Strava no longer knows upload {upload_id}. Retry uploads the GPX again."
                    );
                    return self.stop(UploadState::Failed, text);
                }
                Err(failure) => {
                    return self.fail(
                        failure,
                        "Checking the upload on Strava",
                        UploadState::Failed,
                    )
                }
            }
        }
    }

    /// Moves on from what Strava said about the upload.
    pub(in crate::uploads) fn apply_status(
        &mut self,
        status: UploadStatus,
    ) -> Result<Flow, EngineError> {
        match status {
            UploadStatus::Processing => {
                self.set(UploadState::Processing)?;
                Ok(Flow::Continue)
            }
            UploadStatus::Ready { activity_id } => {
                self.record.activity_id = Some(activity_id);
                self.set(UploadState::SettingSportType)?;
                Ok(Flow::Continue)
            }
            UploadStatus::Duplicate { activity_id } => {
                self.record.activity_id = Some(activity_id);
                self.add_note(format!(
                    "Already on Strava as activity {activity_id} (Strava reported a duplicate)."
                ));
                self.set(UploadState::SettingSportType)?;
                Ok(Flow::Continue)
            }
            UploadStatus::Deleted => self.stop(
                UploadState::ActivityDeleted,
                "The activity this upload created was deleted on Strava. Retry uploads it again."
                    .into(),
            ),
            UploadStatus::Failed { error } => self.stop(
                UploadState::Failed,
                format!("Strava could not make an activity from the GPX: {error}"),
            ),
        }
    }
}
