//! The Strava API client core: base URL, bearer requests through the rate-limit budget, typed errors.

use std::future::Future;
use std::sync::Arc;

use reqwest::{Method, RequestBuilder, StatusCode};
use serde::Deserialize;

use super::limits::{Budget, RateLimitHeaders, RequestKind};
use crate::net::{self, read_reply, Blocked, ReadError, MAX_JSON_REPLY};
pub use crate::net::{http_client, HttpTimeouts, Reply};

/// What went wrong talking to Strava, in words for the user (never with a token in it).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StravaError {
    #[error("could not reach Strava: {detail}")]
    Network { detail: String },
    #[error("Strava did not accept the sign-in (HTTP 401: {detail}); sign in to Strava again")]
    Unauthorized { detail: String },
    #[error("Strava refused the request (HTTP 403: {detail})")]
    Forbidden { detail: String },
    /// A 403 that refuses the API application itself (inactive, or its athlete cap reached):
    /// every request of this application fails the same way until someone acts.
    #[error("Strava refused the request: {0} (HTTP 403)")]
    AppRefused(AppRefusal),
    #[error("Strava does not know this {what} (HTTP 404)")]
    NotFound { what: String },
    #[error("Strava's rate limit was reached (HTTP 429)")]
    RateLimited,
    #[error("Strava had a server error (HTTP {status}{})", detail_suffix(detail))]
    Server { status: u16, detail: String },
    #[error("Strava refused the request (HTTP {status}: {detail})")]
    Rejected { status: u16, detail: String },
    #[error("Strava sent a reply the app does not understand: {detail}")]
    UnexpectedReply { detail: String },
    #[error("not signed in to Strava")]
    NotSignedIn,
    /// A redirect, a reply past the cap, or a refused address: nothing more was sent or read.
    #[error("Strava {0}")]
    Blocked(Blocked),
}

fn detail_suffix(detail: &str) -> String {
    if detail.is_empty() {
        String::new()
    } else {
        format!(": {detail}")
    }
}

impl StravaError {
    /// The HTTP status behind the error, when there was one.
    pub fn http_status(&self) -> Option<u16> {
        match self {
            Self::Unauthorized { .. } => Some(401),
            Self::Forbidden { .. } | Self::AppRefused(_) => Some(403),
            Self::NotFound { .. } => Some(404),
            Self::RateLimited => Some(429),
            Self::Server { status, .. } | Self::Rejected { status, .. } => Some(*status),
            Self::Blocked(blocked) => blocked.http_status(),
            Self::Network { .. } | Self::UnexpectedReply { .. } | Self::NotSignedIn => None,
        }
    }
}

/// Strava's error body: `{"message", "errors": [{"resource", "field", "code"}]}`.
#[derive(Debug, Deserialize)]
pub struct Fault {
    #[serde(default)]
    pub message: String,
    #[serde(default)]
    pub errors: Vec<FaultItem>,
}

/// One entry of a [`Fault`].
#[derive(Debug, Deserialize)]
pub struct FaultItem {
    #[serde(default)]
    pub resource: String,
    #[serde(default)]
    pub field: String,
    #[serde(default)]
    pub code: String,
}

/// A Fault body in one line ("Bad Request: Upload data_type invalid"); the raw text when not
/// JSON; at most [`net::MAX_SERVER_TEXT`] characters either way.
pub fn describe_body(body: &[u8]) -> String {
    net::server_text(&describe_whole_body(body))
}

