//! The MTPW id of a library sequence on the facade: `destination.mtp`, else the one the user
//! pasted or created (remembered in the store, never written into the sequence folder).

use super::Engine;
use crate::error::EngineError;
use crate::library::parse_mtpw_id;
use crate::model::SequenceSummary;

impl Engine {
    /// The MTPW UUID of a sequence: `destination.mtp`, else the one the user linked.
    pub fn mtpw_uuid_of(&self, summary: &SequenceSummary) -> Result<Option<String>, EngineError> {
        match &summary.mtpw_uuid {
            Some(uuid) => Ok(Some(uuid.clone())),
            None => self.store.mtpw_link(&summary.id),
        }
    }

    /// Shows the MTPW sequence the user linked (pasted or created) on a summary without one,
    /// so the library and detail list it ready.
    pub(crate) fn show_mtpw_link(&self, summary: &mut SequenceSummary) -> Result<(), EngineError> {
        if summary.mtpw_uuid.is_none() {
            summary.mtpw_uuid = self.store.mtpw_link(&summary.id)?;
        }
        Ok(())
    }

    /// [`Engine::show_mtpw_link`] for a whole list, with one query for every link.
    pub(crate) fn show_mtpw_links(
        &self,
        summaries: &mut [SequenceSummary],
    ) -> Result<(), EngineError> {
        if summaries.iter().all(|s| s.mtpw_uuid.is_some()) {
            return Ok(());
        }
        let links = self.store.mtpw_links()?;
        for summary in summaries.iter_mut().filter(|s| s.mtpw_uuid.is_none()) {
            summary.mtpw_uuid = links.get(&summary.id).cloned();
        }
        Ok(())
    }

    /// Links a sequence to the MTPW sequence in a pasted link or UUID (validated).
    pub fn link_mtpw(&self, sequence_id: &str, pasted: &str) -> Result<String, EngineError> {
        self.sequence_detail(sequence_id)?;
        let uuid = parse_mtpw_id(pasted).ok_or_else(|| EngineError::InvalidMtpwLink {
            text: pasted.chars().take(200).collect(),
        })?;
        self.store.set_mtpw_link(sequence_id, &uuid, "pasted")?;
        Ok(uuid)
    }
}
