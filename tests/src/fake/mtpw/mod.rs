//! The fake Map the Paths Web: implicit-flow authorize with registered redirect URIs, sequence
//! create and import, faults, inspection, seeding sequences.

pub mod admin;
pub mod api;
pub mod oauth;
pub mod state;

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use serde_json::{json, Value};

use self::state::{MtpwState, MtpwUser};
use super::faults::{FaultKind, FaultPlan, FaultRule, DEFAULT_SEED};
use super::http::{drop_midway, error_reply, html_reply, Incoming, Served};
use super::inspect::{shared_route, Inspectable, RequestRecord};

/// The redirect URI MTPW has registered for MTP Desktop Uploader's client.
pub const DEFAULT_REDIRECT_URI: &str = "app.mtp.desktop://app";

/// MTPW's `ALLOWED_REDIRECT_URI_SCHEMES` setting.
pub const DEFAULT_ALLOWED_SCHEMES: &[&str] = &["app.mtp.desktop"];

/// Settings of the fake MTPW.
#[derive(Debug, Clone, PartialEq)]
pub struct MtpwConfig {
    /// Redirect at once from `/accounts/authorize` instead of showing the approval page.
    pub auto_approve: bool,
    /// Seed of probabilistic faults.
    pub seed: u64,
    /// Redirect URIs registered for the client: matched exactly, except that a registered
    /// `http://127.0.0.1/...` or `http://[::1]/...` without a port matches any port (RFC 8252).
    pub redirect_uris: Vec<String>,
    /// Schemes a redirect may use (`ALLOWED_REDIRECT_URI_SCHEMES`).
    pub allowed_schemes: Vec<String>,
    /// Status of "Authentication credentials were not provided." (403 as MTPW answers;
    /// 401 is what a DRF server with token authentication first would send).
    pub unauthenticated_status: u16,
}

impl Default for MtpwConfig {
    fn default() -> Self {
        Self {
            auto_approve: false,
            seed: DEFAULT_SEED,
            redirect_uris: vec![DEFAULT_REDIRECT_URI.to_string()],
            allowed_schemes: DEFAULT_ALLOWED_SCHEMES
                .iter()
                .map(|s| s.to_string())
                .collect(),
            unauthenticated_status: 403,
        }
    }
}

impl MtpwConfig {
    /// Registers one more redirect URI for the client (its scheme must be allowed too).
    pub fn with_redirect_uri(mut self, uri: &str) -> Self {
        self.redirect_uris.push(uri.to_string());
        self
    }

    /// Allows one more redirect scheme.
    pub fn with_allowed_scheme(mut self, scheme: &str) -> Self {
        self.allowed_schemes.push(scheme.to_ascii_lowercase());
        self
    }

    /// Registers `uri` and allows its scheme, as an MTPW operator would for this app.
    pub fn for_redirect_uri(self, uri: &str) -> Self {
        let scheme = uri.split_once(':').map(|(s, _)| s).unwrap_or("");
        let scheme = scheme.to_string();
        self.with_redirect_uri(uri).with_allowed_scheme(&scheme)
    }
}

/// State shared by all requests.
#[derive(Debug)]
pub struct Shared {
    state: Mutex<MtpwState>,
}

impl Shared {
    /// The state; a panic in another request never locks the fake up.
    pub fn lock(&self) -> MutexGuard<'_, MtpwState> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Inspectable for Shared {
    fn requests(&self) -> Vec<RequestRecord> {
        self.lock().requests.clone()
    }

    fn state_json(&self) -> Value {
        let state = self.lock();
        json!({
            "client_id": state.client_id,
            "users": state.users,
            "signed_in_user": state.signed_in_user,
            "auto_approve": state.auto_approve,
            "redirect_uris": state.redirect_uris,
            "allowed_schemes": state.allowed_schemes,
            "tokens": state.tokens,
            "sequences": state.sequences,
        })
    }

    fn reset(&self) {
        self.lock().reset();
    }

    fn with_faults<R>(&self, f: impl FnOnce(&mut FaultPlan) -> R) -> R {
        f(&mut self.lock().faults)
    }
}

/// A running fake MTPW; stops when dropped.
#[derive(Debug)]
pub struct FakeMtpw {
    shared: Arc<Shared>,
    served: Served,
}

impl FakeMtpw {
    /// Starts on a free loopback port.
    pub async fn start(config: MtpwConfig) -> std::io::Result<FakeMtpw> {
        Self::start_on(0, config).await
    }

    /// Starts on 127.0.0.1:`port` (0 picks a free one).
    pub async fn start_on(port: u16, config: MtpwConfig) -> std::io::Result<FakeMtpw> {
        let mut state = MtpwState::new(config.auto_approve, config.seed);
        state.redirect_uris = config.redirect_uris;
        state.allowed_schemes = config.allowed_schemes;
        state.unauthenticated_status = config.unauthenticated_status;
        let shared = Arc::new(Shared {
            state: Mutex::new(state),
        });
        let router = Router::new().fallback(handle).with_state(shared.clone());
        let served = Served::start(port, router).await?;
        Ok(FakeMtpw { shared, served })
    }

    /// `http://127.0.0.1:<port>` (the API is under `/api/v1`).
    pub fn base_url(&self) -> String {
        self.served.base_url()
    }

    /// The OAuth client id to send to `/accounts/authorize`.
    pub fn client_id(&self) -> String {
        self.shared.lock().client_id.clone()
    }

    /// The user registered at start.
    pub fn user(&self) -> MtpwUser {
        self.shared.lock().users[0].clone()
    }

