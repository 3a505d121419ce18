//! The fake Map the Paths Web: implicit-flow authorize, sequence create and import, faults, inspection.

pub mod api;
pub mod oauth;
pub mod state;

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use axum::Router;
use serde_json::{json, Value};

use self::state::{MtpwState, MtpwUser};
use super::faults::{FaultKind, FaultPlan, FaultRule, DEFAULT_SEED};
use super::http::{drop_midway, html_reply, json_reply, Incoming, Served};
use super::inspect::{shared_route, Inspectable, RequestRecord};

/// Settings of the fake MTPW.
#[derive(Debug, Clone, PartialEq)]
pub struct MtpwConfig {
    /// Redirect at once from `/accounts/authorize` instead of showing the approval page.
    pub auto_approve: bool,
    /// Seed of probabilistic faults.
    pub seed: u64,
}

impl Default for MtpwConfig {
    fn default() -> Self {
        Self {
            auto_approve: false,
            seed: DEFAULT_SEED,
        }
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
        let shared = Arc::new(Shared {
            state: Mutex::new(MtpwState::new(config.auto_approve, config.seed)),
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
        return shared_route(shared.as_ref(), &req).unwrap_or_else(|| {
            json_reply(
                StatusCode::NOT_FOUND,
                &json!({"error": "unknown /__fake route"}),
            )
        });
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
        _ => response,
    }
}

fn fault_reply(shared: &Shared, fault: &FaultKind, req: &Incoming) -> Option<Response> {
    match fault {
        FaultKind::Status { status } => {
            let status = StatusCode::from_u16(*status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            Some(html_reply(
                status,
                format!("<h1>Server Error ({})</h1>", status.as_u16()),
            ))
        }
        FaultKind::Unauthorized => Some(api::unauthenticated()),
        FaultKind::RevokeToken => {
            if let Some(token) = req.bearer() {
                shared.lock().revoke(token);
            }
            Some(api::unauthenticated())
        }
        FaultKind::RateLimited => Some(json_reply(
            StatusCode::TOO_MANY_REQUESTS,
            &json!({"detail": "Request was throttled."}),
        )),
        FaultKind::Drop | FaultKind::Slow { .. } | FaultKind::ProcessingError { .. } => None,
    }
}

fn route(shared: &Shared, req: &Incoming) -> Response {
    let segments = req.segments();
    match (&req.method, segments.as_slice()) {
        (&Method::GET, ["accounts", "authorize"]) => oauth::authorize(shared, req),
        (&Method::POST, ["accounts", "authorize", "decide"]) => oauth::decide(shared, req),
        (&Method::POST, ["api", "v1", "sequence", "create"]) if req.path.ends_with('/') => {
            with_user(shared, req, |state, user| {
                api::create_sequence(state, user, req)
            })
        }
        (&Method::PUT, ["api", "v1", "sequence", "import", id]) if req.path.ends_with('/') => {
            with_user(shared, req, |state, user| {
                api::import_sequence(state, user, id, req)
            })
        }
        _ => html_reply(StatusCode::NOT_FOUND, "<h1>Not Found</h1>".into()),
    }
}

fn with_user(
    shared: &Shared,
    req: &Incoming,
    f: impl FnOnce(&mut MtpwState, u64) -> Response,
) -> Response {
    let mut state = shared.lock();
    match state.user_of(req.bearer()) {
        Some(user) => f(&mut state, user),
        None => api::unauthenticated(),
    }
}
