//! Table `library_roots`: the folders the user added to the library.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use rusqlite::params;

use super::database::Store;
use crate::error::EngineError;
use crate::files::{path_bytes, path_from_bytes};

/// Migration 1.
pub const CREATE: &str = "CREATE TABLE library_roots (
         path BLOB PRIMARY KEY,
         added_at INTEGER NOT NULL
     );";

impl Store {
    /// The roots the user added, oldest first.
    pub fn user_roots(&self) -> Result<Vec<PathBuf>, EngineError> {
        let conn = self.conn()?;
        let mut stmt = conn
            .prepare_cached("SELECT path FROM library_roots ORDER BY added_at, rowid")
            .map_err(|e| self.fail(e))?;
        let rows = stmt
            .query_map([], |row| row.get::<_, Vec<u8>>(0))
            .map_err(|e| self.fail(e))?;
        rows.map(|row| row.map(|bytes| path_from_bytes(&bytes)))
            .collect::<Result<_, _>>()
            .map_err(|e| self.fail(e))
    }

    /// Remembers a root; false when it was already there.
    pub fn add_root(&self, path: &Path) -> Result<bool, EngineError> {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        let conn = self.conn()?;
        let changed = conn
            .execute(
                "INSERT OR IGNORE INTO library_roots (path, added_at) VALUES (?1, ?2)",
                params![path_bytes(path), now],
            )
            .map_err(|e| self.fail(e))?;
        Ok(changed == 1)
    }

    /// Forgets a root; false when it was not there.
    pub fn remove_root(&self, path: &Path) -> Result<bool, EngineError> {
        let conn = self.conn()?;
        let changed = conn
            .execute(
                "DELETE FROM library_roots WHERE path = ?1",
                params![path_bytes(path)],
            )
            .map_err(|e| self.fail(e))?;
        Ok(changed == 1)
    }
}