fn describe_whole_body(body: &[u8]) -> String {
    if let Ok(fault) = serde_json::from_slice::<Fault>(body) {
        let items: Vec<String> = fault
            .errors
            .iter()
            .map(|e| {
                [e.resource.as_str(), e.field.as_str(), e.code.as_str()]
                    .iter()
                    .filter(|s| !s.is_empty())
                    .copied()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        return match (fault.message.is_empty(), items.is_empty()) {
            (_, true) => fault.message,
            (true, false) => items.join("; "),
            (false, false) => format!("{}: {}", fault.message, items.join("; ")),
        };
    }
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    if text.is_empty() {
        String::new()
    } else if text.starts_with('<') {
        "an HTML error page".into()
    } else {
        text.to_string()
    }
}

/// Why Strava refuses the API application as a whole (HTTP 403), as Strava's current rules say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AppRefusal {
    /// `{"resource":"Application","field":"Status","code":"Inactive"}`: since 30 June 2026 an
    /// application whose owner has no Strava subscription is inactive.
    #[error("the Strava API application is inactive")]
    Inactive,
    /// "Limit of connected athletes exceeded": an application Strava has not reviewed admits
    /// only a few athletes.
    #[error("the Strava API application has reached its limit of connected athletes")]
    AthleteLimit,
}

impl AppRefusal {
    /// The refusal a 403 body states, if it is one of these.
    pub fn of_reply(status: u16, body: &[u8]) -> Option<Self> {
        if status != 403 {
            return None;
        }
        let fault = serde_json::from_slice::<Fault>(body).ok();
        let inactive = fault.as_ref().is_some_and(|f| {
            f.errors.iter().any(|e| {
                e.resource.eq_ignore_ascii_case("Application")
                    && e.field.eq_ignore_ascii_case("Status")
                    && e.code.eq_ignore_ascii_case("Inactive")
            })
        });
        if inactive {
            return Some(Self::Inactive);
        }
        // The message (or a plain body) names the cap; matched in any case.
        let text = match &fault {
            Some(f) => f.message.to_ascii_lowercase(),
            None => String::from_utf8_lossy(body).to_ascii_lowercase(),
        };
        text.contains("limit of connected athletes")
            .then_some(Self::AthleteLimit)
    }
}

/// The error for a non-success reply.
pub fn error_for(status: StatusCode, body: &[u8], what: &str) -> StravaError {
    if let Some(refusal) = AppRefusal::of_reply(status.as_u16(), body) {
        return StravaError::AppRefused(refusal);
    }
    let detail = describe_body(body);
    match status.as_u16() {
        401 => StravaError::Unauthorized { detail },
        403 => StravaError::Forbidden { detail },
        404 => StravaError::NotFound { what: what.into() },
        429 => StravaError::RateLimited,
        s @ 500..=599 => StravaError::Server { status: s, detail },
        s => StravaError::Rejected { status: s, detail },
    }
}

/// The Strava API at one base URL, counting every request against a shared [`Budget`].
#[derive(Debug, Clone)]
pub struct StravaClient {
    http: reqwest::Client,
    base: String,
    /// Why the base breaks the address rule; then nothing is sent.
    refused: Option<Blocked>,
    budget: Arc<Budget>,
    timeouts: HttpTimeouts,
}

impl StravaClient {
    /// `api_base` like `https://www.strava.com/api/v3` (configurable: tests use the fake). A
    /// base the address rule refuses ([`net::check_base`]) makes every call fail unsent. The
    /// upload POST keeps the default [`HttpTimeouts`] unless [`StravaClient::with_timeouts`].
    pub fn new(http: reqwest::Client, api_base: &str, budget: Arc<Budget>) -> Self {
        Self {
            http,
            base: api_base.trim().trim_end_matches('/').to_string(),
            refused: Blocked::check_base(api_base).err(),
            budget,
            timeouts: HttpTimeouts::default(),
        }
    }

    /// The API base the requests go to.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// The timeouts the upload POST applies itself (pace of the body, answer after it); give
    /// the ones `http` was built with.
    pub fn with_timeouts(mut self, timeouts: HttpTimeouts) -> Self {
        self.timeouts = timeouts;
        self
    }

    /// The timeouts the upload POST applies.
    pub fn timeouts(&self) -> HttpTimeouts {
        self.timeouts
    }

    /// The shared budget.
    pub fn budget(&self) -> &Arc<Budget> {
        &self.budget
    }

    /// A request to `base + path` with the bearer token.
    pub fn request(&self, method: Method, path: &str, token: &str) -> RequestBuilder {
        self.http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(token)
    }

    /// Waits for room in the budget, sends, learns the rate-limit headers, reads the body.
    pub async fn send(
        &self,
        kind: RequestKind,
        request: RequestBuilder,
    ) -> Result<Reply, StravaError> {
        self.send_watched(kind, request, std::future::pending())
            .await
    }

    /// [`StravaClient::send`], given up with `watch`'s error if it ends first (the upload
    /// POST's pace and answer timeouts).
    pub async fn send_watched(
        &self,
        kind: RequestKind,
        request: RequestBuilder,
        watch: impl Future<Output = StravaError>,
    ) -> Result<Reply, StravaError> {
        if let Some(refused) = &self.refused {
            return Err(StravaError::Blocked(refused.clone()));
        }
        let reservation = self.budget.reserve(kind).await;
        let mut watch = std::pin::pin!(watch);
        let result = tokio::select! {
            result = request.send() => result.map_err(|err| network_error(&err)),
            err = &mut watch => Err(err),
        };
        let response = match result {
            Ok(response) => response,
            Err(err) => {
                self.budget
                    .observe(reservation, &RateLimitHeaders::default());
                return Err(err);
            }
        };
        self.budget.observe(
            reservation,
            &RateLimitHeaders::from_headers(response.headers()),
        );
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            self.budget.exhausted(reservation);
        }
        let read = async {
            read_reply(response, MAX_JSON_REPLY)
                .await
                .map_err(|e| match e {
                    ReadError::Blocked(blocked) => StravaError::Blocked(blocked),
                    ReadError::Transport(err) => network_error(&err),
                })
        };
        tokio::select! {
            reply = read => reply,
            err = &mut watch => Err(err),
        }
    }
}

