//! The upload pipeline: a persistent queue in the store, worked through with retries, rate limits and resumption.
//!
//! [`Uploader::enqueue`] records what to upload; [`Uploader::run`] works through every record
//! still owed work (also those a killed process left behind) and reports [`UploadEvent`]s.

mod accounts_tokens;
pub mod config;
mod control;
mod history;
pub mod links;
pub mod model;
mod mtpw_link;
mod pace;
mod past_uploads;
mod prepare;
mod retry;
mod steps;
pub mod tokens;

use std::collections::HashSet;
use std::sync::Arc;

use futures_util::StreamExt;

use crate::files::folder_of_id;
use crate::mtpw::api::MtpwClient;
use crate::store::uploads::{rfc3339_ms, NewUploadRecord};
use crate::strava::api::{http_client, StravaClient};
use crate::strava::limits::Budget;
use crate::{Engine, EngineError, SequenceStatus};

pub use accounts_tokens::AccountsTokens;
pub use config::{MtpwStravaValue, PipelineConfig, Timings};
pub use model::*;
pub use mtpw_link::parse_mtpw_id;
pub use past_uploads::{PastAttempt, PastUpload};
pub use retry::MAX_ATTEMPTS;
pub use tokens::{AccessToken, TokenError, TokenSource};

use prepare::read_gpx;
use steps::Job;

/// Where progress events go (the app forwards them to the UI, the CLI prints them).
pub type EventSink = Arc<dyn Fn(UploadEvent) + Send + Sync>;

/// The key of a sequence upload: the MTPW UUID and the GPX content hash (the folder only
/// while no UUID is known), so a moved or renamed folder keeps its history.
pub fn upload_key(mtpw_uuid: Option<&str>, sequence_id: &str, gpx_sha256: &str) -> String {
    match mtpw_uuid {
        Some(uuid) => format!("{}:{gpx_sha256}", uuid.to_ascii_lowercase()),
        None => format!("folder-{sequence_id}:{gpx_sha256}"),
    }
}

/// Uploads sequences to Strava and marks them on MTPW.
pub struct Uploader {
    engine: Arc<Engine>,
    config: PipelineConfig,
    tokens: Arc<dyn TokenSource>,
    strava: StravaClient,
    mtpw: MtpwClient,
    control: control::Control,
    pace: pace::PollPace,
}

