//! The upload queue as the app runs it: one background run of the pipeline at a time, the
//! batch the user sees, live progress per row, pause/resume/cancel/retry, and the events it
//! forwards (throttled) to whoever listens.

pub mod batch_end;
pub mod links;
pub mod progress;

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::pipeline::{
    EnqueueOutcome, HistoryQuery, UploadEvent, UploadRecord, UploadState, Uploader,
};
use crate::{EngineError, UserError};

pub use batch_end::{batch_end_notice, BatchCounts, BatchEndNotice};
pub use links::{link_url, LinkTarget};
pub use progress::{
    ends_a_rate_limit_pause, AttemptProgress, BytesProgress, ProgressBook, Throttle,
    PROGRESS_INTERVAL,
};

/// One row of the queue: the stored record (without its attempts) and its live progress.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct QueueRow {
    pub record: UploadRecord,
    /// While the GPX is being sent.
    pub bytes: Option<BytesProgress>,
    /// While a step is being tried again.
    pub attempt: Option<AttemptProgress>,
}

/// The queue as the UI shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct QueueSnapshot {
    /// The current (or last) batch, in the order it was queued.
    pub rows: Vec<QueueRow>,
    /// True while a run works through the queue.
    pub running: bool,
    /// True when the user paused the whole queue.
    pub paused: bool,
    /// Strava's rate limit holds every request until then (RFC 3339, UTC).
    pub paused_until: Option<String>,
    /// Why the last run stopped early (the store could not be used), for the user.
    pub error: Option<UserError>,
}

/// What the queue tells its listener (the app turns these into IPC events).
#[derive(Debug, Clone, PartialEq)]
pub enum QueueNotice {
    /// A pipeline event, throttled to about ten a second per row.
    Progress(UploadEvent),
    /// The run ended: nothing is left to do until something is queued again.
    Idle(QueueSnapshot),
}

/// Where the queue's notices go.
pub type QueueListener = Arc<dyn Fn(QueueNotice) + Send + Sync>;

#[derive(Debug, Default)]
struct QueueState {
    running: bool,
    /// Something was queued while a run was going: run again when it ends.
    again: bool,
    paused: bool,
    paused_until: Option<String>,
    error: Option<UserError>,
    batch: Vec<i64>,
    progress: ProgressBook,
    throttle: Throttle,
}

/// Owns the pipeline for the app: queue sequences and the queue runs them in the background.
pub struct UploadQueue {
    uploader: Uploader,
    runtime: tokio::runtime::Handle,
    listener: QueueListener,
    state: Mutex<QueueState>,
}

impl UploadQueue {
    /// A queue over `uploader` whose runs go on `runtime` and that tells `listener`.
    /// Work a previous process left (in flight, still processing, MTPW owed) resumes at once.
    pub fn start(
        uploader: Uploader,
        runtime: tokio::runtime::Handle,
        listener: QueueListener,
    ) -> Result<Arc<Self>, EngineError> {
        let queue = Arc::new(Self {
            uploader,
            runtime,
            listener,
            state: Mutex::new(QueueState::default()),
        });
        let owed = queue.owed_uploads()?;
        if !owed.is_empty() {
            queue.lock().batch = owed;
            queue.kick();
        }
        Ok(queue)
    }

    /// Queues library sequences and starts the run; says what was queued and what was skipped.
    /// `insist` queues sequences MTP Desktop Uploader already uploaded.
    pub fn enqueue(
        self: &Arc<Self>,
        sequence_ids: &[String],
        insist: bool,
    ) -> Result<Vec<EnqueueOutcome>, EngineError> {
        let outcomes = self.uploader.enqueue(sequence_ids, insist)?;
        let queued: Vec<i64> = outcomes
            .iter()
            .filter(|o| o.skipped.is_none())
            .filter_map(|o| o.upload)
            .collect();
        if !queued.is_empty() {
            self.add_to_batch(&queued);
            self.kick();
        }
        Ok(outcomes)
    }

    /// Queues one history record again (Retry); it resumes at the step it stopped at.
    pub fn retry(self: &Arc<Self>, upload: i64) -> Result<Option<UploadRecord>, EngineError> {
        let record = self.uploader.retry(upload)?;
        if record.as_ref().is_some_and(|r| r.state.is_in_flight()) {
            self.add_to_batch(&[upload]);
            self.kick();
        }
        Ok(record)
    }

