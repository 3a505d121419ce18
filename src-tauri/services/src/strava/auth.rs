//! Strava OAuth: the authorize URL, code exchange, refresh with rotation, the athlete, revoke.
//!
//! Plain HTTP functions; the engine's accounts decide when to call them and keep the tokens.

use serde::Deserialize;

use super::api::AppRefusal;
use crate::net::{read_reply, Blocked, ReadError, Reply, MAX_JSON_REPLY};
use crate::Secret;

/// What Strava's OAuth endpoints answered instead of what was asked; the engine turns it into
/// the user's sentence.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StravaAuthError {
    #[error("Strava refused the refresh token")]
    SignedOut,
    #[error("Strava refused the Client ID or Client Secret")]
    BadClientCredentials,
    #[error("Strava refused the authorization code")]
    CodeRefused,
    #[error("Strava refused the access token")]
    Unauthorized,
    #[error("Strava's rate limit is reached")]
    RateLimited,
    /// The API application itself is refused (inactive, or its athlete cap reached).
    #[error("Strava refused the sign-in: {0} (HTTP 403)")]
    AppRefused(AppRefusal),
    #[error("could not {action} on Strava: {reason}")]
    Network {
        action: &'static str,
        reason: String,
    },
    #[error("Strava refused to {action} (HTTP {status})")]
    Refused {
        action: &'static str,
        status: u16,
        detail: String,
    },
    #[error("Strava gave an unexpected answer when asked to {action}")]
    Unexpected { action: &'static str },
    /// A redirect, a reply past the cap, or a refused address: nothing more was sent or read.
    #[error("could not {action}: Strava {blocked}")]
    Blocked {
        action: &'static str,
        blocked: Blocked,
    },
}

/// What the token endpoints need: the user's own API application and where Strava is.
#[derive(Debug, Clone)]
pub struct StravaApp {
    pub client_id: String,
    pub client_secret: Secret,
    /// `https://www.strava.com` (a trailing `/oauth` is accepted too).
    pub oauth_base: String,
    /// `https://www.strava.com/api/v3`.
    pub api_base: String,
}

/// Tokens from a code exchange or a refresh.
#[derive(Debug, Clone)]
pub struct TokenGrant {
    pub access_token: Secret,
    pub refresh_token: Secret,
    /// Epoch seconds.
    pub expires_at: i64,
    /// Only with a code exchange.
    pub athlete: Option<Athlete>,
}

/// The signed-in athlete, as far as the app shows it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Athlete {
    pub id: u64,
    #[serde(default)]
    pub firstname: Option<String>,
    #[serde(default)]
    pub lastname: Option<String>,
    #[serde(default)]
    pub username: Option<String>,
}

impl Athlete {
    /// "Firstname Lastname", else the username, else "Athlete <id>".
    pub fn display_name(&self) -> String {
        let name = [&self.firstname, &self.lastname]
            .iter()
            .filter_map(|part| part.as_deref().map(str::trim))
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        if !name.is_empty() {
            return name;
        }
        match self.username.as_deref().map(str::trim) {
            Some(username) if !username.is_empty() => username.to_string(),
            _ => format!("Athlete {}", self.id),
        }
    }
}

/// `{oauth_base}/oauth/<name>`; an OAuth base given with its `/oauth` suffix works too.
pub fn oauth_endpoint(oauth_base: &str, name: &str) -> String {
    let base = oauth_base.trim_end_matches('/');
    let base = base.strip_suffix("/oauth").unwrap_or(base);
    format!("{base}/oauth/{name}")
}

/// `{oauth_base}/oauth/authorize?client_id&redirect_uri&response_type=code&approval_prompt=auto&scope&state`.
/// Scopes keep their commas and colons unencoded, as in Strava's own examples.
pub fn authorize_url(
    oauth_base: &str,
    client_id: &str,
    redirect_uri: &str,
    scopes: &str,
    state: &str,
) -> String {
    let enc =
        |value: &str| url::form_urlencoded::byte_serialize(value.as_bytes()).collect::<String>();
    let scope = scopes
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            let plain = s
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '_' || c == ':');
            if plain {
                s.to_string()
            } else {
                enc(s)
            }
        })
        .collect::<Vec<_>>()
        .join(",");
    format!(
        "{}?client_id={}&redirect_uri={}&response_type=code&approval_prompt=auto&scope={scope}&state={}",
        oauth_endpoint(oauth_base, "authorize"),
        enc(client_id),
        enc(redirect_uri),
        enc(state),
    )
}

