//! OAuth endpoints: authorize (with the callback-domain rule and approval page), token, deauthorize, revoke.

use axum::http::StatusCode;
use axum::response::Response;
use base64::Engine;
use serde_json::{json, Value};
use url::Url;

use super::config::{Approval, CustomSchemes};
use super::errors::StravaError;
use super::state::{random_token, PendingAuthorization, StravaState};
use super::Shared;
use crate::fake::http::{html_reply, json_reply, redirect, Incoming};

/// The scopes Strava knows.
pub const SCOPES: &[&str] = &[
    "read",
    "read_all",
    "profile:read_all",
    "profile:write",
    "activity:read",
    "activity:read_all",
    "activity:write",
];

/// Query parameters the authorize endpoints read (`approval_prompt` is accepted and ignored).
pub const AUTHORIZE_PARAMS: &[&str] = &[
    "client_id",
    "redirect_uri",
    "response_type",
    "approval_prompt",
    "scope",
    "state",
];

/// Form fields the token endpoint reads.
pub const TOKEN_FIELDS: &[&str] = &[
    "client_id",
    "client_secret",
    "code",
    "grant_type",
    "refresh_token",
];

/// Form fields of `POST /oauth/deauthorize` and `POST /oauth/revoke`.
pub const DEAUTHORIZE_FIELDS: &[&str] = &["access_token"];
pub const REVOKE_FIELDS: &[&str] = &["token", "token_type_hint"];

/// Hosts allowed as redirect targets whatever the callback domain.
const LOOPBACK_HOSTS: &[&str] = &["localhost", "127.0.0.1"];

/// Whether `redirect_uri` lies within `callback_domain` (loopback always allowed).
pub fn redirect_allowed(
    redirect_uri: &str,
    callback_domain: &str,
    mobile: bool,
    policy: CustomSchemes,
) -> bool {
    let Ok(url) = Url::parse(redirect_uri) else {
        return false;
    };
    let host = url
        .host_str()
        .unwrap_or("")
        .trim_matches(['[', ']'])
        .to_ascii_lowercase();
    let domain = callback_domain.to_ascii_lowercase();
    let within = !host.is_empty()
        && (host == domain
            || host.ends_with(&format!(".{domain}"))
            || LOOPBACK_HOSTS.contains(&host.as_str()));
    match url.scheme() {
        "http" | "https" => within,
        _ => {
            let scheme_ok = match policy {
                CustomSchemes::Accepted => true,
                CustomSchemes::MobileOnly => mobile,
                CustomSchemes::Rejected => false,
            };
            scheme_ok && within
        }
    }
}

/// Parses a comma-separated scope list; `None` if empty or unknown scopes appear.
pub fn parse_scopes(scope: Option<&str>) -> Option<Vec<String>> {
    let scopes: Vec<String> = scope?
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    let known = scopes.iter().all(|s| SCOPES.contains(&s.as_str()));
    (known && !scopes.is_empty()).then_some(scopes)
}

/// Validates an authorize request into a pending authorization.
fn validate_authorize(
    state: &StravaState,
    req: &Incoming,
    mobile: bool,
    policy: CustomSchemes,
) -> Result<PendingAuthorization, StravaError> {
    let client = req
        .query_value("client_id")
        .and_then(|id| id.trim().parse::<u64>().ok())
        .and_then(|id| state.client(id))
        .ok_or(StravaError::bad_request(
            "Application",
            "client_id",
            "invalid",
        ))?;
    let redirect_uri = req.query_value("redirect_uri").unwrap_or("");
    if !redirect_allowed(redirect_uri, &client.callback_domain, mobile, policy) {
        return Err(StravaError::bad_request(
            "Application",
            "redirect_uri",
            "invalid",
        ));
    }
    if req.query_value("response_type") != Some("code") {
        return Err(StravaError::bad_request(
            "Authorize",
            "response_type",
            "invalid",
        ));
    }
    let scopes = parse_scopes(req.query_value("scope")).ok_or(StravaError::bad_request(
        "Authorize",
        "scope",
        "invalid",
    ))?;
    Ok(PendingAuthorization {
        client_id: client.id,
        redirect_uri: redirect_uri.to_string(),
        scopes,
        state: req.query_value("state").map(str::to_string),
    })
}

