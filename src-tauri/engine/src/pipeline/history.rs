//! The upload history as the app and the CLI read it, on the [`Engine`] facade.

use super::model::{HistoryPage, HistoryQuery, UploadRecord};
use crate::{Engine, EngineError};

impl Engine {
    /// A page of upload records matching `query`, newest first.
    pub fn upload_history(&self, query: &HistoryQuery) -> Result<HistoryPage, EngineError> {
        self.store.upload_history(query)
    }

    /// One upload record with every attempt.
    pub fn upload_record(&self, id: i64) -> Result<Option<UploadRecord>, EngineError> {
        self.store.upload(id)
    }

    /// The most recent upload record of a library sequence (by its folder id), if any.
    pub fn latest_upload_of(&self, sequence_id: &str) -> Result<Option<UploadRecord>, EngineError> {
        self.store.latest_upload_for_sequence(sequence_id)
    }
}
