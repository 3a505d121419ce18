//! The lookup: before a POST is sent again whose first answer never came (the app was killed
//! during it, it timed out or its connection broke, Strava answered 5xx, or the upload id
//! could not be written), ask Strava whether the activity exists, so it is not uploaded twice.
//! Strava's duplicate detection stays the backstop when the lookup finds nothing or fails.

use std::time::Duration;

use mtp_services::strava::activities::ActivitySummary;

use crate::error::EngineError;
use crate::store::now_ms;
use crate::uploads::job::{Flow, Job};
use crate::uploads::model::{UploadState, UploadStep};
use crate::uploads::retry::CallError;

/// The activities listed reach this far (seconds) either side of the track's start.
const WINDOW_SECS: i64 = 6 * 60 * 60;
/// Without a matching external_id, an activity of the same name must start this close (seconds).
pub const START_SLACK_SECS: i64 = 5;

/// Whether a failed try left Strava's side unknown: no answer at all, or a server error (the
/// request may have been handled before it, e.g. a gateway timeout).
pub(in crate::uploads) fn outcome_unknown(http_status: Option<u16>, error: Option<&str>) -> bool {
    error.is_some() && http_status.is_none_or(|status| status >= 500)
}

/// Why an activity was taken for this upload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Match {
    /// Its external_id is the MTPW sequence UUID the upload was sent with.
    ExternalId,
    /// The same name, starting within [`START_SLACK_SECS`] of the track.
    StartAndName,
}

/// The activity among `activities` that is this upload, if any: the external_id first, then
/// the start time and name.
pub fn find_activity(
    activities: &[ActivitySummary],
    mtpw_uuid: Option<&str>,
    name: &str,
    start: i64,
) -> Option<(u64, Match)> {
    let is_ours = |external_id: &str| {
        let (external_id, uuid) = (external_id.trim(), mtpw_uuid.unwrap_or("").trim());
        // Strava may keep a file extension after it ("<uuid>.gpx").
        !uuid.is_empty()
            && external_id.len() >= uuid.len()
            && external_id.is_char_boundary(uuid.len())
            && external_id[..uuid.len()].eq_ignore_ascii_case(uuid)
            && (external_id.len() == uuid.len() || external_id[uuid.len()..].starts_with('.'))
    };
    if let Some(found) = activities
        .iter()
        .find(|a| a.external_id.as_deref().is_some_and(is_ours))
    {
        return Some((found.id, Match::ExternalId));
    }
    activities
        .iter()
        .filter(|a| a.name.trim().eq_ignore_ascii_case(name.trim()))
        .filter_map(|a| Some((a.id, (epoch_of(a.start_date.as_deref()?)? - start).abs())))
        .filter(|(_, off)| *off <= START_SLACK_SECS)
        .min_by_key(|(_, off)| *off)
        .map(|(id, _)| (id, Match::StartAndName))
}

fn epoch_of(text: &str) -> Option<i64> {
    time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .ok()
        .map(|t| t.unix_timestamp())
}

