//! The one-shot loopback listener of RFC 8252: 127.0.0.1, a random port, one provider's callback
//! path; it stops after one accepted callback, when dropped, or when its lifetime is over.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{DefaultBodyLimit, OriginalUri, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tokio::sync::{oneshot, Notify};

use super::callback::{CallbackError, MAX_CALLBACK_BYTES};
use super::pending::RouteOutcome;
use crate::Provider;

/// The router the listener hands each callback URL to.
pub type RouteFn = Arc<dyn Fn(&str) -> Result<RouteOutcome, CallbackError> + Send + Sync>;

/// A running listener; dropping it stops it.
pub struct LoopbackListener {
    port: u16,
    provider: Provider,
    shutdown: Option<oneshot::Sender<()>>,
}

impl std::fmt::Debug for LoopbackListener {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoopbackListener")
            .field("port", &self.port)
            .field("provider", &self.provider)
            .finish()
    }
}

#[derive(Clone)]
struct Listening {
    provider: Provider,
    port: u16,
    route: RouteFn,
    done: Arc<Notify>,
}

impl LoopbackListener {
    /// Binds 127.0.0.1 on a free port and serves `provider`'s callback path for at most `lifetime`.
    pub async fn start(
        provider: Provider,
        route: RouteFn,
        lifetime: Duration,
    ) -> std::io::Result<Self> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
        let port = listener.local_addr()?.port();
        let done = Arc::new(Notify::new());
        let app = router(provider, port, route, done.clone());
        let (shutdown, stopped) = oneshot::channel::<()>();
        let stop = async move {
            tokio::select! {
                _ = stopped => {}
                _ = done.notified() => {}
                _ = tokio::time::sleep(lifetime) => {}
            }
        };
        tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(stop)
                .await;
        });
        Ok(Self {
            port,
            provider,
            shutdown: Some(shutdown),
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// `http://127.0.0.1:<port>/<provider>/callback`.
    pub fn redirect_uri(&self) -> String {
        format!(
            "http://127.0.0.1:{}{}",
            self.port,
            self.provider.callback_path()
        )
    }
}

/// What the listener serves for `provider` on `127.0.0.1:<port>`: the callback path and nothing
/// else; `done` is notified once a callback is accepted. Public so that the fuzz target can
/// serve it over in-memory connections.
pub fn router(provider: Provider, port: u16, route: RouteFn, done: Arc<Notify>) -> Router {
    let listening = Listening {
        provider,
        port,
        route,
        done,
    };
    let path = provider.callback_path();
    match provider {
        Provider::Strava => Router::new().route(path, get(strava_callback)),
        Provider::Mtpw => Router::new().route(path, get(mtpw_page).post(mtpw_fragment)),
    }
    .layer(DefaultBodyLimit::max(MAX_CALLBACK_BYTES))
    .with_state(listening)
}

impl Drop for LoopbackListener {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}

impl Listening {
    /// Only requests addressed to this listener by its own address (no DNS rebinding).
    fn host_ok(&self, headers: &HeaderMap) -> bool {
        let expected = format!("127.0.0.1:{}", self.port);
        headers.get(header::HOST).and_then(|h| h.to_str().ok()) == Some(expected.as_str())
    }

    fn route(&self, url: &str) -> Response {
        match (self.route)(url) {
            Ok(RouteOutcome::Accepted(_)) | Ok(RouteOutcome::AlreadyHandled) => {
                self.done.notify_one();
                let text = format!(
                    "{} sign-in received. You can close this tab and go back to MTP Strava Uploader.",
                    self.provider.name()
                );
                (StatusCode::OK, text)
            }
            Err(refused) => (StatusCode::BAD_REQUEST, format!("Sign-in not accepted: {refused}.")),
        }
        .into_response()
    }
}

async fn strava_callback(
    State(listening): State<Listening>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
) -> Response {
    if !listening.host_ok(&headers) {
        return forbidden();
    }
    let url = format!("http://127.0.0.1:{}{uri}", listening.port);
    let reply = listening.route(&url);
    as_page(reply).await
}

/// The fragment never reaches a server: this page posts it back to this listener only.
async fn mtpw_page(State(listening): State<Listening>, headers: HeaderMap) -> Response {
    if !listening.host_ok(&headers) {
        return forbidden();
    }
    page(
        StatusCode::OK,
        "Finishing the Map the Paths sign-in…",
        FORWARD_SCRIPT,
    )
}

async fn mtpw_fragment(
    State(listening): State<Listening>,
    headers: HeaderMap,
    body: String,
) -> Response {
    let own_origin = format!("http://127.0.0.1:{}", listening.port);
    let origin = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok());
    if !listening.host_ok(&headers) || origin.is_some_and(|o| o != own_origin) {
        return forbidden();
    }
    let url = format!("{own_origin}/mtpw/callback#{}", body.trim());
    no_store(listening.route(&url))
}

const FORWARD_SCRIPT: &str = r#"<script>
const fragment = location.hash.slice(1);
history.replaceState(null, "", location.pathname);
fetch(location.pathname, {method: "POST", headers: {"Content-Type": "text/plain"}, body: fragment})
  .then(r => r.text())
  .then(t => { document.getElementById("message").textContent = t; })
  .catch(() => { document.getElementById("message").textContent = "The app did not answer: connect again."; });
</script>"#;

/// Wraps a plain-text reply into the small page the browser shows.
async fn as_page(reply: Response) -> Response {
    let status = reply.status();
    let bytes = axum::body::to_bytes(reply.into_body(), MAX_CALLBACK_BYTES)
        .await
        .unwrap_or_default();
    page(status, &String::from_utf8_lossy(&bytes), "")
}

fn page(status: StatusCode, message: &str, script: &str) -> Response {
    let html = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>MTP Strava Uploader</title></head>\
         <body style=\"font-family:sans-serif;margin:3em\"><h1>MTP Strava Uploader</h1>\
         <p id=\"message\">{}</p>{script}</body></html>",
        escape_html(message)
    );
    let mut response = (status, html).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; script-src 'unsafe-inline'; connect-src 'self'; style-src 'unsafe-inline'",
        ),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    no_store(response)
}

fn no_store(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

fn forbidden() -> Response {
    no_store((StatusCode::FORBIDDEN, "Not for this address.").into_response())
}

/// Nothing from a URL is rendered as HTML.
fn escape_html(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '<' => "&lt;".to_string(),
            '>' => "&gt;".to_string(),
            '&' => "&amp;".to_string(),
            '"' => "&quot;".to_string(),
            '\'' => "&#39;".to_string(),
            c => c.to_string(),
        })
        .collect()
}
