//! The `mtpw_links` table: the MTPW sequence the user pasted or created for a library sequence
//! whose JSON names none (never written into its folder).

use rusqlite::{params, OptionalExtension};

use super::database::{now_ms, Store};
use crate::error::EngineError;

impl Store {
    /// Remembers the MTPW sequence of a library sequence (`source`: "pasted" or "created").
    pub fn set_mtpw_link(
        &self,
        sequence_id: &str,
        uuid: &str,
        source: &str,
    ) -> Result<(), EngineError> {
        let conn = self.conn()?;
        conn.execute(
            "INSERT OR REPLACE INTO mtpw_links (sequence_id, mtpw_uuid, source, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![sequence_id, uuid, source, now_ms()],
        )
        .map_err(|e| self.fail(e))?;
        Ok(())
    }

    /// The MTPW sequence the user linked to a library sequence, if any.
    pub fn mtpw_link(&self, sequence_id: &str) -> Result<Option<String>, EngineError> {
        let conn = self.conn()?;
        conn.query_row(
            "SELECT mtpw_uuid FROM mtpw_links WHERE sequence_id = ?1",
            params![sequence_id],
            |row| row.get(0),
        )
        .optional()
        .map_err(|e| self.fail(e))
    }

    /// Every MTPW sequence the user linked, by library sequence id.
    pub fn mtpw_links(&self) -> Result<std::collections::HashMap<String, String>, EngineError> {
        let conn = self.conn()?;
        let mut stmt = conn
            .prepare_cached("SELECT sequence_id, mtpw_uuid FROM mtpw_links")
            .map_err(|e| self.fail(e))?;
        let rows = stmt
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .map_err(|e| self.fail(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.fail(e))
    }
}
