//! The one retry policy every step uses: which failures are tried again, how long to wait
//! (backoff with jitter, the next rate-limit window, one token refresh), every try recorded.

use std::future::Future;
use std::time::Duration;

use rand::Rng;

use super::model::{UploadEvent, UploadStep};
use super::queue::{Clients, EventSink, Uploads};
use crate::error::EngineError;
use crate::tokens::{AccessToken, TokenError};
use mtp_services::mtpw::api::MtpwError;
use mtp_services::strava::api::{AppRefusal, StravaError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Service {
    Strava,
    Mtpw,
}

/// Why a step gave up.
#[derive(Debug)]
pub(super) enum StepFailure {
    GaveUp {
        tries: u32,
        last: CallError,
    },
    Permanent(CallError),
    NotSignedIn(String),
    /// Strava refuses the API application itself: every upload would fail the same way, so
    /// the queue holds (no retries) until the photographer acts.
    AppRefused {
        refusal: AppRefusal,
        message: String,
    },
    Store(EngineError),
}

impl StepFailure {
    fn from_token(err: TokenError) -> Self {
        match err {
            TokenError::AppRefused(refusal) => StepFailure::AppRefused {
                refusal,
                message: err.to_string(),
            },
            other => StepFailure::NotSignedIn(other.to_string()),
        }
    }
}

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
    /// 403 for the API application itself (inactive, athlete cap): hold the whole queue.
    AppRefused(AppRefusal),
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
            StravaError::AppRefused(refusal) => Class::AppRefused(*refusal),
            StravaError::Forbidden { .. }
            | StravaError::NotFound { .. }
            | StravaError::Rejected { .. }
            | StravaError::UnexpectedReply { .. }
            | StravaError::Blocked(_) => Class::Permanent,
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
            MtpwError::Refused { .. }
            | MtpwError::UnexpectedReply { .. }
            | MtpwError::Blocked(_) => Class::Permanent,
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

/// One record's calls as the policy sees them: whose they are and who hears of a retry.
pub(super) struct Tries<'a> {
    pub(super) up: &'a Uploads,
    /// Where the calls go: the tokens are asked for these bases.
    pub(super) clients: &'a Clients,
    pub(super) upload: i64,
    pub(super) sequence: &'a str,
    pub(super) events: &'a EventSink,
}

