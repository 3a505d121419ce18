//! The send step: the validated GPX, gzipped, as a multipart upload with byte progress. When
//! an earlier POST's answer never came, the activity is looked up first (`lookup.rs`).

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use mtp_services::strava::uploads::{gzip, ByteProgress, NewUpload, UploadStatus};

use crate::error::EngineError;
use crate::store::now_ms;
use crate::uploads::job::{Flow, Job};
use crate::uploads::messages;
use crate::uploads::model::{UploadEvent, UploadState, UploadStep};
use crate::uploads::retry::{CallError, Service, StepFailure};
use crate::uploads::steps::lookup::outcome_unknown;

/// How a send ended: Strava answered the POST, or the lookup found the activity.
enum Sent {
    Posted(u64, UploadStatus),
    Found(u64),
}

impl Job<'_> {
    pub(in crate::uploads) async fn send(&mut self) -> Result<Flow, EngineError> {
        if self.record.strava_upload_id.is_some() {
            self.set(UploadState::Processing)?;
            return Ok(Flow::Continue);
        }
        let Some(prepared) = self.prepared.take() else {
            // Resumed in `Uploading` without an upload id (the app stopped during the POST,
            // or could not write the id down): whether Strava has it is unknown. Said in the
            // history, so the try that follows, now or after a Retry, looks first; the folder
            // is checked again before that.
            self.up.engine.store.add_attempt(
                self.record.id,
                UploadStep::Upload,
                None,
                Some(messages::UPLOAD_OUTCOME_UNKNOWN),
            )?;
            self.unknown_post_at = rfc3339_ms(&self.record.updated_at);
            self.set(UploadState::Queued)?;
            return Ok(Flow::Continue);
        };
        let start = prepared.start;
        if let Some(sent_at) = self.unknown_post()? {
            if let Some(activity) = self.look_up(start, sent_at).await? {
                return self.found_on_strava(activity);
            }
        }
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
        let strava = &self.clients.strava;
        // When the latest try was sent: a lookup after it waits for Strava to settle.
        let sent_at = AtomicI64::new(0);
        let job = &*self;
        let result = job
            .tries()
            .call_checking(
                UploadStep::Upload,
                Service::Strava,
                201,
                |token| {
                    let (new, progress) = (&new, progress.clone());
                    sent_at.store(now_ms(), Ordering::Relaxed);
                    async move {
                        strava
                            .create_upload(token.expose(), new, progress)
                            .await
                            .map(|(upload_id, status)| Sent::Posted(upload_id, status))
                            .map_err(CallError::from)
                    }
                },
                |before: CallError| {
                    let sent_at = sent_at.load(Ordering::Relaxed);
                    async move {
                        if !outcome_unknown(before.http_status, Some(&before.message)) {
                            return Ok(None);
                        }
                        let found = job
                            .look_up(start, sent_at)
                            .await
                            .map_err(StepFailure::Store)?;
                        Ok(found.map(Sent::Found))
                    }
                },
            )
            .await;
        match result {
            Ok(Sent::Posted(upload_id, status)) => {
                self.record.strava_upload_id = Some(upload_id);
                self.apply_status(status)
            }
            Ok(Sent::Found(activity)) => self.found_on_strava(activity),
            Err(failure) => self.fail(failure, "Uploading to Strava", UploadState::Failed),
        }
    }
}

/// Epoch milliseconds of an RFC 3339 time.
fn rfc3339_ms(text: &str) -> Option<i64> {
    time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .ok()
        .map(|t| (t.unix_timestamp_nanos() / 1_000_000) as i64)
}
