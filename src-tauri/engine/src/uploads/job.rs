//! One upload record worked through its states, one step at a time; each state is committed
//! before the call that follows it. The steps are in `steps/`, the retries in `retry.rs`.

use super::control::Gate;
use super::gpx_bytes::GpxBytes;
use super::messages::{self, describe_failure};
use super::model::{UploadEvent, UploadRecord, UploadState};
use super::queue::{Clients, EventSink, Uploads};
use super::retry::{StepFailure, Tries};
use crate::error::{refusal_code, EngineError, UserError};
use mtp_services::strava::api::AppRefusal;

/// Whether the job goes on to its next state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Flow {
    Continue,
    Stop,
}

/// What the upload step needs from the folder, read and validated in this run.
pub(super) struct Prepared {
    pub(super) gpx: GpxBytes,
    /// The track's first point time (epoch seconds): the activity's `start_date` on Strava.
    pub(super) start: i64,
    pub(super) description: Option<String>,
}

/// One record being worked on.
pub(super) struct Job<'a> {
    pub(super) up: &'a Uploads,
    /// The Strava and MTPW clients at the bases in effect when the job started.
    pub(super) clients: Clients,
    pub(super) record: UploadRecord,
    pub(super) prepared: Option<Prepared>,
    /// When a POST whose answer never came was sent (epoch ms), if this run knows it better
    /// than the attempts do (a record resumed in `Uploading`).
    pub(super) unknown_post_at: Option<i64>,
    pub(super) events: EventSink,
}

impl<'a> Job<'a> {
    pub(super) fn new(
        up: &'a Uploads,
        clients: Clients,
        record: UploadRecord,
        events: EventSink,
    ) -> Self {
        Self {
            up,
            clients,
            record,
            prepared: None,
            unknown_post_at: None,
            events,
        }
    }

    /// Runs the record from its current state until it stops (done, failed, needs attention...).
    pub(super) async fn process(mut self) -> Result<UploadRecord, EngineError> {
        for _ in 0..32 {
            match self.gate().await {
                Gate::Cancel => return self.cancelled(),
                Gate::Hold => return self.stand_held(),
                Gate::Go => {}
            }
            let flow = match self.record.state {
                UploadState::Queued | UploadState::Validating => self.prepare().await?,
                UploadState::Uploading => self.send().await?,
                UploadState::Processing | UploadState::StillProcessing => self.poll().await?,
                UploadState::SettingSportType => self.sport_type().await?,
                UploadState::SyncingMtpw | UploadState::OnStravaMtpwNotUpdated => {
                    self.mark_on_mtpw().await?
                }
                _ => Flow::Stop,
            };
            if flow == Flow::Stop {
                break;
            }
        }
        Ok(self.record)
    }

    /// Waits while paused; `Cancel` only while Strava does not have the upload yet (once it
    /// has, a cancel lets it finish: sport type and Map the Paths, nothing left half done).
    pub(super) async fn gate(&self) -> Gate {
        let cancellable = !self.record.is_on_strava();
        self.up.control.gate(self.record.id, cancellable).await
    }

    /// Stops for a cancel (nothing reached Strava): "cancelled".
    fn cancelled(mut self) -> Result<UploadRecord, EngineError> {
        if self.record.state.is_in_flight() {
            self.record.detail = Some(messages::CANCELLED.into());
            self.set(UploadState::Cancelled)?;
        }
        Ok(self.record)
    }

    /// Stops for the queue's hold where it stands; an upload prepared in this run but not sent
    /// goes back to the queue (nothing of it reached Strava).
    fn stand_held(mut self) -> Result<UploadRecord, EngineError> {
        let unsent = self.prepared.is_some() && self.record.strava_upload_id.is_none();
        if self.record.state == UploadState::Uploading && unsent {
            self.set(UploadState::Queued)?;
        }
        Ok(self.record)
    }

    /// Strava refuses the API application: this record waits where it can go on (an upload
    /// Strava refused goes back to the queue, so it is not looked up as if its answer had been
    /// lost), and the whole queue holds, saying what the photographer can do.
    pub(super) fn hold(&mut self, refusal: AppRefusal, what: &str) -> Result<Flow, EngineError> {
        let text = messages::held_text(refusal, what);
        self.up
            .hold(UserError::new(refusal_code(refusal), text.clone()));
        self.record.detail = Some(text);
        let state = match self.record.state {
            UploadState::Validating | UploadState::Uploading
                if self.record.strava_upload_id.is_none() =>
            {
                UploadState::Queued
            }
            other => other,
        };
        self.set(state)?;
        Ok(Flow::Stop)
    }

    /// Commits the new state (keeping the detail) and tells the listener.
    pub(super) fn set(&mut self, state: UploadState) -> Result<(), EngineError> {
        self.record.state = state;
        self.up.engine.store.save_upload(&self.record)?;
        let level = if state.is_in_flight() || self.record.detail.is_none() {
            log::Level::Info
        } else {
            log::Level::Warn
        };
        log::log!(level, upload = self.record.id, sequence = self.record.sequence_name.as_str(),
            state = state.as_str(), detail:% = self.record.detail.as_deref().unwrap_or("");
            "upload state");
        (self.events)(UploadEvent::State {
            upload: self.record.id,
            sequence_name: self.record.sequence_name.clone(),
            state,
            detail: self.record.detail.clone(),
        });
        Ok(())
    }

    /// Commits a final state with its explanation.
    pub(super) fn stop(&mut self, state: UploadState, detail: String) -> Result<Flow, EngineError> {
        self.record.detail = Some(detail);
        self.set(state)?;
        Ok(Flow::Stop)
    }

    pub(super) fn add_note(&mut self, note: String) {
        self.record.detail = Some(match self.record.detail.take() {
            Some(old) if !old.is_empty() => format!("{old} {note}"),
            _ => note,
        });
    }

    /// The state and warning after a step gave up.
    pub(super) fn fail(
        &mut self,
        failure: StepFailure,
        what: &str,
        state: UploadState,
    ) -> Result<Flow, EngineError> {
        let on_strava = state == UploadState::OnStravaMtpwNotUpdated;
        let suffix = if on_strava {
            " The activity is on Strava; Retry only updates Map the Paths."
        } else {
            ""
        };
        let (state, text) = match failure {
            StepFailure::Store(err) => return Err(err),
            StepFailure::AppRefused { refusal, .. } => return self.hold(refusal, what),
            StepFailure::NotSignedIn(reason) if !on_strava => (
                UploadState::NotSignedIn,
                format!("{what} failed: {reason}. Sign in again, then Retry."),
            ),
            other => (state, format!("{}{suffix}", describe_failure(&other, what))),
        };
        self.stop(state, text)
    }

    /// The retry policy for this record's calls.
    pub(super) fn tries(&self) -> Tries<'_> {
        Tries {
            up: self.up,
            clients: &self.clients,
            upload: self.record.id,
            sequence: &self.record.sequence_name,
            events: &self.events,
        }
    }
}
