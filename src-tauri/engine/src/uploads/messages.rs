//! What the user reads when a step gives up or a job stops: the warning, the advice, the wait.

use std::time::Duration;

use super::retry::{CallError, Class, StepFailure};
use crate::error::refusal_text;
use mtp_services::strava::api::AppRefusal;

/// The detail of an upload cancelled before Strava had it.
pub const CANCELLED: &str = "Cancelled; queue it again to upload it.";

/// The attempt noted for a record found in `Uploading` without an upload id at the start of
/// a run: its POST may have reached Strava.
pub const UPLOAD_OUTCOME_UNKNOWN: &str = "The app stopped before Strava's answer to the upload was saved; whether Strava has it is unknown, so the next try looks for the activity first.";

/// The warning after the last try: what failed, how many times, what the user can do.
pub fn gave_up_warning(what: &str, tries: u32, last: &CallError) -> String {
    let advice = match last.class {
        Class::RateLimited => "Strava's rate limit is used up; Retry after the next quarter hour.",
        Class::Transient if last.http_status.is_some() => {
            "The service is having trouble; Retry later."
        }
        _ => "Check your internet connection, then Retry.",
    };
    format!("{what} failed {tries} times ({}). {advice}", last.message)
}

pub(super) fn describe_failure(failure: &StepFailure, what: &str) -> String {
    match failure {
        StepFailure::GaveUp { tries, last } => gave_up_warning(what, *tries, last),
        StepFailure::Permanent(err) => {
            let advice = match err.http_status {
                Some(400) => " Check the GPX; trying again will not help.",
                Some(403) => " Check your Strava API application and the permissions you granted.",
                _ => "",
            };
            format!("{what} failed: {}.{advice}", err.message)
        }
        StepFailure::NotSignedIn(reason) => format!("{what} failed: {reason}. Sign in again."),
        StepFailure::AppRefused { refusal, .. } => held_text(*refusal, what),
        StepFailure::Store(err) => err.to_string(),
    }
}

/// The detail of an upload the queue holds because Strava refuses the API application.
pub(super) fn held_text(refusal: AppRefusal, what: &str) -> String {
    format!(
        "{what} waits: {}. The queue is paused; nothing more is sent until you resume it.",
        refusal_text(refusal)
    )
}

pub(super) fn failure_text(failure: &StepFailure) -> String {
    match failure {
        StepFailure::GaveUp { tries, last } => format!("{} after {tries} tries", last.message),
        StepFailure::Permanent(err) => err.message.clone(),
        StepFailure::NotSignedIn(reason) => reason.clone(),
        StepFailure::AppRefused { message, .. } => message.clone(),
        StepFailure::Store(err) => err.to_string(),
    }
}

pub(super) fn minutes(d: Duration) -> String {
    let secs = d.as_secs();
    if secs >= 60 {
        format!("{} min", secs / 60)
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}