/// `GET /oauth/authorize` and `GET /oauth/mobile/authorize`.
pub fn authorize(shared: &Shared, req: &Incoming, mobile: bool) -> Response {
    let mut state = shared.lock();
    let pending = match validate_authorize(&state, req, mobile, shared.config.custom_schemes) {
        Ok(pending) => pending,
        Err(err) => return err.into_response(),
    };
    match state.approval.clone() {
        Approval::Page => {
            let id = random_token();
            let page = approval_page(&id, &pending);
            state.pending.insert(id, pending);
            html_reply(StatusCode::OK, page)
        }
        Approval::Approve { withhold } => {
            let granted: Vec<String> = pending
                .scopes
                .iter()
                .filter(|s| !withhold.contains(s))
                .cloned()
                .collect();
            approve(shared, &mut state, &pending, granted)
        }
        Approval::Deny => deny(&pending),
    }
}

/// `POST /oauth/accept_application`: the Authorize or Cancel button of the approval page.
pub fn decide(shared: &Shared, req: &Incoming) -> Response {
    let mut state = shared.lock();
    let pending = req
        .form_value("pending")
        .and_then(|id| state.pending.remove(id));
    let Some(pending) = pending else {
        return html_reply(
            StatusCode::BAD_REQUEST,
            "<p>This authorization request has expired.</p>".into(),
        );
    };
    if req.form_value("decision") == Some("authorize") {
        let granted = pending.scopes.clone();
        approve(shared, &mut state, &pending, granted)
    } else {
        deny(&pending)
    }
}

fn approve(
    shared: &Shared,
    state: &mut StravaState,
    pending: &PendingAuthorization,
    granted: Vec<String>,
) -> Response {
    let expires_at = shared.now() + shared.config.code_ttl_secs;
    let athlete = state.signed_in_athlete;
    let scope = granted.join(",");
    let code = state.issue_code(pending.client_id, athlete, granted, expires_at);
    redirect_with(pending, &[("code", &code), ("scope", &scope)])
}

fn deny(pending: &PendingAuthorization) -> Response {
    redirect_with(pending, &[("error", "access_denied")])
}

/// The callback URL as Strava builds it: `state=` always first (empty when none was given),
/// then the pairs; a scope list keeps its commas (and colons) unencoded.
fn redirect_with(pending: &PendingAuthorization, pairs: &[(&str, &str)]) -> Response {
    let state = pending.state.as_deref().unwrap_or("");
    let mut query = format!("state={}", encode(state));
    for (key, value) in pairs {
        let value = if *key == "scope" {
            encode(value).replace("%2C", ",").replace("%3A", ":")
        } else {
            encode(value)
        };
        query.push_str(&format!("&{key}={value}"));
    }
    let (base, fragment) = match pending.redirect_uri.split_once('#') {
        Some((base, fragment)) => (base, format!("#{fragment}")),
        None => (pending.redirect_uri.as_str(), String::new()),
    };
    let separator = if base.contains('?') { '&' } else { '?' };
    redirect(&format!("{base}{separator}{query}{fragment}"))
}

fn encode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

fn approval_page(id: &str, pending: &PendingAuthorization) -> String {
    let scopes: String = pending
        .scopes
        .iter()
        .map(|s| format!("<li>{s}</li>"))
        .collect();
    format!(
        "<!doctype html><html><head><title>Authorize | Fake Strava</title></head><body>\
         <h1>Authorize application {client}</h1><p>It asks for:</p><ul>{scopes}</ul>\
         <form method=\"post\" action=\"/oauth/accept_application\">\
         <input type=\"hidden\" name=\"pending\" value=\"{id}\">\
         <button id=\"authorize\" type=\"submit\" name=\"decision\" value=\"authorize\">Authorize</button>\
         <button id=\"cancel\" type=\"submit\" name=\"decision\" value=\"cancel\">Cancel</button>\
         </form></body></html>",
        client = pending.client_id,
    )
}

