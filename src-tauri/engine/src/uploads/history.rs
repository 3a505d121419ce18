//! The upload history as the app and the CLI read it: pages of records, one record with its attempts.

use super::model::{HistoryPage, HistoryQuery, UploadRecord};
use super::queue::Uploads;
use crate::error::EngineError;

impl Uploads {
    /// A page of past uploads, newest first, filtered by state and text.
    pub fn history(&self, query: &HistoryQuery) -> Result<HistoryPage, EngineError> {
        self.engine.store.upload_history(query)
    }

    /// One record with its attempts, oldest first.
    pub fn record(&self, id: i64) -> Result<Option<UploadRecord>, EngineError> {
        self.engine.store.upload(id)
    }

    /// The newest upload of a library sequence, if it was ever queued.
    pub fn latest_of(&self, sequence_id: &str) -> Result<Option<UploadRecord>, EngineError> {
        self.engine.store.latest_upload_for_sequence(sequence_id)
    }
}
