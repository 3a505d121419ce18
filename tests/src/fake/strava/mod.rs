//! The fake Strava: OAuth, uploads, activities, rate limits, faults and inspection on one loopback port.

pub mod activities;
pub mod admin;
pub mod config;
pub mod errors;
pub mod limits;
pub mod oauth;
pub mod resources;
pub mod routes;
pub mod state;
pub mod tokens;
pub mod track;
pub mod uploads;

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use axum::Router;
use serde_json::Value;

use self::config::{Approval, StravaConfig};
use self::errors::StravaError;
use self::routes::{match_route, ApiRoute};
use self::state::{Activity, Athlete, ClientApp, SeededActivity, StravaState};
use self::tokens::Caller;
use self::uploads::UploadContext;
use super::clock::FakeClock;
use super::faults::{FaultKind, FaultPlan, FaultRule};
use super::http::{drop_midway, json_reply, Incoming, Served};
use super::inspect::{shared_route, Inspectable, RequestRecord};

/// State and settings shared by all requests.
#[derive(Debug)]
pub struct Shared {
    pub config: StravaConfig,
    pub clock: FakeClock,
    started: Instant,
    state: Mutex<StravaState>,
}

impl Shared {
    fn new(config: StravaConfig) -> Self {
        Self {
            clock: match config.start_epoch_secs {
                Some(start) => FakeClock::starting_at(start, config.time_scale),
                None => FakeClock::new(config.time_scale),
            },
            started: Instant::now(),
            state: Mutex::new(StravaState::new(&config)),
            config,
        }
    }

    /// The state; a panic in another request never locks the fake up.
    pub fn lock(&self) -> MutexGuard<'_, StravaState> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Fake now in epoch seconds.
    pub fn now(&self) -> i64 {
        self.clock.now_secs()
    }

    /// Real milliseconds since start (processing delays are real time).
    pub fn now_ms(&self) -> u64 {
        self.started.elapsed().as_millis() as u64
    }
}

impl Inspectable for Shared {
    fn requests(&self) -> Vec<RequestRecord> {
        self.lock().requests.clone()
    }

    fn state_json(&self) -> Value {
        admin::state_json(self)
    }

    fn reset(&self) {
        self.lock().reset(&self.config);
    }

    fn with_faults<R>(&self, f: impl FnOnce(&mut FaultPlan) -> R) -> R {
        f(&mut self.lock().faults)
    }
}

/// Access and refresh token issued directly by [`FakeStrava::issue_tokens`].
#[derive(Debug, Clone, PartialEq)]
pub struct IssuedTokens {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_at: i64,
}

/// A running fake Strava; stops when dropped.
#[derive(Debug)]
pub struct FakeStrava {
    shared: Arc<Shared>,
    served: Served,
}

impl FakeStrava {
    /// Starts on a free loopback port.
    pub async fn start(config: StravaConfig) -> std::io::Result<FakeStrava> {
        Self::start_on(0, config).await
    }

