//! The queue as the UI shows it: the batch's rows with their stored record and live progress.

use super::model::{QueueRow, QueueSnapshot};
use super::queue::Uploads;
use crate::error::EngineError;

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
