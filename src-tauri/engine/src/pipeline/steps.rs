//! One sequence upload worked through its states; each state is committed before the call that follows it.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::config::MtpwStravaValue;
use super::control::Gate;
use super::model::{UploadEvent, UploadRecord, UploadState, UploadStep};
use super::prepare::{read_gpx, validate_bytes, GpxBytes};
use super::retry::{backoff, gave_up_warning, CallError, Class, MAX_ATTEMPTS};
use super::tokens::{AccessToken, TokenError};
use super::{upload_key, EventSink, Uploader};
use crate::files::folder_of_id;
use crate::library::{read_sequence, summary_of};
use crate::strava::uploads::{gzip, ByteProgress, NewUpload, UploadStatus};
use crate::EngineError;

/// Whether the job goes on to its next state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flow {
    Continue,
    Stop,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Service {
    Strava,
    Mtpw,
}

/// Why a step gave up.
#[derive(Debug)]
enum StepFailure {
    GaveUp { tries: u32, last: CallError },
    Permanent(CallError),
    NotSignedIn(String),
    Store(EngineError),
}

/// What the upload step needs from the folder, read and validated in this run.
struct Prepared {
    gpx: GpxBytes,
    description: Option<String>,
}

/// One record being worked on.
pub(super) struct Job<'a> {
    up: &'a Uploader,
    record: UploadRecord,
    prepared: Option<Prepared>,
    events: EventSink,
}

impl<'a> Job<'a> {
    pub(super) fn new(up: &'a Uploader, record: UploadRecord, events: EventSink) -> Self {
        Self {
            up,
            record,
            prepared: None,
            events,
        }
    }

