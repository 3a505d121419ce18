//! The Map the Paths Web API client: create a sequence, and mark a sequence as on Strava.

use reqwest::StatusCode;
use serde_json::Value;

use crate::net::{read_reply, server_text, Blocked, ReadError, Reply, MAX_JSON_REPLY};

/// What went wrong talking to MTPW, in words for the user (never with the token in it).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MtpwError {
    #[error("could not reach Map the Paths: {detail}")]
    Network { detail: String },
    #[error(
        "Map the Paths did not accept the sign-in (HTTP {status}); sign in to Map the Paths again"
    )]
    NotSignedIn { status: u16 },
    #[error("Map the Paths refused: {message}")]
    Refused { message: String },
    #[error("Map the Paths rate limit was reached (HTTP 429)")]
    RateLimited,
    #[error("Map the Paths had a server error (HTTP {status}); the sequence may not exist there")]
    Server { status: u16 },
    #[error("Map the Paths sent a reply the app does not understand (HTTP {status}): {detail}")]
    UnexpectedReply { status: u16, detail: String },
    /// A redirect, a reply past the cap, or a refused address: nothing more was sent or read.
    #[error("Map the Paths {0}")]
    Blocked(Blocked),
}

impl MtpwError {
    /// The HTTP status behind the error, when there was one.
    pub fn http_status(&self) -> Option<u16> {
        match self {
            Self::NotSignedIn { status }
            | Self::Server { status }
            | Self::UnexpectedReply { status, .. } => Some(*status),
            Self::RateLimited => Some(429),
            Self::Refused { .. } => Some(200),
            Self::Blocked(blocked) => blocked.http_status(),
            Self::Network { .. } => None,
        }
    }
}

/// A sequence to create on MTPW.
#[derive(Debug, Clone)]
pub struct NewSequence {
    pub name: String,
    pub description: Option<String>,
    /// The transport method, e.g. "Bicycle".
    pub transport_type: String,
    pub tags: Vec<String>,
}

/// MTPW at one base URL (the site root; the API is under `/api/v1`).
#[derive(Debug, Clone)]
pub struct MtpwClient {
    http: reqwest::Client,
    base: String,
    /// Why the base breaks the address rule; then nothing is sent.
    refused: Option<Blocked>,
}

impl MtpwClient {
    /// `base` like `https://www.mapthepaths.com` or `.../api/v1` (configurable: self-hosted, or
    /// the fake). A base the address rule refuses ([`crate::net::check_base`]) makes every call
    /// fail unsent.
    pub fn new(http: reqwest::Client, base: &str) -> Self {
        Self {
            http,
            base: super::auth::site_root(base.trim()).to_string(),
            refused: Blocked::check_base(base).err(),
        }
    }

    /// The site root the requests go to.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// `POST /api/v1/sequence/create/`: the new sequence's `unique_id`.
    pub async fn create_sequence(
        &self,
        token: &str,
        sequence: &NewSequence,
    ) -> Result<String, MtpwError> {
        let mut form = vec![
            ("name", sequence.name.clone()),
            ("transport_type", sequence.transport_type.clone()),
            ("source", "MTP Strava Uploader".to_string()),
        ];
        if let Some(description) = &sequence.description {
            form.push(("description", description.clone()));
        }
        if !sequence.tags.is_empty() {
            form.push(("tag", sequence.tags.join(",")));
        }
        let request = self
            .http
            .post(format!("{}/api/v1/sequence/create/", self.base))
            .bearer_auth(token)
            .form(&form);
        let body = self.send(request).await?;
        body.get("unique_id")
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| MtpwError::UnexpectedReply {
                status: 200,
                detail: "no unique_id in the reply".into(),
            })
    }

    /// `PUT /api/v1/sequence/import/<uuid>/` with `{"strava": value}` (the activity id, or "true").
    pub async fn mark_on_strava(
        &self,
        token: &str,
        uuid: &str,
        value: &str,
    ) -> Result<(), MtpwError> {
        let request = self
            .http
            .put(format!("{}/api/v1/sequence/import/{uuid}/", self.base))
            .bearer_auth(token)
            .json(&serde_json::json!({ "strava": value }));
        self.send(request).await.map(|_| ())
    }

    /// Sends, and accepts only HTTP 2xx with a body whose `status` says success.
    async fn send(&self, request: reqwest::RequestBuilder) -> Result<Value, MtpwError> {
        if let Some(refused) = &self.refused {
            return Err(MtpwError::Blocked(refused.clone()));
        }
        let response = request.send().await.map_err(|e| network(&e))?;
        let Reply {
            status,
            body: bytes,
        } = read_reply(response, MAX_JSON_REPLY)
            .await
            .map_err(|e| match e {
                ReadError::Blocked(blocked) => MtpwError::Blocked(blocked),
                ReadError::Transport(err) => network(&err),
            })?;
        match status.as_u16() {
            401 | 403 => {
                return Err(MtpwError::NotSignedIn {
                    status: status.as_u16(),
                })
            }
            429 => return Err(MtpwError::RateLimited),
            500..=599 => {
                return Err(MtpwError::Server {
                    status: status.as_u16(),
                })
            }
            _ => {}
        }
        let body: Value =
            serde_json::from_slice(&bytes).map_err(|_| MtpwError::UnexpectedReply {
                status: status.as_u16(),
                detail: "the reply is not JSON".into(),
            })?;
        if status != StatusCode::OK && !status.is_success() {
            return Err(MtpwError::UnexpectedReply {
                status: status.as_u16(),
                detail: message_of(&body).unwrap_or_default(),
            });
        }
        if is_success(&body) {
            Ok(body)
        } else {
            Err(MtpwError::Refused {
                message: message_of(&body).unwrap_or_else(|| "no reason given".into()),
            })
        }
    }
}

