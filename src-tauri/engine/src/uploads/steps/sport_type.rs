//! The sport-type step: the transport method's Strava sport type, set on the activity by PUT.

use crate::error::EngineError;
use crate::uploads::job::{Flow, Job};
use crate::uploads::messages::failure_text;
use crate::uploads::model::{UploadState, UploadStep};
use crate::uploads::retry::CallError;
use crate::uploads::retry::{Service, StepFailure};

impl Job<'_> {
    pub(in crate::uploads) async fn sport_type(&mut self) -> Result<Flow, EngineError> {
        let Some(activity_id) = self.record.activity_id else {
            self.set(UploadState::Processing)?;
            return Ok(Flow::Continue);
        };
        let sport = self.record.sport_type.clone();
        if let (true, Some(sport)) = (self.up.config.set_sport_type, sport) {
            let strava = &self.clients.strava;
            let result = self
                .tries()
                .call(UploadStep::SportType, Service::Strava, 200, |token| {
                    let sport = sport.as_str();
                    async move {
                        strava
                            .set_sport_type(token.expose(), activity_id, sport)
                            .await
                            .map_err(CallError::from)
                    }
                })
                .await;
            match result {
                Ok(()) => {}
                Err(StepFailure::Store(err)) => return Err(err),
                Err(failure) => {
                    let why = failure_text(&failure);
                    self.add_note(format!(
                        "Warning: the sport type could not be set to {sport} ({why}); change it on Strava."
                    ));
                }
            }
        }
        self.set(UploadState::SyncingMtpw)?;
        Ok(Flow::Continue)
    }
}
