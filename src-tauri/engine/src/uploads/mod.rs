//! Uploads: the one type the shell and the CLI call ([`Uploads`]) and everything of the feature
//! behind it: its model, the persisted queue (`records`), one file per job step (`steps/`), one
//! retry policy (`retry`), the user's messages, control, progress, batch end, links and history.
//!
//! [`Uploads::enqueue`] records what to upload; [`Uploads::run`] works through every record still
//! owed work (also those a killed process left behind) and reports [`UploadEvent`]s. Started in
//! the background ([`Uploads::start`]), a queue runs by itself whenever something is queued.

pub mod batch_end;
pub mod config;
mod control;
mod enqueue;
mod history;
mod job;
pub mod links;
mod messages;
pub mod model;
mod mtpw_create;
mod pace;
mod past_uploads;
pub mod progress;
mod records;
mod retry;
mod run;
mod snapshot;
mod steps;

use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError, Weak};

use mtp_services::mtpw::api::MtpwClient;
use mtp_services::strava::api::{http_client, StravaClient};
use mtp_services::strava::limits::Budget;

use crate::tokens::TokenSource;
use crate::{Engine, EngineError};

pub use batch_end::{batch_end_notice, BatchCounts, BatchEndNotice};
pub use config::{MtpwStravaValue, PipelineConfig, Timings};
pub use enqueue::upload_key;
pub use links::{link_url, LinkTarget};
pub use model::*;
pub use past_uploads::{record_past_upload, PastAttempt, PastUpload};
pub use progress::{AttemptProgress, BytesProgress};
pub use retry::MAX_ATTEMPTS;
pub use snapshot::{QueueListener, QueueNotice, QueueRow, QueueSnapshot};

/// Where progress events go (the app forwards them to the UI, the CLI prints them).
pub type EventSink = Arc<dyn Fn(UploadEvent) + Send + Sync>;

/// Uploads sequences to Strava and marks them on MTPW; keeps the queue and its history.
pub struct Uploads {
    engine: Arc<Engine>,
    config: PipelineConfig,
    tokens: Arc<dyn TokenSource>,
    strava: StravaClient,
    mtpw: MtpwClient,
    control: control::Control,
    pace: pace::PollPace,
    /// The batch the user sees and the state of the background run.
    queue: Mutex<snapshot::QueueState>,
    /// Set by [`Uploads::start`]: where background runs go and who hears of them.
    background: OnceLock<Background>,
}

struct Background {
    runtime: tokio::runtime::Handle,
    listener: QueueListener,
    uploads: Weak<Uploads>,
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
        let pace = pace::PollPace::new(config.timings.poll_first, config.timings.poll_max);
        Ok(Self {
            strava: StravaClient::new(http.clone(), &config.strava_api_base, budget),
            mtpw: MtpwClient::new(http, &config.mtpw_base),
            engine,
            config,
            tokens,
            control: control::Control::default(),
            pace,
            queue: Mutex::new(snapshot::QueueState::default()),
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

    /// Runs the queue in the background on `runtime` from now on, telling `listener`; work a
    /// previous process left (in flight, still processing, MTPW owed) resumes at once.
    pub fn start(
        uploads: Self,
        runtime: tokio::runtime::Handle,
        listener: QueueListener,
    ) -> Result<Arc<Self>, EngineError> {
        let uploads = Arc::new(uploads);
        let background = Background {
            runtime,
            listener,
            uploads: Arc::downgrade(&uploads),
        };
        // A fresh Arc: nothing can have set it yet.
        let _ = uploads.background.set(background);
        uploads.resume_owed()?;
        Ok(uploads)
    }

    /// Replaces the token source (the CLI puts environment tokens in front of sign-in).
    pub fn set_tokens(&mut self, tokens: Arc<dyn TokenSource>) {
        self.tokens = tokens;
    }

    /// Holds the whole queue (`None`) or one upload before its next request; a request already
    /// on its way finishes and is recorded.
    pub fn pause(&self, upload: Option<i64>) {
        if upload.is_none() {
            self.lock().paused = true;
        }
        self.control.pause(upload);
    }

    /// Lets the whole queue (`None`, which also resumes every single upload) or one upload go on.
    pub fn resume(&self, upload: Option<i64>) {
        if upload.is_none() {
            self.lock().paused = false;
        }
        self.control.resume(upload);
    }

    /// Cancels the queue (`None`: every queued upload, and the running ones at their next
    /// step) or one upload. One that has not reached Strava ends "cancelled"; one that has
    /// is finished in this run (sport type, Map the Paths), so nothing on Strava is left half
    /// done and no row is left hanging.
    pub fn cancel(&self, upload: Option<i64>) -> Result<(), EngineError> {
        let store = &self.engine.store;
        let waiting = match upload {
            Some(id) => store.upload(id)?.into_iter().collect(),
            None => store.uploads_in_states(&run::owed_states())?,
        };
        self.control.cancel(waiting.iter().map(|r| r.id));
        for mut record in waiting {
            if record.state == UploadState::Queued && !record.is_on_strava() {
                record.state = UploadState::Cancelled;
                record.detail = Some(messages::CANCELLED.into());
                store.save_upload(&record)?;
            }
        }
        Ok(())
    }

    fn lock(&self) -> MutexGuard<'_, snapshot::QueueState> {
        self.queue.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