impl Job<'_> {
    /// When this record's last POST left its outcome unknown, when it was sent (epoch ms):
    /// the time the app noted for it, else its attempt's.
    pub(in crate::uploads) fn unknown_post(&mut self) -> Result<Option<i64>, EngineError> {
        let noted = self.unknown_post_at.take();
        if self.record.strava_upload_id.is_some() || self.record.activity_id.is_some() {
            return Ok(None);
        }
        let last = self
            .up
            .engine
            .store
            .last_attempt_of(self.record.id, UploadStep::Upload)?;
        Ok(match last {
            Some(last) if outcome_unknown(last.http_status, last.error.as_deref()) => {
                Some(noted.unwrap_or(last.at_ms))
            }
            _ => None,
        })
    }

    /// Asks Strava whether the activity exists, no sooner than the settle time after
    /// `sent_at_ms`; records what it found as an attempt. `None` when it was not found or
    /// the lookup failed: then the POST goes again.
    pub(in crate::uploads) async fn look_up(
        &self,
        start: i64,
        sent_at_ms: i64,
    ) -> Result<Option<u64>, EngineError> {
        let settle = self.up.config.timings.lookup_settle;
        let waited = Duration::from_millis(now_ms().saturating_sub(sent_at_ms).max(0) as u64);
        if let Some(rest) = settle.checked_sub(waited) {
            tokio::time::sleep(rest).await;
        }
        let (upload, sequence) = (self.record.id, self.record.sequence_name.as_str());
        let store = &self.up.engine.store;
        let strava = &self.clients.strava;
        let listed = match self.up.tokens.strava_access_token(strava.base()).await {
            Ok(token) => strava
                .activities_between(token.expose(), start - WINDOW_SECS, start + WINDOW_SECS)
                .await
                .map_err(CallError::from),
            Err(err) => Err(CallError {
                class: crate::uploads::retry::Class::NotSignedIn,
                http_status: None,
                message: err.to_string(),
            }),
        };
        let activities = match listed {
            Ok(activities) => activities,
            Err(err) => {
                log::warn!(upload = upload, sequence = sequence; "could not look for the activity on Strava: {}", err.message);
                let text = format!(
                    "Looking for the activity on Strava failed ({}); the upload is sent again and Strava's duplicate check stops a second activity.",
                    err.message
                );
                store.add_attempt(upload, UploadStep::Lookup, err.http_status, Some(&text))?;
                return Ok(None);
            }
        };
        let found = find_activity(
            &activities,
            self.record.mtpw_uuid.as_deref(),
            &self.record.sequence_name,
            start,
        );
        let note = match found {
            Some((id, Match::ExternalId)) => format!(
                "Found activity {id} on Strava by its external id (this sequence's Map the Paths id); the upload is not sent again."
            ),
            Some((id, Match::StartAndName)) => format!(
                "Found activity {id} on Strava with this name and start time; the upload is not sent again."
            ),
            None => format!(
                "No activity of this sequence on Strava among {} listed; the upload is sent again.",
                activities.len()
            ),
        };
        log::info!(upload = upload, sequence = sequence, activities = activities.len(); "lookup: {note}");
        store.add_noted_attempt(upload, UploadStep::Lookup, Some(200), &note)?;
        Ok(found.map(|(id, _)| id))
    }

    /// The lookup found the activity: on as if the upload had finished (sport type, MTPW).
    pub(in crate::uploads) fn found_on_strava(
        &mut self,
        activity_id: u64,
    ) -> Result<Flow, EngineError> {
        self.record.activity_id = Some(activity_id);
        self.add_note(format!(
            "On Strava as activity {activity_id}, found after an upload whose answer was lost (not uploaded again)."
        ));
        self.set(UploadState::SettingSportType)?;
        Ok(Flow::Continue)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn activity(id: u64, name: &str, external_id: Option<&str>, start: &str) -> ActivitySummary {
        ActivitySummary {
            id,
            name: name.into(),
            external_id: external_id.map(str::to_string),
            start_date: Some(start.into()),
            sport_type: Some("Ride".into()),
        }
    }

    const UUID: &str = "6f1c2c1e-8d0b-4a57-9a0e-2d7f7b3b8a10";
    // 2021-06-01T10:00:00Z
    const START: i64 = 1_622_541_600;

    #[test]
    fn the_external_id_wins_then_the_closest_start_with_the_same_name() {
        let list = [
            activity(1, "Coast Ride", None, "2021-06-01T10:00:03Z"),
            activity(
                2,
                "Other",
                Some(&UUID.to_uppercase()),
                "2021-06-01T12:00:00Z",
            ),
        ];
        assert_eq!(
            find_activity(&list, Some(UUID), "Coast Ride", START),
            Some((2, Match::ExternalId))
        );
        let with_extension = [activity(
            3,
            "x",
            Some(&format!("{UUID}.gpx")),
            "2021-06-01T10:00:00Z",
        )];
        assert_eq!(
            find_activity(&with_extension, Some(UUID), "y", START),
            Some((3, Match::ExternalId))
        );
        let by_time = [
            activity(4, "coast ride ", Some("garmin_1"), "2021-06-01T10:00:04Z"),
            activity(5, "Coast Ride", None, "2021-06-01T09:59:59Z"),
        ];
        assert_eq!(
            find_activity(&by_time, Some(UUID), "Coast Ride", START),
            Some((5, Match::StartAndName))
        );
    }

    #[test]
    fn another_name_a_distant_start_or_a_longer_id_is_not_this_upload() {
        let list = [
            activity(1, "Coast Ride", None, "2021-06-01T10:00:06Z"),
            activity(2, "Hill Walk", None, "2021-06-01T10:00:00Z"),
            activity(
                3,
                "Coast Ride",
                Some(&format!("{UUID}0")),
                "2021-06-01T11:00:00Z",
            ),
        ];
        assert_eq!(find_activity(&list, Some(UUID), "Coast Ride", START), None);
        assert_eq!(find_activity(&[], Some(UUID), "Coast Ride", START), None);
        // No MTPW id: an empty external_id matches nothing.
        let empty = [activity(4, "x", Some(""), "2021-06-01T12:00:00Z")];
        assert_eq!(find_activity(&empty, None, "Coast Ride", START), None);
    }

    #[test]
    fn unknown_outcomes_are_no_answer_or_a_server_error() {
        assert!(outcome_unknown(None, Some("the request timed out")));
        assert!(outcome_unknown(Some(504), Some("gateway timeout")));
        assert!(!outcome_unknown(Some(400), Some("bad request")));
        assert!(!outcome_unknown(Some(429), Some("rate limit")));
        assert!(!outcome_unknown(Some(201), None));
    }
}
