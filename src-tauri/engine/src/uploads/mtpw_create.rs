//! "Create on Map the Paths": the sequence created there from its JSON, its id remembered.

use mtp_services::mtpw::api::NewSequence;

use super::queue::Uploads;
use crate::error::EngineError;
use crate::library::parse_mtpw_id;

impl Uploads {
    /// "Create on Map the Paths": creates the sequence there (name, description, transport
    /// method, tags) and remembers the returned `unique_id` for this sequence.
    pub async fn create_on_mtpw(&self, sequence_id: &str) -> Result<String, EngineError> {
        let summary = self.engine.sequence_detail(sequence_id)?.summary;
        let fail = |reason: String| EngineError::MtpwCreate {
            name: summary.name.clone(),
            reason,
        };
        let method = summary
            .transport_method
            .clone()
            .ok_or_else(|| fail("the sequence has no transport method".into()))?;
        let mtpw = self.clients()?.mtpw;
        let token = self
            .tokens
            .mtpw_token(mtpw.base())
            .await
            .map_err(|e| fail(e.to_string()))?;
        let new = NewSequence {
            name: summary.name.clone(),
            description: summary.description.clone(),
            transport_type: method,
            tags: summary.tags.clone(),
        };
        let uuid = mtpw
            .create_sequence(token.expose(), &new)
            .await
            .map_err(|e| fail(e.to_string()))?;
        let uuid = parse_mtpw_id(&uuid).ok_or_else(|| {
            fail(format!(
                "it answered with the id ‘{uuid}’, which is not a UUID"
            ))
        })?;
        self.engine
            .store
            .set_mtpw_link(sequence_id, &uuid, "created")?;
        Ok(uuid)
    }
}
