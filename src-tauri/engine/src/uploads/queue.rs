//! The [`Uploads`] type: what it holds (clients, budget, switches, the batch the user sees) and
//! how it is made; each behaviour is an `impl Uploads` block in its own file.

use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError, Weak};

use mtp_services::mtpw::api::MtpwClient;
use mtp_services::strava::api::{http_client, StravaClient};
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
    pub(super) strava: StravaClient,
    pub(super) mtpw: MtpwClient,
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
    pub(super) batch: Vec<i64>,
    pub(super) progress: ProgressBook,
    pub(super) throttle: Throttle,
}

impl Uploads {
    /// Uploads over `engine`'s library and store, with their own HTTP clients and rate-limit budget.
    pub fn new(
        engine: Arc<Engine>,
        config: PipelineConfig,
        tokens: Arc<dyn TokenSource>,
    ) -> Result<Self, EngineError> {
        let http = http_client(config.timings.http)
            .map_err(|reason| EngineError::HttpClient { reason })?;
        let budget = Arc::new(Budget::new(
            config.clock.clone(),
            config.timings.boundary_margin_secs,
        ));
        let pace = PollPace::new(config.timings.poll_first, config.timings.poll_max);
        Ok(Self {
            strava: StravaClient::new(http.clone(), &config.strava_api_base, budget)
                .with_timeouts(config.timings.http),
            mtpw: MtpwClient::new(http, &config.mtpw_base),
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
    /// the effective settings, the rest from the environment (`MTP_UPLOAD_CONCURRENCY`, ...).
    pub async fn open(engine: Arc<Engine>) -> Result<Self, EngineError> {
        let mut config = PipelineConfig::from_env();
        if let Ok(settings) = engine.accounts().settings().await {
            config.strava_api_base = settings.strava_api_base.value;
            config.mtpw_base = settings.mtpw_base.value;
        }
        let tokens = Arc::new(engine.accounts().clone());
        Self::new(engine, config, tokens)
    }

    /// Replaces the token source (the CLI puts environment tokens in front of sign-in).
    pub fn set_tokens(&mut self, tokens: Arc<dyn TokenSource>) {
        self.tokens = tokens;
    }

    pub(super) fn lock(&self) -> MutexGuard<'_, QueueState> {
        self.queue.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
