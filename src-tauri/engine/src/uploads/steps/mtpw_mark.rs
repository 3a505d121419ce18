//! The Map the Paths step: the import PUT that marks the sequence with its Strava activity.

use crate::error::EngineError;
use crate::uploads::config::MtpwStravaValue;
use crate::uploads::job::{Flow, Job};
use crate::uploads::model::{UploadState, UploadStep};
use crate::uploads::retry::CallError;
use crate::uploads::retry::Service;

impl Job<'_> {
    pub(in crate::uploads) async fn mark_on_mtpw(&mut self) -> Result<Flow, EngineError> {
        let (Some(uuid), Some(activity_id)) =
            (self.record.mtpw_uuid.clone(), self.record.activity_id)
        else {
            return self.stop(
                UploadState::Failed,
                "No Strava activity is known yet.".into(),
            );
        };
        if self.record.state != UploadState::SyncingMtpw {
            self.set(UploadState::SyncingMtpw)?;
        }
        let value = match self.up.config.mtpw_strava_value {
            MtpwStravaValue::ActivityId => activity_id.to_string(),
            MtpwStravaValue::LiteralTrue => "true".to_string(),
        };
        let mtpw = &self.clients.mtpw;
        let result = self
            .tries()
            .call(UploadStep::SyncMtpw, Service::Mtpw, 200, |token| {
                let (uuid, value) = (uuid.as_str(), value.as_str());
                async move {
                    mtpw.mark_on_strava(token.expose(), uuid, value)
                        .await
                        .map_err(CallError::from)
                }
            })
            .await;
        match result {
            Ok(()) => {
                self.set(UploadState::Done)?;
                Ok(Flow::Stop)
            }
            Err(failure) => self.fail(
                failure,
                "Updating Map the Paths",
                UploadState::OnStravaMtpwNotUpdated,
            ),
        }
    }
}