#[derive(Deserialize)]
struct TokenReply {
    access_token: String,
    refresh_token: String,
    expires_at: Option<i64>,
    expires_in: Option<i64>,
    athlete: Option<Athlete>,
}

/// `POST /oauth/token` with `grant_type=authorization_code`.
pub async fn exchange_code(
    http: &reqwest::Client,
    app: &StravaApp,
    code: &Secret,
) -> Result<TokenGrant, StravaAuthError> {
    let form = [
        ("client_id", app.client_id.as_str()),
        ("client_secret", app.client_secret.expose()),
        ("code", code.expose()),
        ("grant_type", "authorization_code"),
    ];
    token_request(http, app, &form, "finish the sign-in").await
}

/// `POST /oauth/token` with `grant_type=refresh_token`. A refused refresh token gives
/// [`StravaAuthError::SignedOut`].
pub async fn refresh(
    http: &reqwest::Client,
    app: &StravaApp,
    refresh_token: &Secret,
) -> Result<TokenGrant, StravaAuthError> {
    let form = [
        ("client_id", app.client_id.as_str()),
        ("client_secret", app.client_secret.expose()),
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh_token.expose()),
    ];
    token_request(http, app, &form, "renew the sign-in").await
}

async fn token_request(
    http: &reqwest::Client,
    app: &StravaApp,
    form: &[(&str, &str)],
    action: &'static str,
) -> Result<TokenGrant, StravaAuthError> {
    check_base(&app.oauth_base, action)?;
    let response = http
        .post(oauth_endpoint(&app.oauth_base, "token"))
        .form(form)
        .send()
        .await
        .map_err(|e| network(action, e))?;
    let Reply { status, body } = read(response, action).await?;
    if !status.is_success() {
        return Err(token_error(status.as_u16(), &body, action));
    }
    let reply: TokenReply =
        serde_json::from_slice(&body).map_err(|_| StravaAuthError::Unexpected { action })?;
    let expires_at = reply
        .expires_at
        .or_else(|| reply.expires_in.map(|secs| now_epoch() + secs))
        .unwrap_or_else(now_epoch);
    Ok(TokenGrant {
        access_token: Secret::new(reply.access_token),
        refresh_token: Secret::new(reply.refresh_token),
        expires_at,
        athlete: reply.athlete,
    })
}

/// `GET {api_base}/athlete`.
pub async fn athlete(
    http: &reqwest::Client,
    api_base: &str,
    access_token: &Secret,
) -> Result<Athlete, StravaAuthError> {
    let action = "read your athlete profile";
    check_base(api_base, action)?;
    let response = http
        .get(format!("{}/athlete", api_base.trim_end_matches('/')))
        .bearer_auth(access_token.expose())
        .send()
        .await
        .map_err(|e| network(action, e))?;
    let Reply { status, body } = read(response, action).await?;
    if status.as_u16() == 401 {
        return Err(StravaAuthError::Unauthorized);
    }
    if !status.is_success() {
        return Err(refused(status.as_u16(), &body, action));
    }
    serde_json::from_slice(&body).map_err(|_| StravaAuthError::Unexpected { action })
}

/// `POST /oauth/revoke` (HTTP Basic client_id:client_secret, form `token`): revokes both tokens.
pub async fn revoke(
    http: &reqwest::Client,
    app: &StravaApp,
    token: &Secret,
) -> Result<(), StravaAuthError> {
    let action = "revoke the sign-in";
    check_base(&app.oauth_base, action)?;
    let response = http
        .post(oauth_endpoint(&app.oauth_base, "revoke"))
        .basic_auth(&app.client_id, Some(app.client_secret.expose()))
        .form(&[("token", token.expose())])
        .send()
        .await
        .map_err(|e| network(action, e))?;
    expect_success(response, action).await
}