/// `status: true` or `status: "success"` (MTPW uses both); errors are `status: false`.
fn is_success(body: &Value) -> bool {
    match body.get("status") {
        Some(Value::Bool(ok)) => *ok,
        Some(Value::String(s)) => {
            matches!(s.to_ascii_lowercase().as_str(), "success" | "true" | "ok")
        }
        _ => false,
    }
}

fn message_of(body: &Value) -> Option<String> {
    ["error", "detail", "message"]
        .iter()
        .find_map(|key| body.get(*key).and_then(Value::as_str))
        .map(server_text)
}

fn network(err: &reqwest::Error) -> MtpwError {
    let detail = if err.is_timeout() {
        "the request timed out"
    } else if err.is_connect() {
        "the connection failed"
    } else {
        "the connection broke"
    };
    MtpwError::Network {
        detail: detail.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::test_server::{recorder, recorder_on, redirecting_to, serve};
    use crate::net::{http_client, HttpTimeouts};
    use serde_json::json;

    fn client(base: &str) -> MtpwClient {
        MtpwClient::new(http_client(HttpTimeouts::default()).unwrap(), base)
    }

    #[tokio::test]
    async fn a_redirect_keeps_the_token_from_the_other_host() {
        let (elsewhere, hits) = recorder().await;
        let mtpw = client(&redirecting_to(&elsewhere).await);
        let err = mtpw
            .mark_on_strava("mtpw-token-abc", "uuid", "1")
            .await
            .unwrap_err();
        assert!(
            err.to_string().starts_with(&format!(
                "Map the Paths redirected to {elsewhere}/api/v1/sequence/import/uuid/?…"
            )),
            "{err}"
        );
        assert!(hits.lock().unwrap().is_empty());
    }

    #[tokio::test]
    async fn a_huge_reply_and_a_clear_text_base_are_refused() {
        let garbage = axum::Router::new().fallback(|| async { vec![b'{'; 10 * 1024 * 1024] });
        let err = client(&serve(garbage).await)
            .mark_on_strava("t", "uuid", "1")
            .await
            .unwrap_err();
        assert!(
            matches!(err, MtpwError::Blocked(Blocked::TooLarge { .. })),
            "{err:?}"
        );
        let (base, hits) = recorder_on("127.0.0.2").await;
        let err = client(&base)
            .mark_on_strava("t", "uuid", "1")
            .await
            .unwrap_err();
        assert!(
            matches!(err, MtpwError::Blocked(Blocked::Base { .. })),
            "{err:?}"
        );
        assert!(hits.lock().unwrap().is_empty());
    }

    #[test]
    fn server_messages_are_cut() {
        let long = "m".repeat(2_000);
        let message = message_of(&json!({ "error": long })).unwrap();
        assert_eq!(message.chars().count(), crate::net::MAX_SERVER_TEXT + 1);
    }

    #[test]
    fn success_is_read_from_the_body_status() {
        assert!(is_success(
            &json!({"status": true, "message": "Strava is updated \n"})
        ));
        assert!(is_success(&json!({"status": "success", "unique_id": "x"})));
        assert!(!is_success(
            &json!({"status": false, "error": "Transport type is not valid"})
        ));
        assert!(!is_success(&json!({})));
        assert_eq!(
            message_of(&json!({"status": false, "error": "Transport type is not valid"}))
                .as_deref(),
            Some("Transport type is not valid")
        );
    }
}