    /// Registers one more redirect URI for the client.
    pub fn register_redirect_uri(&self, uri: &str) {
        self.shared.lock().redirect_uris.push(uri.to_string());
    }

    /// Allows one more redirect scheme.
    pub fn allow_scheme(&self, scheme: &str) {
        self.shared
            .lock()
            .allowed_schemes
            .push(scheme.to_ascii_lowercase());
    }

    /// Registers another user.
    pub fn register_user(&self, username: &str) -> MtpwUser {
        self.shared.lock().register_user(username)
    }

    /// Makes `user_id` the user who approves authorize requests.
    pub fn sign_in_as(&self, user_id: u64) {
        self.shared.lock().signed_in_user = user_id;
    }

    /// Issues a token without the browser flow.
    pub fn issue_token(&self, user_id: u64) -> String {
        self.shared.lock().issue_token(user_id)
    }

    /// Revokes a token.
    pub fn revoke_token(&self, token: &str) {
        self.shared.lock().revoke(token);
    }

    /// Adds a fault rule.
    pub fn add_fault(&self, rule: FaultRule) {
        self.shared.lock().faults.add(rule);
    }

    /// Every request received.
    pub fn requests(&self) -> Vec<RequestRecord> {
        self.shared.requests()
    }

    /// What `GET /__fake/state` reports.
    pub fn state_json(&self) -> Value {
        self.shared.state_json()
    }

    /// Forgets tokens, sequences, faults and requests.
    pub fn reset(&self) {
        self.shared.reset();
    }
}

async fn handle(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let req = Incoming::read(request).await;
    shared.lock().requests.push(req.record());
    if req.path.starts_with("/__fake/") {
        return shared_route(shared.as_ref(), &req).unwrap_or_else(|| admin::route(&shared, &req));
    }
    let fault = shared.lock().faults.take(req.method.as_str(), &req.path);
    if let Some(FaultKind::Slow { delay_ms }) = fault {
        tokio::time::sleep(Duration::from_millis(delay_ms)).await;
    }
    let response = match fault.as_ref().and_then(|f| fault_reply(&shared, f, &req)) {
        Some(reply) => reply,
        None => route(&shared, &req),
    };
    match fault {
        Some(FaultKind::Drop) => drop_midway(response).await,
        Some(FaultKind::Late { delay_ms }) => {
            tokio::time::sleep(Duration::from_millis(delay_ms)).await;
            response
        }
        _ => response,
    }
}

fn fault_reply(shared: &Shared, fault: &FaultKind, req: &Incoming) -> Option<Response> {
    let status_of = |code: u16| StatusCode::from_u16(code).unwrap_or(StatusCode::BAD_GATEWAY);
    match fault {
        FaultKind::Status { status } => {
            let status = status_of(*status);
            Some(html_reply(
                status,
                format!("<h1>Server Error ({})</h1>", status.as_u16()),
            ))
        }
        FaultKind::ServerError { status, body } => Some(error_reply(
            status_of(*status),
            *body,
            &json!({"detail": "A server error occurred."}),
        )),
        FaultKind::Unauthorized => Some(api::unauthenticated(&shared.lock())),
        // MTPW tokens are the whole sign-in: revoking the access token revokes it.
        FaultKind::RevokeToken | FaultKind::RevokeAccessToken => {
            let mut state = shared.lock();
            if let Some(token) = req.bearer_exact() {
                state.revoke(token);
            }
            Some(api::unauthenticated(&state))
        }
        // MTPW has no throttling, and the 403s are Strava's: these rules change nothing here.
        FaultKind::RateLimited | FaultKind::AthleteLimit | FaultKind::InactiveApplication => None,
        FaultKind::Drop
        | FaultKind::Slow { .. }
        | FaultKind::Late { .. }
        | FaultKind::ProcessingError { .. } => None,
    }
}

fn route(shared: &Shared, req: &Incoming) -> Response {
    let segments = req.segments();
    let slashed = req.path.ends_with('/');
    match (&req.method, segments.as_slice()) {
        (&Method::GET, ["accounts", "authorize"]) => oauth::authorize(shared, req),
        (&Method::POST, ["accounts", "authorize", "decide"]) => oauth::decide(shared, req),
        (&Method::POST, ["api", "v1", "sequence", "create"]) => {
            with_user(shared, req, |state, user| {
                api::create_sequence(state, user, req)
            })
        }
        (&Method::PUT, ["api", "v1", "sequence", "import", _]) if !slashed => append_slash(req),
        (&Method::PUT, ["api", "v1", "sequence", "import", id]) => {
            with_user(shared, req, |state, user| {
                api::import_sequence(state, user, id, req)
            })
        }
        _ => html_reply(StatusCode::NOT_FOUND, "<h1>Not Found</h1>".into()),
    }
}

/// Django's APPEND_SLASH: a 301 to the same path with a trailing slash (and the same query).
fn append_slash(req: &Incoming) -> Response {
    let query: String = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(req.query.iter())
        .finish();
    let location = if query.is_empty() {
        format!("{}/", req.path)
    } else {
        format!("{}/?{query}", req.path)
    };
    (
        StatusCode::MOVED_PERMANENTLY,
        [(axum::http::header::LOCATION, location)],
    )
        .into_response()
}

fn with_user(
    shared: &Shared,
    req: &Incoming,
    f: impl FnOnce(&mut MtpwState, u64) -> Response,
) -> Response {
    let mut state = shared.lock();
    match state.user_of(req.bearer_exact()) {
        Some(user) => f(&mut state, user),
        None => api::unauthenticated(&state),
    }
}