/// A field of a token request: form body, then query string, then JSON body.
fn field<'a>(req: &'a Incoming, name: &str) -> Option<&'a str> {
    req.form_value(name)
        .or_else(|| req.query_value(name))
        .or_else(|| req.json.as_ref()?.get(name)?.as_str())
}

/// `POST /oauth/token` and `POST /api/v3/oauth/token`.
pub fn token(shared: &Shared, req: &Incoming) -> Result<Value, StravaError> {
    let mut state = shared.lock();
    let client_id = state.check_client(field(req, "client_id"), field(req, "client_secret"))?;
    let (now, ttl) = (shared.now(), shared.config.access_token_ttl_secs);
    match field(req, "grant_type") {
        Some("authorization_code") => state.exchange_code(client_id, field(req, "code"), now, ttl),
        Some("refresh_token") => state.refresh(client_id, field(req, "refresh_token"), now, ttl),
        _ => Err(StravaError::bad_request("Token", "grant_type", "invalid")),
    }
}

/// `POST /oauth/deauthorize`: the access token as form field, query parameter or bearer header.
pub fn deauthorize(shared: &Shared, req: &Incoming) -> Result<Value, StravaError> {
    let token = field(req, "access_token").or_else(|| req.bearer());
    let mut state = shared.lock();
    let caller = state
        .caller(token, shared.now())
        .ok_or(StravaError::InvalidToken)?;
    state.deauthorize(&caller);
    Ok(json!({"access_token": token}))
}

/// `POST /oauth/revoke`: HTTP Basic `client_id:client_secret`, form `token`; revokes access and refresh token.
pub fn revoke(shared: &Shared, req: &Incoming) -> Result<Value, StravaError> {
    let (id, secret) = basic_auth(req).ok_or(StravaError::BadClientSecret)?;
    let mut state = shared.lock();
    let client_id = state.check_client(Some(&id), Some(&secret))?;
    let token = field(req, "token").ok_or(StravaError::bad_request("Token", "token", "missing"))?;
    // RFC 7009: an unknown token is not an error.
    state.revoke_token(client_id, token);
    Ok(json!({}))
}

fn basic_auth(req: &Incoming) -> Option<(String, String)> {
    let value = req.header("authorization")?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (id, secret) = text.split_once(':')?;
    Some((id.to_string(), secret.to_string()))
}

/// Turns a handler result into a reply (200 with the JSON or the Fault).
pub fn reply(result: Result<Value, StravaError>) -> Response {
    match result {
        Ok(body) => json_reply(StatusCode::OK, &body),
        Err(err) => err.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn callback_domain_rule() {
        let ok = |uri: &str| redirect_allowed(uri, "example.org", false, CustomSchemes::Accepted);
        assert!(ok("http://127.0.0.1:53682/callback"));
        assert!(ok("http://localhost/cb"));
        assert!(ok("https://example.org/cb"));
        assert!(ok("https://app.example.org/cb"));
        assert!(ok("mtp-strava-uploader://example.org/strava"));
        assert!(!ok("https://evil.org/cb"));
        assert!(!ok("https://notexample.org/cb"));
        assert!(!ok("mtp-strava-uploader://evil.org/strava"));
        assert!(!ok("not a url"));
        assert!(!redirect_allowed(
            "myapp://example.org/x",
            "example.org",
            false,
            CustomSchemes::MobileOnly
        ));
        assert!(redirect_allowed(
            "myapp://example.org/x",
            "example.org",
            true,
            CustomSchemes::MobileOnly
        ));
    }

    #[test]
    fn scopes_must_be_known() {
        assert_eq!(
            parse_scopes(Some("read,activity:write")),
            Some(vec!["read".into(), "activity:write".into()])
        );
        assert_eq!(parse_scopes(Some("read,fly")), None);
        assert_eq!(parse_scopes(Some("")), None);
        assert_eq!(parse_scopes(None), None);
    }
}
