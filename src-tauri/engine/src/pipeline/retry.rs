//! Which failures are tried again, and how long to wait: backoff with jitter, and the warning text.

use std::time::Duration;

use rand::Rng;

use crate::mtpw::api::MtpwError;
use crate::strava::api::StravaError;

/// One first try plus three retries.
pub const MAX_ATTEMPTS: u32 = 4;

/// How a failed call is handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// Network errors, timeouts, 5xx: wait (backoff) and try again.
    Transient,
    /// 429: wait for the window, then try again.
    RateLimited,
    /// 401: refresh the token once, then try again.
    Unauthorized,
    /// Not signed in at all: stop, the user must sign in.
    NotSignedIn,
    /// 400, 403, 404 and the like: trying again cannot help.
    Permanent,
}

/// A failed call as the pipeline sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct CallError {
    pub class: Class,
    pub http_status: Option<u16>,
    /// For the user.
    pub message: String,
}

impl From<StravaError> for CallError {
    fn from(err: StravaError) -> Self {
        let class = match &err {
            StravaError::Network { .. } | StravaError::Server { .. } => Class::Transient,
            StravaError::RateLimited => Class::RateLimited,
            StravaError::Unauthorized { .. } => Class::Unauthorized,
            StravaError::NotSignedIn => Class::NotSignedIn,
            StravaError::Forbidden { .. }
            | StravaError::NotFound { .. }
            | StravaError::Rejected { .. }
            | StravaError::UnexpectedReply { .. } => Class::Permanent,
        };
        Self {
            class,
            http_status: err.http_status(),
            message: err.to_string(),
        }
    }
}

impl From<MtpwError> for CallError {
    fn from(err: MtpwError) -> Self {
        let class = match &err {
            MtpwError::Network { .. } | MtpwError::Server { .. } => Class::Transient,
            MtpwError::RateLimited => Class::RateLimited,
            MtpwError::NotSignedIn { .. } => Class::NotSignedIn,
            MtpwError::Refused { .. } | MtpwError::UnexpectedReply { .. } => Class::Permanent,
        };
        Self {
            class,
            http_status: err.http_status(),
            message: err.to_string(),
        }
    }
}

/// The wait before try `attempt + 1` (attempt counts from 1): base × 2^(attempt−1), capped, plus up to 50% jitter.
pub fn backoff(attempt: u32, base: Duration, max: Duration) -> Duration {
    let doubled = base.saturating_mul(1u32 << (attempt.saturating_sub(1)).min(16));
    let capped = doubled.min(max);
    let jitter = rand::thread_rng().gen_range(0.0..0.5);
    capped.mul_f64(1.0 + jitter)
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_is_capped_and_jittered() {
        let base = Duration::from_millis(100);
        let max = Duration::from_millis(350);
        let first = backoff(1, base, max);
        assert!(first >= base && first < base.mul_f64(1.5));
        let third = backoff(3, base, max);
        assert!(third >= max && third < max.mul_f64(1.5), "{third:?}");
    }

    #[test]
    fn statuses_are_classified() {
        let class = |e: StravaError| CallError::from(e).class;
        assert_eq!(
            class(StravaError::Server {
                status: 503,
                detail: String::new()
            }),
            Class::Transient
        );
        assert_eq!(
            class(StravaError::Rejected {
                status: 400,
                detail: String::new()
            }),
            Class::Permanent
        );
        assert_eq!(
            class(StravaError::Forbidden {
                detail: String::new()
            }),
            Class::Permanent
        );
        assert_eq!(
            class(StravaError::Unauthorized {
                detail: String::new()
            }),
            Class::Unauthorized
        );
        assert_eq!(class(StravaError::RateLimited), Class::RateLimited);
        assert_eq!(
            CallError::from(MtpwError::Server { status: 500 }).class,
            Class::Transient
        );
    }
}
