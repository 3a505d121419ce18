//! Working through the queue: a run takes every record owed work, `concurrency` at a time, until
//! none is left; in the background one run goes at a time and runs again when more was queued.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Instant;

use futures_util::StreamExt;

use super::job::Job;
use super::model::QueueNotice;
use super::model::{RunSummary, UploadEvent, UploadRecord, UploadState};
use super::progress::ends_a_rate_limit_pause;
use super::queue::{Background, EventSink, QueueListener, Uploads};
use super::records::rfc3339_ms;
use super::run_lock;
use crate::error::EngineError;

impl Uploads {
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

    /// Works through every record that is owed work until none is left: queued ones, those a
    /// killed process left in the middle, those still processing on Strava and MTPW updates
    /// still owed. Never returns an error for a failed upload (that is a record's state), only
    /// when the store cannot be used.
    pub async fn run(&self, events: EventSink) -> Result<RunSummary, EngineError> {
        // A new run tries again: a refused application may have been fixed meanwhile.
        self.release_hold();
        let pause_events = events.clone();
        self.budget
            .set_pause_listener(Some(Arc::new(move |until: i64| {
                log::info!(until:% = rfc3339_ms(until * 1000);
                    "Strava's rate limit is reached: uploads wait for the next window");
                pause_events(UploadEvent::PausedUntil {
                    until: rfc3339_ms(until * 1000),
                })
            })));
        let waiting = events.clone();
        let lock = run_lock::acquire(&self.engine.config().data_dir, |holder| {
            waiting(UploadEvent::WaitingForOtherRun {
                holder: Some(holder),
            })
        })
        .await;
        let result = match lock {
            Ok(_lock) => {
                events(UploadEvent::WaitingForOtherRun { holder: None });
                self.run_until_empty(events).await
            }
            Err(error) => Err(error),
        };
        self.budget.set_pause_listener(None);
        result
    }

    async fn run_until_empty(&self, events: EventSink) -> Result<RunSummary, EngineError> {
        let mut handled = HashSet::new();
        let mut finished = Vec::new();
        let mut states = owed_states();
        let in_flight = in_flight_states();
        loop {
            let batch: Vec<UploadRecord> = self
                .engine
                .store
                .uploads_in_states(&states)?
                .into_iter()
                .filter(|r| handled.insert(r.id))
                .collect();
            if batch.is_empty() {
                break;
            }
            let results: Vec<Result<UploadRecord, EngineError>> = futures_util::stream::iter(batch)
                .map(|record| {
                    let events = events.clone();
                    async move {
                        // The bases in effect as the job starts (a changed setting applies).
                        let clients = self.clients()?;
                        Job::new(self, clients, record, events).process().await
                    }
                })
                .buffer_unordered(self.config.concurrency.max(1))
                .collect()
                .await;
            for result in results {
                let record = result?;
                // As stored, with its attempts.
                finished.push(self.engine.store.upload(record.id)?.unwrap_or(record));
            }
            states = in_flight.clone();
        }
        finished.sort_by_key(|r| r.id);
        let all_done = finished.iter().all(|r| r.state == UploadState::Done);
        Ok(RunSummary {
            records: finished,
            all_done,
            held: self.held(),
        })
    }

    /// Started in the background: adds the uploads to the batch the user sees and starts a run
    /// unless one is going (that one runs again when it ends). Otherwise nothing.
    pub(super) fn run_in_background(&self, uploads: &[i64]) {
        let Some(background) = self.background.get() else {
            return;
        };
        if uploads.is_empty() {
            return;
        }
        self.add_to_batch(uploads);
        {
            let mut state = self.lock();
            if state.running {
                state.again = true;
                return;
            }
            state.running = true;
            state.again = false;
        }
        let Some(uploads) = background.uploads.upgrade() else {
            return;
        };
        background
            .runtime
            .spawn(async move { uploads.run_until_idle().await });
    }

    /// Records a previous process left owing work, in the order they were queued (not by
    /// their last change: the rows a killed run was working on would come last).
    pub(super) fn resume_owed(&self) -> Result<(), EngineError> {
        let owed = self.engine.store.uploads_in_states(&owed_states())?;
        let ids: Vec<i64> = owed.iter().map(|r| r.id).collect();
        self.run_in_background(&ids);
        Ok(())
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

    async fn run_until_idle(self: Arc<Self>) {
        loop {
            let events = Arc::clone(&self);
            let result = self
                .run(Arc::new(move |event| events.on_event(event)))
                .await;
            let mut state = self.lock();
            if let Err(err) = result {
                state.error = Some(err.to_user());
            }
            if state.again && state.error.is_none() && state.held.is_none() {
                state.again = false;
                continue;
            }
            state.running = false;
            state.again = false;
            state.paused_until = None;
            state.waiting_for = None;
            break;
        }
        let Some(background) = self.background.get() else {
            return;
        };
        match self.snapshot() {
            Ok(snapshot) => (background.listener)(QueueNotice::Idle(snapshot)),
            Err(err) => log::error!("The upload queue could not be read: {err}"),
        }
    }

    fn on_event(&self, event: UploadEvent) {
        let admitted = {
            let mut state = self.lock();
            state.progress.apply(&event);
            match &event {
                UploadEvent::PausedUntil { until } => state.paused_until = Some(until.clone()),
                UploadEvent::WaitingForOtherRun { holder } => state.waiting_for = holder.clone(),
                UploadEvent::State { state: now, .. } if ends_a_rate_limit_pause(*now) => {
                    state.paused_until = None
                }
                _ => {}
            }
            state.throttle.admit(&event, Instant::now())
        };
        if let (true, Some(background)) = (admitted, self.background.get()) {
            (background.listener)(QueueNotice::Progress(event));
        }
    }
}

fn in_flight_states() -> Vec<UploadState> {
    UploadState::ALL
        .into_iter()
        .filter(|s| s.is_in_flight())
        .collect()
}

/// The states of records a run owes work: in flight (queued included), still processing on
/// Strava, and MTPW updates still owed.
pub(super) fn owed_states() -> Vec<UploadState> {
    let mut states = in_flight_states();
    states.extend([
        UploadState::StillProcessing,
        UploadState::OnStravaMtpwNotUpdated,
    ]);
    states
}
