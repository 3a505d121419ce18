//! The queue as the UI shows it: the batch's rows with their stored record and live progress.

use super::model::{QueueRow, QueueSnapshot};
use super::queue::Uploads;
use crate::error::EngineError;

impl Uploads {
    /// The batch with each row's stored record and live progress.
    pub fn snapshot(&self) -> Result<QueueSnapshot, EngineError> {
        let (ids, running, paused, paused_until, waiting_for, error, held) = {
            let state = self.lock();
            (
                state.batch.clone(),
                state.running,
                state.paused,
                state.paused_until.clone(),
                state.waiting_for.clone(),
                state.error.clone(),
                state.held.clone(),
            )
        };
        let mut records = self.engine.store.uploads_by_id(&ids)?;
        let state = self.lock();
        let rows = ids
            .iter()
            .filter_map(|id| records.remove(id))
            .map(|record| {
                let live = state.progress.of(record.id);
                QueueRow {
                    record,
                    bytes: live.bytes,
                    attempt: live.attempt,
                }
            })
            .collect();
        Ok(QueueSnapshot {
            rows,
            running,
            paused,
            paused_until,
            waiting_for,
            error,
            held,
        })
    }
}