    /// Runs the record from its current state until it stops (done, failed, needs attention...).
    pub(super) async fn process(mut self) -> Result<UploadRecord, EngineError> {
        for _ in 0..32 {
            if self.gate().await == Gate::Cancel {
                return self.cancelled();
            }
            let flow = match self.record.state {
                UploadState::Queued | UploadState::Validating => self.validate().await?,
                UploadState::Uploading => self.upload().await?,
                UploadState::Processing | UploadState::StillProcessing => self.poll().await?,
                UploadState::SettingSportType => self.sport_type().await?,
                UploadState::SyncingMtpw | UploadState::OnStravaMtpwNotUpdated => {
                    self.sync_mtpw().await?
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
    async fn gate(&self) -> Gate {
        let cancellable = !self.record.is_on_strava();
        self.up.control.gate(self.record.id, cancellable).await
    }

    /// Stops for a cancel (nothing reached Strava): "cancelled".
    fn cancelled(mut self) -> Result<UploadRecord, EngineError> {
        if self.record.state.is_in_flight() {
            self.record.detail = Some("Cancelled; queue it again to upload it.".into());
            self.set(UploadState::Cancelled)?;
        }
        Ok(self.record)
    }

    /// Commits the new state (keeping the detail) and tells the listener.
    fn set(&mut self, state: UploadState) -> Result<(), EngineError> {
        self.record.state = state;
        self.up.engine.store.save_upload(&self.record)?;
        (self.events)(UploadEvent::State {
            upload: self.record.id,
            sequence_name: self.record.sequence_name.clone(),
            state,
            detail: self.record.detail.clone(),
        });
        Ok(())
    }

    /// Commits a final state with its explanation.
    fn stop(&mut self, state: UploadState, detail: String) -> Result<Flow, EngineError> {
        self.record.detail = Some(detail);
        self.set(state)?;
        Ok(Flow::Stop)
    }

    fn add_note(&mut self, note: String) {
        self.record.detail = Some(match self.record.detail.take() {
            Some(old) if !old.is_empty() => format!("{old} {note}"),
            _ => note,
        });
    }

    async fn validate(&mut self) -> Result<Flow, EngineError> {
        self.record.detail = None;
        self.set(UploadState::Validating)?;
        let Some(folder) = folder_of_id(&self.record.sequence_id) else {
            return self.stop(
                UploadState::Failed,
                "The sequence folder is unknown.".into(),
            );
        };
        if !folder.is_dir() {
            let text = format!(
                "The sequence folder {} is no longer there.",
                folder.display()
            );
            return self.stop(UploadState::Failed, text);
        }
        let summary = summary_of(&folder, &read_sequence(&folder).record);
        self.record.sequence_name = summary.name.clone();
        self.record.folder = summary.path.clone();
        if !summary.strava.eligible {
            let reason = summary.strava.reason.unwrap_or_default();
            return self.stop(UploadState::NotEligible, reason);
        }
        if !summary.problems.is_empty() {
            let problems: Vec<String> = summary
                .problems
                .iter()
                .map(|p| format!("{}: {}", p.file, p.message))
                .collect();
            return self.stop(UploadState::InvalidGpx, problems.join("; "));
        }
        let Some(uuid) = self.up.engine.mtpw_uuid_of(&summary)? else {
            let text = "No Map the Paths sequence id is known for this sequence (destination.mtp is not a UUID): paste its Map the Paths link, or create it on Map the Paths.";
            return self.stop(UploadState::NoMtpwId, text.into());
        };
        let gpx = match read_gpx(&folder) {
            Ok(gpx) => gpx,
            Err(err) => return self.stop(UploadState::InvalidGpx, err),
        };
        if let Err(err) = validate_bytes(&gpx) {
            return self.stop(UploadState::InvalidGpx, err);
        }
        if gpx.sha256 != self.record.gpx_sha256 || self.record.mtpw_uuid.as_deref() != Some(&uuid) {
            // The GPX changed since it was queued (the upload is of the new content), or the
            // MTPW id became known: the record's key follows.
            let key = upload_key(Some(&uuid), &self.record.sequence_id, &gpx.sha256);
            if !self
                .up
                .engine
                .store
                .rekey_upload(self.record.id, &key, &gpx.sha256)?
            {
                let text = "This GPX is already in the upload history as another upload.";
                return self.stop(UploadState::Failed, text.into());
            }
            self.record.gpx_sha256 = gpx.sha256.clone();
        }
        self.record.mtpw_uuid = Some(uuid);
        self.record.sport_type = summary.strava.activity_type.clone();
        for (service, token) in [
            ("Strava", self.up.tokens.strava_access_token().await),
            ("Map the Paths", self.up.tokens.mtpw_token().await),
        ] {
            if let Err(err) = token {
                let text = format!("{err}. Sign in to {service}, then Retry.");
                return self.stop(UploadState::NotSignedIn, text);
            }
        }
        self.prepared = Some(Prepared {
            gpx,
            description: summary.description,
        });
        self.set(UploadState::Uploading)?;
        Ok(Flow::Continue)
    }

    async fn upload(&mut self) -> Result<Flow, EngineError> {
        if self.record.strava_upload_id.is_some() {
            self.set(UploadState::Processing)?;
            return Ok(Flow::Continue);
        }
        let Some(prepared) = self.prepared.take() else {
            // Resumed after a restart: check the folder again, then send (again if the
            // first POST's outcome is unknown: Strava reports the duplicate).
            self.set(UploadState::Queued)?;
            return Ok(Flow::Continue);
        };
        let new = NewUpload {
            name: self.record.sequence_name.clone(),
            description: prepared.description.clone(),
            external_id: self.record.mtpw_uuid.clone().unwrap_or_default(),
            file_name: format!("{}.gz", prepared.gpx.file_name),
            gpx_gz: gzip(&prepared.gpx.bytes),
        };
        let events = self.events.clone();
        let id = self.record.id;
        let progress: ByteProgress = Arc::new(move |sent, total| {
            events(UploadEvent::Bytes {
                upload: id,
                sent,
                total,
            })
        });
        let strava = &self.up.strava;
        let result = self
            .with_retries(UploadStep::Upload, Service::Strava, 201, |token| {
                let (new, progress) = (&new, progress.clone());
                async move {
                    strava
                        .create_upload(token.expose(), new, progress)
                        .await
                        .map_err(CallError::from)
                }
            })
            .await;
        match result {
            Ok((upload_id, status)) => {
                self.record.strava_upload_id = Some(upload_id);
                self.apply_status(status)
            }
            Err(failure) => self.fail(failure, "Uploading to Strava", UploadState::Failed),
        }
    }

    async fn poll(&mut self) -> Result<Flow, EngineError> {
        let Some(upload_id) = self.record.strava_upload_id else {
            self.set(UploadState::Uploading)?;
            return Ok(Flow::Continue);
        };
        if self.record.state != UploadState::Processing {
            self.set(UploadState::Processing)?;
        }
        let timings = self.up.config.timings;
        let started = Instant::now();
        let mut wait = self.up.pace.first_wait();
        let mut polls = 0u32;
        let strava = &self.up.strava;
        loop {
            tokio::time::sleep(wait).await;
            // On Strava already: a pause holds the poll here, a cancel lets it finish.
            self.gate().await;
            let result = self
                .with_retries(UploadStep::Poll, Service::Strava, 200, |token| async move {
                    strava
                        .upload_status(token.expose(), upload_id)
                        .await
                        .map_err(CallError::from)
                })
                .await;
            polls += 1;
            if let Ok(status) = &result {
                if polls == 1 {
                    self.up.pace.learn(*status != UploadStatus::Processing);
                }
            }
            match result {
                Ok(UploadStatus::Processing) => {
                    if started.elapsed() >= timings.poll_give_up {
                        let text = format!(
                            "Strava was still processing upload {upload_id} after {}; the next run checks it again.",
                            minutes(timings.poll_give_up)
                        );
                        return self.stop(UploadState::StillProcessing, text);
                    }
                    wait = (wait * 2).min(timings.poll_max);
                }
                Ok(status) => return self.apply_status(status),
                Err(StepFailure::Permanent(err)) if err.http_status == Some(404) => {
                    self.record.strava_upload_id = None;
                    let text = format!(
                        "Strava no longer knows upload {upload_id}. Retry uploads the GPX again."
                    );
                    return self.stop(UploadState::Failed, text);
                }
                Err(failure) => {
                    return self.fail(
                        failure,
                        "Checking the upload on Strava",
                        UploadState::Failed,
                    )
                }
            }
        }
    }

    /// Moves on from what Strava said about the upload.
    fn apply_status(&mut self, status: UploadStatus) -> Result<Flow, EngineError> {
        match status {
            UploadStatus::Processing => {
                self.set(UploadState::Processing)?;
                Ok(Flow::Continue)
            }
            UploadStatus::Ready { activity_id } => {
                self.record.activity_id = Some(activity_id);
                self.set(UploadState::SettingSportType)?;
                Ok(Flow::Continue)
            }
            UploadStatus::Duplicate { activity_id } => {
                self.record.activity_id = Some(activity_id);
                self.add_note(format!(
                    "Already on Strava as activity {activity_id} (Strava reported a duplicate)."
                ));
                self.set(UploadState::SettingSportType)?;
                Ok(Flow::Continue)
            }
            UploadStatus::Deleted => self.stop(
                UploadState::ActivityDeleted,
                "The activity this upload created was deleted on Strava. Retry uploads it again."
                    .into(),
            ),
            UploadStatus::Failed { error } => self.stop(
                UploadState::Failed,
                format!("Strava could not make an activity from the GPX: {error}"),
            ),
        }
    }

    async fn sport_type(&mut self) -> Result<Flow, EngineError> {
        let Some(activity_id) = self.record.activity_id else {
            self.set(UploadState::Processing)?;
            return Ok(Flow::Continue);
        };
        let sport = self.record.sport_type.clone();
        if let (true, Some(sport)) = (self.up.config.set_sport_type, sport) {
            let strava = &self.up.strava;
            let result = self
                .with_retries(UploadStep::SportType, Service::Strava, 200, |token| {
                    let sport = sport.as_str();
                    async move {
                        strava
                            .set_sport_type(token.expose(), activity_id, sport)
                            .await
                            .map_err(CallError::from)
                    }
                })
                .await;
            match result {
                Ok(()) => {}
                Err(StepFailure::Store(err)) => return Err(err),
                Err(failure) => {
                    let why = failure_text(&failure);
                    self.add_note(format!(
                        "Warning: the sport type could not be set to {sport} ({why}); change it on Strava."
                    ));
                }
            }
        }
        self.set(UploadState::SyncingMtpw)?;
        Ok(Flow::Continue)
    }

    async fn sync_mtpw(&mut self) -> Result<Flow, EngineError> {
        let (Some(uuid), Some(activity_id)) =
            (self.record.mtpw_uuid.clone(), self.record.activity_id)
        else {
            return self.stop(
                UploadState::Failed,
                "No Strava activity is known yet.".into(),
            );
        };
        if self.record.state != UploadState::SyncingMtpw {
            self.set(UploadState::SyncingMtpw)?;
        }
        let value = match self.up.config.mtpw_strava_value {
            MtpwStravaValue::ActivityId => activity_id.to_string(),
            MtpwStravaValue::LiteralTrue => "true".to_string(),
        };
        let mtpw = &self.up.mtpw;
        let result = self
            .with_retries(UploadStep::SyncMtpw, Service::Mtpw, 200, |token| {
                let (uuid, value) = (uuid.as_str(), value.as_str());
                async move {
                    mtpw.mark_on_strava(token.expose(), uuid, value)
                        .await
                        .map_err(CallError::from)
                }
            })
            .await;
        match result {
            Ok(()) => {
                self.set(UploadState::Done)?;
                Ok(Flow::Stop)
            }
            Err(failure) => self.fail(
                failure,
                "Updating Map the Paths",
                UploadState::OnStravaMtpwNotUpdated,
            ),
        }
    }

    /// The state and warning after a step gave up.
    fn fail(
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
            StepFailure::NotSignedIn(reason) if !on_strava => (
                UploadState::NotSignedIn,
                format!("{what} failed: {reason}. Sign in again, then Retry."),
            ),
            other => (state, format!("{}{suffix}", describe_failure(&other, what))),
        };
        self.stop(state, text)
    }

    async fn token(&self, service: Service) -> Result<AccessToken, TokenError> {
        match service {
            Service::Strava => self.up.tokens.strava_access_token().await,
            Service::Mtpw => self.up.tokens.mtpw_token().await,
        }
    }

    /// One call with up to three retries: backoff for network errors and 5xx, the next
    /// rate-limit window for 429, one token refresh for a 401; none for permanent errors.
    /// Every try is recorded as an attempt.
    async fn with_retries<T, F, Fut>(
        &mut self,
        step: UploadStep,
        service: Service,
        ok_status: u16,
        mut call: F,
    ) -> Result<T, StepFailure>
    where
        F: FnMut(AccessToken) -> Fut,
        Fut: Future<Output = Result<T, CallError>>,
    {
        let mut token = self
            .token(service)
            .await
            .map_err(|e| StepFailure::NotSignedIn(e.to_string()))?;
        let timings = self.up.config.timings;
        let store = &self.up.engine.store;
        let mut refreshed = false;
        let mut last: Option<CallError> = None;
        for attempt in 1..=MAX_ATTEMPTS {
            let err = match call(token.clone()).await {
                Ok(value) => {
                    store
                        .add_attempt(self.record.id, step, Some(ok_status), None)
                        .map_err(StepFailure::Store)?;
                    return Ok(value);
                }
                Err(err) => err,
            };
            store
                .add_attempt(self.record.id, step, err.http_status, Some(&err.message))
                .map_err(StepFailure::Store)?;
            let tried_again = match err.class {
                Class::Permanent | Class::NotSignedIn => false,
                Class::Unauthorized => !refreshed && service == Service::Strava,
                Class::RateLimited | Class::Transient => true,
            };
            if tried_again && attempt < MAX_ATTEMPTS {
                // Said at once, so the row reads "attempt n of 4" while it waits to try again.
                (self.events)(UploadEvent::Attempt {
                    upload: self.record.id,
                    step,
                    attempt: attempt + 1,
                    of: MAX_ATTEMPTS,
                    error: Some(err.message.clone()),
                });
            }
            match err.class {
                Class::Permanent => return Err(StepFailure::Permanent(err)),
                Class::NotSignedIn => return Err(StepFailure::NotSignedIn(err.message)),
                Class::Unauthorized if refreshed || service == Service::Mtpw => {
                    return Err(StepFailure::NotSignedIn(err.message))
                }
                Class::Unauthorized => {
                    token = self
                        .up
                        .tokens
                        .refresh_strava_token()
                        .await
                        .map_err(|e| StepFailure::NotSignedIn(e.to_string()))?;
                    refreshed = true;
                }
                // Strava: the budget now knows the window is full; the next try waits for it.
                Class::RateLimited if service == Service::Strava => {}
                Class::RateLimited | Class::Transient => {
                    if attempt < MAX_ATTEMPTS {
                        tokio::time::sleep(backoff(
                            attempt,
                            timings.backoff_base,
                            timings.backoff_max,
                        ))
                        .await;
                    }
                }
            }
            last = Some(err);
        }
        let last = last.unwrap_or(CallError {
            class: Class::Transient,
            http_status: None,
            message: "no reply".into(),
        });
        Err(StepFailure::GaveUp {
            tries: MAX_ATTEMPTS,
            last,
        })
    }
}

fn describe_failure(failure: &StepFailure, what: &str) -> String {
    match failure {
        StepFailure::GaveUp { tries, last } => gave_up_warning(what, *tries, last),
        StepFailure::Permanent(err) => {
            let advice = match err.http_status {
                Some(400) => " Check the GPX; trying again will not help.",
                Some(403) => " Check your Strava API application and the permissions you granted.",
                _ => "",
            };
            format!("{what} failed: {}.{advice}", err.message)
        }
        StepFailure::NotSignedIn(reason) => format!("{what} failed: {reason}. Sign in again."),
        StepFailure::Store(err) => err.to_string(),
    }
}

fn failure_text(failure: &StepFailure) -> String {
    match failure {
        StepFailure::GaveUp { tries, last } => format!("{} after {tries} tries", last.message),
        StepFailure::Permanent(err) => err.message.clone(),
        StepFailure::NotSignedIn(reason) => reason.clone(),
        StepFailure::Store(err) => err.to_string(),
    }
}

fn minutes(d: Duration) -> String {
    let secs = d.as_secs();
    if secs >= 60 {
        format!("{} min", secs / 60)
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}