    /// Holds the whole queue (`None`) or one upload before its next request.
    pub fn pause(&self, upload: Option<i64>) {
        if upload.is_none() {
            self.lock().paused = true;
        }
        self.uploader.pause(upload);
    }

    /// Lets the whole queue (`None`, which also resumes every single upload) or one upload go on.
    pub fn resume(&self, upload: Option<i64>) {
        if upload.is_none() {
            self.lock().paused = false;
        }
        self.uploader.resume(upload);
    }

    /// Cancels the whole queue (`None`) or one upload: what has not reached Strava ends as
    /// cancelled; what has is finished by the next run, so nothing is uploaded twice.
    pub fn cancel(&self, upload: Option<i64>) -> Result<(), EngineError> {
        self.uploader.cancel(upload)
    }

    /// The batch with each row's stored record and live progress.
    pub fn snapshot(&self) -> Result<QueueSnapshot, EngineError> {
        let (ids, running, paused, paused_until, error) = {
            let state = self.lock();
            (
                state.batch.clone(),
                state.running,
                state.paused,
                state.paused_until.clone(),
                state.error.clone(),
            )
        };
        let mut rows = Vec::with_capacity(ids.len());
        for id in ids {
            let Some(mut record) = self.uploader.engine().upload_record(id)? else {
                continue;
            };
            record.attempts.clear();
            let live = self.lock().progress.of(id);
            rows.push(QueueRow {
                record,
                bytes: live.bytes,
                attempt: live.attempt,
            });
        }
        Ok(QueueSnapshot {
            rows,
            running,
            paused,
            paused_until,
            error,
        })
    }

    /// The uploader (history, MTPW links, "Create on Map the Paths").
    pub fn uploader(&self) -> &Uploader {
        &self.uploader
    }

    /// Records a previous process left owing work, in the order they were queued (not by
    /// their last change: the rows a killed run was working on would come last).
    fn owed_uploads(&self) -> Result<Vec<i64>, EngineError> {
        let mut states: Vec<UploadState> = UploadState::ALL
            .into_iter()
            .filter(|s| s.is_in_flight())
            .collect();
        states.extend([
            UploadState::StillProcessing,
            UploadState::OnStravaMtpwNotUpdated,
        ]);
        let page = self.uploader.engine().upload_history(&HistoryQuery {
            states,
            text: None,
            offset: 0,
            limit: 10_000,
        })?;
        let mut owed: Vec<i64> = page.records.iter().map(|r| r.id).collect();
        owed.sort_unstable();
        Ok(owed)
    }

    /// A new batch starts when the last one has ended; rows already in it stay where they are.
    fn add_to_batch(&self, uploads: &[i64]) {
        let mut state = self.lock();
        if !state.running {
            state.batch.clear();
            state.progress.clear();
            state.error = None;
        }
        for id in uploads {
            if !state.batch.contains(id) {
                state.batch.push(*id);
            }
        }
    }

    /// Starts a run unless one is going (that one runs again when it ends).
    fn kick(self: &Arc<Self>) {
        {
            let mut state = self.lock();
            if state.running {
                state.again = true;
                return;
            }
            state.running = true;
            state.again = false;
        }
        let queue = Arc::clone(self);
        self.runtime
            .spawn(async move { queue.run_until_idle().await });
    }

    async fn run_until_idle(self: Arc<Self>) {
        loop {
            let events = Arc::clone(&self);
            let result = self
                .uploader
                .run(Arc::new(move |event| events.on_event(event)))
                .await;
            let mut state = self.lock();
            if let Err(err) = result {
                state.error = Some(err.to_user());
            }
            if state.again && state.error.is_none() {
                state.again = false;
                continue;
            }
            state.running = false;
            state.again = false;
            state.paused_until = None;
            break;
        }
        match self.snapshot() {
            Ok(snapshot) => (self.listener)(QueueNotice::Idle(snapshot)),
            Err(err) => eprintln!("The upload queue could not be read: {err}"),
        }
    }

    fn on_event(&self, event: UploadEvent) {
        let admitted = {
            let mut state = self.lock();
            state.progress.apply(&event);
            match &event {
                UploadEvent::PausedUntil { until } => state.paused_until = Some(until.clone()),
                UploadEvent::State { state: now, .. } if ends_a_rate_limit_pause(*now) => {
                    state.paused_until = None
                }
                _ => {}
            }
            state.throttle.admit(&event, Instant::now())
        };
        if admitted {
            (self.listener)(QueueNotice::Progress(event));
        }
    }

    fn lock(&self) -> MutexGuard<'_, QueueState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
