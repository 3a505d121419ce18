//! Putting sequences in the queue and history records back in it (Retry), at the step each must redo.

use super::gpx_bytes::read_gpx;
use super::model::{upload_key, EnqueueOptions, EnqueueOutcome, UploadRecord, UploadState};
use super::queue::Uploads;
use super::records::NewUploadRecord;
use crate::error::EngineError;
use crate::files::folder_of_id;
use crate::model::SequenceStatus;

impl Uploads {
    /// Queues sequences (library ids) and, in the background, starts the run. A sequence
    /// already done is not queued again; one that failed or needs attention is queued again
    /// (keeping its Strava ids, so a retry never uploads twice); one MTP Desktop Uploader
    /// already uploaded only when `insist`.
    pub fn enqueue(
        &self,
        sequence_ids: &[String],
        insist: bool,
    ) -> Result<Vec<EnqueueOutcome>, EngineError> {
        let options = EnqueueOptions {
            insist,
            ..EnqueueOptions::default()
        };
        self.enqueue_with(sequence_ids, &options)
    }

    /// [`Uploads::enqueue`] with the batch's options: also whether its activities are kept
    /// off the followers' home feeds (the confirm dialog's choice, or for automatic uploads
    /// [`crate::Engine::auto_hide_from_home`]). A record queued again takes the new choice.
    pub fn enqueue_with(
        &self,
        sequence_ids: &[String],
        options: &EnqueueOptions,
    ) -> Result<Vec<EnqueueOutcome>, EngineError> {
        let outcomes = sequence_ids
            .iter()
            .map(|id| self.enqueue_one(id, options))
            .collect::<Result<Vec<_>, _>>()?;
        let queued: Vec<i64> = outcomes
            .iter()
            .filter(|o| o.skipped.is_none())
            .filter_map(|o| o.upload)
            .collect();
        self.run_in_background(&queued);
        Ok(outcomes)
    }

    /// Queues every sequence in the library that is ready and not uploaded yet.
    pub fn enqueue_all_pending(&self) -> Result<Vec<EnqueueOutcome>, EngineError> {
        self.enqueue_all_pending_with(&EnqueueOptions::default())
    }

    /// [`Uploads::enqueue_all_pending`] with the batch's options.
    pub fn enqueue_all_pending_with(
        &self,
        options: &EnqueueOptions,
    ) -> Result<Vec<EnqueueOutcome>, EngineError> {
        let scan = self.engine.scan_and_check()?;
        let ids: Vec<String> = scan
            .sequences
            .into_iter()
            .filter(|s| s.status == SequenceStatus::Ready)
            .map(|s| s.id)
            .collect();
        self.enqueue_with(&ids, options)
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
        if record.state.is_in_flight() {
            self.run_in_background(&[upload]);
        }
        Ok(Some(record))
    }

    fn enqueue_one(
        &self,
        id: &str,
        options: &EnqueueOptions,
    ) -> Result<EnqueueOutcome, EngineError> {
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
        if summary.status == SequenceStatus::UploadedByDesktop && !options.insist {
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
                record.hide_from_home = options.hide_from_home;
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
                hide_from_home: options.hide_from_home,
            })?,
        };
        self.control.uncancel(upload);
        Ok(outcome(Some(upload), None))
    }
}

/// Puts a stopped record back in the queue at the step it has to redo.
fn requeue(record: &mut UploadRecord) {
    record.detail = None;
    record.state = match (record.state, record.activity_id, record.strava_upload_id) {
        (UploadState::ActivityDeleted, _, _) => {
            record.activity_id = None;
            record.strava_upload_id = None;
            record.hidden_from_home = false;
            UploadState::Queued
        }
        (UploadState::OnStravaMtpwNotUpdated, Some(_), _) => UploadState::SyncingMtpw,
        (_, Some(_), _) => UploadState::SettingSportType,
        (_, None, Some(_)) => UploadState::Processing,
        _ => UploadState::Queued,
    };
}