/// `POST /oauth/deauthorize` with the access token as bearer (the older sign-out).
pub async fn deauthorize(
    http: &reqwest::Client,
    oauth_base: &str,
    access_token: &Secret,
) -> Result<(), StravaAuthError> {
    let action = "sign out";
    check_base(oauth_base, action)?;
    let response = http
        .post(oauth_endpoint(oauth_base, "deauthorize"))
        .bearer_auth(access_token.expose())
        .send()
        .await
        .map_err(|e| network(action, e))?;
    expect_success(response, action).await
}

async fn expect_success(
    response: reqwest::Response,
    action: &'static str,
) -> Result<(), StravaAuthError> {
    let Reply { status, body } = read(response, action).await?;
    if status.is_success() {
        return Ok(());
    }
    Err(refused(status.as_u16(), &body, action))
}

/// Refuses a base the address rule refuses, before anything is sent.
fn check_base(base: &str, action: &'static str) -> Result<(), StravaAuthError> {
    Blocked::check_base(base).map_err(|blocked| StravaAuthError::Blocked { action, blocked })
}

/// The reply, capped; a redirect is an error (the client follows none).
async fn read(response: reqwest::Response, action: &'static str) -> Result<Reply, StravaAuthError> {
    read_reply(response, MAX_JSON_REPLY)
        .await
        .map_err(|e| match e {
            ReadError::Blocked(blocked) => StravaAuthError::Blocked { action, blocked },
            ReadError::Transport(err) => network(action, err),
        })
}

#[derive(Deserialize, Default)]
struct Fault {
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    errors: Vec<FaultError>,
}

#[derive(Deserialize, Default)]
struct FaultError {
    #[serde(default)]
    resource: String,
    #[serde(default)]
    field: String,
    #[serde(default)]
    code: String,
}

/// What a refused token request means for the user.
fn token_error(status: u16, body: &[u8], action: &'static str) -> StravaAuthError {
    if let Some(refusal) = AppRefusal::of_reply(status, body) {
        return StravaAuthError::AppRefused(refusal);
    }
    let fault: Fault = serde_json::from_slice(body).unwrap_or_default();
    let is = |resource: &str| fault.errors.iter().any(|e| e.resource == resource);
    if is("RefreshToken") {
        return StravaAuthError::SignedOut;
    }
    if fault
        .errors
        .iter()
        .any(|e| e.resource == "Application" && e.code == "invalid")
    {
        return StravaAuthError::BadClientCredentials;
    }
    if is("AuthorizationCode") {
        return StravaAuthError::CodeRefused;
    }
    refused(status, body, action)
}

/// A refusal in words: the status and Strava's error codes, never the body as such.
fn refused(status: u16, body: &[u8], action: &'static str) -> StravaAuthError {
    if status == 429 {
        return StravaAuthError::RateLimited;
    }
    if let Some(refusal) = AppRefusal::of_reply(status, body) {
        return StravaAuthError::AppRefused(refusal);
    }
    let fault: Fault = serde_json::from_slice(body).unwrap_or_default();
    let detail = fault
        .errors
        .first()
        .map(|e| plain(&format!("{} {} {}", e.resource, e.field, e.code)))
        .or_else(|| fault.message.as_deref().map(plain))
        .unwrap_or_default();
    StravaAuthError::Refused {
        action,
        status,
        detail,
    }
}

fn plain(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '_' | ':' | '-' | '.'))
        .take(80)
        .collect::<String>()
        .trim()
        .to_string()
}

fn network(action: &'static str, error: reqwest::Error) -> StravaAuthError {
    StravaAuthError::Network {
        action,
        reason: error.without_url().to_string(),
    }
}

