//! The two ways out of "no MTPW id": a pasted link or UUID, or "Create on Map the Paths"; both
//! are remembered in the store, never written into the sequence folder.

use super::Uploader;
use crate::mtpw::api::NewSequence;
use crate::{Engine, EngineError, SequenceSummary};

/// The UUID in a pasted MTPW link or id, lower-cased; `None` when there is none.
pub fn parse_mtpw_id(text: &str) -> Option<String> {
    let text = text.trim();
    let path = text.split(['?', '#']).next().unwrap_or(text);
    let mut segments = path.split('/').rev().filter(|segment| !segment.is_empty());
    let last = segments.next()?;
    // The sequence page the app links to is `<site>/sequence/<uuid>/detail`.
    let segment = if last.eq_ignore_ascii_case("detail") {
        segments.next()?
    } else {
        last
    };
    is_uuid(segment).then(|| segment.to_ascii_lowercase())
}

fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, len)| g.len() == len && g.chars().all(|c| c.is_ascii_hexdigit()))
}

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

impl Uploader {
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
        let token = self
            .tokens
            .mtpw_token()
            .await
            .map_err(|e| fail(e.to_string()))?;
        let new = NewSequence {
            name: summary.name.clone(),
            description: summary.description.clone(),
            transport_type: method,
            tags: summary.tags.clone(),
        };
        let uuid = self
            .mtpw
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_and_bare_ids_are_accepted_and_anything_else_refused() {
        let id = "9B1DEB4D-3B7D-4BAD-9BDD-2B0D7B3DCB6D";
        assert_eq!(
            parse_mtpw_id(id).as_deref(),
            Some("9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d")
        );
        assert_eq!(
            parse_mtpw_id(&format!(
                "https://www.mapthepaths.com/sequence/{id}/?tab=map"
            ))
            .as_deref(),
            Some("9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d")
        );
        assert_eq!(
            parse_mtpw_id(&format!("https://www.mapthepaths.com/sequence/{id}/detail")).as_deref(),
            Some("9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d")
        );
        assert_eq!(
            parse_mtpw_id("https://www.mapthepaths.com/sequence/detail"),
            None
        );
        assert_eq!(parse_mtpw_id("https://www.mapthepaths.com/sequence/"), None);
        assert_eq!(parse_mtpw_id("9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6"), None);
        assert_eq!(parse_mtpw_id(""), None);
    }
}