impl Uploader {
    /// An uploader over `engine`'s library and store, with its own HTTP clients and rate-limit budget.
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
        })
    }

    /// Pauses the queue (`None`) or one upload: nothing more is sent for it until
    /// [`Uploader::resume`]; a request already on its way finishes and is recorded.
    pub fn pause(&self, upload: Option<i64>) {
        self.control.pause(upload);
    }

    /// Resumes the queue (`None`, which also resumes every single upload) or one upload.
    pub fn resume(&self, upload: Option<i64>) {
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
            None => store.uploads_in_states(&owed_states())?,
        };
        self.control.cancel(waiting.iter().map(|r| r.id));
        for mut record in waiting {
            if record.state == UploadState::Queued && !record.is_on_strava() {
                record.state = UploadState::Cancelled;
                record.detail = Some("Cancelled; queue it again to upload it.".into());
                store.save_upload(&record)?;
            }
        }
        Ok(())
    }

    /// Replaces the token source (the CLI puts environment tokens in front of sign-in).
    pub fn set_tokens(&mut self, tokens: Arc<dyn TokenSource>) {
        self.tokens = tokens;
    }

    /// The engine the uploader works on.
    pub fn engine(&self) -> &Arc<Engine> {
        &self.engine
    }

    /// The MTPW client (for "Create on Map the Paths").
    pub fn mtpw(&self) -> &MtpwClient {
        &self.mtpw
    }

    /// Queues sequences (library ids). A sequence already done is not queued again; one that
    /// failed or needs attention is queued again (keeping its Strava ids, so a retry never
    /// uploads twice); one MTP Desktop Uploader already uploaded only when `insist`.
    pub fn enqueue(
        &self,
        sequence_ids: &[String],
        insist: bool,
    ) -> Result<Vec<EnqueueOutcome>, EngineError> {
        sequence_ids
            .iter()
            .map(|id| self.enqueue_one(id, insist))
            .collect()
    }

    /// Queues every sequence in the library that is ready and not uploaded yet.
    pub fn enqueue_all_pending(&self) -> Result<Vec<EnqueueOutcome>, EngineError> {
        let scan = self.engine.scan_and_check()?;
        let ids: Vec<String> = scan
            .sequences
            .into_iter()
            .filter(|s| s.status == SequenceStatus::Ready)
            .map(|s| s.id)
            .collect();
        self.enqueue(&ids, false)
    }

    fn enqueue_one(&self, id: &str, insist: bool) -> Result<EnqueueOutcome, EngineError> {
        let summary = match self.engine.sequence_detail(id) {
            Ok(detail) => detail.summary,
            Err(err @ (EngineError::UnknownSequence { .. } | EngineError::SequenceGone { .. })) => {
                return Ok(EnqueueOutcome {
                    sequence_id: id.into(),
                    sequence_name: String::new(),
                    upload: None,
                    skipped: Some(err.to_string()),
                })
            }
            Err(err) => return Err(err),
        };
        let outcome = |upload: Option<i64>, skipped: Option<String>| EnqueueOutcome {
            sequence_id: id.into(),
            sequence_name: summary.name.clone(),
            upload,
            skipped,
        };
        if summary.status == SequenceStatus::UploadedByDesktop && !insist {
            let text = "MTP Desktop Uploader already uploaded this sequence to Strava (upload it anyway to override)";
            return Ok(outcome(None, Some(text.into())));
        }
        let folder = folder_of_id(id).unwrap_or_default();
        let sha = read_gpx(&folder).map(|g| g.sha256).unwrap_or_default();
        let uuid = self.engine.mtpw_uuid_of(&summary)?;
        let key = upload_key(uuid.as_deref(), id, &sha);
        let store = &self.engine.store;
        let mut existing = store.upload_by_key(&key)?;
        if existing.is_none() && uuid.is_some() {
            // It stopped earlier without an MTPW id; it is the same upload, now with one.
            existing = store.upload_by_key(&upload_key(None, id, &sha))?;
            if let Some(record) = &mut existing {
                store.rekey_upload(record.id, &key, &sha)?;
                record.mtpw_uuid = uuid.clone();
            }
        }
        let upload = match existing {
            Some(record) if record.state == UploadState::Done => {
                let text = match record.activity_id {
                    Some(a) => format!("already uploaded (activity {a})"),
                    None => "already uploaded".into(),
                };
                return Ok(outcome(Some(record.id), Some(text)));
            }
            Some(record) if record.state.is_in_flight() => record.id,
            Some(mut record) => {
                record.sequence_id = id.into();
                record.sequence_name = summary.name.clone();
                record.folder = summary.path.clone();
                requeue(&mut record);
                store.save_upload(&record)?;
                record.id
            }
            None => store.insert_upload(&NewUploadRecord {
                key: &key,
                sequence_id: id,
                sequence_name: &summary.name,
                folder: &summary.path,
                mtpw_uuid: uuid.as_deref(),
                gpx_sha256: &sha,
                sport_type: summary.strava.activity_type.as_deref(),
            })?,
        };
        self.control.uncancel(upload);
        Ok(outcome(Some(upload), None))
    }

    /// Queues one history record again (the Retry action). It resumes where it stopped: a
    /// known activity only gets the sport type and MTPW, a known upload is polled again.
    pub fn retry(&self, upload: i64) -> Result<Option<UploadRecord>, EngineError> {
        let store = &self.engine.store;
        let Some(mut record) = store.upload(upload)? else {
            return Ok(None);
        };
        if record.state != UploadState::Done && !record.state.is_in_flight() {
            requeue(&mut record);
            store.save_upload(&record)?;
        }
        self.control.uncancel(upload);
        links::add_links(&mut record, &self.config.mtpw_base);
        Ok(Some(record))
    }

    /// Works through every record that is owed work, `concurrency` at a time, until none is
    /// left: queued ones, those a killed process left in the middle, those still processing
    /// on Strava and MTPW updates still owed. Never returns an error for a failed upload
    /// (that is a record's state), only when the store cannot be used.
    pub async fn run(&self, events: EventSink) -> Result<RunSummary, EngineError> {
        let pause_events = events.clone();
        self.strava
            .budget()
            .set_pause_listener(Some(Arc::new(move |until: i64| {
                pause_events(UploadEvent::PausedUntil {
                    until: rfc3339_ms(until * 1000),
                })
            })));
        let result = self.run_until_empty(events).await;
        self.strava.budget().set_pause_listener(None);
        result
    }

    async fn run_until_empty(&self, events: EventSink) -> Result<RunSummary, EngineError> {
        let mut handled = HashSet::new();
        let mut finished = Vec::new();
        let mut states = owed_states();
        let in_flight: Vec<UploadState> = UploadState::ALL
            .into_iter()
            .filter(|s| s.is_in_flight())
            .collect();
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
                .map(|record| Job::new(self, record, events.clone()).process())
                .buffer_unordered(self.config.concurrency.max(1))
                .collect()
                .await;
            for result in results {
                let record = result?;
                // As stored, with its links and attempts.
                finished.push(self.engine.store.upload(record.id)?.unwrap_or(record));
            }
            states = in_flight.clone();
        }
        finished.sort_by_key(|r| r.id);
        for record in &mut finished {
            links::add_links(record, &self.config.mtpw_base);
        }
        let all_done = finished.iter().all(|r| r.state == UploadState::Done);
        Ok(RunSummary {
            records: finished,
            all_done,
        })
    }
}

/// The states of records a run owes work: in flight (queued included), still processing on
/// Strava, and MTPW updates still owed.
fn owed_states() -> Vec<UploadState> {
    let mut states: Vec<UploadState> = UploadState::ALL
        .into_iter()
        .filter(|s| s.is_in_flight())
        .collect();
    states.extend([
        UploadState::StillProcessing,
        UploadState::OnStravaMtpwNotUpdated,
    ]);
    states
}

/// Puts a stopped record back in the queue at the step it has to redo.
fn requeue(record: &mut UploadRecord) {
    record.detail = None;
    record.state = match (record.state, record.activity_id, record.strava_upload_id) {
        (UploadState::ActivityDeleted, _, _) => {
            record.activity_id = None;
            record.strava_upload_id = None;
            UploadState::Queued
        }
        (UploadState::OnStravaMtpwNotUpdated, Some(_), _) => UploadState::SyncingMtpw,
        (_, Some(_), _) => UploadState::SettingSportType,
        (_, None, Some(_)) => UploadState::Processing,
        _ => UploadState::Queued,
    };
}
