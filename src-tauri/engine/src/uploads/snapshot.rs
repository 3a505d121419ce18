//! The queue as the UI shows it: the batch's rows with their stored record and live progress,
//! and the notices a background run gives its listener.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::model::{UploadEvent, UploadRecord};
use super::progress::{AttemptProgress, BytesProgress, ProgressBook, Throttle};
use super::Uploads;
use crate::{EngineError, UserError};

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
pub(super) struct QueueState {
    pub(super) running: bool,
    /// Something was queued while a run was going: run again when it ends.
    pub(super) again: bool,
    pub(super) paused: bool,
    pub(super) paused_until: Option<String>,
    pub(super) error: Option<UserError>,
    pub(super) batch: Vec<i64>,
    pub(super) progress: ProgressBook,
    pub(super) throttle: Throttle,
}

impl Uploads {
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
            let Some(mut record) = self.engine.store.upload(id)? else {
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
}