/// A transport error in words, without the URL (it could carry a query).
pub fn network_error(err: &reqwest::Error) -> StravaError {
    let what = if err.is_timeout() {
        "the request timed out"
    } else if err.is_connect() {
        "the connection failed"
    } else if err.is_body() || err.is_decode() {
        "the connection broke during the reply"
    } else {
        "the connection broke"
    };
    let mut detail = what.to_string();
    let mut source = std::error::Error::source(err);
    if let Some(cause) = source.take() {
        detail.push_str(&format!(" ({cause})"));
    }
    StravaError::Network { detail }
}

#[cfg(test)]
mod tests {
    use axum::routing::get;
    use axum::Router;

    use super::*;
    use crate::net::test_server::{recorder, recorder_on, redirecting_to, serve};
    use crate::strava::limits::SystemClock;

    fn client(base: &str) -> StravaClient {
        let budget = Arc::new(Budget::new(Arc::new(SystemClock), 1.0));
        StravaClient::new(
            http_client(HttpTimeouts::default()).unwrap(),
            &format!("{base}/api/v3"),
            budget,
        )
    }

    #[tokio::test]
    async fn a_redirect_keeps_the_bearer_token_from_the_other_host() {
        let (elsewhere, hits) = recorder().await;
        let strava = client(&redirecting_to(&elsewhere).await);
        let err = strava
            .upload_status("bearer-token-abc", 7)
            .await
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "Strava redirected to {elsewhere}/api/v3/uploads/7?… (HTTP 307); the app does not follow redirects"
            )
        );
        assert_eq!(err.http_status(), Some(307));
        assert!(hits.lock().unwrap().is_empty());
    }

    #[tokio::test]
    async fn ten_megabytes_of_garbage_are_refused_fast() {
        let garbage = Router::new().fallback(get(|| async { vec![0xA5u8; 10 * 1024 * 1024] }));
        let strava = client(&serve(garbage).await);
        let started = std::time::Instant::now();
        let err = strava.upload_status("t", 7).await.unwrap_err();
        assert_eq!(
            err,
            StravaError::Blocked(Blocked::TooLarge {
                limit: MAX_JSON_REPLY
            })
        );
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
    }

    #[tokio::test]
    async fn a_clear_text_base_off_this_machine_is_refused_unsent() {
        let (base, hits) = recorder_on("127.0.0.2").await;
        let err = client(&base).upload_status("t", 7).await.unwrap_err();
        assert!(
            matches!(err, StravaError::Blocked(Blocked::Base { .. })),
            "{err:?}"
        );
        assert!(hits.lock().unwrap().is_empty());
    }

    #[test]
    fn an_inactive_application_and_the_athlete_cap_are_told_apart_from_other_403s() {
        let forbidden = StatusCode::FORBIDDEN;
        let inactive = br#"{"message":"Forbidden","errors":[{"resource":"Application","field":"Status","code":"Inactive"}]}"#;
        assert_eq!(
            error_for(forbidden, inactive, "upload"),
            StravaError::AppRefused(AppRefusal::Inactive)
        );
        let cap = br#"{"message":"Limit of connected athletes exceeded","errors":[]}"#;
        assert_eq!(
            error_for(forbidden, cap, "upload"),
            StravaError::AppRefused(AppRefusal::AthleteLimit)
        );
        assert_eq!(
            AppRefusal::of_reply(403, b"limit of connected athletes exceeded"),
            Some(AppRefusal::AthleteLimit)
        );
        // The same bodies with another status, and another 403, stay what they were.
        assert_eq!(AppRefusal::of_reply(400, inactive), None);
        let other = br#"{"message":"Forbidden","errors":[{"resource":"Activity","field":"","code":"forbidden"}]}"#;
        assert!(matches!(
            error_for(forbidden, other, "activity"),
            StravaError::Forbidden { .. }
        ));
        assert_eq!(
            StravaError::AppRefused(AppRefusal::Inactive).http_status(),
            Some(403)
        );
    }

    #[test]
    fn long_bodies_are_cut() {
        let long = "e".repeat(5_000);
        assert_eq!(
            describe_body(long.as_bytes()).chars().count(),
            net::MAX_SERVER_TEXT + 1
        );
        let fault = format!(r#"{{"message":"{long}","errors":[]}}"#);
        assert!(describe_body(fault.as_bytes()).chars().count() <= net::MAX_SERVER_TEXT + 1);
    }

    #[test]
    fn fault_bodies_and_edge_pages_are_described() {
        let body = br#"{"message":"Authorization Error","errors":[{"resource":"Athlete","field":"access_token","code":"invalid"}]}"#;
        assert_eq!(
            describe_body(body),
            "Authorization Error: Athlete access_token invalid"
        );
        assert_eq!(describe_body(b"<html>502</html>"), "an HTML error page");
        assert_eq!(describe_body(b""), "");
        let err = error_for(StatusCode::BAD_GATEWAY, b"", "upload");
        assert_eq!(err.to_string(), "Strava had a server error (HTTP 502)");
        assert_eq!(
            error_for(StatusCode::FORBIDDEN, b"{}", "x").http_status(),
            Some(403)
        );
    }
}
