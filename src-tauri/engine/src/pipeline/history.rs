//! The upload history as the app and the CLI read it, on the [`Engine`] facade.

use super::links::add_links;
use super::model::{HistoryPage, HistoryQuery, UploadRecord};
use crate::{Engine, EngineError};

impl Engine {
    /// A page of upload records matching `query`, newest first, with their links.
    pub fn upload_history(&self, query: &HistoryQuery) -> Result<HistoryPage, EngineError> {
        let mut page = self.store.upload_history(query)?;
        let base = self.accounts().mtpw_base()?;
        for record in &mut page.records {
            add_links(record, &base);
        }
        Ok(page)
    }

    /// One upload record with every attempt and its links.
    pub fn upload_record(&self, id: i64) -> Result<Option<UploadRecord>, EngineError> {
        self.with_links(self.store.upload(id)?)
    }

    /// The most recent upload record of a library sequence (by its folder id), if any.
    pub fn latest_upload_of(&self, sequence_id: &str) -> Result<Option<UploadRecord>, EngineError> {
        self.with_links(self.store.latest_upload_for_sequence(sequence_id)?)
    }

    fn with_links(
        &self,
        record: Option<UploadRecord>,
    ) -> Result<Option<UploadRecord>, EngineError> {
        let Some(mut record) = record else {
            return Ok(None);
        };
        add_links(&mut record, &self.accounts().mtpw_base()?);
        Ok(Some(record))
    }
}
