//! The activity step: one `PUT /activities/{id}` that sets the transport method's sport type
//! and, when the batch asked for it, keeps the activity off the followers' home feeds
//! (`hide_from_home`); one request for both, none when there is nothing to set.

use mtp_services::strava::activities::ActivityUpdate;

use crate::error::EngineError;
use crate::uploads::job::{Flow, Job};
use crate::uploads::messages::failure_text;
use crate::uploads::model::{UploadRecord, UploadState, UploadStep};
use crate::uploads::retry::CallError;
use crate::uploads::retry::{Service, StepFailure};

/// What the PUT carries for `record`: the sport type unless `set_sport_type` is off, and
/// `hide_from_home` when the batch asked for it (or `false` to show again an activity an
/// earlier try hid, when the record was queued again without it).
pub(in crate::uploads) fn update_for(
    record: &UploadRecord,
    set_sport_type: bool,
) -> ActivityUpdate {
    let hide_from_home = if record.hide_from_home {
        Some(true)
    } else {
        record.hidden_from_home.then_some(false)
    };
    ActivityUpdate {
        sport_type: record.sport_type.clone().filter(|_| set_sport_type),
        hide_from_home,
    }
}

impl Job<'_> {
    pub(in crate::uploads) async fn sport_type(&mut self) -> Result<Flow, EngineError> {
        let Some(activity_id) = self.record.activity_id else {
            self.set(UploadState::Processing)?;
            return Ok(Flow::Continue);
        };
        let update = update_for(&self.record, self.up.config.set_sport_type);
        if !update.is_empty() {
            let strava = &self.clients.strava;
            let result = self
                .tries()
                .call(UploadStep::SportType, Service::Strava, 200, |token| {
                    let update = &update;
                    async move {
                        strava
                            .update_activity(token.expose(), activity_id, update)
                            .await
                            .map_err(CallError::from)
                    }
                })
                .await;
            match result {
                Ok(answer) => {
                    if let Some(hide) = update.hide_from_home {
                        // Strava's answer says where the activity stands; a PUT it took
                        // without saying counts as done.
                        self.record.hidden_from_home = answer.hide_from_home.unwrap_or(hide);
                    }
                }
                Err(StepFailure::Store(err)) => return Err(err),
                Err(failure @ StepFailure::AppRefused { .. }) => {
                    return self.fail(
                        failure,
                        "Updating the activity on Strava",
                        UploadState::Failed,
                    )
                }
                Err(failure) => {
                    let why = failure_text(&failure);
                    self.add_note(unset_warning(&update, &why));
                }
            }
        }
        self.set(UploadState::SyncingMtpw)?;
        Ok(Flow::Continue)
    }
}

/// The warning when the PUT failed: what stayed as it was, and where to change it.
fn unset_warning(update: &ActivityUpdate, why: &str) -> String {
    let feed = match update.hide_from_home {
        Some(true) => Some("kept off your followers' home feeds"),
        Some(false) => Some("shown on your followers' home feeds again"),
        None => None,
    };
    match (&update.sport_type, feed) {
        (Some(sport), Some(feed)) => format!(
            "Warning: the sport type could not be set to {sport} and the activity could not be {feed} ({why}); change both on Strava."
        ),
        (Some(sport), None) => format!(
            "Warning: the sport type could not be set to {sport} ({why}); change it on Strava."
        ),
        (None, Some(feed)) => format!(
            "Warning: the activity could not be {feed} ({why}); change it on Strava."
        ),
        (None, None) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_warning_names_what_stayed_unset() {
        let both = ActivityUpdate {
            sport_type: Some("Walk".into()),
            hide_from_home: Some(true),
        };
        let text = unset_warning(&both, "HTTP 500");
        assert!(
            text.contains("Walk") && text.contains("home feeds"),
            "{text}"
        );
        let sport = ActivityUpdate {
            sport_type: Some("Walk".into()),
            hide_from_home: None,
        };
        assert_eq!(
            unset_warning(&sport, "HTTP 500"),
            "Warning: the sport type could not be set to Walk (HTTP 500); change it on Strava."
        );
    }
}