/// Now in epoch seconds.
pub fn now_epoch() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::test_server::{recorder, recorder_on, redirecting_to};
    use crate::net::{http_client, HttpTimeouts};

    fn app_at(oauth_base: &str) -> StravaApp {
        StravaApp {
            client_id: "180001".into(),
            client_secret: Secret::new("client-secret-xyz"),
            oauth_base: oauth_base.into(),
            api_base: format!("{oauth_base}/api/v3"),
        }
    }

    #[tokio::test]
    async fn a_redirected_refresh_sends_nothing_to_the_other_host() {
        let (elsewhere, hits) = recorder().await;
        let app = app_at(&redirecting_to(&elsewhere).await);
        let http = http_client(HttpTimeouts::default()).unwrap();
        let refresh_token = Secret::new("refresh-token-abc");
        let err = refresh(&http, &app, &refresh_token).await.unwrap_err();
        match &err {
            StravaAuthError::Blocked {
                blocked: Blocked::Redirect { status, location },
                ..
            } => {
                assert_eq!(*status, 307);
                assert_eq!(location, &format!("{elsewhere}/oauth/token?…"));
            }
            other => panic!("expected a refused redirect, got {other:?}"),
        }
        assert!(
            err.to_string()
                .contains(&format!("redirected to {elsewhere}/oauth/token")),
            "{err}"
        );
        assert!(
            hits.lock().unwrap().is_empty(),
            "nothing reached the other host"
        );

        // The control: a client that follows redirects (reqwest's default) sends the refresh
        // token and the client secret on to the other host.
        let _ = refresh(&reqwest::Client::new(), &app, &refresh_token).await;
        let seen = hits.lock().unwrap().join("\n");
        assert!(seen.contains("refresh-token-abc"), "{seen}");
        assert!(seen.contains("client-secret-xyz"), "{seen}");
    }

    #[tokio::test]
    async fn a_clear_text_base_off_this_machine_is_refused_unsent() {
        // 127.0.0.2 is on this machine too, but the rule names 127.0.0.1 only.
        let (base, hits) = recorder_on("127.0.0.2").await;
        let http = http_client(HttpTimeouts::default()).unwrap();
        let err = refresh(&http, &app_at(&base), &Secret::new("refresh-token-abc"))
            .await
            .unwrap_err();
        assert!(
            matches!(
                err,
                StravaAuthError::Blocked {
                    blocked: Blocked::Base { .. },
                    ..
                }
            ),
            "{err:?}"
        );
        let err = revoke(&http, &app_at(&base), &Secret::new("t"))
            .await
            .unwrap_err();
        assert!(
            err.to_string().contains("must start with https://"),
            "{err}"
        );
        let err = athlete(&http, &base, &Secret::new("t")).await.unwrap_err();
        assert!(matches!(err, StravaAuthError::Blocked { .. }), "{err:?}");
        assert!(hits.lock().unwrap().is_empty());
    }

    #[test]
    fn authorize_url_has_every_parameter_and_plain_commas() {
        let url = authorize_url(
            "https://www.strava.com",
            "1234",
            "mtp-strava-uploader://localhost/strava/callback",
            "activity:write,read",
            "st-ate",
        );
        assert_eq!(
            url,
            "https://www.strava.com/oauth/authorize?client_id=1234&redirect_uri=mtp-strava-uploader%3A%2F%2Flocalhost%2Fstrava%2Fcallback&response_type=code&approval_prompt=auto&scope=activity:write,read&state=st-ate"
        );
    }

    #[test]
    fn oauth_base_with_or_without_oauth_suffix() {
        assert_eq!(
            oauth_endpoint("https://www.strava.com/", "token"),
            "https://www.strava.com/oauth/token"
        );
        assert_eq!(
            oauth_endpoint("http://127.0.0.1:9/oauth", "token"),
            "http://127.0.0.1:9/oauth/token"
        );
    }

    #[test]
    fn athlete_names() {
        let athlete = |first: Option<&str>, last: Option<&str>, user: Option<&str>| Athlete {
            id: 7,
            firstname: first.map(Into::into),
            lastname: last.map(Into::into),
            username: user.map(Into::into),
        };
        assert_eq!(
            athlete(Some("Ada"), Some("L"), None).display_name(),
            "Ada L"
        );
        assert_eq!(athlete(None, None, Some("ada")).display_name(), "ada");
        assert_eq!(athlete(Some(" "), None, None).display_name(), "Athlete 7");
    }
}
