//! MTPW's OAuth 2 implicit flow: registered redirect URIs and allowed schemes, the token in the
//! redirect's URL fragment. The approval page and its `/accounts/authorize/decide` are test-only.

use axum::http::StatusCode;
use axum::response::Response;
use url::Url;

use super::state::{MtpwState, PendingGrant, TOKEN_EXPIRES_IN};
use super::Shared;
use crate::fake::http::{html_reply, redirect, Incoming};
use crate::fake::strava::state::random_token;

/// Whether `uri` is one of the client's `registered` redirect URIs, as django-oauth-toolkit
/// decides: same scheme, host, port and path, the registered query a subset of the asked one;
/// a registered `http` loopback IP (127.0.0.1, ::1) without a port matches any port (RFC 8252).
pub fn redirect_registered(uri: &str, registered: &[String]) -> bool {
    let Ok(asked) = Url::parse(uri) else {
        return false;
    };
    registered.iter().any(|allowed| {
        let Ok(allowed) = Url::parse(allowed) else {
            return false;
        };
        let loopback = allowed.scheme() == "http"
            && matches!(allowed.host_str(), Some("127.0.0.1") | Some("[::1]"))
            && allowed.port().is_none();
        let same_place = allowed.scheme() == asked.scheme()
            && allowed.host_str() == asked.host_str()
            && allowed.path() == asked.path()
            && (loopback || allowed.port() == asked.port());
        let asked_pairs: Vec<_> = asked.query_pairs().collect();
        same_place
            && allowed
                .query_pairs()
                .all(|pair| asked_pairs.contains(&pair))
    })
}

/// Whether the scheme of `uri` is in `ALLOWED_REDIRECT_URI_SCHEMES`.
pub fn scheme_allowed(uri: &str, schemes: &[String]) -> bool {
    Url::parse(uri).is_ok_and(|url| schemes.iter().any(|s| s.eq_ignore_ascii_case(url.scheme())))
}

/// The redirect, or Django's 400 when the scheme is not allowed (DisallowedRedirect).
fn redirect_if_allowed(state: &MtpwState, pending: &PendingGrant, location: &str) -> Response {
    if scheme_allowed(&pending.redirect_uri, &state.allowed_schemes) {
        redirect(location)
    } else {
        html_reply(StatusCode::BAD_REQUEST, "<h1>Bad Request (400)</h1>".into())
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
    if !redirect_registered(redirect_uri, &state.redirect_uris) {
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
        return redirect_if_allowed(&state, &pending, &fragment_redirect(&pending, &token));
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
        redirect_if_allowed(&state, &pending, &fragment_redirect(&pending, &token))
    } else {
        redirect_if_allowed(
            &state,
            &pending,
            &with_fragment(&pending, "error=access_denied"),
        )
    }
}

fn fragment_redirect(pending: &PendingGrant, token: &str) -> String {
    let fragment = format!(
        "access_token={token}&expires_in={TOKEN_EXPIRES_IN}&token_type=Bearer&scope=read+write"
    );
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registered_uris_match_exactly_except_loopback_ports() {
        let registered = vec![
            "app.mtp.desktop://app".to_string(),
            "http://127.0.0.1/mtpw/callback".to_string(),
            "http://localhost:8000/cb".to_string(),
        ];
        let ok = |uri: &str| redirect_registered(uri, &registered);
        assert!(ok("app.mtp.desktop://app"));
        assert!(!ok("app.mtp.desktop://app/"));
        assert!(!ok("app.mtp.desktop://other"));
        assert!(ok("http://127.0.0.1:53682/mtpw/callback"));
        assert!(ok("http://127.0.0.1/mtpw/callback"));
        assert!(!ok("http://127.0.0.1:53682/other"));
        assert!(ok("http://localhost:8000/cb"));
        assert!(
            !ok("http://localhost:8001/cb"),
            "localhost is not a loopback IP literal"
        );
        assert!(!ok("not a uri"));
        let schemes = vec!["app.mtp.desktop".to_string()];
        assert!(scheme_allowed("app.mtp.desktop://app", &schemes));
        assert!(!scheme_allowed("http://127.0.0.1/mtpw/callback", &schemes));
    }
}