    /// Starts on 127.0.0.1:`port` (0 picks a free one).
    pub async fn start_on(port: u16, config: StravaConfig) -> std::io::Result<FakeStrava> {
        let shared = Arc::new(Shared::new(config));
        let router = Router::new().fallback(handle).with_state(shared.clone());
        let served = Served::start(port, router).await?;
        Ok(FakeStrava { shared, served })
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> String {
        self.served.base_url()
    }

    /// `http://127.0.0.1:<port>/api/v3`.
    pub fn api_base(&self) -> String {
        format!("{}/api/v3", self.base_url())
    }

    /// `http://127.0.0.1:<port>/oauth`.
    pub fn oauth_base(&self) -> String {
        format!("{}/oauth", self.base_url())
    }

    /// The client application registered at start.
    pub fn client(&self) -> ClientApp {
        self.shared.lock().clients[0].clone()
    }

    /// The athlete registered at start.
    pub fn athlete(&self) -> Athlete {
        self.shared.lock().athletes[0].clone()
    }

    /// Registers another client application (numeric id, generated secret).
    pub fn register_client(&self, callback_domain: &str) -> ClientApp {
        self.shared.lock().register_client(callback_domain)
    }

    /// Registers another athlete.
    pub fn register_athlete(&self, firstname: &str, lastname: &str) -> Athlete {
        self.shared.lock().register_athlete(firstname, lastname)
    }

    /// Makes `athlete_id` the athlete who approves authorize requests.
    pub fn sign_in_as(&self, athlete_id: u64) {
        self.shared.lock().signed_in_athlete = athlete_id;
    }

    /// Changes what the authorize endpoints do.
    pub fn set_approval(&self, approval: Approval) {
        self.shared.lock().approval = approval;
    }

    /// Issues tokens without the browser flow (for tests that start signed in).
    pub fn issue_tokens(&self, client_id: u64, athlete_id: u64, scopes: &[&str]) -> IssuedTokens {
        let mut state = self.shared.lock();
        let scopes = scopes.iter().map(|s| s.to_string()).collect();
        let grant = state.new_grant(
            client_id,
            athlete_id,
            scopes,
            self.shared.now(),
            self.shared.config.access_token_ttl_secs,
        );
        let g = &state.grants[grant];
        IssuedTokens {
            access_token: g.access_token.clone(),
            refresh_token: g.refresh_token.clone(),
            expires_at: g.access_expires_at,
        }
    }

    /// Adds a fault rule.
    pub fn add_fault(&self, rule: FaultRule) {
        self.shared.lock().faults.add(rule);
    }

    /// Drops every fault rule (what `DELETE /__fake/faults` does).
    pub fn reset_faults(&self) {
        self.shared.lock().faults.clear();
    }

    /// Every request received.
    pub fn requests(&self) -> Vec<RequestRecord> {
        self.shared.requests()
    }

    /// What `GET /__fake/state` reports.
    pub fn state_json(&self) -> Value {
        self.shared.state_json()
    }

    /// The bytes of an upload's file, as received.
    pub fn uploaded_file(&self, upload_id: u64) -> Option<Vec<u8>> {
        self.shared
            .lock()
            .uploads
            .iter()
            .find(|u| u.id == upload_id)
            .map(|u| u.file.clone())
    }

    /// Adds an activity that did not come through the API ("the watch already recorded this
    /// ride"); later uploads overlapping it in time, or reusing its external_id, are duplicates.
    pub fn seed_activity(&self, seed: SeededActivity) -> Result<u64, String> {
        self.shared.lock().seed_activity(seed)
    }

    /// An activity as `GET /__fake/state` shows it (including deleted ones).
    pub fn activity(&self, activity_id: u64) -> Option<Activity> {
        self.shared
            .lock()
            .activities
            .iter()
            .find(|a| a.id == activity_id)
            .cloned()
    }

    /// Deletes an activity, as the athlete could on strava.com.
    pub fn delete_activity(&self, activity_id: u64) -> bool {
        self.shared.lock().delete_activity(activity_id)
    }

    /// The fake clock (scaled).
    pub fn clock(&self) -> FakeClock {
        self.shared.clock.clone()
    }

    /// Forgets tokens, uploads, activities, budgets, faults and requests; keeps clients and athletes.
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
    let response = route(&shared, &req, fault.as_ref());
    match fault {
        Some(FaultKind::Drop) => drop_midway(response).await,
        Some(FaultKind::Late { delay_ms }) => {
            tokio::time::sleep(Duration::from_millis(delay_ms)).await;
            response
        }
        _ => response,
    }
}

fn route(shared: &Shared, req: &Incoming, fault: Option<&FaultKind>) -> Response {
    let path = req.path.as_str();
    // The edge answers before the API: no rate-limit headers, on any route.
    let edge = fault
        .filter(|f| !matches!(f, FaultKind::RevokeToken | FaultKind::RevokeAccessToken))
        .and_then(|f| fault_error(shared, f, None))
        .filter(StravaError::is_edge);
    if let Some(edge) = edge {
        return edge.into_response();
    }
    if let Some(api_path) = path.strip_prefix("/api/v3") {
        if api_path == "/oauth/token" && req.method == Method::POST {
            let response = oauth_route(shared, req, fault);
            return with_limit_headers(shared, req, response);
        }
        return api(shared, req, api_path, fault);
    }
    oauth_route(shared, req, fault)
}

fn oauth_route(shared: &Shared, req: &Incoming, fault: Option<&FaultKind>) -> Response {
    if let Some(err) = fault.and_then(|f| fault_error(shared, f, None)) {
        return err.into_response();
    }
    let path = req.path.trim_start_matches("/api/v3");
    match (&req.method, path) {
        (&Method::GET, "/oauth/authorize") => oauth::authorize(shared, req, false),
        (&Method::GET, "/oauth/mobile/authorize") => oauth::authorize(shared, req, true),
        (&Method::POST, "/oauth/accept_application") => oauth::decide(shared, req),
        (&Method::POST, "/oauth/token") => oauth::reply(oauth::token(shared, req)),
        (&Method::POST, "/oauth/deauthorize") => oauth::reply(oauth::deauthorize(shared, req)),
        (&Method::POST, "/oauth/revoke") => oauth::reply(oauth::revoke(shared, req)),
        _ => StravaError::NotFound(UNKNOWN_ROUTE_RESOURCE).into_response(),
    }
}

/// The `resource` named in the 404 for a path the fake does not serve.
pub const UNKNOWN_ROUTE_RESOURCE: &str = "Resource";

/// The error an injected fault produces (`None` for faults that do not answer by themselves).
fn fault_error(shared: &Shared, fault: &FaultKind, caller: Option<&Caller>) -> Option<StravaError> {
    match fault {
        FaultKind::Status { status } if (500..600).contains(status) => Some(StravaError::Edge {
            status: *status,
            body: shared.config.server_error_body,
        }),
        FaultKind::Status { status } => Some(StravaError::Server(*status)),
        FaultKind::ServerError { status, body } => Some(StravaError::Edge {
            status: *status,
            body: *body,
        }),
        FaultKind::AthleteLimit => Some(StravaError::AthleteLimit),
        FaultKind::InactiveApplication => Some(StravaError::InactiveApplication),
        FaultKind::Unauthorized => Some(StravaError::InvalidToken),
        FaultKind::RevokeToken => {
            if let Some(caller) = caller {
                shared.lock().revoke_grant(caller.grant);
            }
            Some(StravaError::InvalidToken)
        }
        FaultKind::RevokeAccessToken => {
            if let Some(caller) = caller {
                shared.lock().revoke_access_token(&caller.access_token);
            }
            Some(StravaError::InvalidToken)
        }
        FaultKind::RateLimited => Some(StravaError::RateLimited),
        FaultKind::Drop
        | FaultKind::Slow { .. }
        | FaultKind::Late { .. }
        | FaultKind::ProcessingError { .. } => None,
    }
}

fn api(shared: &Shared, req: &Incoming, api_path: &str, fault: Option<&FaultKind>) -> Response {
    let matched = match_route(req.method.as_str(), api_path);
    let is_upload = matches!(matched, Some((ApiRoute::CreateUpload, _)));
    let (now, now_ms) = (shared.now(), shared.now_ms());
    let (over_limit, caller) = {
        let mut state = shared.lock();
        state.settle_uploads(now_ms);
        let client_id = budget_owner(&state, req);
        let over = state.budgets.entry(client_id).or_default().count(
            now,
            is_upload,
            &shared.config.limits,
        );
        (over, state.caller(req.bearer(), now))
    };
    let result = if over_limit {
        Err(StravaError::RateLimited)
    } else if let Some(err) = fault.and_then(|f| fault_error(shared, f, caller.as_ref())) {
        Err(err)
    } else {
        let forced_error = match fault {
            Some(FaultKind::ProcessingError { message }) => Some(
                message
                    .clone()
                    .unwrap_or_else(|| "Improperly formatted data.".to_string()),
            ),
            _ => None,
        };
        serve_api(shared, req, matched, caller, forced_error, now_ms)
    };
    let response = match result {
        Ok((status, body)) => json_reply(status, &body),
        Err(err) if err.is_edge() => return err.into_response(),
        Err(err) => err.into_response(),
    };
    with_limit_headers(shared, req, response)
}

fn serve_api(
    shared: &Shared,
    req: &Incoming,
    matched: Option<(ApiRoute, Option<String>)>,
    caller: Option<Caller>,
    forced_error: Option<String>,
    now_ms: u64,
) -> Result<(StatusCode, Value), StravaError> {
    let Some((route, id)) = matched else {
        return Err(StravaError::NotFound(UNKNOWN_ROUTE_RESOURCE));
    };
    let caller = caller.ok_or(StravaError::InvalidToken)?;
    let mut state = shared.lock();
    let ok = |body| Ok((StatusCode::OK, body));
    match route {
        ApiRoute::GetAthlete => {
            let athlete = state
                .athlete(caller.athlete_id)
                .ok_or(StravaError::InvalidToken)?;
            ok(resources::athlete_detailed(athlete))
        }
        ApiRoute::ListAthleteActivities => {
            require(&caller, &["activity:read", "activity:read_all"])?;
            ok(state.list_activities(&caller, req)?)
        }
        ApiRoute::CreateUpload => {
            require(&caller, &["activity:write"])?;
            let ctx = UploadContext {
                config: &shared.config,
                now_ms,
                forced_error,
            };
            state.create_upload(&caller, req, ctx)
        }
        ApiRoute::GetUpload => {
            require(&caller, &["activity:write"])?;
            ok(state.upload_for(&caller, id.as_deref())?)
        }
        ApiRoute::GetActivity => {
            require(&caller, &["activity:read", "activity:read_all"])?;
            ok(state.activity_for(&caller, id.as_deref())?)
        }
        ApiRoute::UpdateActivity => {
            require(&caller, &["activity:write"])?;
            ok(state.update_activity(&caller, id.as_deref(), req)?)
        }
    }
}

/// Succeeds when the caller has one of `scopes`; otherwise the missing-permission 401 for the first.
fn require(caller: &Caller, scopes: &[&'static str]) -> Result<(), StravaError> {
    if scopes.iter().any(|s| caller.has_scope(s)) {
        Ok(())
    } else {
        Err(StravaError::MissingScope(scopes[0]))
    }
}

/// The application whose budget a request uses: the token's, the form's client_id, or the first one.
fn budget_owner(state: &StravaState, req: &Incoming) -> u64 {
    state
        .client_of_token(req.bearer())
        .or_else(|| req.form_value("client_id").and_then(|id| id.parse().ok()))
        .filter(|id| state.client(*id).is_some())
        .unwrap_or(state.clients[0].id)
}

fn with_limit_headers(shared: &Shared, req: &Incoming, mut response: Response) -> Response {
    let mut state = shared.lock();
    let owner = budget_owner(&state, req);
    let headers = state
        .budgets
        .entry(owner)
        .or_default()
        .headers(shared.now(), &shared.config.limits);
    for (name, value) in headers {
        response.headers_mut().insert(name, value);
    }
    response
}