impl Tries<'_> {
    async fn token(&self, service: Service) -> Result<AccessToken, TokenError> {
        match service {
            Service::Strava => {
                let base = self.clients.strava.base();
                self.up.tokens.strava_access_token(base).await
            }
            Service::Mtpw => self.up.tokens.mtpw_token(self.clients.mtpw.base()).await,
        }
    }
    /// One call with up to three retries: backoff for network errors and 5xx, the next
    /// rate-limit window for 429, one token refresh for a 401 (a refresh that fails on the
    /// way, not refused, waits and is asked again by the next 401); none for permanent errors.
    /// Every try is recorded as an attempt.
    pub(super) async fn call<T, F, Fut>(
        &self,
        step: UploadStep,
        service: Service,
        ok_status: u16,
        call: F,
    ) -> Result<T, StepFailure>
    where
        F: FnMut(AccessToken) -> Fut,
        Fut: Future<Output = Result<T, CallError>>,
    {
        let nothing = |_: CallError| std::future::ready(Ok(None));
        self.call_checking(step, service, ok_status, call, nothing)
            .await
    }

    /// [`Tries::call`], where `before_retry` runs before each retry (after its wait) with the
    /// error of the try before it; `Some(value)` ends the call with that value instead of
    /// trying again. The send step looks the activity up there when a POST's answer was lost.
    pub(super) async fn call_checking<T, F, Fut, C, CFut>(
        &self,
        step: UploadStep,
        service: Service,
        ok_status: u16,
        mut call: F,
        mut before_retry: C,
    ) -> Result<T, StepFailure>
    where
        F: FnMut(AccessToken) -> Fut,
        Fut: Future<Output = Result<T, CallError>>,
        C: FnMut(CallError) -> CFut,
        CFut: Future<Output = Result<Option<T>, StepFailure>>,
    {
        let mut token = self.token(service).await.map_err(StepFailure::from_token)?;
        let timings = self.up.config.timings;
        let store = &self.up.engine.store;
        let mut refreshed = false;
        let mut last: Option<CallError> = None;
        for attempt in 1..=MAX_ATTEMPTS {
            if let Some(before) = last.clone() {
                if let Some(value) = before_retry(before).await? {
                    return Ok(value);
                }
            }
            let err = match call(token.clone()).await {
                Ok(value) => {
                    // A first try that works is a debug line; one after a failure is news.
                    let level = if attempt > 1 {
                        log::Level::Info
                    } else {
                        log::Level::Debug
                    };
                    log::log!(level, upload = self.upload, sequence = self.sequence,
                        step = step.as_str(), attempt; "call succeeded");
                    store
                        .add_attempt(self.upload, step, Some(ok_status), None)
                        .map_err(StepFailure::Store)?;
                    return Ok(value);
                }
                Err(err) => err,
            };
            store
                .add_attempt(self.upload, step, err.http_status, Some(&err.message))
                .map_err(StepFailure::Store)?;
            let tried_again = match err.class {
                Class::Permanent | Class::NotSignedIn | Class::AppRefused(_) => false,
                Class::Unauthorized => !refreshed && service == Service::Strava,
                Class::RateLimited | Class::Transient => true,
            };
            let retry = tried_again && attempt < MAX_ATTEMPTS;
            log::warn!(upload = self.upload, sequence = self.sequence, step = step.as_str(),
                attempt, of = MAX_ATTEMPTS, status = err.http_status, class:? = err.class,
                retry; "call failed: {}", err.message);
            if tried_again && attempt < MAX_ATTEMPTS {
                // Said at once, so the row reads "attempt n of 4" while it waits to try again.
                (self.events)(UploadEvent::Attempt {
                    upload: self.upload,
                    step,
                    attempt: attempt + 1,
                    of: MAX_ATTEMPTS,
                    error: Some(err.message.clone()),
                });
            }
            match err.class {
                Class::Permanent => return Err(StepFailure::Permanent(err)),
                Class::AppRefused(refusal) => {
                    return Err(StepFailure::AppRefused {
                        refusal,
                        message: err.message,
                    })
                }
                Class::NotSignedIn => return Err(StepFailure::NotSignedIn(err.message)),
                Class::Unauthorized if refreshed || service == Service::Mtpw => {
                    return Err(StepFailure::NotSignedIn(err.message))
                }
                Class::Unauthorized => {
                    log::info!(upload = self.upload, sequence = self.sequence;
                        "Strava refused the access token; refreshing it once");
                    match self
                        .up
                        .tokens
                        .refresh_strava_token(self.clients.strava.base(), &token)
                        .await
                    {
                        Ok(fresh) => {
                            token = fresh;
                            refreshed = true;
                        }
                        // The token endpoint did not answer (network, 5xx): the sign-in may
                        // well be good. Wait and try the call again; its 401 asks again.
                        Err(error @ TokenError::Failed { .. }) if attempt < MAX_ATTEMPTS => {
                            log::warn!(upload = self.upload, sequence = self.sequence;
                                "the Strava token refresh failed, trying again: {error}");
                            tokio::time::sleep(backoff(
                                attempt,
                                timings.backoff_base,
                                timings.backoff_max,
                            ))
                            .await;
                        }
                        Err(error) => return Err(StepFailure::from_token(error)),
                    }
                }
                // Strava: the budget now knows the window is full; the next try waits for it.
                Class::RateLimited if service == Service::Strava => {}
                Class::RateLimited | Class::Transient => {
                    if attempt < MAX_ATTEMPTS {
                        tokio::time::sleep(backoff(
                            attempt,
                            timings.backoff_base,
                            timings.backoff_max,
                        ))
                        .await;
                    }
                }
            }
            last = Some(err);
        }
        let last = last.unwrap_or(CallError {
            class: Class::Transient,
            http_status: None,
            message: "no reply".into(),
        });
        Err(StepFailure::GaveUp {
            tries: MAX_ATTEMPTS,
            last,
        })
    }
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
            class(StravaError::AppRefused(AppRefusal::Inactive)),
            Class::AppRefused(AppRefusal::Inactive)
        );
        let redirect = mtp_services::net::Blocked::Redirect {
            status: 307,
            location: "https://elsewhere.example/".into(),
        };
        assert_eq!(
            class(StravaError::Blocked(redirect.clone())),
            Class::Permanent
        );
        assert_eq!(
            CallError::from(MtpwError::Blocked(redirect)).class,
            Class::Permanent
        );
        assert_eq!(
            CallError::from(MtpwError::Server { status: 500 }).class,
            Class::Transient
        );
    }
}
