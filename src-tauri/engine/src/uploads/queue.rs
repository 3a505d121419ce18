//! The [`Uploads`] type: what it holds (the HTTP client, budget, switches, the batch the user
//! sees), how it is made, and the service clients each job gets at the bases in effect then;
//! each behaviour is an `impl Uploads` block in its own file.

use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError, Weak};

use mtp_services::mtpw::api::MtpwClient;
use mtp_services::net::http_client;
use mtp_services::strava::api::StravaClient;
use mtp_services::strava::limits::Budget;

use super::config::PipelineConfig;
use super::control::Control;
use super::model::{QueueNotice, UploadEvent};
use super::pace::PollPace;
use super::progress::{ProgressBook, Throttle};
use crate::engine::Engine;
use crate::error::{EngineError, UserError};
use crate::tokens::TokenSource;

/// Where progress events go (the app forwards them to the UI, the CLI prints them).
pub type EventSink = Arc<dyn Fn(UploadEvent) + Send + Sync>;

/// Uploads sequences to Strava and marks them on MTPW; keeps the queue and its history.
pub struct Uploads {
    pub(super) engine: Arc<Engine>,
    pub(super) config: PipelineConfig,
    pub(super) tokens: Arc<dyn TokenSource>,
    /// The one client (no redirects) every job's service clients share.
    http: reqwest::Client,
    /// Strava's rate-limit budget, shared by every job.
    pub(super) budget: Arc<Budget>,
    bases: Bases,
    pub(super) control: Control,
    pub(super) pace: PollPace,
    /// The batch the user sees and the state of the background run.
    queue: Mutex<QueueState>,
    /// Set by [`Uploads::start`]: where background runs go and who hears of them.
    pub(super) background: OnceLock<Background>,
}

pub(super) struct Background {
    pub(super) runtime: tokio::runtime::Handle,
    pub(super) listener: QueueListener,
    pub(super) uploads: Weak<Uploads>,
}

/// Where the service bases come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bases {
    /// The [`PipelineConfig`]'s, fixed (tests, the history writer).
    Config,
    /// The effective settings, read again for each job: a base changed in Accounts (or by the
    /// environment at start) applies to the next job, without a restart.
    Settings,
}

/// The service clients of one job, at the bases in effect when it started. Its tokens are
/// asked for these bases ([`TokenSource`]), so a token never goes to a server it was not
/// issued for.
pub(super) struct Clients {
    pub(super) strava: StravaClient,
    pub(super) mtpw: MtpwClient,
}

/// Where the queue's notices go.
pub type QueueListener = Arc<dyn Fn(QueueNotice) + Send + Sync>;

#[derive(Debug, Default)]
pub(super) struct QueueState {
    pub(super) running: bool,
    /// Something was queued while a run was going: run again when it ends.
    pub(super) again: bool,
    pub(super) paused: bool,
    pub(super) paused_until: Option<String>,
    pub(super) waiting_for: Option<String>,
    pub(super) error: Option<UserError>,
    /// Strava refuses the API application: the queue holds until resumed ([`super::hold`]).
    pub(super) held: Option<UserError>,
    pub(super) batch: Vec<i64>,
    pub(super) progress: ProgressBook,
    pub(super) throttle: Throttle,
}

impl Uploads {
    /// Uploads over `engine`'s library and store, with their own HTTP client and rate-limit
    /// budget, at the service bases of `config`.
    pub fn new(
        engine: Arc<Engine>,
        config: PipelineConfig,
        tokens: Arc<dyn TokenSource>,
    ) -> Result<Self, EngineError> {
        Self::with_bases(engine, config, tokens, Bases::Config)
    }

    fn with_bases(
        engine: Arc<Engine>,
        config: PipelineConfig,
        tokens: Arc<dyn TokenSource>,
        bases: Bases,
    ) -> Result<Self, EngineError> {
        let http = http_client(config.timings.http)
            .map_err(|reason| EngineError::HttpClient { reason })?;
        let budget = Arc::new(Budget::new(
            config.clock.clone(),
            config.timings.boundary_margin_secs,
        ));
        let pace = PollPace::new(config.timings.poll_first, config.timings.poll_max);
        Ok(Self {
            http,
            budget,
            bases,
            engine,
            config,
            tokens,
            control: Control::default(),
            pace,
            queue: Mutex::new(QueueState::default()),
            background: OnceLock::new(),
        })
    }

    /// The uploads the app and the CLI use: the signed-in accounts' tokens, the service bases of
    /// the effective settings (read again for each job), the rest from the environment
    /// (`MTP_UPLOAD_CONCURRENCY`, ...).
    pub async fn open(engine: Arc<Engine>) -> Result<Self, EngineError> {
        let mut config = PipelineConfig::from_env()?;
        // What the first job will use; each job reads the settings again.
        (config.strava_api_base, config.mtpw_base) = engine.accounts().service_bases()?;
        let tokens = Arc::new(engine.accounts().clone());
        Self::with_bases(engine, config, tokens, Bases::Settings)
    }

    /// The service clients for a job starting now, at the bases in effect now.
    pub(super) fn clients(&self) -> Result<Clients, EngineError> {
        let (strava_api, mtpw) = match self.bases {
            Bases::Config => (
                self.config.strava_api_base.clone(),
                self.config.mtpw_base.clone(),
            ),
            Bases::Settings => self.engine.accounts().service_bases()?,
        };
        Ok(Clients {
            strava: StravaClient::new(self.http.clone(), &strava_api, self.budget.clone())
                .with_timeouts(self.config.timings.http),
            mtpw: MtpwClient::new(self.http.clone(), &mtpw),
        })
    }

    /// Replaces the token source (the CLI puts environment tokens in front of sign-in).
    pub fn set_tokens(&mut self, tokens: Arc<dyn TokenSource>) {
        self.tokens = tokens;
    }

    pub(super) fn lock(&self) -> MutexGuard<'_, QueueState> {
        self.queue.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
