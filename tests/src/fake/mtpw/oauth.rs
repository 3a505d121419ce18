//! MTPW's OAuth 2 implicit flow: `/accounts/authorize` redirects with the token in the URL fragment.

use axum::http::StatusCode;
use axum::response::Response;
use url::Url;

use super::state::PendingGrant;
use super::Shared;
use crate::fake::http::{html_reply, redirect, Incoming};
use crate::fake::strava::state::random_token;

/// Loopback http(s) redirects and custom-scheme (deep link) redirects are registered; others are not.
pub fn redirect_allowed(redirect_uri: &str) -> bool {
    let Ok(url) = Url::parse(redirect_uri) else {
        return false;
    };
    match url.scheme() {
        "http" | "https" => matches!(url.host_str(), Some("127.0.0.1") | Some("localhost")),
        _ => true,
    }
}

/// `GET /accounts/authorize?client_id&response_type=token&redirect_uri&state`.
pub fn authorize(shared: &Shared, req: &Incoming) -> Response {
    let mut state = shared.lock();
    if req.query_value("client_id") != Some(state.client_id.as_str()) {
        return html_reply(
            StatusCode::BAD_REQUEST,
            "<h1>Error: invalid_client</h1>".into(),
        );
    }
    let redirect_uri = req.query_value("redirect_uri").unwrap_or("");
    if !redirect_allowed(redirect_uri) {
        return html_reply(
            StatusCode::BAD_REQUEST,
            "<h1>Error: Mismatching redirect URI.</h1>".into(),
        );
    }
    if req.query_value("response_type") != Some("token") {
        return html_reply(
            StatusCode::BAD_REQUEST,
            "<h1>Error: unsupported_response_type</h1>".into(),
        );
    }
    let pending = PendingGrant {
        redirect_uri: redirect_uri.to_string(),
        state: req.query_value("state").map(str::to_string),
    };
    if state.auto_approve {
        let user = state.signed_in_user;
        let token = state.issue_token(user);
        return redirect(&fragment_redirect(&pending, &token));
    }
    let id = random_token();
    state.pending.insert(id.clone(), pending);
    html_reply(StatusCode::OK, approval_page(&id))
}

/// `POST /accounts/authorize/decide`: the Authorize or Cancel button.
pub fn decide(shared: &Shared, req: &Incoming) -> Response {
    let mut state = shared.lock();
    let Some(pending) = req
        .form_value("pending")
        .and_then(|id| state.pending.remove(id))
    else {
        return html_reply(
            StatusCode::BAD_REQUEST,
            "<p>This request has expired.</p>".into(),
        );
    };
    if req.form_value("decision") == Some("authorize") {
        let user = state.signed_in_user;
        let token = state.issue_token(user);
        redirect(&fragment_redirect(&pending, &token))
    } else {
        redirect(&with_fragment(&pending, "error=access_denied"))
    }
}

fn fragment_redirect(pending: &PendingGrant, token: &str) -> String {
    let fragment =
        format!("access_token={token}&expires_in=36000&token_type=Bearer&scope=read+write");
    with_fragment(pending, &fragment)
}

fn with_fragment(pending: &PendingGrant, fragment: &str) -> String {
    let state = pending
        .state
        .as_ref()
        .map(|s| {
            format!(
                "&state={}",
                url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>()
            )
        })
        .unwrap_or_default();
    format!("{}#{fragment}{state}", pending.redirect_uri)
}

fn approval_page(id: &str) -> String {
    format!(
        "<!doctype html><html><head><title>Authorize | Fake Map the Paths</title></head><body>\
         <h1>Authorize MTP Strava Uploader?</h1>\
         <form method=\"post\" action=\"/accounts/authorize/decide\">\
         <input type=\"hidden\" name=\"pending\" value=\"{id}\">\
         <button id=\"authorize\" type=\"submit\" name=\"decision\" value=\"authorize\">Authorize</button>\
         <button id=\"cancel\" type=\"submit\" name=\"decision\" value=\"cancel\">Cancel</button>\
         </form></body></html>"
    )
}
